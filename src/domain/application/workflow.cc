#include "domain/application/workflow.h"

#include <array>

namespace octroi {

using S = ApplicationState;
using E = ApplicationEvent;

namespace {

constexpr Origin kUser = Origin::User;
constexpr Origin kAct = Origin::Act;

// The table of workflow.h, row for row.
constexpr std::array<Transition, 25> kTable = {{
    {S::Draft, E::Submit, S::Submitted, Guard::PlanComplete, kUser},
    {S::Draft, E::Withdraw, S::Withdrawn, Guard::None, kUser},
    {S::Submitted, E::StartInstruction, S::UnderInstruction, Guard::None, kUser},
    {S::Submitted, E::DeclareIncomplete, S::Incomplete, Guard::Reason, kUser},
    {S::Submitted, E::Withdraw, S::Withdrawn, Guard::None, kUser},
    {S::Incomplete, E::Complete, S::Submitted, Guard::PlanComplete, kUser},
    {S::Incomplete, E::Withdraw, S::Withdrawn, Guard::None, kUser},
    {S::UnderInstruction, E::DeclareIncomplete, S::Incomplete, Guard::Reason, kUser},
    {S::UnderInstruction, E::Propose, S::Proposed, Guard::AwardComputed, kUser},
    {S::UnderInstruction, E::Refuse, S::Refused, Guard::Reason, kUser},
    {S::UnderInstruction, E::Withdraw, S::Withdrawn, Guard::None, kUser},
    {S::UnderInstruction, E::RequestApproval, S::AwaitingApproval, Guard::AwardComputed, kUser},
    {S::AwaitingApproval, E::Approve, S::AwaitingApproval, Guard::Visa, kUser},
    {S::AwaitingApproval, E::Propose, S::Proposed, Guard::ChainComplete, kUser},
    {S::AwaitingApproval, E::SendBack, S::UnderInstruction, Guard::Reason, kUser},
    {S::AwaitingApproval, E::Reduce, S::AwaitingApproval, Guard::Reduction, kUser},
    {S::AwaitingApproval, E::Refuse, S::Refused, Guard::Reason, kUser},
    {S::AwaitingApproval, E::Withdraw, S::Withdrawn, Guard::None, kUser},
    {S::Proposed, E::Reopen, S::UnderInstruction, Guard::Reason, kUser},
    {S::Proposed, E::Reduce, S::Proposed, Guard::Reduction, kUser},
    {S::Proposed, E::Award, S::Awarded, Guard::Deliberation, kAct},
    {S::Proposed, E::Refuse, S::Refused, Guard::Reason, kUser},
    {S::Proposed, E::Withdraw, S::Withdrawn, Guard::None, kUser},
    {S::Awarded, E::Close, S::Closed, Guard::None, kAct},
    {S::Awarded, E::Lapse, S::Lapsed, Guard::Reason, kAct},
}};

constexpr bool final_state(S s) {
  return s == S::Refused || s == S::Withdrawn || s == S::Closed || s == S::Lapsed;
}

constexpr bool entered_by_act(S s) {
  return s == S::Awarded || s == S::Closed || s == S::Lapsed;
}

// W1: no row leaves a final state, and no (state, event) pair has two rows.
constexpr bool w1_holds() {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (final_state(kTable[i].from)) return false;
    for (std::size_t j = i + 1; j < kTable.size(); ++j)
      if (kTable[i].from == kTable[j].from && kTable[i].event == kTable[j].event) return false;
  }
  return true;
}

// W1: every state is reachable from draft.
constexpr bool w1_reachable() {
  std::array<bool, kApplicationStateNames.size()> seen{};
  seen[static_cast<std::size_t>(S::Draft)] = true;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& t : kTable)
      if (seen[static_cast<std::size_t>(t.from)] && !seen[static_cast<std::size_t>(t.to)]) {
        seen[static_cast<std::size_t>(t.to)] = true;
        grew = true;
      }
  }
  for (bool s : seen)
    if (!s) return false;
  return true;
}

// W2: the rows by act are exactly the rows entering awarded, closed or lapsed.
constexpr bool w2_holds() {
  for (const auto& t : kTable)
    if ((t.origin == Origin::Act) != entered_by_act(t.to)) return false;
  return true;
}

static_assert(w1_holds(), "W1: a final state has no way out; one row per (state, event)");
static_assert(w1_reachable(), "W1: every state is reachable from draft");
static_assert(w2_holds(), "W2: awarded, closed and lapsed are entered only by an act");

template <class T, std::size_t N>
std::vector<T> values_of(const NameTable<T, N>& table) {
  std::vector<T> v;
  for (const auto& r : table.rows())
    v.push_back(r.value);
  return v;
}

}  // namespace

const std::vector<Transition>& workflow_table() {
  static const std::vector<Transition> table(kTable.begin(), kTable.end());
  return table;
}

const std::vector<ApplicationState>& all_states() {
  static const std::vector<ApplicationState> v = values_of(kApplicationStateNames);
  return v;
}

const std::vector<ApplicationEvent>& all_events() {
  static const std::vector<ApplicationEvent> v = values_of(kApplicationEventNames);
  return v;
}

std::optional<Transition> find_transition(ApplicationState from, ApplicationEvent event) {
  for (const auto& t : kTable)
    if (t.from == from && t.event == event) return t;
  return std::nullopt;
}

bool is_final(ApplicationState s) {
  return final_state(s);
}

std::string_view to_string(ApplicationState s) {
  return kApplicationStateNames.code(s);
}

std::string_view french(ApplicationState s) {
  return kApplicationStateNames.label(s);
}

std::string_view to_string(ApplicationEvent e) {
  return kApplicationEventNames.code(e);
}

std::string_view french(ApplicationEvent e) {
  return kApplicationEventNames.label(e);
}

std::string_view to_string(Origin o) {
  return kOriginNames.code(o);
}

bool parse_state(std::string_view s, ApplicationState& out) {
  return kApplicationStateNames.parse(s, out);
}

bool parse_event(std::string_view s, ApplicationEvent& out) {
  return kApplicationEventNames.parse(s, out);
}

bool plan_editable(ApplicationState s) {
  return s == S::Draft || s == S::Incomplete || s == S::UnderInstruction;
}

bool plan_must_stay_complete(ApplicationState s) {
  return s == S::UnderInstruction;
}

}  // namespace octroi
