// The numbered invariants of the ledger (L1…, ledger.h) and of a dossier (W1…, workflow.h):
// check_invariants names the one broken, assert_invariants throws naming it, and the debug
// checks after a movement or a transition fire in debug and sanitizer builds (and compile to
// nothing with NDEBUG).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/invariants.h"
#include "domain/application/application.h"
#include "domain/budget/ledger.h"
#include "unit/domain/cp_2023_040.h"

namespace octroi {
namespace {

using cp2023040::cents;
using cp2023040::euros;

#ifdef NDEBUG
constexpr bool kDebugChecks = false;
#else
constexpr bool kDebugChecks = true;
#endif

LineBalances balances(Money ae, Money cp, Money allocated, Money committed, Money paid,
                      Money cp_used) {
  return LineBalances{ae, cp, allocated, committed, paid, cp_used};
}

BudgetLine line() {
  BudgetLine l;
  l.id = BudgetLineId{2};
  l.authority = AuthorityId{1};
  l.fiscal_year = 2023;
  l.action = "16300302";
  l.action_label = "Soutien à l'artisanat et aux TPE";
  return l;
}

std::string thrown_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const InvariantViolation& e) {
    return e.what();
  }
  return "";
}

TEST(Invariants, DebugCheckRunsOnlyWithoutNdebug) {
  bool evaluated = false;
  OCTROI_DEBUG_CHECK(evaluated = true);
  EXPECT_EQ(evaluated, kDebugChecks);
}

// ---------------------------------------------------------------------------------------------
// Ledger: L1 to L5.

TEST(LedgerInvariants, CoherentBalancesBreakNone) {
  EXPECT_EQ(LineBalances{}.check_invariants(), std::nullopt);
  const LineBalances full =
      balances(euros(100), euros(100), euros(100), euros(100), euros(100), euros(100));
  EXPECT_EQ(full.check_invariants(), std::nullopt);
  EXPECT_NO_THROW(full.assert_invariants("2023/16300302"));
}

TEST(LedgerInvariants, EachBrokenBalanceNamesItsInvariant) {
  struct Case {
    LineBalances b;
    InvariantBreach broken;
  };
  const Money h = euros(100);
  const Money z;
  const std::vector<Case> cases = {
      {balances(h, h, -cents(1), z, z, z), {"L1", "allocated < 0"}},
      {balances(h, h, cents(100'01), z, z, z), {"L1", "allocated > ae_voted"}},
      {balances(h, h, euros(50), -cents(1), -cents(1), z), {"L2", "committed < 0"}},
      {balances(h, h, euros(50), cents(50'01), z, z), {"L2", "committed > allocated"}},
      {balances(h, h, euros(50), euros(20), -cents(1), z), {"L3", "paid < 0"}},
      {balances(h, h, euros(50), euros(20), cents(20'01), z), {"L3", "paid > committed"}},
      {balances(h, -cents(1), euros(50), euros(20), z, z), {"L4", "cp_voted < 0"}},
      {balances(h, h, euros(50), euros(20), z, -cents(1)), {"L4", "cp_used < 0"}},
      {balances(h, euros(10), euros(50), euros(20), z, cents(10'01)), {"L4", "cp_used > cp_voted"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.broken.what));
    EXPECT_EQ(c.b.check_invariants(), c.broken);
    // check() keeps the text `ledger verify` prints.
    EXPECT_EQ(c.b.check(), std::string(c.broken.what));
    const std::string message = thrown_message([&] { c.b.assert_invariants("2023/16300302"); });
    EXPECT_NE(message.find("budget line invariant " + std::string(c.broken.id)), std::string::npos)
        << message;
    EXPECT_NE(message.find("2023/16300302"), std::string::npos) << message;
  }
}

TEST(LedgerInvariants, BalancesThatAreNotTheJournalsBreakL5) {
  LedgerEntry vote;
  vote.kind = MovementKind::VoteAuthorisation;
  vote.amount = euros(1'000);
  LedgerEntry allocation;
  allocation.kind = MovementKind::Allocation;
  allocation.amount = euros(400);
  const std::vector<LedgerEntry> journal = {vote, allocation};
  const LineBalances right = balances(euros(1'000), {}, euros(400), {}, {}, {});
  EXPECT_EQ(check_journal(right, journal), std::nullopt);
  const LineBalances wrong = balances(euros(1'000), {}, euros(399), {}, {}, {});
  ASSERT_TRUE(check_journal(wrong, journal).has_value());
  EXPECT_EQ(check_journal(wrong, journal)->id, "L5");
}

TEST(LedgerInvariants, ApplyMovementAssertsTheBalancesItIsGiven) {
  // Balances no posting could have left (allocated above the vote): in debug builds the
  // movement is stopped by the assertion; with NDEBUG the check is compiled out and the domain
  // answers as it always did.
  const LineBalances broken = balances(euros(100), euros(100), euros(200), {}, {}, {});
  if (kDebugChecks) {
    const std::string message = thrown_message([&] {
      static_cast<void>(apply_movement(line(), broken, MovementKind::Commitment, euros(1)));
    });
    EXPECT_NE(message.find("invariant L1"), std::string::npos) << message;
  } else {
    EXPECT_NO_THROW(
        static_cast<void>(apply_movement(line(), broken, MovementKind::Commitment, euros(1))));
  }
}

// ---------------------------------------------------------------------------------------------
// Dossier: W4 to W6.

Application proposed() {
  Application a;
  a.number = "EX070158";
  a.project.title = "Chèque numérique";
  a.project.start = Date(2022, 12, 1);
  a.project.end = Date(2023, 11, 30);
  a.reference_year = 2023;
  a.plan = cp2023040::plan_ex070158();
  a.submitted_on = Date(2022, 11, 15);
  a.proposed_award = euros(8'000);
  a.restore_state(ApplicationState::Proposed);
  return a;
}

TEST(ApplicationInvariants, ACoherentDossierBreaksNone) {
  EXPECT_EQ(Application{}.check_invariants(), std::nullopt);
  EXPECT_EQ(proposed().check_invariants(), std::nullopt);
  Application awarded = proposed();
  awarded.award = Award{euros(8'000), Date(2023, 1, 25), "CP 2023-040"};
  for (auto s : {ApplicationState::Awarded, ApplicationState::Closed, ApplicationState::Lapsed}) {
    awarded.restore_state(s);
    EXPECT_EQ(awarded.check_invariants(), std::nullopt) << to_string(s);
  }
}

TEST(ApplicationInvariants, EachBrokenDossierNamesItsInvariant) {
  struct Case {
    const char* why;
    Application app;
    std::string_view id;
  };
  std::vector<Case> cases;
  {
    Application a = proposed();
    a.restore_state(ApplicationState::Awarded);
    cases.push_back({"awarded without an award", a, "W4"});
  }
  {
    Application a = proposed();
    a.award = Award{euros(8'000), Date(2023, 1, 25), "CP 2023-040"};
    cases.push_back({"an award while proposed", a, "W4"});
  }
  {
    Application a = proposed();
    a.award = Award{Money(), Date(2023, 1, 25), "CP 2023-040"};
    a.restore_state(ApplicationState::Awarded);
    cases.push_back({"an award of zero", a, "W4"});
  }
  {
    Application a = proposed();
    a.award = Award{euros(8'000), Date(2023, 1, 25), ""};
    a.restore_state(ApplicationState::Closed);
    cases.push_back({"an award without its deliberation", a, "W4"});
  }
  {
    Application a = proposed();
    a.proposed_award = -cents(1);
    cases.push_back({"a negative proposal", a, "W5"});
  }
  {
    Application a = proposed();
    a.proposed_award.reset();
    cases.push_back({"proposed without a proposal", a, "W5"});
  }
  {
    Application a = proposed();
    a.proposed_award.reset();
    a.restore_state(ApplicationState::UnderInstruction);
    a.plan.resources.clear();
    cases.push_back({"under instruction with an unbalanced plan", a, "W6"});
  }
  for (const auto& c : cases) {
    SCOPED_TRACE(c.why);
    const auto broken = c.app.check_invariants();
    ASSERT_TRUE(broken.has_value());
    EXPECT_EQ(broken->id, c.id);
    const std::string message = thrown_message([&] { c.app.assert_invariants(); });
    EXPECT_NE(message.find("dossier invariant " + std::string(c.id)), std::string::npos) << message;
    EXPECT_NE(message.find("EX070158"), std::string::npos) << message;
  }
}

TEST(ApplicationInvariants, ATransitionToABrokenDossierIsCaughtInDebugBuilds) {
  // A proposed dossier that already carries an award (W4 broken before the event, which the
  // guard does not look at): refusing it leaves a refused dossier with an award.
  Application a = proposed();
  a.award = Award{euros(8'000), Date(2023, 1, 25), "CP 2023-040"};
  AidScheme scheme;
  EventContext ctx;
  ctx.on = Date(2023, 1, 10);
  ctx.reason = "Hors critères";
  if (kDebugChecks) {
    const std::string message = thrown_message(
        [&] { static_cast<void>(apply_event(a, scheme, ApplicationEvent::Refuse, ctx)); });
    EXPECT_NE(message.find("dossier invariant W4"), std::string::npos) << message;
  } else {
    EXPECT_TRUE(apply_event(a, scheme, ApplicationEvent::Refuse, ctx).ok());
    EXPECT_EQ(a.state(), ApplicationState::Refused);
  }
}

}  // namespace
}  // namespace octroi
