// The budget ledger (src/domain/budget/ledger.h): every movement kind, every refusal code with
// the input that triggers it, reversals, the balance invariants and the journal fold. The line
// is the one of CP 2023-040, article 2 (2023/16300302, 936-632-657341-163003-400); the balances
// are illustrative, the formatted amounts are typed as a French reader expects them.
#include "domain/budget/ledger.h"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "unit/domain/cp_2023_040.h"
#include "unit/domain/ledger_printers.h"

namespace octroi {
namespace {

using cp2023040::cents;
using cp2023040::euros;
using K = MovementKind;

// U+202F groups digits, U+00A0 precedes the euro sign (core/french.h).
#define NNBSP "\u202F"
#define EUR "\u00A0€"

BudgetLine artisanat_line() {
  BudgetLine l;
  l.id = BudgetLineId{2};
  l.authority = AuthorityId{1};
  l.fiscal_year = 2023;
  auto imp = Imputation::parse("936-632-657341-163003-400", "imputation");
  EXPECT_TRUE(imp.ok());
  if (imp.ok()) l.imputation = imp.value();
  l.programme_label = "HP 632-003 « Soutien à l'artisanat, au commerce et aux métiers d'art »";
  l.action = "16300302";
  l.action_label = "Soutien à l'artisanat et aux TPE";
  return l;
}

// Balances with no CP consumed yet (a payment order's CP is consumed by a movement of its own,
// CpConsumption, on the line of the year it is paid in).
LineBalances bal(Money ae, Money cp, Money allocated, Money committed, Money paid) {
  return LineBalances{ae, cp, allocated, committed, paid, Money()};
}

LineBalances bal6(Money ae, Money cp, Money allocated, Money committed, Money paid, Money cp_used) {
  return LineBalances{ae, cp, allocated, committed, paid, cp_used};
}

// A line in use: 1 000 000 € of AE and 400 000 € of CP voted, article 2 of CP 2023-040 allocated
// (23 000 €), two dossiers committed (15 000 €), one paid (7 000 €).
// 7 000 € paid in the line's own year, so 7 000 € of its CP consumed.
LineBalances in_use() {
  return bal6(euros(1'000'000), euros(400'000), euros(23'000), euros(15'000), euros(7'000),
              euros(7'000));
}

// ---------------------------------------------------------------------------------------------
// Accepted movements, with the exact balances they leave.

struct AcceptedCase {
  const char* why;
  LineBalances before;
  MovementKind kind;
  Money amount;
  std::optional<MovementKind> reversed;
  LineBalances after;
};

// The balances after a movement that does not touch the CP consumed by in_use().
LineBalances used(Money ae, Money cp, Money allocated, Money committed, Money paid) {
  return bal6(ae, cp, allocated, committed, paid, euros(7'000));
}

std::vector<AcceptedCase> accepted_cases() {
  const LineBalances b = in_use();
  return {
      {"vote of AE", b, K::VoteAuthorisation, euros(200'000), std::nullopt,
       used(euros(1'200'000), euros(400'000), euros(23'000), euros(15'000), euros(7'000))},
      {"amending vote reducing AE", b, K::VoteAuthorisation, -euros(100'000), std::nullopt,
       used(euros(900'000), euros(400'000), euros(23'000), euros(15'000), euros(7'000))},
      {"amending vote reducing AE down to exactly the allocated amount", b, K::VoteAuthorisation,
       -euros(977'000), std::nullopt,
       used(euros(23'000), euros(400'000), euros(23'000), euros(15'000), euros(7'000))},
      {"vote of CP", b, K::VotePayment, euros(50'000), std::nullopt,
       used(euros(1'000'000), euros(450'000), euros(23'000), euros(15'000), euros(7'000))},
      {"amending vote reducing CP down to exactly the paid amount", b, K::VotePayment,
       -euros(393'000), std::nullopt,
       used(euros(1'000'000), euros(7'000), euros(23'000), euros(15'000), euros(7'000))},
      {"allocation", b, K::Allocation, euros(8'000), std::nullopt,
       used(euros(1'000'000), euros(400'000), euros(31'000), euros(15'000), euros(7'000))},
      {"allocation of exactly the available AE", b, K::Allocation, euros(977'000), std::nullopt,
       used(euros(1'000'000), euros(400'000), euros(1'000'000), euros(15'000), euros(7'000))},
      {"release of exactly the uncommitted allocation", b, K::Release, euros(8'000), std::nullopt,
       used(euros(1'000'000), euros(400'000), euros(15'000), euros(15'000), euros(7'000))},
      {"lapse release", b, K::LapseRelease, cents(1'234'56), std::nullopt,
       used(euros(1'000'000), euros(400'000), cents(21'765'44), euros(15'000), euros(7'000))},
      {"commitment of exactly the uncommitted allocation", b, K::Commitment, euros(8'000),
       std::nullopt,
       used(euros(1'000'000), euros(400'000), euros(23'000), euros(23'000), euros(7'000))},
      {"payment order of exactly the unpaid commitment", b, K::PaymentOrder, euros(8'000),
       std::nullopt,
       used(euros(1'000'000), euros(400'000), euros(23'000), euros(15'000), euros(15'000))},
      {"reversal of an allocation", b, K::Reversal, euros(8'000), K::Allocation,
       used(euros(1'000'000), euros(400'000), euros(15'000), euros(15'000), euros(7'000))},
      {"reversal of a release", b, K::Reversal, euros(8'000), K::Release,
       used(euros(1'000'000), euros(400'000), euros(31'000), euros(15'000), euros(7'000))},
      {"reversal of a lapse release", b, K::Reversal, euros(8'000), K::LapseRelease,
       used(euros(1'000'000), euros(400'000), euros(31'000), euros(15'000), euros(7'000))},
      {"reversal of a vote of AE", b, K::Reversal, euros(200'000), K::VoteAuthorisation,
       used(euros(800'000), euros(400'000), euros(23'000), euros(15'000), euros(7'000))},
      {"reversal of a vote of CP", b, K::Reversal, euros(100'000), K::VotePayment,
       used(euros(1'000'000), euros(300'000), euros(23'000), euros(15'000), euros(7'000))},
      {"reversal of a commitment, down to exactly the paid amount", b, K::Reversal, euros(8'000),
       K::Commitment,
       used(euros(1'000'000), euros(400'000), euros(23'000), euros(7'000), euros(7'000))},
      {"reversal of a payment order", b, K::Reversal, euros(7'000), K::PaymentOrder,
       used(euros(1'000'000), euros(400'000), euros(23'000), euros(15'000), euros(0))},
      {"first vote on an empty line", LineBalances{}, K::VoteAuthorisation, euros(23'000),
       std::nullopt, bal(euros(23'000), euros(0), euros(0), euros(0), euros(0))},
      {"decommitment of exactly the unpaid commitment", b, K::Decommitment, euros(8'000),
       std::nullopt,
       used(euros(1'000'000), euros(400'000), euros(23'000), euros(7'000), euros(7'000))},
      {"consumption of CP by a payment order of the year", b, K::CpConsumption, euros(8'000),
       std::nullopt,
       bal6(euros(1'000'000), euros(400'000), euros(23'000), euros(15'000), euros(7'000),
            euros(15'000))},
  };
}

TEST(LedgerApplyMovement, AcceptedMovementsLeaveTheExactBalances) {
  const BudgetLine line = artisanat_line();
  for (const auto& c : accepted_cases()) {
    SCOPED_TRACE(c.why);
    const auto r = apply_movement(line, c.before, c.kind, c.amount, c.reversed);
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
    EXPECT_EQ(r.value(), c.after);
    EXPECT_EQ(r.value().check(), std::nullopt);
  }
}

TEST(LedgerApplyMovement, EveryMovementKindIsCoveredByAnAcceptedCase) {
  std::set<MovementKind> kinds;
  for (const auto& c : accepted_cases())
    kinds.insert(c.kind);
  EXPECT_EQ(kinds,
            (std::set<MovementKind>{K::VoteAuthorisation, K::VotePayment, K::Allocation, K::Release,
                                    K::Commitment, K::PaymentOrder, K::LapseRelease, K::Reversal,
                                    K::Decommitment, K::CpConsumption}));
}

// ---------------------------------------------------------------------------------------------
// Refused movements: the code, the field and the figures the message must show.

struct RefusedCase {
  const char* why;
  LineBalances before;
  MovementKind kind;
  Money amount;
  std::optional<MovementKind> reversed;
  const char* code;
  std::vector<std::string> message_contains;  // amounts as printed in French
};

std::vector<RefusedCase> refused_cases() {
  const LineBalances b = in_use();
  // 23 000 € of AE voted, nothing allocated yet: the line of article 2 just before the vote.
  const LineBalances fresh = bal(euros(23'000), euros(23'000), euros(0), euros(0), euros(0));
  // CP short of the commitments: 10 000 € voted, 7 000 € paid, 15 000 € committed.
  const LineBalances short_cp = bal6(euros(1'000'000), euros(10'000), euros(23'000), euros(15'000),
                                     euros(7'000), euros(7'000));
  return {
      {"zero allocation",
       b,
       K::Allocation,
       euros(0),
       std::nullopt,
       "ledger.amount",
       {"ne peut être nul"}},
      {"negative allocation",
       b,
       K::Allocation,
       -euros(8'000),
       std::nullopt,
       "ledger.amount",
       {"-8" NNBSP "000,00" EUR}},
      {"negative release", b, K::Release, -cents(1), std::nullopt, "ledger.amount", {"-0,01" EUR}},
      {"zero commitment",
       b,
       K::Commitment,
       euros(0),
       std::nullopt,
       "ledger.amount",
       {"ne peut être nul"}},
      {"negative payment order",
       b,
       K::PaymentOrder,
       -euros(7'000),
       std::nullopt,
       "ledger.amount",
       {"-7" NNBSP "000,00" EUR}},
      {"negative lapse release",
       b,
       K::LapseRelease,
       -euros(1),
       std::nullopt,
       "ledger.amount",
       {"-1,00" EUR}},
      {"zero vote of AE",
       b,
       K::VoteAuthorisation,
       euros(0),
       std::nullopt,
       "ledger.amount",
       {"ne peut être nul"}},
      {"zero vote of CP",
       b,
       K::VotePayment,
       euros(0),
       std::nullopt,
       "ledger.amount",
       {"ne peut être nul"}},
      {"negative reversal",
       b,
       K::Reversal,
       -euros(8'000),
       K::Allocation,
       "ledger.amount",
       {"-8" NNBSP "000,00" EUR}},
      {"allocation of one cent more than the available AE",
       fresh,
       K::Allocation,
       cents(23'000'01),
       std::nullopt,
       "ledger.insufficient_ae",
       {"23" NNBSP "000,01" EUR " demandés", "23" NNBSP "000,00" EUR " disponibles"}},
      {"allocation of one cent more than the available AE, on a line in use",
       b,
       K::Allocation,
       cents(977'000'01),
       std::nullopt,
       "ledger.insufficient_ae",
       {"977" NNBSP "000,01" EUR " demandés", "977" NNBSP "000,00" EUR " disponibles"}},
      {"amending vote reducing AE one cent below the allocated amount",
       b,
       K::VoteAuthorisation,
       -cents(977'000'01),
       std::nullopt,
       "ledger.vote_below_allocated",
       {"23" NNBSP "000,00" EUR}},
      {"reversal of a vote of AE that is partly allocated",
       b,
       K::Reversal,
       cents(977'000'01),
       K::VoteAuthorisation,
       "ledger.vote_below_allocated",
       {"23" NNBSP "000,00" EUR}},
      {"release of one cent more than the uncommitted allocation",
       b,
       K::Release,
       cents(8'000'01),
       std::nullopt,
       "ledger.release_exceeds_allocated",
       {"8" NNBSP "000,01" EUR " demandés", "8" NNBSP "000,00" EUR " disponibles"}},
      {"lapse release of one cent more than the uncommitted allocation",
       b,
       K::LapseRelease,
       cents(8'000'01),
       std::nullopt,
       "ledger.release_exceeds_allocated",
       {"8" NNBSP "000,01" EUR " demandés", "8" NNBSP "000,00" EUR " disponibles"}},
      {"reversal of an allocation that is committed",
       b,
       K::Reversal,
       cents(8'000'01),
       K::Allocation,
       "ledger.release_exceeds_allocated",
       {"8" NNBSP "000,01" EUR " demandés", "8" NNBSP "000,00" EUR " disponibles"}},
      {"commitment of one cent more than the uncommitted allocation",
       b,
       K::Commitment,
       cents(8'000'01),
       std::nullopt,
       "ledger.over_commitment",
       {"8" NNBSP "000,01" EUR " demandés", "8" NNBSP "000,00" EUR " disponibles"}},
      {"payment order of one cent more than the unpaid commitment",
       b,
       K::PaymentOrder,
       cents(8'000'01),
       std::nullopt,
       "ledger.over_payment",
       {"8" NNBSP "000,01" EUR " demandés", "8" NNBSP "000,00" EUR " disponibles"}},
      {"CP consumption one cent beyond the CP",
       short_cp,
       K::CpConsumption,
       cents(3'000'01),
       std::nullopt,
       "ledger.insufficient_cp",
       {"3" NNBSP "000,01" EUR " demandés", "3" NNBSP "000,00" EUR " disponibles"}},
      {"amending vote reducing CP one cent below the paid amount",
       b,
       K::VotePayment,
       -cents(393'000'01),
       std::nullopt,
       "ledger.vote_below_paid",
       {"7" NNBSP "000,00" EUR}},
      {"reversal of a vote of CP that is partly paid",
       b,
       K::Reversal,
       cents(393'000'01),
       K::VotePayment,
       "ledger.vote_below_paid",
       {"7" NNBSP "000,00" EUR}},
      {"decommitment one cent into what is paid",
       b,
       K::Decommitment,
       cents(8'000'01),
       std::nullopt,
       "ledger.decommit_below_paid",
       {"6" NNBSP "999,99" EUR, "7" NNBSP "000,00" EUR}},
      {"reversal of a CP consumption one cent larger than the CP consumed",
       b,
       K::Reversal,
       cents(7'000'01),
       K::CpConsumption,
       "ledger.cp_negative",
       {"L'annulation demandée", "négatifs"}},
  };
}

TEST(LedgerApplyMovement, RefusalCodesAndTheirTriggers) {
  const BudgetLine line = artisanat_line();
  for (const auto& c : refused_cases()) {
    SCOPED_TRACE(c.why);
    const auto r = apply_movement(line, c.before, c.kind, c.amount, c.reversed);
    ASSERT_FALSE(r.ok()) << "accepted: " << r.value().allocated.to_decimal_string();
    ASSERT_EQ(r.refusal().problems.size(), 1u);
    const Problem& p = r.refusal().first();
    EXPECT_EQ(p.code, c.code);
    EXPECT_EQ(p.field, "amount");
    for (const auto& s : c.message_contains)
      EXPECT_NE(p.message.find(s), std::string::npos)
          << "missing « " << s << " » in: " << p.message;
  }
}

TEST(LedgerApplyMovement, EveryRefusalCodeIsCovered) {
  std::set<std::string> codes;
  for (const auto& c : refused_cases())
    codes.insert(c.code);
  EXPECT_EQ(codes, (std::set<std::string>{
                       "ledger.amount", "ledger.insufficient_ae", "ledger.vote_below_allocated",
                       "ledger.release_exceeds_allocated", "ledger.over_commitment",
                       "ledger.over_payment", "ledger.insufficient_cp", "ledger.vote_below_paid",
                       "ledger.decommit_below_paid", "ledger.cp_negative"}));
}

// The balance refusals (all but ledger.amount) name the line as users name it, with its label.
TEST(LedgerApplyMovement, BalanceRefusalsNameTheLine) {
  const BudgetLine line = artisanat_line();
  for (const auto& c : refused_cases()) {
    if (std::string(c.code) == "ledger.amount") continue;
    SCOPED_TRACE(c.why);
    const auto r = apply_movement(line, c.before, c.kind, c.amount, c.reversed);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.refusal().first().message.find(
                  "sur la ligne 2023/16300302 (Soutien à l'artisanat et aux TPE)"),
              std::string::npos)
        << r.refusal().first().message;
  }
}

// ledger.h: "otherwise a refusal naming the line and what is missing: … "ledger.amount" …".
// A movement typed with a zero or negative amount must say on which line it was refused.
TEST(LedgerApplyMovement, AmountRefusalNamesTheLine) {
  const auto r = apply_movement(artisanat_line(), in_use(), K::Allocation, euros(0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "ledger.amount");
  EXPECT_NE(r.refusal().first().message.find("2023/16300302"), std::string::npos)
      << r.refusal().first().message;
}

TEST(LedgerApplyMovement, InsufficientAeMessageInFull) {
  const auto r =
      apply_movement(artisanat_line(), bal(euros(23'000), euros(0), euros(0), euros(0), euros(0)),
                     K::Allocation, cents(23'000'01));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().message,
            "Autorisations disponibles insuffisantes sur la ligne 2023/16300302 (Soutien à "
            "l'artisanat et aux TPE) : 23" NNBSP "000,01" EUR " demandés, 23" NNBSP "000,00" EUR
            " disponibles.");
}

TEST(LedgerApplyMovement, AllocatingExactlyTheAvailableAmountIsAccepted) {
  const LineBalances b = bal(euros(23'000), euros(0), euros(0), euros(0), euros(0));
  const auto r = apply_movement(artisanat_line(), b, K::Allocation, euros(23'000));
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r.value().allocated, euros(23'000));
  EXPECT_EQ(r.value().available(), euros(0));
  // …and then not one cent more.
  const auto more = apply_movement(artisanat_line(), r.value(), K::Allocation, cents(1));
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.refusal().first().code, "ledger.insufficient_ae");
}

TEST(LedgerApplyMovement, CpConsumptionWithinTheCpIsAccepted) {
  const LineBalances short_cp = bal6(euros(1'000'000), euros(10'000), euros(23'000), euros(15'000),
                                     euros(7'000), euros(7'000));
  const auto r = apply_movement(artisanat_line(), short_cp, K::CpConsumption, euros(3'000));
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r.value(), bal6(euros(1'000'000), euros(10'000), euros(23'000), euros(15'000),
                            euros(7'000), euros(10'000)));
}

// A payment order no longer touches the CP: they are consumed by their own movement, on the
// line of the year of payment (possibly another line than the commitment's).
TEST(LedgerApplyMovement, PaymentOrderLeavesTheCpToItsConsumption) {
  const auto r = apply_movement(artisanat_line(), in_use(), K::PaymentOrder, euros(3'000));
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r.value().paid, euros(10'000));
  EXPECT_EQ(r.value().cp_used, euros(7'000));
}

// Reversing a release re-allocates: when the AE have been allocated elsewhere meanwhile, that is
// a lack of available AE. The votes are not touched, so "ledger.vote_below_allocated" ("les
// autorisations votées deviendraient inférieures…") would be false.
TEST(LedgerApplyMovement, ReversingAReleaseBeyondTheAvailableAeIsInsufficientAe) {
  const LineBalances full =
      bal(euros(23'000), euros(23'000), euros(23'000), euros(15'000), euros(7'000));
  const auto r = apply_movement(artisanat_line(), full, K::Reversal, euros(8'000), K::Release);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "ledger.insufficient_ae") << r.refusal().first().message;
}

// An amending decision that reduced the AE (vote_ae of -100 000 €) is a journal entry like any
// other, so it can be reversed: the reversal carries the entry's amount and its delta is the
// entry's negated (ledger.h, delta_of), which gives the 100 000 € back. fold_journal accepts
// such an entry; apply_movement must accept it too, or the correction can never be posted.
TEST(LedgerApplyMovement, ReversingAnAmendingVoteThatReducedAeIsAccepted) {
  const auto r = apply_movement(artisanat_line(), in_use(), K::Reversal, -euros(100'000),
                                K::VoteAuthorisation);
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r.value(),
            used(euros(1'100'000), euros(400'000), euros(23'000), euros(15'000), euros(7'000)));
}

TEST(LedgerApplyMovement, ReversalWithoutReversedKindIsAProgrammerError) {
  EXPECT_THROW(
      static_cast<void>(apply_movement(artisanat_line(), in_use(), K::Reversal, euros(8'000))),
      InvariantViolation);
  EXPECT_THROW(static_cast<void>(apply_movement(artisanat_line(), in_use(), K::Reversal,
                                                euros(8'000), K::Reversal)),
               InvariantViolation);
}

// ---------------------------------------------------------------------------------------------
// delta_of and apply_delta

void expect_delta(const BalanceDelta& d, Money ae, Money cp, Money allocated, Money committed,
                  Money paid) {
  EXPECT_EQ(d.ae_voted, ae);
  EXPECT_EQ(d.cp_voted, cp);
  EXPECT_EQ(d.allocated, allocated);
  EXPECT_EQ(d.committed, committed);
  EXPECT_EQ(d.paid, paid);
}

TEST(LedgerDelta, EachKindMovesOneBalance) {
  const Money z = euros(0);
  const Money a = euros(8'000);
  {
    SCOPED_TRACE("vote_ae");
    expect_delta(delta_of(K::VoteAuthorisation, a), a, z, z, z, z);
  }
  {
    SCOPED_TRACE("vote_ae, negative");
    expect_delta(delta_of(K::VoteAuthorisation, -a), -a, z, z, z, z);
  }
  {
    SCOPED_TRACE("vote_cp");
    expect_delta(delta_of(K::VotePayment, a), z, a, z, z, z);
  }
  {
    SCOPED_TRACE("allocation");
    expect_delta(delta_of(K::Allocation, a), z, z, a, z, z);
  }
  {
    SCOPED_TRACE("release");
    expect_delta(delta_of(K::Release, a), z, z, -a, z, z);
  }
  {
    SCOPED_TRACE("lapse_release");
    expect_delta(delta_of(K::LapseRelease, a), z, z, -a, z, z);
  }
  {
    SCOPED_TRACE("commitment");
    expect_delta(delta_of(K::Commitment, a), z, z, z, a, z);
  }
  {
    SCOPED_TRACE("payment_order");
    expect_delta(delta_of(K::PaymentOrder, a), z, z, z, z, a);
  }
}

TEST(LedgerDelta, ReversalOfAnAllocationUndoesIt) {
  expect_delta(delta_of(K::Reversal, euros(23'000), K::Allocation), euros(0), euros(0),
               -euros(23'000), euros(0), euros(0));
  const LineBalances before = in_use();
  const LineBalances allocated = apply_delta(before, delta_of(K::Allocation, euros(8'000)));
  EXPECT_EQ(allocated.allocated, euros(31'000));
  EXPECT_EQ(apply_delta(allocated, delta_of(K::Reversal, euros(8'000), K::Allocation)), before);
}

TEST(LedgerDelta, ReversalOfAVoteUndoesIt) {
  expect_delta(delta_of(K::Reversal, euros(200'000), K::VoteAuthorisation), -euros(200'000),
               euros(0), euros(0), euros(0), euros(0));
  expect_delta(delta_of(K::Reversal, euros(50'000), K::VotePayment), euros(0), -euros(50'000),
               euros(0), euros(0), euros(0));
  // An amending vote that reduced the AE, reversed, gives them back.
  expect_delta(delta_of(K::Reversal, -euros(100'000), K::VoteAuthorisation), euros(100'000),
               euros(0), euros(0), euros(0), euros(0));
}

TEST(LedgerDelta, EveryKindIsUndoneByItsReversal) {
  const LineBalances b = in_use();
  for (K k : {K::VoteAuthorisation, K::VotePayment, K::Allocation, K::Release, K::Commitment,
              K::PaymentOrder, K::LapseRelease}) {
    SCOPED_TRACE(std::string(to_string(k)));
    const LineBalances moved = apply_delta(b, delta_of(k, cents(1'234'56)));
    EXPECT_NE(moved, b);
    EXPECT_EQ(apply_delta(moved, delta_of(K::Reversal, cents(1'234'56), k)), b);
  }
}

TEST(LedgerDelta, ReversalWithoutKindOrOfAReversalThrows) {
  EXPECT_THROW(static_cast<void>(delta_of(K::Reversal, euros(8'000))), InvariantViolation);
  EXPECT_THROW(static_cast<void>(delta_of(K::Reversal, euros(8'000), K::Reversal)),
               InvariantViolation);
}

TEST(LedgerDelta, ApplyDeltaAddsEachBalance) {
  const BalanceDelta d{euros(1), euros(2), euros(3), euros(4), euros(5), euros(6)};
  EXPECT_EQ(apply_delta(in_use(), d), bal6(euros(1'000'001), euros(400'002), euros(23'003),
                                           euros(15'004), euros(7'005), euros(7'006)));
}

// ---------------------------------------------------------------------------------------------
// LineBalances

TEST(LedgerBalances, CheckAcceptsCoherentBalances) {
  EXPECT_EQ(LineBalances{}.check(), std::nullopt);
  EXPECT_EQ(in_use().check(), std::nullopt);
  // Every bound reached at once.
  EXPECT_EQ(bal(euros(23'000), euros(23'000), euros(23'000), euros(23'000), euros(23'000)).check(),
            std::nullopt);
}

TEST(LedgerBalances, CheckNamesEachBrokenInvariant) {
  struct Case {
    LineBalances b;
    const char* broken;
  };
  const std::vector<Case> cases = {
      {bal(euros(100), euros(100), -cents(1), euros(0), euros(0)), "allocated < 0"},
      {bal(euros(100), euros(100), cents(100'01), euros(0), euros(0)), "allocated > ae_voted"},
      {bal(euros(100), euros(100), euros(50), -cents(1), -cents(1)), "committed < 0"},
      {bal(euros(100), euros(100), euros(50), cents(50'01), euros(0)), "committed > allocated"},
      {bal(euros(100), euros(100), euros(50), euros(20), -cents(1)), "paid < 0"},
      {bal(euros(100), euros(100), euros(50), euros(20), cents(20'01)), "paid > committed"},
      {bal(euros(100), -cents(1), euros(50), euros(20), euros(0)), "cp_voted < 0"},
      {bal6(euros(100), euros(10), euros(50), euros(20), euros(0), cents(10'01)),
       "cp_used > cp_voted"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.broken);
    const auto why = c.b.check();
    ASSERT_TRUE(why.has_value());
    EXPECT_EQ(*why, c.broken);
  }
}

TEST(LedgerBalances, AvailableIsVotedMinusAllocated) {
  EXPECT_EQ(in_use().available(), euros(977'000));
  EXPECT_EQ(LineBalances{}.available(), euros(0));
  EXPECT_EQ(bal(cents(22'999'99), euros(0), euros(0), euros(0), euros(0)).available(),
            cents(22'999'99));
  EXPECT_EQ(bal(euros(9'150'000), euros(0), euros(5'490'000), euros(0), euros(0)).available(),
            euros(3'660'000));
}

// ---------------------------------------------------------------------------------------------
// fold_journal

LedgerEntry entry(std::int64_t id, MovementKind kind, Money amount, const char* reference,
                  std::optional<MovementKind> reversed = std::nullopt) {
  LedgerEntry e;
  e.id = LedgerEntryId{id};
  e.authority = AuthorityId{1};
  e.line = BudgetLineId{2};
  e.kind = kind;
  e.amount = amount;
  e.reference = reference;
  if (reversed) {
    e.reverses = LedgerEntryId{id - 1};
    e.reversed_kind = reversed;
  }
  e.at = octroi::Instant::at(octroi::Date(2023, 1, 25), 10, 0, 0);
  e.actor = "test";
  return e;
}

std::vector<LedgerEntry> journal() {
  return {
      entry(1, K::VoteAuthorisation, euros(1'000'000), "BP 2023"),
      entry(2, K::VotePayment, euros(400'000), "BP 2023"),
      entry(3, K::Allocation, euros(7'000), "CP 2023-040"),
      entry(4, K::Allocation, euros(8'000), "CP 2023-040"),
      entry(5, K::Allocation, euros(8'000), "CP 2023-040"),
      entry(6, K::Commitment, euros(15'000), "Convention EX070162, EX070158"),
      entry(7, K::PaymentOrder, euros(7'000), "Mandat 1"),
      entry(8, K::Release, euros(1'000), "CP 2023-100"),
      entry(9, K::Reversal, euros(1'000), "CP 2023-100 (erreur)", K::Release),
      entry(10, K::LapseRelease, euros(500), "Caducité"),
      entry(11, K::VoteAuthorisation, -euros(100'000), "DM 1 2023"),
      entry(12, K::VotePayment, -euros(50'000), "DM 1 2023"),
  };
}

TEST(LedgerFoldJournal, EqualsTheStepByStepApplication) {
  const BudgetLine line = artisanat_line();
  LineBalances b;
  for (const auto& e : journal()) {
    SCOPED_TRACE(e.id.value);
    auto r = apply_movement(line, b, e.kind, e.amount, e.reversed_kind);
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
    b = r.value();
  }
  EXPECT_EQ(fold_journal(journal()), b);
  EXPECT_EQ(b, bal(euros(900'000), euros(350'000), cents(22'500'00), euros(15'000), euros(7'000)));
}

TEST(LedgerFoldJournal, EmptyJournalIsZero) {
  EXPECT_EQ(fold_journal({}), LineBalances{});
}

TEST(LedgerFoldJournal, PrefixesGiveTheIntermediateBalances) {
  auto j = journal();
  j.resize(5);
  EXPECT_EQ(fold_journal(j),
            bal(euros(1'000'000), euros(400'000), euros(23'000), euros(0), euros(0)));
}

// ---------------------------------------------------------------------------------------------
// MovementKind names

TEST(LedgerMovementKind, NamesRoundTrip) {
  struct Case {
    MovementKind kind;
    const char* name;
  };
  const std::vector<Case> cases = {
      {K::VoteAuthorisation, "vote_ae"},  {K::VotePayment, "vote_cp"},
      {K::Allocation, "allocation"},      {K::Release, "release"},
      {K::Commitment, "commitment"},      {K::PaymentOrder, "payment_order"},
      {K::LapseRelease, "lapse_release"}, {K::Reversal, "reversal"},
  };
  std::set<std::string> french_names;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(to_string(c.kind), c.name);
    MovementKind parsed = c.kind == K::Allocation ? K::Release : K::Allocation;
    ASSERT_TRUE(parse_movement_kind(c.name, parsed));
    EXPECT_EQ(parsed, c.kind);
    EXPECT_FALSE(french(c.kind).empty());
    EXPECT_NE(french(c.kind), "?");
    french_names.insert(std::string(french(c.kind)));
  }
  EXPECT_EQ(french_names.size(), cases.size()) << "two kinds share a French name";
  EXPECT_EQ(french(K::Allocation), "affectation");
  EXPECT_EQ(french(K::Release), "désaffectation");
}

TEST(LedgerMovementKind, UnknownNamesAreRefused) {
  MovementKind k = K::Allocation;
  for (const char* s : {"", "Allocation", "affectation", "vote", "allocation ", "reversals"}) {
    SCOPED_TRACE(s);
    EXPECT_FALSE(parse_movement_kind(s, k));
    EXPECT_EQ(k, K::Allocation);
  }
}

// ---------------------------------------------------------------------------------------------
// BudgetLine

TEST(LedgerBudgetLine, KeyIsYearSlashAction) {
  EXPECT_EQ(artisanat_line().key(), "2023/16300302");
  BudgetLine casaco = artisanat_line();
  casaco.fiscal_year = 2022;
  casaco.action = "15600105";
  EXPECT_EQ(casaco.key(), "2022/15600105");
}

TEST(LedgerBudgetLine, ReferenceLineIsValid) {
  const auto r = artisanat_line().validate();
  EXPECT_TRUE(r.ok()) << r.refusal().describe();
}

TEST(LedgerBudgetLine, ActionNotExtendingTheProgrammeIsRefused) {
  BudgetLine l = artisanat_line();
  l.action = "16200102";  // Choose Paris Region's action, under programme 162001
  const auto r = l.validate();
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.refusal().problems.size(), 1u);
  EXPECT_EQ(r.refusal().first().code, "budget.action");
  EXPECT_EQ(r.refusal().first().field, "action");
  EXPECT_NE(r.refusal().first().message.find("163003"), std::string::npos)
      << r.refusal().first().message;
}

TEST(LedgerBudgetLine, MalformedActionYearAndLabelAreRefused) {
  {
    BudgetLine l = artisanat_line();
    l.action = "1630030";  // 7 digits
    const auto r = l.validate();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.refusal().first().code, "budget.action");
  }
  {
    BudgetLine l = artisanat_line();
    l.fiscal_year = 1999;
    const auto r = l.validate();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.refusal().first().code, "budget.year");
    EXPECT_EQ(r.refusal().first().field, "fiscal_year");
  }
  {
    BudgetLine l = artisanat_line();
    l.fiscal_year = 2101;
    EXPECT_FALSE(l.validate().ok());
    l.fiscal_year = 2100;
    EXPECT_TRUE(l.validate().ok());
  }
  {
    BudgetLine l = artisanat_line();
    l.action_label = "";
    const auto r = l.validate();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.refusal().first().code, "budget.action_label");
  }
  {
    // Unknown programme (an imputation printed without it): any 8-digit action is accepted.
    BudgetLine l = artisanat_line();
    auto imp = Imputation::parse("936-61", "imputation");
    ASSERT_TRUE(imp.ok());
    l.imputation = imp.value();
    l.action = "16100107";
    EXPECT_TRUE(l.validate().ok());
  }
}

}  // namespace
}  // namespace octroi
