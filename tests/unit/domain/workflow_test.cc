#include "domain/application/workflow.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "domain/application/application.h"
#include "unit/domain/cp_2023_040.h"

namespace octroi {
namespace {

using cp2023040::cents;
using cp2023040::euros;
using S = ApplicationState;
using E = ApplicationEvent;

// ---------------------------------------------------------------------------------------------
// Fixtures: the Montfermeil dossier (EX070158) under the chèque numérique volet 2, reading 1.

AidScheme volet2_scheme() {
  AidScheme s;
  s.id = SchemeId{1};
  s.authority = AuthorityId{1};
  s.number = "00001176";
  s.name = "Chèque numérique pour un commerce connecté – volet 2";
  s.framework_deliberation = "CR 2019-043";
  s.section = BudgetSection::Operating;
  s.budget_imputation = "936-632-657341-163003-400";
  s.opens_on = Date(2022, 1, 1);
  s.closes_on = Date(2022, 12, 31);
  s.rule = cp2023040::reading1();
  return s;
}

Application montfermeil() {
  Application a;
  a.id = ApplicationId{2};
  a.authority = AuthorityId{1};
  a.number = "EX070158";
  a.scheme = SchemeId{1};
  a.party = PartyId{3};
  a.project.title = "Chèque numérique pour un commerce connecté – Montfermeil";
  a.project.place = "Montfermeil";
  a.project.start = Date(2022, 12, 1);
  a.project.end = Date(2023, 11, 30);
  a.early_start.requested = true;
  a.early_start.date = Date(2022, 12, 1);
  a.early_start.justification = "Démarrage du projet avant le vote de la commission permanente.";
  a.reference_year = 2023;
  a.basis = AmountBasis::InclTax;
  a.plan = cp2023040::plan_ex070158();
  return a;
}

const Date kSubmittedOn(2022, 11, 15);
const Date kSession(2023, 1, 25);

// The dossier as it would be in `state`, with the fields that state implies.
Application in_state(S state) {
  Application a = montfermeil();
  a.restore_state(state);
  if (state != S::Draft) a.submitted_on = kSubmittedOn;
  if (state == S::Proposed || state == S::AwaitingApproval || state == S::Awarded ||
      state == S::Closed || state == S::Lapsed)
    a.proposed_award = euros(8'000);
  if (state == S::Awarded || state == S::Closed || state == S::Lapsed)
    a.award = Award{euros(8'000), kSession, "CP 2023-040"};
  return a;
}

// Everything any guard may need.
EventContext full_context() {
  EventContext c;
  c.on = Date(2022, 12, 15);
  c.reason = "Pièces justificatives manquantes";
  c.deliberation = "CP 2023-040";
  c.deliberation_date = kSession;
  return c;
}

// A chain of two visas: the chef de service, then the director (an administrator).
AidScheme with_chain(AidScheme s) {
  s.approval_chain = {{1, "Chef de service", "approver", true},
                      {2, "Directeur", "administrator", false}};
  return s;
}

// The scheme a pair is tried under: with a chain when the pair is one of the chain's (leaving
// instruction for the visas, or waiting for them), else without.
AidScheme scheme_for(S s, E e) {
  const AidScheme plain = volet2_scheme();
  return s == S::AwaitingApproval || e == E::RequestApproval ? with_chain(plain) : plain;
}

// The same for `event` in `state`: a reduction also needs its new, lower amount; a visa finds
// none given yet, a proposal after the visas finds them all given.
EventContext context_for(E event, S state = S::Draft) {
  EventContext c = full_context();
  if (event == E::Reduce) c.amount = euros(6'000);
  if (state == S::AwaitingApproval && event == E::Propose) c.visas_given = 2;
  return c;
}

// What an event may change, to check that a refusal changes nothing.
struct Snapshot {
  S state;
  std::optional<Date> submitted_on;
  std::optional<Money> proposed_award;
  std::optional<Money> award_amount;
  std::optional<Date> award_date;
  std::optional<std::string> award_deliberation;
  std::string number;
  std::size_t expense_lines;
  std::size_t resource_lines;
  Money total_expenses;
  Money total_resources;
  Money eligible_base;
  bool early_start;
  int reference_year;

  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

Snapshot snap(const Application& a) {
  Snapshot s{a.state(),
             a.submitted_on,
             a.proposed_award,
             std::nullopt,
             std::nullopt,
             std::nullopt,
             a.number,
             a.plan.expenses.size(),
             a.plan.resources.size(),
             a.plan.total_expenses(),
             a.plan.total_resources(),
             a.plan.eligible_base(),
             a.early_start.requested,
             a.reference_year};
  if (a.award) {
    s.award_amount = a.award->amount;
    s.award_date = a.award->date;
    s.award_deliberation = a.award->deliberation;
  }
  return s;
}

void PrintTo(const Snapshot& s, std::ostream* os) {
  auto money = [](const std::optional<Money>& m) {
    return m ? m->to_decimal_string() : std::string("-");
  };
  auto date = [](const std::optional<Date>& d) { return d ? d->iso() : std::string("-"); };
  *os << "{state=" << to_string(s.state) << " submitted_on=" << date(s.submitted_on)
      << " proposed=" << money(s.proposed_award) << " award=" << money(s.award_amount) << "/"
      << date(s.award_date) << "/" << s.award_deliberation.value_or("-") << "}";
}

std::string pair_name(S s, E e) {
  return std::string(to_string(s)) + " + " + std::string(to_string(e));
}

// ---------------------------------------------------------------------------------------------
// The table itself, as documented in workflow.h.

TEST(WorkflowTable, IsTheDocumentedTable) {
  const std::vector<std::tuple<S, E, S, Guard>> expected = {
      {S::Draft, E::Submit, S::Submitted, Guard::PlanComplete},
      {S::Draft, E::Withdraw, S::Withdrawn, Guard::None},
      {S::Submitted, E::StartInstruction, S::UnderInstruction, Guard::None},
      {S::Submitted, E::DeclareIncomplete, S::Incomplete, Guard::Reason},
      {S::Submitted, E::Withdraw, S::Withdrawn, Guard::None},
      {S::Incomplete, E::Complete, S::Submitted, Guard::PlanComplete},
      {S::Incomplete, E::Withdraw, S::Withdrawn, Guard::None},
      {S::UnderInstruction, E::DeclareIncomplete, S::Incomplete, Guard::Reason},
      {S::UnderInstruction, E::Propose, S::Proposed, Guard::AwardComputed},
      {S::UnderInstruction, E::Refuse, S::Refused, Guard::Reason},
      {S::UnderInstruction, E::Withdraw, S::Withdrawn, Guard::None},
      {S::UnderInstruction, E::RequestApproval, S::AwaitingApproval, Guard::AwardComputed},
      {S::AwaitingApproval, E::Approve, S::AwaitingApproval, Guard::Visa},
      {S::AwaitingApproval, E::Propose, S::Proposed, Guard::ChainComplete},
      {S::AwaitingApproval, E::SendBack, S::UnderInstruction, Guard::Reason},
      {S::AwaitingApproval, E::Reduce, S::AwaitingApproval, Guard::Reduction},
      {S::AwaitingApproval, E::Refuse, S::Refused, Guard::Reason},
      {S::AwaitingApproval, E::Withdraw, S::Withdrawn, Guard::None},
      {S::Proposed, E::Reopen, S::UnderInstruction, Guard::Reason},
      {S::Proposed, E::Reduce, S::Proposed, Guard::Reduction},
      {S::Proposed, E::Award, S::Awarded, Guard::Deliberation},
      {S::Proposed, E::Refuse, S::Refused, Guard::Reason},
      {S::Proposed, E::Withdraw, S::Withdrawn, Guard::None},
      {S::Awarded, E::Close, S::Closed, Guard::None},
      {S::Awarded, E::Lapse, S::Lapsed, Guard::Reason},
  };
  std::set<std::tuple<S, E, S, Guard>> actual;
  for (const auto& t : workflow_table())
    actual.insert({t.from, t.event, t.to, t.guard});
  EXPECT_EQ(workflow_table().size(), expected.size());
  using Row = std::tuple<S, E, S, Guard>;
  const std::set<Row> expected_set(expected.begin(), expected.end());
  EXPECT_EQ(actual, expected_set);
}

// The "by" column: award, close and lapse happen only through the act that decides them (the
// vote, the balance payment, the lapse run), every other transition on a user's request.
TEST(WorkflowTable, EveryPairSaysWhoMayCauseIt) {
  const std::set<E> by_act = {E::Award, E::Close, E::Lapse};
  int acts = 0;
  for (S s : all_states())
    for (E e : all_events()) {
      const auto t = find_transition(s, e);
      if (!t) continue;
      SCOPED_TRACE(pair_name(s, e));
      EXPECT_EQ(t->origin, by_act.count(e) ? Origin::Act : Origin::User);
      // W2: what an act enters is awarded, closed or lapsed, and only an act enters them.
      const bool act_state = t->to == S::Awarded || t->to == S::Closed || t->to == S::Lapsed;
      EXPECT_EQ(t->origin == Origin::Act, act_state);
      acts += t->origin == Origin::Act;
    }
  EXPECT_EQ(acts, 3);
}

TEST(WorkflowTable, FinalStatesAreTheOnesWithoutAnOutgoingRow) {
  for (S s : all_states()) {
    bool outgoing = false;
    for (const auto& t : workflow_table())
      outgoing = outgoing || t.from == s;
    EXPECT_EQ(is_final(s), !outgoing) << to_string(s);
  }
}

TEST(WorkflowTable, NoStateHasTwoTransitionsForOneEvent) {
  std::map<std::pair<S, E>, int> count;
  for (const auto& t : workflow_table())
    ++count[{t.from, t.event}];
  for (const auto& [pair, n] : count)
    EXPECT_EQ(n, 1) << pair_name(pair.first, pair.second);
}

TEST(WorkflowTable, FindTransitionAgreesWithTheTable) {
  std::size_t found = 0;
  for (S s : all_states())
    for (E e : all_events()) {
      const auto t = find_transition(s, e);
      if (!t) continue;
      ++found;
      EXPECT_EQ(t->from, s);
      EXPECT_EQ(t->event, e);
    }
  EXPECT_EQ(found, workflow_table().size());
}

TEST(WorkflowTable, FinalStatesHaveNoWayOut) {
  for (S s : {S::Refused, S::Withdrawn, S::Closed, S::Lapsed})
    for (E e : all_events())
      EXPECT_FALSE(find_transition(s, e).has_value()) << pair_name(s, e);
}

TEST(WorkflowTable, EveryStateIsReachableFromDraft) {
  std::set<S> seen = {S::Draft};
  std::vector<S> frontier = {S::Draft};
  while (!frontier.empty()) {
    const S s = frontier.back();
    frontier.pop_back();
    for (const auto& t : workflow_table())
      if (t.from == s && seen.insert(t.to).second) frontier.push_back(t.to);
  }
  EXPECT_EQ(seen.size(), all_states().size());
  EXPECT_EQ(all_states().size(), 11u);
  EXPECT_EQ(all_events().size(), 15u);
}

// ---------------------------------------------------------------------------------------------
// Every (state, event) pair.

TEST(WorkflowApply, EveryPairInTheTableSucceedsAndMovesToItsTarget) {
  int applied = 0;
  for (S s : all_states())
    for (E e : all_events()) {
      const auto t = find_transition(s, e);
      if (!t) continue;
      SCOPED_TRACE(pair_name(s, e));
      Application app = in_state(s);
      const Status r = apply_event(app, scheme_for(s, e), e, context_for(e, s));
      ASSERT_TRUE(r.ok()) << r.refusal().describe();
      EXPECT_EQ(app.state(), t->to);
      ++applied;
    }
  EXPECT_EQ(applied, 25);
}

TEST(WorkflowApply, EveryPairNotInTheTableIsRefusedAndChangesNothing) {
  int refused = 0;
  for (S s : all_states())
    for (E e : all_events()) {
      if (find_transition(s, e)) continue;
      SCOPED_TRACE(pair_name(s, e));
      // Once as the state implies, once bare and once with every optional field set, so that
      // setting or clearing a field would show.
      Application bare = montfermeil();
      bare.restore_state(s);
      Application loaded = in_state(S::Awarded);
      loaded.restore_state(s);
      for (Application app : {in_state(s), bare, loaded}) {
        const Snapshot before = snap(app);
        const Status r = apply_event(app, scheme_for(s, e), e, context_for(e, s));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.refusal().problems.size(), 1u);
        EXPECT_EQ(r.refusal().first().code, "workflow.transition");
        EXPECT_EQ(r.refusal().first().field, "event");
        // The message names the action and the dossier.
        EXPECT_NE(r.refusal().first().message.find(std::string(french(e))), std::string::npos)
            << r.refusal().first().message;
        EXPECT_NE(r.refusal().first().message.find("EX070158"), std::string::npos)
            << r.refusal().first().message;
        EXPECT_EQ(snap(app), before);
      }
      ++refused;
    }
  EXPECT_EQ(refused, 11 * 15 - 25);
}

// ---------------------------------------------------------------------------------------------
// What each event stores.

TEST(WorkflowEffects, SubmitStoresTheDay) {
  Application app = in_state(S::Draft);
  ASSERT_FALSE(app.submitted_on.has_value());
  EventContext ctx = full_context();
  ctx.on = Date(2022, 11, 30);
  ASSERT_TRUE(apply_event(app, volet2_scheme(), E::Submit, ctx).ok());
  EXPECT_EQ(app.state(), S::Submitted);
  EXPECT_EQ(app.submitted_on, Date(2022, 11, 30));
  EXPECT_FALSE(app.proposed_award.has_value());
  EXPECT_FALSE(app.award.has_value());
}

TEST(WorkflowEffects, CompleteKeepsTheFirstSubmissionDay) {
  Application app = in_state(S::Incomplete);
  EventContext ctx = full_context();
  ctx.on = Date(2022, 12, 20);
  ASSERT_TRUE(apply_event(app, volet2_scheme(), E::Complete, ctx).ok());
  EXPECT_EQ(app.state(), S::Submitted);
  EXPECT_EQ(app.submitted_on, kSubmittedOn);
}

TEST(WorkflowEffects, ProposeStoresTheComputedAward) {
  // Reading 1 for Montfermeil: 16 717,68 € × 50 % = 8 358,84 €, capped at 8 000 €.
  Application app = in_state(S::UnderInstruction);
  ASSERT_TRUE(apply_event(app, volet2_scheme(), E::Propose, full_context()).ok());
  EXPECT_EQ(app.state(), S::Proposed);
  ASSERT_TRUE(app.proposed_award.has_value());
  EXPECT_EQ(*app.proposed_award, euros(8'000));
  EXPECT_FALSE(app.award.has_value());

  // Les Clayes-sous-Bois: limited to the request, 7 000 €.
  Application clayes = in_state(S::UnderInstruction);
  clayes.number = "EX070162";
  clayes.plan = cp2023040::plan_ex070162();
  ASSERT_TRUE(apply_event(clayes, volet2_scheme(), E::Propose, full_context()).ok());
  EXPECT_EQ(clayes.proposed_award, euros(7'000));
}

TEST(WorkflowEffects, AwardStoresAmountDateAndDeliberation) {
  Application app = in_state(S::Proposed);
  EventContext ctx = full_context();
  ctx.deliberation = "  CP 2023-040 ";
  ASSERT_TRUE(apply_event(app, volet2_scheme(), E::Award, ctx).ok());
  EXPECT_EQ(app.state(), S::Awarded);
  ASSERT_TRUE(app.award.has_value());
  EXPECT_EQ(app.award->amount, euros(8'000));  // defaults to the proposal
  EXPECT_EQ(app.award->date, Date(2023, 1, 25));
  EXPECT_EQ(app.award->deliberation, "CP 2023-040");
  EXPECT_EQ(app.proposed_award, euros(8'000));
}

TEST(WorkflowEffects, AwardBelowTheProposalIsAllowed) {
  Application app = in_state(S::Proposed);
  EventContext ctx = full_context();
  ctx.amount = euros(7'000);
  ASSERT_TRUE(apply_event(app, volet2_scheme(), E::Award, ctx).ok());
  ASSERT_TRUE(app.award.has_value());
  EXPECT_EQ(app.award->amount, euros(7'000));
  // Exactly the proposal is allowed too.
  Application same = in_state(S::Proposed);
  ctx.amount = euros(8'000);
  ASSERT_TRUE(apply_event(same, volet2_scheme(), E::Award, ctx).ok());
  EXPECT_EQ(same.award->amount, euros(8'000));
}

TEST(WorkflowEffects, ReopenClearsTheProposal) {
  Application app = in_state(S::Proposed);
  ASSERT_TRUE(app.proposed_award.has_value());
  ASSERT_TRUE(apply_event(app, volet2_scheme(), E::Reopen, full_context()).ok());
  EXPECT_EQ(app.state(), S::UnderInstruction);
  EXPECT_FALSE(app.proposed_award.has_value());
}

TEST(WorkflowEffects, AFullLifeFromDraftToClosed) {
  const AidScheme scheme = volet2_scheme();
  Application app = montfermeil();
  const EventContext ctx = full_context();
  const struct {
    E event;
    S after;
  } steps[] = {
      {E::Submit, S::Submitted},   {E::DeclareIncomplete, S::Incomplete},
      {E::Complete, S::Submitted}, {E::StartInstruction, S::UnderInstruction},
      {E::Propose, S::Proposed},   {E::Reopen, S::UnderInstruction},
      {E::Propose, S::Proposed},   {E::Award, S::Awarded},
      {E::Close, S::Closed},
  };
  for (const auto& st : steps) {
    const Status r = apply_event(app, scheme, st.event, ctx);
    ASSERT_TRUE(r.ok()) << to_string(st.event) << ": " << r.refusal().describe();
    EXPECT_EQ(app.state(), st.after) << to_string(st.event);
  }
  EXPECT_EQ(app.submitted_on, ctx.on);
  EXPECT_EQ(app.proposed_award, euros(8'000));
  ASSERT_TRUE(app.award.has_value());
  EXPECT_EQ(app.award->amount, euros(8'000));
  EXPECT_EQ(app.award->deliberation, "CP 2023-040");
}

// ---------------------------------------------------------------------------------------------
// Approval chains.

TEST(WorkflowApproval, AChainOfTwoVisasLeadsToTheCommitteeAndBackToInstruction) {
  const AidScheme scheme = with_chain(volet2_scheme());
  Application app = in_state(S::UnderInstruction);
  EventContext ctx = full_context();
  ASSERT_TRUE(apply_event(app, scheme, E::RequestApproval, ctx).ok());
  EXPECT_EQ(app.state(), S::AwaitingApproval);
  EXPECT_EQ(app.proposed_award, euros(8'000));  // the instructor's proposal, as propose sets it
  EXPECT_EQ(app.rule_award, euros(8'000));
  ASSERT_TRUE(apply_event(app, scheme, E::Approve, ctx).ok());  // level 1
  EXPECT_EQ(app.state(), S::AwaitingApproval);
  ctx.visas_given = 1;
  const Status early = apply_event(app, scheme, E::Propose, ctx);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.refusal().first().code, "approval.pending");
  EXPECT_NE(early.refusal().first().message.find("Directeur"), std::string::npos);
  EXPECT_EQ(app.state(), S::AwaitingApproval);
  ctx.visas_given = 2;
  const Status beyond = apply_event(app, scheme, E::Approve, ctx);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.refusal().first().code, "approval.complete");
  ASSERT_TRUE(apply_event(app, scheme, E::Propose, ctx).ok());
  EXPECT_EQ(app.state(), S::Proposed);
  EXPECT_EQ(app.proposed_award, euros(8'000));  // the visas keep the amount they approved

  // Sent back: the proposal goes with it, as a reopening.
  Application back = in_state(S::AwaitingApproval);
  back.rule_award = euros(8'000);
  ASSERT_TRUE(apply_event(back, scheme, E::SendBack, full_context()).ok());
  EXPECT_EQ(back.state(), S::UnderInstruction);
  EXPECT_FALSE(back.proposed_award.has_value());
  EXPECT_FALSE(back.rule_award.has_value());
}

TEST(WorkflowApproval, TheChainDecidesWhichWayOutOfInstruction) {
  // With a chain, propose is refused and names the first level.
  Application app = in_state(S::UnderInstruction);
  const Snapshot before = snap(app);
  const Status r = apply_event(app, with_chain(volet2_scheme()), E::Propose, full_context());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "approval.required");
  EXPECT_NE(r.refusal().first().message.find("Chef de service"), std::string::npos);
  EXPECT_EQ(snap(app), before);
  // Without one, request_approval is refused.
  const Status none = apply_event(app, volet2_scheme(), E::RequestApproval, full_context());
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.refusal().first().code, "approval.no_chain");
  EXPECT_EQ(snap(app), before);
  // An approver lowers the amount while it waits, with a reason, never above.
  Application waiting = in_state(S::AwaitingApproval);
  EventContext lower = full_context();
  lower.amount = euros(9'000);
  EXPECT_FALSE(apply_event(waiting, with_chain(volet2_scheme()), E::Reduce, lower).ok());
  lower.amount = euros(5'000);
  ASSERT_TRUE(apply_event(waiting, with_chain(volet2_scheme()), E::Reduce, lower).ok());
  EXPECT_EQ(waiting.state(), S::AwaitingApproval);
  EXPECT_EQ(waiting.proposed_award, euros(5'000));
}

// ---------------------------------------------------------------------------------------------
// Guards.

void expect_refused_unchanged(Application app, const AidScheme& scheme, E event,
                              const EventContext& ctx, const std::string& code,
                              const std::string& field) {
  const Snapshot before = snap(app);
  const Status r = apply_event(app, scheme, event, ctx);
  ASSERT_FALSE(r.ok()) << code;
  EXPECT_TRUE(r.refusal().has_code(code)) << r.refusal().describe();
  for (const auto& p : r.refusal().problems)
    if (p.code == code) {
      EXPECT_EQ(p.field, field) << code;
      EXPECT_FALSE(p.message.empty()) << code;
    }
  EXPECT_EQ(snap(app), before);
}

TEST(WorkflowGuards, ReasonRequired) {
  int reason_guarded = 0;
  for (const auto& t : workflow_table()) {
    if (t.guard != Guard::Reason) continue;
    ++reason_guarded;
    SCOPED_TRACE(pair_name(t.from, t.event));
    for (const char* reason : {"", "   ", "\t\n"}) {
      EventContext ctx = full_context();
      ctx.reason = reason;
      expect_refused_unchanged(in_state(t.from), scheme_for(t.from, t.event), t.event, ctx,
                               "workflow.reason_required", "reason");
    }
  }
  // declare_incomplete ×2, refuse ×3, reopen, send_back, lapse.
  EXPECT_EQ(reason_guarded, 8);
}

TEST(WorkflowGuards, EventsWithoutReasonGuardNeedNoReason) {
  for (const auto& t : workflow_table()) {
    // A reduction needs one too (WorkflowReduce below).
    if (t.guard == Guard::Reason || t.guard == Guard::Reduction) continue;
    SCOPED_TRACE(pair_name(t.from, t.event));
    Application app = in_state(t.from);
    EventContext ctx = context_for(t.event, t.from);
    ctx.reason.clear();
    const Status r = apply_event(app, scheme_for(t.from, t.event), t.event, ctx);
    EXPECT_TRUE(r.ok()) << r.refusal().describe();
  }
}

TEST(WorkflowGuards, SubmitAndCompleteNeedABalancedPlan) {
  for (auto [from, event] : {std::pair{S::Draft, E::Submit}, std::pair{S::Incomplete, E::Complete},
                             std::pair{S::UnderInstruction, E::Propose}}) {
    SCOPED_TRACE(pair_name(from, event));
    Application app = in_state(from);
    app.plan.resources[0].amount = cents(8'599'99);  // 0,01 € short
    expect_refused_unchanged(app, volet2_scheme(), event, full_context(), "plan.unbalanced",
                             "plan");
  }
}

TEST(WorkflowGuards, SubmitChecksTheWholeApplication) {
  Application app = in_state(S::Draft);
  app.project.end = Date(2022, 11, 30);  // before the start, 2022-12-01
  expect_refused_unchanged(app, volet2_scheme(), E::Submit, full_context(), "project.dates",
                           "project.end");
  Application no_request = in_state(S::Draft);
  no_request.plan.resources[1].kind = ResourceKind::OtherPublic;
  expect_refused_unchanged(no_request, volet2_scheme(), E::Submit, full_context(),
                           "plan.no_request", "plan.resources");
}

TEST(WorkflowGuards, SubmitWhenTheSchemeIsClosed) {
  const AidScheme scheme = volet2_scheme();  // open 2022-01-01 .. 2022-12-31 inclusive
  for (const Date& day : {Date(2021, 12, 31), Date(2023, 1, 1), Date(2023, 1, 25)}) {
    SCOPED_TRACE(day.iso());
    EventContext ctx = full_context();
    ctx.on = day;
    expect_refused_unchanged(in_state(S::Draft), scheme, E::Submit, ctx, "scheme.closed", "scheme");
  }
  for (const Date& day : {Date(2022, 1, 1), Date(2022, 12, 31)}) {
    SCOPED_TRACE(day.iso());
    Application app = in_state(S::Draft);
    EventContext ctx = full_context();
    ctx.on = day;
    ASSERT_TRUE(apply_event(app, scheme, E::Submit, ctx).ok());
    EXPECT_EQ(app.submitted_on, day);
  }
  // A scheme with no window is always open.
  AidScheme open = scheme;
  open.opens_on.reset();
  open.closes_on.reset();
  Application app = in_state(S::Draft);
  EventContext ctx = full_context();
  ctx.on = Date(2030, 6, 1);
  EXPECT_TRUE(apply_event(app, open, E::Submit, ctx).ok());
}

TEST(WorkflowGuards, CompletingAfterTheWindowClosedIsAllowed) {
  // The dossier was submitted in time; supplying missing documents later is not a new filing.
  Application app = in_state(S::Incomplete);
  EventContext ctx = full_context();
  ctx.on = Date(2023, 1, 10);
  ASSERT_TRUE(apply_event(app, volet2_scheme(), E::Complete, ctx).ok());
  EXPECT_EQ(app.state(), S::Submitted);
}

TEST(WorkflowGuards, ProposeWhenTheAwardComputesToZero) {
  // Reading 2: 1 000,00 € × 50 % = 500,00 €, rounded down to the thousand: 0.
  AidScheme scheme = volet2_scheme();
  scheme.rule = cp2023040::reading2();
  Application app = in_state(S::UnderInstruction);
  app.plan.expenses = {{"Abonnement", euros(1'000), true}};
  app.plan.resources = {{"Autofinancement", euros(500), ResourceKind::SelfFunding, ""},
                        {"Région", euros(500), ResourceKind::Authority, ""}};
  expect_refused_unchanged(app, scheme, E::Propose, full_context(), "award.zero", "plan");
}

TEST(WorkflowGuards, ProposeWhenTheRuleRefusesTheBasis) {
  AidScheme scheme = volet2_scheme();
  scheme.rule.base = BaseRequirement::ExclTax;  // the commune's plan is TTC
  expect_refused_unchanged(in_state(S::UnderInstruction), scheme, E::Propose, full_context(),
                           "award.basis", "plan");
}

TEST(WorkflowGuards, AwardWithoutDeliberation) {
  const AidScheme scheme = volet2_scheme();
  EventContext no_ref = full_context();
  no_ref.deliberation = "  ";
  expect_refused_unchanged(in_state(S::Proposed), scheme, E::Award, no_ref, "award.deliberation",
                           "deliberation");
  EventContext no_date = full_context();
  no_date.deliberation_date.reset();
  expect_refused_unchanged(in_state(S::Proposed), scheme, E::Award, no_date,
                           "award.deliberation_date", "deliberation_date");
  EventContext neither = full_context();
  neither.deliberation.clear();
  neither.deliberation_date.reset();
  Application app = in_state(S::Proposed);
  const Status r = apply_event(app, scheme, E::Award, neither);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.refusal().has_code("award.deliberation"));
  EXPECT_TRUE(r.refusal().has_code("award.deliberation_date"));
  EXPECT_EQ(r.refusal().problems.size(), 2u);
  EXPECT_EQ(app.state(), S::Proposed);
  EXPECT_FALSE(app.award.has_value());
}

TEST(WorkflowGuards, AwardAboveTheProposal) {
  EventContext ctx = full_context();
  ctx.amount = cents(8'000'01);
  expect_refused_unchanged(in_state(S::Proposed), volet2_scheme(), E::Award, ctx,
                           "award.above_proposal", "amount");
}

TEST(WorkflowGuards, AwardOfNothing) {
  for (const Money m : {Money(), cents(-1)}) {
    EventContext ctx = full_context();
    ctx.amount = m;
    expect_refused_unchanged(in_state(S::Proposed), volet2_scheme(), E::Award, ctx, "award.amount",
                             "amount");
  }
}

// ---------------------------------------------------------------------------------------------
// Names.

TEST(WorkflowNames, StatesRoundTripAndHaveFrenchLabels) {
  std::set<std::string_view> names, labels;
  for (S s : all_states()) {
    const std::string_view name = to_string(s);
    EXPECT_FALSE(name.empty());
    EXPECT_NE(name, "?");
    S parsed = s == S::Draft ? S::Lapsed : S::Draft;
    ASSERT_TRUE(parse_state(name, parsed)) << name;
    EXPECT_EQ(parsed, s);
    EXPECT_FALSE(french(s).empty()) << name;
    EXPECT_NE(french(s), "?") << name;
    names.insert(name);
    labels.insert(french(s));
  }
  EXPECT_EQ(names.size(), all_states().size());
  EXPECT_EQ(labels.size(), all_states().size());
  EXPECT_EQ(to_string(S::UnderInstruction), "under_instruction");
  EXPECT_EQ(french(S::UnderInstruction), "en instruction");
  S out = S::Draft;
  EXPECT_FALSE(parse_state("", out));
  EXPECT_FALSE(parse_state("Draft", out));
  EXPECT_FALSE(parse_state("brouillon", out));
  EXPECT_EQ(out, S::Draft);
}

TEST(WorkflowNames, EventsRoundTripAndHaveFrenchLabels) {
  std::set<std::string_view> names, labels;
  for (E e : all_events()) {
    const std::string_view name = to_string(e);
    EXPECT_FALSE(name.empty());
    EXPECT_NE(name, "?");
    E parsed = e == E::Submit ? E::Lapse : E::Submit;
    ASSERT_TRUE(parse_event(name, parsed)) << name;
    EXPECT_EQ(parsed, e);
    EXPECT_FALSE(french(e).empty()) << name;
    EXPECT_NE(french(e), "?") << name;
    names.insert(name);
    labels.insert(french(e));
  }
  EXPECT_EQ(names.size(), all_events().size());
  EXPECT_EQ(labels.size(), all_events().size());
  EXPECT_EQ(to_string(E::StartInstruction), "start_instruction");
  EXPECT_EQ(french(E::StartInstruction), "mise en instruction");
  E out = E::Submit;
  EXPECT_FALSE(parse_event("", out));
  EXPECT_FALSE(parse_event("Submit", out));
  EXPECT_EQ(out, E::Submit);
}

TEST(WorkflowPlanEditing, OnlyBeforeTheProposal) {
  const std::set<S> editable = {S::Draft, S::Incomplete, S::UnderInstruction};
  for (S s : all_states()) {
    EXPECT_EQ(plan_editable(s), editable.count(s) == 1) << to_string(s);
    EXPECT_EQ(plan_must_stay_complete(s), s == S::UnderInstruction) << to_string(s);
  }
}

// ---------------------------------------------------------------------------------------------
// The amount decided (issue 18): proposed at most at the rule's amount, lower with a reason;
// reduced, never raised.

EventContext with_amount(Money amount, std::string reason) {
  EventContext c = full_context();
  c.amount = amount;
  c.reason = std::move(reason);
  return c;
}

TEST(WorkflowDecidedAmount, ProposeRecordsTheRulesAmountBesideTheDecidedOne) {
  // Montfermeil: the rule gives 8 000 € (capped); the instructor proposes 6 500 €.
  Application app = in_state(S::UnderInstruction);
  ASSERT_TRUE(apply_event(app, volet2_scheme(), E::Propose,
                          with_amount(euros(6'500), "Devis de l'abonnement non retenu"))
                  .ok());
  EXPECT_EQ(app.proposed_award, euros(6'500));
  EXPECT_EQ(app.rule_award, euros(8'000));
  EXPECT_EQ(app.proposal_reason, "Devis de l'abonnement non retenu");
  EXPECT_FALSE(app.check_invariants().has_value());

  // At the rule's amount, given or not, no reason is kept.
  Application same = in_state(S::UnderInstruction);
  ASSERT_TRUE(
      apply_event(same, volet2_scheme(), E::Propose, with_amount(euros(8'000), "sans objet")).ok());
  EXPECT_EQ(same.proposed_award, euros(8'000));
  EXPECT_EQ(same.rule_award, euros(8'000));
  EXPECT_EQ(same.proposal_reason, "");
}

TEST(WorkflowDecidedAmount, ProposeRefusesAboveTheRuleAndBelowItWithoutAReason) {
  Application app = in_state(S::UnderInstruction);
  expect_refused_unchanged(app, volet2_scheme(), E::Propose, with_amount(cents(8'000'01), "Plus"),
                           "award.above_rule", "amount");
  expect_refused_unchanged(app, volet2_scheme(), E::Propose, with_amount(euros(6'500), "  "),
                           "award.reduction_reason", "reason");
  expect_refused_unchanged(app, volet2_scheme(), E::Propose, with_amount(euros(0), "Zéro"),
                           "award.proposed_amount", "amount");
}

TEST(WorkflowDecidedAmount, ReduceLowersTheProposalAndKeepsTheRulesAmount) {
  Application app = in_state(S::UnderInstruction);
  ASSERT_TRUE(apply_event(app, volet2_scheme(), E::Propose, full_context()).ok());
  ASSERT_TRUE(apply_event(app, volet2_scheme(), E::Reduce,
                          with_amount(euros(5'000), "La commission retient 10 000 € de dépenses"))
                  .ok());
  EXPECT_EQ(app.state(), S::Proposed);
  EXPECT_EQ(app.proposed_award, euros(5'000));
  EXPECT_EQ(app.rule_award, euros(8'000));
  EXPECT_EQ(app.proposal_reason, "La commission retient 10 000 € de dépenses");
  // Never up, never equal, never without a reason or an amount.
  expect_refused_unchanged(app, volet2_scheme(), E::Reduce, with_amount(euros(5'000), "Même"),
                           "award.not_lower", "amount");
  expect_refused_unchanged(app, volet2_scheme(), E::Reduce, with_amount(euros(7'000), "Plus"),
                           "award.not_lower", "amount");
  expect_refused_unchanged(app, volet2_scheme(), E::Reduce, with_amount(euros(4'000), ""),
                           "workflow.reason_required", "reason");
  expect_refused_unchanged(app, volet2_scheme(), E::Reduce, full_context(), "award.proposed_amount",
                           "amount");
  // Reopening forgets the decision entirely.
  ASSERT_TRUE(apply_event(app, volet2_scheme(), E::Reopen, full_context()).ok());
  EXPECT_FALSE(app.proposed_award.has_value());
  EXPECT_FALSE(app.rule_award.has_value());
  EXPECT_EQ(app.proposal_reason, "");
}

TEST(WorkflowDecidedAmount, InvariantW5NamesAProposalAboveTheRuleOrUnexplained) {
  Application app = in_state(S::Proposed);
  app.rule_award = euros(7'000);  // the proposal, 8 000 €, is above it
  ASSERT_TRUE(app.check_invariants().has_value());
  EXPECT_EQ(app.check_invariants()->id, "W5");
  app.rule_award = euros(9'000);  // below it without a reason
  ASSERT_TRUE(app.check_invariants().has_value());
  EXPECT_EQ(app.check_invariants()->id, "W5");
  app.proposal_reason = "Motif";
  EXPECT_FALSE(app.check_invariants().has_value());
}

}  // namespace
}  // namespace octroi
