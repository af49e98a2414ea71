// clang-format off
// The application (dossier) workflow, written as a table.
//
//            submit                start_instruction             propose
//   draft ──────────► submitted ───────────────────► under_instruction ──────► proposed
//                       │  ▲                           │   ▲      │  refuse       │ │  │
//     declare_incomplete│  │complete  declare_incomplete│   │reopen │               │ │  │award
//                       ▼  │                            ▼   └───────┼───────────────┘ │  ▼
//                     incomplete ◄──────────────────────┘           ▼          refuse │ awarded
//                                                                refused ◄──────────┘  │   │
//   withdraw: from draft, submitted, incomplete, under_instruction, proposed → withdrawn │   │
//                                                                         close ◄────────┘   │lapse
//                                                                        closed        lapsed◄┘
//
// | from              | event              | to                | guard                           | by   |
// |-------------------|--------------------|-------------------|---------------------------------|------|
// | draft             | submit             | submitted         | plan complete, scheme open      | user |
// | draft             | withdraw           | withdrawn         |                                 | user |
// | submitted         | start_instruction  | under_instruction |                                 | user |
// | submitted         | declare_incomplete | incomplete        | reason                          | user |
// | submitted         | withdraw           | withdrawn         |                                 | user |
// | incomplete        | complete           | submitted         | plan complete                   | user |
// | incomplete        | withdraw           | withdrawn         |                                 | user |
// | under_instruction | declare_incomplete | incomplete        | reason                          | user |
// | under_instruction | propose            | proposed          | award > 0, the scheme has no chain | user |
// | under_instruction | refuse             | refused           | reason                          | user |
// | under_instruction | withdraw           | withdrawn         |                                 | user |
// | under_instruction | request_approval   | awaiting_approval | award > 0, the scheme has a chain | user |
// | awaiting_approval | approve            | awaiting_approval | a level of the chain remains    | user |
// | awaiting_approval | propose            | proposed          | every level has given its visa  | user |
// | awaiting_approval | send_back          | under_instruction | reason                          | user |
// | awaiting_approval | reduce             | awaiting_approval | amount < proposal, reason       | user |
// | awaiting_approval | refuse             | refused           | reason                          | user |
// | awaiting_approval | withdraw           | withdrawn         |                                 | user |
// | proposed          | reopen             | under_instruction | reason                          | user |
// | proposed          | reduce             | proposed          | amount < proposal, reason       | user |
// | proposed          | award              | awarded           | deliberation, amount ≤ proposal | act  |
// | proposed          | refuse             | refused           | reason                          | user |
// | proposed          | withdraw           | withdrawn         |                                 | user |
// | awarded           | close              | closed            |                                 | act  |
// | awarded           | lapse              | lapsed            | reason                          | act  |
//
// "by": who may cause the transition. `user`: a user's request to move the dossier (octroi
// application event, the dossier page, the API). `act`: only the act that decides it and posts
// its budget movements in the same transaction — the committee's vote (octroi report adopt) for
// award, the balance payment for close, the lapse run (octroi lapse --as-of) for lapse; a user's
// request for them is refused ("workflow.by_act") by reading this column.
//
// Approval chains (issue 18): a scheme may carry a chain of visas (AidScheme::approval_chain,
// levels 1, 2…, each given by a role). Its dossiers then leave instruction by request_approval
// (the instructor's proposal, as with propose) into awaiting_approval; each level gives its visa
// (approve) in order, and the last visa proposes the dossier (the application layer applies
// propose in the same transaction); a level allowed to may send it back to instruction
// (send_back, with a reason), and approvers may lower the amount (reduce) while it waits. Who
// may give which visa (the level's role, one visa per agent, never on a request of one's own)
// is checked by the application layer and by the database (application_visas).
//
// Refused, withdrawn, closed and lapsed are final. Adjustments to the list in the foundation
// issue, with reasons: `lapsed` is added because caducité ends an award differently from a
// closure (the unused allocation is released); `reopen` lets an instructor take a proposed
// dossier back before the session, instead of editing a proposal in place; `reduce` lowers the
// amount proposed (by an approver, or as the committee decides before its vote), never raises it.
// Any (state, event) pair not in the table is refused with "workflow.transition".
//
// INVARIANTS of the workflow and of a dossier, numbered so that a failed check names the one it
// broke (Application::check_invariants, application.h):
//   W1  a final state (refused, withdrawn, closed, lapsed) has no outgoing transition; every
//       state is reachable from draft; a (state, event) pair has at most one row
//       [static_assert on the table, workflow.cc; workflow_test]
//   W2  awarded, closed and lapsed are entered only by an act (by = act), and an act-only row
//       leads only to one of them [static_assert, workflow.cc]
//   W3  the state changes only through apply_event, by a row of this table; the only other
//       writer is the store restoring a loaded dossier (Application::restore_state)
//       [by construction: Application's state is private]
//   W4  the award is present exactly when the state is awarded, closed or lapsed (the CHECK of
//       `applications` says the same); its amount is positive and its deliberation named
//   W5  the proposed award, when present, is positive; a proposed dossier, or one awaiting its
//       visas, has one; it never
//       exceeds the rule's amount recorded with it, and when it is lower its reason is given
//   W6  under instruction the financing plan is complete and balanced (it was to be submitted,
//       and a plan edit there must keep it so: plan_must_stay_complete)
// W4 to W6 are checked by Application::check_invariants; assert_invariants runs it after every
// transition and every load in debug and sanitizer builds (OCTROI_DEBUG_CHECK, compiled out
// with NDEBUG).
// clang-format on
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/enum_names.h"
#include "core/money.h"
#include "core/result.h"

namespace octroi {

enum class ApplicationState {
  Draft,
  Submitted,
  Incomplete,
  UnderInstruction,
  AwaitingApproval,
  Proposed,
  Awarded,
  Refused,
  Withdrawn,
  Closed,
  Lapsed,
};

enum class ApplicationEvent {
  Submit,
  DeclareIncomplete,
  Complete,
  StartInstruction,
  Propose,
  Reopen,
  Reduce,
  Award,
  Refuse,
  Withdraw,
  Close,
  Lapse,
  RequestApproval,
  Approve,
  SendBack,
};

enum class Guard {
  None,
  PlanComplete,   // plan balanced with an eligible base and a request; scheme open (submit)
  Reason,         // a reason is given
  AwardComputed,  // plan complete and the rule gives a positive award
  Deliberation,   // a deliberation reference and date, an amount within the proposal
  Reduction,      // an amount below the proposal, and a reason
  Visa,           // a level of the scheme's approval chain is still to give its visa
  ChainComplete,  // every level of the scheme's approval chain has given its visa
};

// Who may cause a transition (the table's "by" column).
enum class Origin {
  User,  // a user's request to move the dossier (apply_application_event)
  Act,   // only the act that decides it: the vote, the balance payment, the lapse run
};

struct Transition {
  ApplicationState from;
  ApplicationEvent event;
  ApplicationState to;
  Guard guard;
  Origin origin = Origin::User;
};

inline constexpr auto kApplicationStateNames = name_table<ApplicationState>({
    {ApplicationState::Draft, "draft", "brouillon"},
    {ApplicationState::Submitted, "submitted", "déposé"},
    {ApplicationState::Incomplete, "incomplete", "incomplet"},
    {ApplicationState::UnderInstruction, "under_instruction", "en instruction"},
    {ApplicationState::AwaitingApproval, "awaiting_approval", "au visa"},
    {ApplicationState::Proposed, "proposed", "proposé en commission"},
    {ApplicationState::Awarded, "awarded", "attribué"},
    {ApplicationState::Refused, "refused", "refusé"},
    {ApplicationState::Withdrawn, "withdrawn", "retiré"},
    {ApplicationState::Closed, "closed", "soldé"},
    {ApplicationState::Lapsed, "lapsed", "caduc"},
});

inline constexpr auto kApplicationEventNames = name_table<ApplicationEvent>({
    {ApplicationEvent::Submit, "submit", "dépôt"},
    {ApplicationEvent::DeclareIncomplete, "declare_incomplete", "déclaration d'incomplétude"},
    {ApplicationEvent::Complete, "complete", "complément"},
    {ApplicationEvent::StartInstruction, "start_instruction", "mise en instruction"},
    {ApplicationEvent::Propose, "propose", "proposition en commission"},
    {ApplicationEvent::Reopen, "reopen", "retour en instruction"},
    {ApplicationEvent::Reduce, "reduce", "réduction du montant proposé"},
    {ApplicationEvent::Award, "award", "attribution"},
    {ApplicationEvent::Refuse, "refuse", "refus"},
    {ApplicationEvent::Withdraw, "withdraw", "retrait"},
    {ApplicationEvent::Close, "close", "solde"},
    {ApplicationEvent::Lapse, "lapse", "caducité"},
    {ApplicationEvent::RequestApproval, "request_approval", "demande de visa"},
    {ApplicationEvent::Approve, "approve", "visa"},
    {ApplicationEvent::SendBack, "send_back", "renvoi à l'instruction"},
});

inline constexpr auto kOriginNames = name_table<Origin>({
    {Origin::User, "user", "demande d'un utilisateur"},
    {Origin::Act, "act", "acte qui la décide"},
});

const std::vector<Transition>& workflow_table();
const std::vector<ApplicationState>& all_states();
const std::vector<ApplicationEvent>& all_events();
// The transition for (state, event), or nullopt when the pair is not in the table.
std::optional<Transition> find_transition(ApplicationState from, ApplicationEvent event);

std::string_view to_string(ApplicationState s);  // "under_instruction"
std::string_view french(ApplicationState s);     // "en instruction"
std::string_view to_string(ApplicationEvent e);  // "start_instruction"
std::string_view french(ApplicationEvent e);     // "mise en instruction"
bool parse_state(std::string_view s, ApplicationState& out);
bool parse_event(std::string_view s, ApplicationEvent& out);
std::string_view to_string(Origin o);  // "user", "act"

// Whether a final state: no transition leaves it (W1).
bool is_final(ApplicationState s);

// States in which the financing plan may be edited, and whether it must stay balanced there.
bool plan_editable(ApplicationState s);
bool plan_must_stay_complete(ApplicationState s);

}  // namespace octroi
