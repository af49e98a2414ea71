// The instruction workspace (issue 18, finding 6): who instructs each dossier, who follows it,
// the queues of the dossier list, bulk acts on several dossiers, and saved searches.
//
// Queues: the list's filters `queue` (à traiter: submitted, incomplete or under instruction;
// traités: proposed or awarded; archivés: refused, withdrawn, closed or lapsed) and `scope` (me:
// assigned to the viewer; service: the schemes of the viewer's service; followed: followed by the
// viewer; all). They are ApplicationSearch fields, so the page, the API and the exports share them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/permissions.h"
#include "app/ports/accounts.h"
#include "app/ports/workspace.h"
#include "app/use_cases.h"
#include "core/result.h"

namespace octroi {

// The account acting (a web session's or an API token's owner): its id and role. An account id
// of 0 (a token without an owner, the CLI) has no queue of its own.
struct Caller {
  std::int64_t user_id = 0;
  Role role = Role::Reader;
};

struct AssignmentView {
  std::string number;
  std::string login, display_name;  // "" when nobody instructs the dossier
};

// Assigns dossier `number` to the account `login` ("" gives it back: nobody). The assignee is an
// active account of the authority that may move dossiers (administrator, approver, or an
// instructor of the scheme's service). Administrators and approvers assign anyone; an
// instructor takes a dossier for themself or gives back their own ("assign.self_only").
// Audited ("application.assign") with the previous and the new assignee.
Result<AssignmentView> assign_application(Transaction& tx, const Context& ctx, const Caller& who,
                                          const std::string& number, const std::string& login);
// Gives back every dossier assigned to `u` (its deactivation does, first), each audited.
void release_assignments(Transaction& tx, const Context& ctx, const UserRecord& u);
Result<AssignmentView> assignment_of(Transaction& tx, AuthorityId a, const std::string& number);

// The caller follows dossier `number` (or stops): it appears in their "suivis" queue. Audited.
Status follow_application(Transaction& tx, const Context& ctx, const Caller& who,
                          const std::string& number, bool on);
bool follows_application(Transaction& tx, AuthorityId a, const Caller& who,
                         const std::string& number);

// Several dossiers at once, all or nothing: the same event on each (bulk move), or the same
// assignee. Refused as a whole when one is refused, each problem naming its dossier
// ("EX070158 : …"); at most 200 dossiers, each named once ("bulk.*").
Result<std::vector<Application>> bulk_event(Transaction& tx, const Context& ctx,
                                            const std::vector<std::string>& numbers,
                                            const EventInput& in);
Result<std::vector<AssignmentView>> bulk_assign(Transaction& tx, const Context& ctx,
                                                const Caller& who,
                                                const std::vector<std::string>& numbers,
                                                const std::string& login);

// Expert opinions (avis, issue 18): a dossier's instructor (or an approver, an administrator)
// asks another service — one that instructs schemes or has instructors in the authority, not
// the scheme's own — a question about the dossier; an instructor of that service (or an
// administrator) answers once: favorable, reserved or unfavorable, with a text. Audited
// ("opinion.request", "opinion.answer"); the database refuses a second answer.
Result<OpinionRecord> request_opinion(Transaction& tx, const Context& ctx,
                                      const std::string& number, const std::string& service,
                                      const std::string& question);
Result<OpinionRecord> give_opinion(Transaction& tx, const Context& ctx, const Caller& who,
                                   const std::string& id_text, const std::string& opinion,
                                   const std::string& answer);
Result<std::vector<OpinionRecord>> opinions_of(Transaction& tx, AuthorityId a,
                                               const std::string& number);
// The services an opinion may be asked of about a dossier of `scheme`, by name.
std::vector<std::string> opinion_services(Transaction& tx, AuthorityId a, const AidScheme& scheme);
// "favorable" -> "favorable", "reserved" -> "réservé", "unfavorable" -> "défavorable".
std::string opinion_label(const std::string& opinion);

// Saved searches of the dossier list: a name (1 to 80 characters, unique per account) and the
// query string of /dossiers without its page (at most 2 000 bytes, parameters the list knows).
Result<SavedFilterRecord> save_filter(Transaction& tx, const Context& ctx, const Caller& who,
                                      const std::string& name, const std::string& query);
Status delete_filter(Transaction& tx, const Context& ctx, const Caller& who,
                     const std::string& id_text);
std::vector<SavedFilterRecord> saved_filters_of(Transaction& tx, AuthorityId a, const Caller& who);

// The dashboard's figures. Per scheme with dossiers: the scheme, its dossiers, the amounts
// awarded and proposed (by scheme number).
struct SchemeTotal {
  AidScheme scheme;
  std::int64_t dossiers = 0;
  Money awarded, proposed;
};
std::vector<SchemeTotal> totals_by_scheme(Transaction& tx, AuthorityId a);
// The caller's work: their dossiers to instruct, their service's to instruct that nobody has
// taken, the dossiers they follow (any state), and those awaiting a visa (approval chains).
struct WorkCounts {
  std::int64_t mine = 0, service_unassigned = 0, followed = 0, awaiting_visa = 0;
};
WorkCounts work_counts(Transaction& tx, AuthorityId a, const Caller& who,
                       const std::string& service);

// The accounts a dossier may be assigned to (active; administrators, approvers, instructors),
// by display name: the choices of the assignment forms.
std::vector<UserRecord> assignable_accounts(Transaction& tx, AuthorityId a);

}  // namespace octroi
