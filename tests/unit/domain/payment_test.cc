#include "domain/payment/payment.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "unit/domain/cp_2023_040.h"

namespace octroi {
namespace {

using cp2023040::cents;
using cp2023040::euros;

#define NNBSP "\u202f"
#define NBSP "\u00a0"

// Dossier EX065392 (Casaco): 196 000 € HT base, 40 %, 78 400 €.
PaymentSituation casaco(Money paid = Money()) {
  PaymentSituation s;
  s.award = euros(78'400);
  s.eligible_base = euros(196'000);
  s.paid = paid;
  return s;
}

// The State's décret 2018-514 figures, as an example: advance 30 %, cumulated 80 %.
PaymentRules decret_rules(Rate tolerance = Rate()) {
  PaymentRules r;
  r.advance_max = Rate::percent(30);
  r.interim_max = Rate::percent(80);
  r.balance_tolerance = tolerance;
  return r;
}

PaymentDecision decide_ok(const PaymentRules& rules, const PaymentSituation& s, PaymentKind kind,
                          Money requested, std::optional<Money> realised) {
  auto r = decide_payment(rules, s, kind, requested, realised);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.refusal().describe());
  return r.ok() ? r.value() : PaymentDecision{};
}

std::string refusal_code(const PaymentRules& rules, const PaymentSituation& s, PaymentKind kind,
                         Money requested, std::optional<Money> realised) {
  auto r = decide_payment(rules, s, kind, requested, realised);
  return r.ok() ? "accepted" : r.refusal().first().code;
}

// ---------------------------------------------------------------------------------------------
// Balance.

struct BalanceCase {
  const char* name;
  Rate tolerance;
  Money paid;
  Money realised;
  Money earned;
  Money payable;
  Money overpaid;
  bool pro_rata;
};

TEST(PaymentBalance, CasacoTable) {
  const BalanceCase cases[] = {
      {"pro rata, nothing paid", Rate(), Money(), euros(150'000), euros(60'000), euros(60'000),
       Money(), true},
      {"pro rata after a 30 % advance", Rate(), euros(23'520), euros(150'000), euros(60'000),
       euros(36'480), Money(), true},
      {"full realisation", Rate(), Money(), euros(196'000), euros(78'400), euros(78'400), Money(),
       false},
      {"full realisation after advance", Rate(), euros(23'520), euros(196'000), euros(78'400),
       euros(54'880), Money(), false},
      {"above the base: at most the award", Rate(), Money(), euros(250'000), euros(78'400),
       euros(78'400), Money(), false},
      {"one cent short, strict", Rate(), Money(), cents(195'999'99), cents(78'399'99),
       cents(78'399'99), Money(), true},
      {"tolerance 10 %, 180 000 realised", Rate::percent(10), Money(), euros(180'000),
       euros(78'400), euros(78'400), Money(), false},
      {"tolerance 10 %, exactly 176 400", Rate::percent(10), Money(), euros(176'400), euros(78'400),
       euros(78'400), Money(), false},
      {"tolerance 10 %, 176 399 realised", Rate::percent(10), Money(), euros(176'399),
       cents(70'559'60), cents(70'559'60), Money(), true},
      {"overpaid", Rate(), euros(23'520), euros(50'000), euros(20'000), Money(), euros(3'520),
       true},
      {"rounded down to the cent", Rate(), Money(), cents(100'000'02), cents(40'000'00),
       cents(40'000'00), Money(), true},
      {"nothing realised", Rate(), Money(), Money(), Money(), Money(), Money(), true},
      {"zero balance still settles", Rate(), euros(60'000), euros(150'000), euros(60'000), Money(),
       Money(), true},
  };
  for (const auto& c : cases) {
    const auto d = decide_ok(decret_rules(c.tolerance), casaco(c.paid), PaymentKind::Balance,
                             Money(), c.realised);
    EXPECT_EQ(d.earned, c.earned) << c.name;
    EXPECT_EQ(d.payable, c.payable) << c.name;
    EXPECT_EQ(d.overpaid, c.overpaid) << c.name;
    EXPECT_EQ(d.pro_rata, c.pro_rata) << c.name;
  }
}

TEST(PaymentBalance, RequestedIsIgnored) {
  const auto d =
      decide_ok(decret_rules(), casaco(), PaymentKind::Balance, euros(-5), euros(150'000));
  EXPECT_EQ(d.payable, euros(60'000));
}

TEST(PaymentBalance, ExplanationShowsTheComputation) {
  const auto d = decide_ok(decret_rules(), casaco(euros(31'360)), PaymentKind::Balance, Money(),
                           euros(150'000));
  const std::vector<std::string> expected = {
      "Dépenses éligibles réalisées 150" NNBSP "000,00" NBSP "€ sur une base de 196" NNBSP
      "000,00" NBSP "€ : aide due 78" NNBSP "400,00" NBSP "€ × 150" NNBSP "000,00 / 196" NNBSP
      "000,00 = 60" NNBSP "000,00" NBSP "€",
      "Déjà versé : 31" NNBSP "360,00" NBSP "€",
      "Solde à verser : 28" NNBSP "640,00" NBSP "€",
  };
  EXPECT_EQ(d.explanation, expected);
  EXPECT_EQ(d.payable, euros(28'640));
}

TEST(PaymentBalance, OverpaidIsExplained) {
  const auto d = decide_ok(decret_rules(), casaco(euros(23'520)), PaymentKind::Balance, Money(),
                           euros(50'000));
  ASSERT_FALSE(d.explanation.empty());
  EXPECT_EQ(d.explanation.back(), "Trop-perçu à reverser : 3" NNBSP "520,00" NBSP "€");
}

// ---------------------------------------------------------------------------------------------
// Advance and interim payments.

TEST(PaymentAdvance, CeilingIsThirtyPercent) {
  const auto d =
      decide_ok(decret_rules(), casaco(), PaymentKind::Advance, euros(23'520), std::nullopt);
  EXPECT_EQ(d.payable, euros(23'520));
  auto r = decide_payment(decret_rules(), casaco(), PaymentKind::Advance, cents(23'520'01),
                          std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "payment.advance_ceiling");
  EXPECT_NE(r.refusal().first().message.find("23" NNBSP "520,00" NBSP "€"), std::string::npos)
      << r.refusal().first().message;
}

TEST(PaymentAdvance, OnlyBeforeAnyOtherPayment) {
  auto r = decide_payment(decret_rules(), casaco(euros(1'000)), PaymentKind::Advance, euros(1'000),
                          std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "payment.advance_ceiling");
  EXPECT_NE(r.refusal().first().message.find("en premier"), std::string::npos);
}

TEST(PaymentInterim, CumulatedEightyPercent) {
  // 80 % of 78 400 € = 62 720 €; after the 23 520 € advance, 39 200 € may still be paid.
  const auto d = decide_ok(decret_rules(), casaco(euros(23'520)), PaymentKind::Interim,
                           euros(39'200), euros(196'000));
  EXPECT_EQ(d.payable, euros(39'200));
  EXPECT_EQ(d.earned, euros(78'400));
  auto r = decide_payment(decret_rules(), casaco(euros(23'520)), PaymentKind::Interim,
                          cents(39'200'01), euros(196'000));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "payment.interim_ceiling");
  EXPECT_NE(r.refusal().first().message.find("39" NNBSP "200,00" NBSP "€"), std::string::npos)
      << r.refusal().first().message;
}

TEST(PaymentInterim, CappedByWhatTheSpendingEarns) {
  // 100 000 € realised earns 40 000 €, below the 62 720 € ceiling.
  const auto d =
      decide_ok(decret_rules(), casaco(), PaymentKind::Interim, euros(40'000), euros(100'000));
  EXPECT_EQ(d.payable, euros(40'000));
  EXPECT_EQ(d.earned, euros(40'000));
  EXPECT_TRUE(d.pro_rata);
  EXPECT_EQ(refusal_code(decret_rules(), casaco(), PaymentKind::Interim, cents(40'000'01),
                         euros(100'000)),
            "payment.interim_ceiling");
}

// ---------------------------------------------------------------------------------------------
// Every refusal code.

struct RefusalCase {
  const char* name;
  PaymentRules rules;
  PaymentSituation situation;
  PaymentKind kind;
  Money requested;
  std::optional<Money> realised;
  const char* code;
};

PaymentSituation settled() {
  PaymentSituation s = casaco(euros(78'400));
  s.balance_paid = true;
  return s;
}

TEST(PaymentRefusals, EveryCode) {
  PaymentRules none;  // no advance, no interim
  const RefusalCase cases[] = {
      {"zero advance", decret_rules(), casaco(), PaymentKind::Advance, Money(), std::nullopt,
       "payment.amount"},
      {"negative interim", decret_rules(), casaco(), PaymentKind::Interim, euros(-1),
       euros(100'000), "payment.amount"},
      {"settled advance", decret_rules(), settled(), PaymentKind::Advance, euros(1), std::nullopt,
       "payment.settled"},
      {"settled interim", decret_rules(), settled(), PaymentKind::Interim, euros(1), euros(196'000),
       "payment.settled"},
      {"settled balance", decret_rules(), settled(), PaymentKind::Balance, Money(), euros(196'000),
       "payment.settled"},
      {"no advance", none, casaco(), PaymentKind::Advance, euros(1), std::nullopt,
       "payment.advance_not_allowed"},
      {"advance above 30 %", decret_rules(), casaco(), PaymentKind::Advance, cents(23'520'01),
       std::nullopt, "payment.advance_ceiling"},
      {"advance after a payment", decret_rules(), casaco(euros(10)), PaymentKind::Advance, euros(1),
       std::nullopt, "payment.advance_ceiling"},
      {"no interim", none, casaco(), PaymentKind::Interim, euros(1), euros(100'000),
       "payment.interim_not_allowed"},
      {"interim above 80 %", decret_rules(), casaco(), PaymentKind::Interim, cents(62'720'01),
       euros(196'000), "payment.interim_ceiling"},
      {"80 % already paid", decret_rules(), casaco(euros(62'720)), PaymentKind::Interim, euros(1),
       euros(196'000), "payment.nothing_due"},
      {"spending earns less than paid", decret_rules(), casaco(euros(23'520)), PaymentKind::Interim,
       euros(1), euros(50'000), "payment.nothing_due"},
      {"interim without realised", decret_rules(), casaco(), PaymentKind::Interim, euros(1),
       std::nullopt, "payment.realised"},
      {"interim with negative realised", decret_rules(), casaco(), PaymentKind::Interim, euros(1),
       euros(-1), "payment.realised"},
      {"balance without realised", decret_rules(), casaco(), PaymentKind::Balance, Money(),
       std::nullopt, "payment.realised"},
      {"balance with negative realised", decret_rules(), casaco(), PaymentKind::Balance, Money(),
       cents(-1), "payment.realised"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(refusal_code(c.rules, c.situation, c.kind, c.requested, c.realised), c.code)
        << c.name;
}

// ---------------------------------------------------------------------------------------------
// Rules.

TEST(PaymentRulesValidate, RatesAndOrder) {
  EXPECT_TRUE(decret_rules().validate().ok());
  EXPECT_TRUE(PaymentRules{}.validate().ok());

  PaymentRules above = decret_rules();
  above.interim_max = Rate::percent(101);
  above.advance_max = Rate::percent(30);
  auto r = above.validate("scheme.payments");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "payment_rules.interim_max");
  EXPECT_EQ(r.refusal().first().field, "scheme.payments.interim_max");

  PaymentRules advance_above = decret_rules();
  advance_above.advance_max = Rate::percent(90);
  auto r2 = advance_above.validate();
  ASSERT_FALSE(r2.ok());
  EXPECT_TRUE(r2.refusal().has_code("payment_rules.advance_above_interim"));

  PaymentRules big_advance;
  big_advance.advance_max = Rate::percent(101);
  EXPECT_FALSE(big_advance.validate().ok());

  PaymentRules big_tolerance;
  big_tolerance.balance_tolerance = Rate::percent(101);
  EXPECT_FALSE(big_tolerance.validate().ok());
}

TEST(PaymentKindNames, RoundTrip) {
  for (PaymentKind k : {PaymentKind::Advance, PaymentKind::Interim, PaymentKind::Balance}) {
    PaymentKind back = PaymentKind::Balance;
    ASSERT_TRUE(parse_payment_kind(to_string(k), back)) << to_string(k);
    EXPECT_EQ(back, k);
  }
  EXPECT_EQ(to_string(PaymentKind::Interim), "interim");
  EXPECT_EQ(french(PaymentKind::Interim), "acompte");
  PaymentKind k;
  EXPECT_FALSE(parse_payment_kind("acompte", k));
}

// ---------------------------------------------------------------------------------------------
// Clawback.

TEST(Clawback, ProRataOfTheYearsRemaining) {
  struct Case {
    Money paid;
    int total;
    int remaining;
    Money expected;
  };
  const Case cases[] = {
      {euros(78'400), 5, 3, euros(47'040)}, {euros(78'400), 5, 5, euros(78'400)},
      {euros(78'400), 5, 0, Money()},       {euros(20), 3, 1, cents(6'67)},  // half up, not down
      {cents(5), 2, 1, cents(3)},                                            // tie away from 0
      {euros(10), 3, 1, cents(3'33)},
  };
  for (const auto& c : cases)
    EXPECT_EQ(clawback_pro_rata(c.paid, c.total, c.remaining), c.expected)
        << c.paid.to_decimal_string() << " " << c.total << " " << c.remaining;
}

TEST(Clawback, CasacoThreeYearsRemaining) {
  const int remaining = years_remaining(Date(2022, 7, 7), 5, Date(2024, 8, 1));
  EXPECT_EQ(remaining, 3);
  EXPECT_EQ(clawback_pro_rata(euros(78'400), 5, remaining), euros(47'040));
}

TEST(YearsRemaining, AroundAnniversaries) {
  struct Case {
    Date start;
    int total;
    Date on;
    int expected;
  };
  const Case cases[] = {
      {Date(2022, 7, 7), 5, Date(2021, 1, 1), 5},  // before the start
      {Date(2022, 7, 7), 5, Date(2022, 7, 7), 5},
      {Date(2022, 7, 7), 5, Date(2023, 7, 6), 5},
      {Date(2022, 7, 7), 5, Date(2023, 7, 7), 4},
      {Date(2022, 7, 7), 5, Date(2025, 7, 6), 3},
      {Date(2022, 7, 7), 5, Date(2025, 7, 7), 2},
      {Date(2022, 7, 7), 5, Date(2027, 7, 6), 1},
      {Date(2022, 7, 7), 5, Date(2027, 7, 7), 0},
      {Date(2022, 7, 7), 5, Date(2035, 1, 1), 0},
      // 29 February: the anniversary is 28 February in non-leap years, 29 in leap years.
      {Date(2020, 2, 29), 5, Date(2021, 2, 27), 5},
      {Date(2020, 2, 29), 5, Date(2021, 2, 28), 4},
      {Date(2020, 2, 29), 5, Date(2024, 2, 28), 2},
      {Date(2020, 2, 29), 5, Date(2024, 2, 29), 1},
  };
  for (const auto& c : cases)
    EXPECT_EQ(years_remaining(c.start, c.total, c.on), c.expected)
        << c.start.iso() << " +" << c.total << " on " << c.on.iso();
}

}  // namespace
}  // namespace octroi
