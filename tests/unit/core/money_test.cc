#include "core/money.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/rate.h"
#include "core/shares.h"

namespace octroi {
namespace {

Money parse_ok(std::string_view s) {
  auto r = Money::parse(s, "montant");
  EXPECT_TRUE(r.ok()) << s << " : " << (r.ok() ? "" : r.refusal().describe());
  return r.ok() ? r.value() : Money();
}

TEST(MoneyParse, AcceptsFrenchAndMachineForms) {
  EXPECT_EQ(parse_ok("10117.08").cents(), 1011708);
  EXPECT_EQ(parse_ok("10 117,08").cents(), 1011708);
  EXPECT_EQ(parse_ok("10\u202f117,08\u00a0€").cents(), 1011708);
  EXPECT_EQ(parse_ok("7 000").cents(), 700000);
  EXPECT_EQ(parse_ok("2200,2").cents(), 220020);
  EXPECT_EQ(parse_ok("-5").cents(), -500);
  EXPECT_EQ(parse_ok("0,01").cents(), 1);
  EXPECT_EQ(parse_ok("999 999 999 999,99").cents(), Money::kMaxInputCents);
}

TEST(MoneyParse, RefusesWithFieldAndFrenchMessage) {
  const struct {
    const char* text;
    const char* code;
  } cases[] = {
      {"", "amount.empty"},
      {"   ", "amount.empty"},
      {"12,345", "amount.invalid"},
      {"1.2.3", "amount.invalid"},
      {"abc", "amount.invalid"},
      {"12 a", "amount.invalid"},
      {"1e5", "amount.invalid"},
      {"12,", "amount.invalid"},
      {",50", "amount.invalid"},
      {"1  000", "amount.invalid"},
      {"1 000 000 000 000,00", "amount.invalid"},  // one thousand billion: above the bound
      {"99999999999999999999", "amount.invalid"},  // would overflow int64
  };
  for (const auto& c : cases) {
    auto r = Money::parse(c.text, "plan.expenses[0].amount");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.refusal().first().code, c.code) << c.text;
    EXPECT_EQ(r.refusal().first().field, "plan.expenses[0].amount");
    EXPECT_NE(r.refusal().first().message.find("ontant"), std::string::npos);
  }
}

TEST(MoneyArithmetic, IsCheckedAgainstOverflow) {
  const Money max = Money::from_cents(std::numeric_limits<std::int64_t>::max());
  const Money min = Money::from_cents(std::numeric_limits<std::int64_t>::min());
  EXPECT_THROW(max + Money::from_cents(1), OverflowError);
  EXPECT_THROW(min - Money::from_cents(1), OverflowError);
  EXPECT_THROW(-min, OverflowError);
  EXPECT_THROW(max * 2, OverflowError);
  EXPECT_THROW(Money::from_euros(std::numeric_limits<std::int64_t>::max() / 10), OverflowError);
  EXPECT_EQ((Money::from_euros(7000) + Money::from_euros(8000)).cents(), 1500000);
  EXPECT_EQ(min.to_decimal_string(), "-92233720368547758.08");
}

TEST(MoneyDecimal, PrintsTwoDecimals) {
  EXPECT_EQ(Money::from_cents(700000).to_decimal_string(), "7000.00");
  EXPECT_EQ(Money::from_cents(-50).to_decimal_string(), "-0.50");
  EXPECT_EQ(Money::from_cents(5).to_decimal_string(), "0.05");
}

TEST(Rounding, EachModeOnTiesAndNegatives) {
  EXPECT_EQ(divide_rounded(5, 2, Rounding::HalfUp), 3);
  EXPECT_EQ(divide_rounded(-5, 2, Rounding::HalfUp), -3);
  EXPECT_EQ(divide_rounded(5, 2, Rounding::HalfEven), 2);
  EXPECT_EQ(divide_rounded(7, 2, Rounding::HalfEven), 4);
  EXPECT_EQ(divide_rounded(-5, 2, Rounding::HalfEven), -2);
  EXPECT_EQ(divide_rounded(7, 2, Rounding::Down), 3);
  EXPECT_EQ(divide_rounded(-7, 2, Rounding::Down), -4);
  EXPECT_EQ(divide_rounded(7, 2, Rounding::Up), 4);
  EXPECT_EQ(divide_rounded(-7, 2, Rounding::Up), -3);
  EXPECT_EQ(divide_rounded(12, -5, Rounding::HalfUp), -2);
  EXPECT_THROW(divide_rounded(static_cast<Int128>(1) << 70, 1, Rounding::Down), OverflowError);
}

TEST(RateApply, CasacoAndChequeNumerique) {
  // Casaco: 196 000,00 € HT x 40 % = 78 400,00 €.
  EXPECT_EQ(Money::from_euros(196000).apply(Rate::percent(40), Rounding::HalfUp),
            Money::from_euros(78400));
  // Montfermeil: 16 717,68 € x 50 % = 8 358,84 €, rounded down to the thousand: 8 000 €.
  const Money half = Money::from_cents(1671768).apply(Rate::percent(50), Rounding::Down);
  EXPECT_EQ(half.cents(), 835884);
  EXPECT_EQ(half.round_to_step(Money::from_euros(1000), Rounding::Down), Money::from_euros(8000));
  // One third of one cent rounds as told.
  EXPECT_EQ(Money::from_cents(1).apply(Rate::ratio(1, 3), Rounding::Up).cents(), 1);
  EXPECT_EQ(Money::from_cents(1).apply(Rate::ratio(1, 3), Rounding::HalfUp).cents(), 0);
  // Choose Paris Region: 60 % of 9 150 000 € is the first tranche of 5 490 000 €.
  EXPECT_EQ(Money::from_euros(9150000).apply(Rate::percent(60), Rounding::HalfUp),
            Money::from_euros(5490000));
}

TEST(RateParse, PercentForms) {
  auto r = Rate::parse_percent("40", "taux");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), Rate::ratio(2, 5));
  EXPECT_EQ(Rate::parse_percent("40,00 %", "taux").value(), Rate::ratio(2, 5));
  EXPECT_EQ(Rate::parse_percent("33.3333", "taux").value().to_percent_string(), "33.3333");
  EXPECT_EQ(Rate::ratio(1, 3).to_percent_string(), "~33.333333");
  EXPECT_EQ(Rate::ratio(1, 8).basis_points(Rounding::HalfUp), 1250);
  for (const char* bad : {"", "abc", "101", "40,", "1,1234567", "-5"}) {
    auto b = Rate::parse_percent(bad, "regle.taux");
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.refusal().first().field, "regle.taux");
  }
  EXPECT_TRUE(Rate::ratio(1, 3) < Rate::ratio(1, 2));
}

TEST(Shares, MontfermeilPrintedSharesAddUpTo10001) {
  // Each printed share is rounded on its own, half up, as the seed prints it.
  const Money total = Money::from_cents(1960000);
  const std::int64_t expected[] = {5162, 1123, 2245, 1471};
  const std::int64_t cents[] = {1011708, 220020, 440040, 288232};
  std::int64_t sum = 0;
  for (int i = 0; i < 4; ++i) {
    const auto bp = share_basis_points(Money::from_cents(cents[i]), total);
    EXPECT_EQ(bp, expected[i]);
    sum += bp;
  }
  EXPECT_EQ(sum, 10001);
  // Largest remainder makes them add up to exactly 100,00 %.
  std::vector<Money> parts;
  for (auto c : cents)
    parts.push_back(Money::from_cents(c));
  const auto lr = largest_remainder_basis_points(parts);
  EXPECT_EQ(lr, (std::vector<std::int64_t>{5162, 1122, 2245, 1471}));
}

TEST(Shares, SplitLargestRemainderAddsUpExactly) {
  const auto parts = split_largest_remainder(Money::from_cents(100), {1, 1, 1});
  EXPECT_EQ(parts[0].cents() + parts[1].cents() + parts[2].cents(), 100);
  EXPECT_EQ(parts[0].cents(), 34);
  EXPECT_EQ(parts[1].cents(), 33);
  const auto zero_weight = split_largest_remainder(Money::from_euros(10), {0, 3, 1});
  EXPECT_EQ(zero_weight[0].cents(), 0);
  EXPECT_EQ(zero_weight[1].cents(), 750);
  EXPECT_EQ(zero_weight[2].cents(), 250);
  EXPECT_THROW(split_largest_remainder(Money::from_euros(1), {0, 0}), InvariantViolation);
}

}  // namespace
}  // namespace octroi
