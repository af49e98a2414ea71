// Roles and what each may do: one table, deny by default (issue 6). Every route of the web
// application and the API names the Action it performs; the server asks `permits` before
// calling the use case, whatever the page showed.
//
//   action \ role            admin instr. approver clerk finance reader
//   read (dossiers, budget…)   x     x      x       x     x       x
//   edit dossiers/plans/notes  x     x
//   workflow (instruction)     x     x      x
//   manage reports, vote       x                    x
//   manage budget lines        x                          x
//   agreements, payments       x                          x
//   schemes, parties           x     x(parties)
//   users, API tokens          x
//   audit trail                x            x       x     x
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace octroi {

enum class Role { Administrator, Instructor, Approver, Clerk, Finance, Reader };

enum class Action {
  Read,            // every page and GET route of data
  EditDossier,     // create a dossier, edit its plan, write a private note
  MoveDossier,     // workflow events (submit, propose, approve…)
  ManageReports,   // compose a committee report, add articles, record the vote
  ManageBudget,    // budget lines, votes of AE/CP, allocations, releases
  ManagePayments,  // agreements, signatures, payments, clawbacks
  ManageSchemes,   // aid schemes
  ManageParties,   // register parties
  ManageUsers,     // accounts and API tokens
  ReadAudit,       // the audit trail
};

const std::vector<Role>& all_roles();
const std::vector<Action>& all_actions();
std::string_view to_string(Role r);
std::string_view to_string(Action a);
std::optional<Role> parse_role(std::string_view s);
// French name of the role, for pages ("instructeur", "secrétariat des assemblées"…).
std::string_view role_label(Role r);

bool permits(Role r, Action a);

}  // namespace octroi
