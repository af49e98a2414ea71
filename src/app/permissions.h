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
//
// The applicant (demandeur, issue 19) is a role of the portal's accounts, never of an agent's:
// it may do one thing, Apply (its own organisations' dossiers on /portail), which no agent's
// role may. all_roles() and parse_role() know the agents' roles only, so that no agent account
// or API token can be given it; the portal's sessions carry it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/enum_names.h"

namespace octroi {

enum class Role { Administrator, Instructor, Approver, Clerk, Finance, Reader, Applicant };

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
  Apply,           // the portal: an applicant's own organisations, dossiers and messages
};

// The agents' roles (every role but Applicant).
const std::vector<Role>& all_roles();
// The agents' roles and the applicant's: what the route × role matrix covers.
const std::vector<Role>& every_role();
const std::vector<Action>& all_actions();
std::string_view to_string(Role r);
std::string_view to_string(Action a);
// An agent's role by its code; nullopt for "applicant" as for an unknown code.
std::optional<Role> parse_role(std::string_view s);
// French name of the role, for pages ("instructeur", "secrétariat des assemblées"…).
std::string_view role_label(Role r);

inline constexpr auto kRoleNames = name_table<Role>({
    {Role::Administrator, "administrator", "administrateur"},
    {Role::Instructor, "instructor", "instructeur"},
    {Role::Approver, "approver", "chef de service"},
    {Role::Clerk, "clerk", "secrétariat des assemblées"},
    {Role::Finance, "finance", "finances"},
    {Role::Reader, "reader", "lecteur"},
    {Role::Applicant, "applicant", "demandeur"},
});
inline constexpr auto kActionNames = name_table<Action>({
    {Action::Read, "read", "consulter"},
    {Action::EditDossier, "edit_dossier", "modifier les dossiers"},
    {Action::MoveDossier, "move_dossier", "faire avancer les dossiers"},
    {Action::ManageReports, "manage_reports", "gérer les rapports et le vote"},
    {Action::ManageBudget, "manage_budget", "gérer le budget"},
    {Action::ManagePayments, "manage_payments", "gérer les conventions et les versements"},
    {Action::ManageSchemes, "manage_schemes", "gérer les dispositifs"},
    {Action::ManageParties, "manage_parties", "gérer les tiers"},
    {Action::ManageUsers, "manage_users", "gérer les comptes et les jetons"},
    {Action::ReadAudit, "read_audit", "consulter le journal d'audit"},
    {Action::Apply, "apply", "déposer et suivre ses demandes (portail)"},
});

bool permits(Role r, Action a);

}  // namespace octroi
