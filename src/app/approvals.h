// Approval chains (circuits de visa, issue 18): a scheme's levels of visa, given in order by
// the agents of each level's role between instruction and the committee (workflow.h), and the
// rows each dossier's chain leaves (application_visas, migration 0021).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/ports/workspace.h"
#include "core/result.h"
#include "domain/application/application.h"
#include "domain/scheme/aid_scheme.h"

namespace octroi {

// Where a dossier stands in its scheme's chain.
struct ApprovalState {
  std::vector<ApprovalLevel> chain;
  std::vector<VisaRecord> rows;  // every round, oldest first
  int round = 0;                 // the last round opened (0: none)
  int given = 0;                 // visas approved in that round
  bool returned = false;         // that round ended by a return to instruction
  // The level whose visa is awaited, when the dossier awaits one.
  std::optional<ApprovalLevel> awaited;
};
ApprovalState approval_state(Transaction& tx, AuthorityId a, const Application& app,
                             const AidScheme& scheme);

// The dossier's chain as it stands (application.unknown for a number of no dossier).
Result<ApprovalState> approval_of(Transaction& tx, AuthorityId a, const std::string& number);

// Whether the caller may cause `event` in the dossier's chain: a visa, a return, a reduction or
// a refusal while the dossier awaits a visa are the awaited level's, given by an agent of its
// role (an administrator, or the command line, gives any), once per agent and round, never on
// a request of one's own; a return only where the level may send back. Refusals:
// approval.role, approval.same_agent, approval.no_return.
Status check_approval_actor(const Context& ctx, const Application& app, ApplicationEvent event,
                            const ApprovalState& st);

// The row the event leaves in the chain, when it leaves one: request_approval opens a round,
// approve and send_back answer for the awaited level.
void record_approval_row(Transaction& tx, const Context& ctx, const Application& app,
                         ApplicationEvent event, const ApprovalState& st, const Date& on,
                         const std::string& comment);

// One level as typed by an administrator: its label, the role that gives it ("approver",
// "administrator", "instructor", or their French names), whether it may send a dossier back.
struct ApprovalLevelInput {
  std::string label;
  std::string role;
  bool may_return = true;
};

// Replaces the scheme's chain (at most 9 levels; none: its dossiers are proposed straight from
// instruction). Refused while a dossier of the scheme awaits a visa (approval.busy); each level
// needs a label (text.*) and a role that moves dossiers (approval.role_unknown).
// Audited (scheme.approval_chain).
Result<AidScheme> set_approval_chain(Transaction& tx, const Context& ctx,
                                     const std::string& scheme_number,
                                     const std::vector<ApprovalLevelInput>& levels);

// "Chef de service (chef de service), puis Directeur (administrateur)" — "aucun" when empty.
std::string describe_chain(const std::vector<ApprovalLevel>& chain);

}  // namespace octroi
