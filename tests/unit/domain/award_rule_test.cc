#include "domain/scheme/award_rule.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/domain/cp_2023_040.h"

namespace octroi {
namespace {

using cp2023040::cents;
using cp2023040::euros;

// Narrow no-break space (groups digits) and no-break space (before € and %), spelled out so
// that a test failure shows which one is missing.
#define NNBSP "\u202f"
#define NBSP "\u00a0"

AwardComputation compute_ok(const AwardRule& rule, const AwardInput& in) {
  auto r = compute_award(rule, in);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.refusal().describe());
  return r.ok() ? r.value() : AwardComputation{};
}

// ---------------------------------------------------------------------------------------------
// Chèque numérique volet 2: both readings give the three awards of article 2.

struct SeedDossier {
  const char* number;
  FinancingPlan (*plan)();
  Money eligible_base;  // from the reference, to check the plan before using it
  Money award;          // article 2
};

const SeedDossier kVolet2[] = {
    {"EX070162", cp2023040::plan_ex070162, cents(14'780'00), euros(7'000)},
    {"EX070158", cp2023040::plan_ex070158, cents(16'717'68), euros(8'000)},
    {"EX069984", cp2023040::plan_ex069984, cents(17'280'00), euros(8'000)},
};

TEST(AwardRuleVolet2, Reading1GivesTheSeedAwards) {
  const AwardRule rule = cp2023040::reading1();
  ASSERT_TRUE(rule.validate().ok());
  for (const auto& d : kVolet2) {
    const FinancingPlan plan = d.plan();
    ASSERT_EQ(plan.eligible_base(), d.eligible_base) << d.number;
    const auto c = compute_ok(rule, {plan.eligible_base(), AmountBasis::InclTax, plan.requested()});
    EXPECT_EQ(c.amount, d.award) << d.number;
  }
}

TEST(AwardRuleVolet2, Reading2GivesTheSeedAwards) {
  const AwardRule rule = cp2023040::reading2();
  ASSERT_TRUE(rule.validate().ok());
  for (const auto& d : kVolet2) {
    const FinancingPlan plan = d.plan();
    ASSERT_EQ(plan.eligible_base(), d.eligible_base) << d.number;
    // No request limit in this reading: a request of one cent must not matter.
    const auto c = compute_ok(rule, {plan.eligible_base(), AmountBasis::InclTax, cents(1)});
    EXPECT_EQ(c.amount, d.award) << d.number;
    EXPECT_FALSE(c.limited_by_request) << d.number;
  }
}

TEST(AwardRuleVolet2, TheSeedAwardsAddUpToArticle2) {
  Money total1, total2;
  for (const auto& d : kVolet2) {
    const FinancingPlan plan = d.plan();
    const AwardInput in{plan.eligible_base(), AmountBasis::InclTax, plan.requested()};
    total1 += compute_ok(cp2023040::reading1(), in).amount;
    total2 += compute_ok(cp2023040::reading2(), in).amount;
  }
  EXPECT_EQ(total1, euros(23'000));
  EXPECT_EQ(total2, euros(23'000));
}

// Which step lowered each award: they differ between the readings.
TEST(AwardRuleVolet2, FlagsSayWhatLoweredTheAward) {
  const struct {
    const char* number;
    FinancingPlan (*plan)();
    bool r1_capped, r1_limited, r2_capped;
  } cases[] = {
      // 7 390 € > request 7 000 €; reading 2 rounds 7 390 down to 7 000 (no cap).
      {"EX070162", cp2023040::plan_ex070162, false, true, false},
      // 8 358,84 € > cap; the capped 8 000 € equals the request (not lowered by it).
      // Reading 2: 8 358,84 rounds down to 8 000, which the cap then does not lower.
      {"EX070158", cp2023040::plan_ex070158, true, false, false},
      // 8 640 € > cap; reading 2: 8 640 rounds down to 8 000.
      {"EX069984", cp2023040::plan_ex069984, true, false, false},
  };
  for (const auto& c : cases) {
    const FinancingPlan plan = c.plan();
    const AwardInput in{plan.eligible_base(), AmountBasis::InclTax, plan.requested()};
    const auto r1 = compute_ok(cp2023040::reading1(), in);
    EXPECT_EQ(r1.capped, c.r1_capped) << c.number;
    EXPECT_EQ(r1.limited_by_request, c.r1_limited) << c.number;
    const auto r2 = compute_ok(cp2023040::reading2(), in);
    EXPECT_EQ(r2.capped, c.r2_capped) << c.number;
    EXPECT_FALSE(r2.limited_by_request) << c.number;
  }
}

TEST(AwardRuleVolet2, Reading2CapsAboveTheThousand) {
  // 20 000 € × 50 % = 10 000 €: a multiple of the step, lowered by the cap only.
  const auto c = compute_ok(cp2023040::reading2(), {euros(20'000), AmountBasis::InclTax, {}});
  EXPECT_EQ(c.amount, euros(8'000));
  EXPECT_TRUE(c.capped);
  const std::vector<std::string> expected = {
      "Base éligible 20" NNBSP "000,00" NBSP "€ TTC × 50" NBSP "% = 10" NNBSP "000,00" NBSP "€",
      "Plafond du dispositif : 8" NNBSP "000,00" NBSP "€",
      "Subvention calculée : 8" NNBSP "000,00" NBSP "€",
  };
  EXPECT_EQ(c.explanation, expected);
}

// ---------------------------------------------------------------------------------------------
// Explanations, word for word.

TEST(AwardRuleExplanation, Casaco) {
  const FinancingPlan plan = cp2023040::plan_ex065392();
  ASSERT_EQ(plan.eligible_base(), euros(196'000));
  const auto c = compute_ok(cp2023040::casaco(),
                            {plan.eligible_base(), AmountBasis::ExclTax, plan.requested()});
  EXPECT_EQ(c.amount, euros(78'400));
  EXPECT_EQ(c.amount, plan.requested());  // the whole request, as voted by CP 2022-285
  ASSERT_FALSE(c.explanation.empty());
  EXPECT_EQ(c.explanation.front(), "Base éligible 196" NNBSP "000,00" NBSP "€ HT × 40" NBSP
                                   "% = 78" NNBSP "400,00" NBSP "€");
  const std::vector<std::string> expected = {
      "Base éligible 196" NNBSP "000,00" NBSP "€ HT × 40" NBSP "% = 78" NNBSP "400,00" NBSP "€",
      "Subvention calculée : 78" NNBSP "400,00" NBSP "€",
  };
  EXPECT_EQ(c.explanation, expected);
  EXPECT_FALSE(c.capped);
  EXPECT_FALSE(c.limited_by_request);
}

TEST(AwardRuleExplanation, Ex070158Reading1) {
  const auto c =
      compute_ok(cp2023040::reading1(), {cents(16'717'68), AmountBasis::InclTax, euros(8'000)});
  const std::vector<std::string> expected = {
      "Base éligible 16" NNBSP "717,68" NBSP "€ TTC × 50" NBSP "% = 8" NNBSP "358,84" NBSP "€",
      "Plafond du dispositif : 8" NNBSP "000,00" NBSP "€",
      "Subvention calculée : 8" NNBSP "000,00" NBSP "€",
  };
  EXPECT_EQ(c.explanation, expected);
}

TEST(AwardRuleExplanation, Ex070162BothReadings) {
  const AwardInput in{cents(14'780'00), AmountBasis::InclTax, euros(7'000)};
  const std::vector<std::string> r1 = {
      "Base éligible 14" NNBSP "780,00" NBSP "€ TTC × 50" NBSP "% = 7" NNBSP "390,00" NBSP "€",
      "Limité au montant demandé : 7" NNBSP "000,00" NBSP "€",
      "Subvention calculée : 7" NNBSP "000,00" NBSP "€",
  };
  EXPECT_EQ(compute_ok(cp2023040::reading1(), in).explanation, r1);
  const std::vector<std::string> r2 = {
      "Base éligible 14" NNBSP "780,00" NBSP "€ TTC × 50" NBSP "% = 7" NNBSP "390,00" NBSP "€",
      "Arrondi au millier d'euros inférieur : 7" NNBSP "000,00" NBSP "€",
      "Subvention calculée : 7" NNBSP "000,00" NBSP "€",
  };
  EXPECT_EQ(compute_ok(cp2023040::reading2(), in).explanation, r2);
}

TEST(AwardRuleExplanation, NoStepLineWhenTheStepChangesNothing) {
  // 16 000 € × 50 % = 8 000 €: already a multiple of 1 000, not above the cap.
  const auto c = compute_ok(cp2023040::reading2(), {euros(16'000), AmountBasis::InclTax, {}});
  const std::vector<std::string> expected = {
      "Base éligible 16" NNBSP "000,00" NBSP "€ TTC × 50" NBSP "% = 8" NNBSP "000,00" NBSP "€",
      "Subvention calculée : 8" NNBSP "000,00" NBSP "€",
  };
  EXPECT_EQ(c.explanation, expected);
  EXPECT_FALSE(c.capped);
}

// ---------------------------------------------------------------------------------------------
// Volet 1 scale: 150 € per full 300 € HT, at most 1 500 €.

TEST(AwardRuleVolet1, ScaleOf150EurosPerFull300Euros) {
  const AwardRule rule = cp2023040::volet1();
  ASSERT_TRUE(rule.validate().ok());
  const struct {
    Money base;
    Money award;
    bool capped;
  } cases[] = {
      {cents(299'99), euros(0), false},  // not one full 300 €
      {euros(300), euros(150), false},     {cents(300'01), euros(150), false},
      {cents(599'99), euros(150), false},  // still one full 300 €
      {euros(600), euros(300), false},     {cents(2'999'99), euros(1'350), false},
      {euros(3'000), euros(1'500), false},  // ten full 300 €: exactly the cap
      {euros(3'300), euros(1'500), true},  {euros(10'000), euros(1'500), true},
  };
  for (const auto& c : cases) {
    const auto r = compute_ok(rule, {c.base, AmountBasis::ExclTax, euros(1'000'000)});
    EXPECT_EQ(r.amount, c.award) << "base " << c.base.to_decimal_string() << " -> "
                                 << r.amount.to_decimal_string();
    EXPECT_EQ(r.capped, c.capped) << "base " << c.base.to_decimal_string();
  }
}

// The same scale with the product rounded down to the cent before the step (a workaround for
// the half-up rounding of the product, see the test above).
TEST(AwardRuleVolet1, ScaleWithTheProductRoundedDown) {
  AwardRule rule = cp2023040::volet1();
  rule.rate_rounding = Rounding::Down;
  const struct {
    Money base;
    Money award;
  } cases[] = {
      {cents(299'99), euros(0)},    {euros(300), euros(150)},      {cents(599'99), euros(150)},
      {euros(3'000), euros(1'500)}, {euros(10'000), euros(1'500)},
  };
  for (const auto& c : cases) {
    const auto r = compute_ok(rule, {c.base, AmountBasis::ExclTax, euros(1'000'000)});
    EXPECT_EQ(r.amount, c.award) << "base " << c.base.to_decimal_string();
  }
}

// "50 % of the base rounded down to the thousand": 1 999,99 € gives 999,995 €, which rounds
// down to 0, not 1 000 €. Rounding the product half up to the cent first must not push it over
// the step.
TEST(AwardRuleVolet2, Reading2RoundsTheExactProductDown) {
  const struct {
    Money base;
    Money award;
  } cases[] = {
      {cents(1'999'98), euros(0)},      {cents(1'999'99), euros(0)},   {euros(2'000), euros(1'000)},
      {cents(15'999'99), euros(7'000)}, {euros(16'000), euros(8'000)},
  };
  for (const auto& c : cases) {
    const auto r = compute_ok(cp2023040::reading2(), {c.base, AmountBasis::InclTax, {}});
    EXPECT_EQ(r.amount, c.award) << "base " << c.base.to_decimal_string() << " -> "
                                 << r.amount.to_decimal_string();
  }
}

// ---------------------------------------------------------------------------------------------
// Fixed amounts, the request limit and rounding of the product.

TEST(AwardRuleFixed, GivesTheFixedAmount) {
  AwardRule rule;
  rule.kind = AwardKind::Fixed;
  rule.fixed_amount = euros(5'000);
  ASSERT_TRUE(rule.validate().ok());
  const auto c = compute_ok(rule, {euros(20'000), AmountBasis::InclTax, euros(6'000)});
  EXPECT_EQ(c.amount, euros(5'000));
  EXPECT_FALSE(c.capped);
  EXPECT_FALSE(c.limited_by_request);
  const std::vector<std::string> expected = {
      "Montant forfaitaire du dispositif : 5" NNBSP "000,00" NBSP "€",
      "Subvention calculée : 5" NNBSP "000,00" NBSP "€",
  };
  EXPECT_EQ(c.explanation, expected);
}

TEST(AwardRuleFixed, NotAboveRequestLowersTheFixedAmount) {
  AwardRule rule;
  rule.kind = AwardKind::Fixed;
  rule.fixed_amount = euros(5'000);
  rule.not_above_request = true;
  const struct {
    Money requested;
    Money award;
    bool limited;
  } cases[] = {
      {euros(3'000), euros(3'000), true},
      {cents(4'999'99), cents(4'999'99), true},
      {euros(5'000), euros(5'000), false},  // equal: not lowered
      {euros(9'000), euros(5'000), false},
  };
  for (const auto& c : cases) {
    const auto r = compute_ok(rule, {euros(20'000), AmountBasis::InclTax, c.requested});
    EXPECT_EQ(r.amount, c.award) << c.requested.to_decimal_string();
    EXPECT_EQ(r.limited_by_request, c.limited) << c.requested.to_decimal_string();
  }
  const auto r = compute_ok(rule, {euros(20'000), AmountBasis::InclTax, euros(3'000)});
  const std::vector<std::string> expected = {
      "Montant forfaitaire du dispositif : 5" NNBSP "000,00" NBSP "€",
      "Limité au montant demandé : 3" NNBSP "000,00" NBSP "€",
      "Subvention calculée : 3" NNBSP "000,00" NBSP "€",
  };
  EXPECT_EQ(r.explanation, expected);
}

TEST(AwardRuleFixed, CapLowersAFixedAmount) {
  AwardRule rule;
  rule.kind = AwardKind::Fixed;
  rule.fixed_amount = euros(5'000);
  rule.cap = euros(4'000);
  const auto c = compute_ok(rule, {euros(20'000), AmountBasis::InclTax, euros(6'000)});
  EXPECT_EQ(c.amount, euros(4'000));
  EXPECT_TRUE(c.capped);
  EXPECT_FALSE(c.limited_by_request);
}

TEST(AwardRuleRate, CapThenRequestBothLower) {
  // 50 % of 20 000 € = 10 000 €, capped at 8 000 €, then limited to the request of 6 000 €.
  const auto c =
      compute_ok(cp2023040::reading1(), {euros(20'000), AmountBasis::InclTax, euros(6'000)});
  EXPECT_EQ(c.amount, euros(6'000));
  EXPECT_TRUE(c.capped);
  EXPECT_TRUE(c.limited_by_request);
  const std::vector<std::string> expected = {
      "Base éligible 20" NNBSP "000,00" NBSP "€ TTC × 50" NBSP "% = 10" NNBSP "000,00" NBSP "€",
      "Plafond du dispositif : 8" NNBSP "000,00" NBSP "€",
      "Limité au montant demandé : 6" NNBSP "000,00" NBSP "€",
      "Subvention calculée : 6" NNBSP "000,00" NBSP "€",
  };
  EXPECT_EQ(c.explanation, expected);
}

TEST(AwardRuleRate, AtTheCapIsNotCapped) {
  const auto c =
      compute_ok(cp2023040::reading1(), {euros(16'000), AmountBasis::InclTax, euros(8'000)});
  EXPECT_EQ(c.amount, euros(8'000));
  EXPECT_FALSE(c.capped);
  EXPECT_FALSE(c.limited_by_request);
}

TEST(AwardRuleRate, RateRoundingToTheCent) {
  AwardRule rule;
  rule.rate = Rate::ratio(1, 3);  // 33,3333… %
  const struct {
    Rounding mode;
    Money award;
  } cases[] = {
      {Rounding::HalfUp, cents(33'33)},  // 100 € / 3 = 33,333… €
      {Rounding::Down, cents(33'33)},
      {Rounding::Up, cents(33'34)},
  };
  for (const auto& c : cases) {
    rule.rate_rounding = c.mode;
    EXPECT_EQ(compute_ok(rule, {euros(100), AmountBasis::InclTax, {}}).amount, c.award)
        << to_string(c.mode);
  }
  rule.rate = Rate::percent(50);
  rule.rate_rounding = Rounding::HalfUp;
  EXPECT_EQ(compute_ok(rule, {cents(1), AmountBasis::InclTax, {}}).amount, cents(1));  // 0,005
  rule.rate_rounding = Rounding::HalfEven;
  EXPECT_EQ(compute_ok(rule, {cents(1), AmountBasis::InclTax, {}}).amount, cents(0));
}

TEST(AwardRuleRate, BaseRequirementMatchingThePlanIsAccepted) {
  AwardRule rule = cp2023040::casaco();
  rule.base = BaseRequirement::ExclTax;
  EXPECT_EQ(compute_ok(rule, {euros(196'000), AmountBasis::ExclTax, {}}).amount, euros(78'400));
  rule.base = BaseRequirement::InclTax;
  EXPECT_EQ(compute_ok(rule, {euros(196'000), AmountBasis::InclTax, {}}).amount, euros(78'400));
  rule.base = BaseRequirement::ByVatRecovery;
  EXPECT_EQ(compute_ok(rule, {euros(196'000), AmountBasis::InclTax, {}}).amount, euros(78'400));
  EXPECT_EQ(compute_ok(rule, {euros(196'000), AmountBasis::ExclTax, {}}).amount, euros(78'400));
}

// ---------------------------------------------------------------------------------------------
// Refusals of compute_award.

TEST(AwardRuleRefusal, BasisMismatch) {
  const struct {
    BaseRequirement rule_base;
    AmountBasis plan_basis;
  } cases[] = {
      {BaseRequirement::ExclTax, AmountBasis::InclTax},
      {BaseRequirement::InclTax, AmountBasis::ExclTax},
  };
  for (const auto& c : cases) {
    AwardRule rule = cp2023040::casaco();
    rule.base = c.rule_base;
    const auto r = compute_award(rule, {euros(196'000), c.plan_basis, euros(78'400)});
    ASSERT_FALSE(r.ok()) << to_string(c.rule_base);
    EXPECT_EQ(r.refusal().first().code, "award.basis");
    EXPECT_EQ(r.refusal().first().field, "plan");
    EXPECT_FALSE(r.refusal().first().message.empty());
  }
}

TEST(AwardRuleRefusal, NoEligibleBase) {
  for (const Money base : {cents(0), cents(-1), euros(-100)}) {
    const auto r = compute_award(cp2023040::reading1(), {base, AmountBasis::InclTax, euros(10)});
    ASSERT_FALSE(r.ok()) << base.to_decimal_string();
    EXPECT_EQ(r.refusal().first().code, "award.no_eligible_base");
    EXPECT_EQ(r.refusal().first().field, "plan.expenses");
  }
  // The smallest positive base is accepted.
  EXPECT_TRUE(
      compute_award(cp2023040::reading1(), {cents(1), AmountBasis::InclTax, euros(10)}).ok());
}

// ---------------------------------------------------------------------------------------------
// AwardRule::validate.

TEST(AwardRuleValidate, TheSeedRulesAreValid) {
  for (const AwardRule& r :
       {cp2023040::reading1(), cp2023040::reading2(), cp2023040::volet1(), cp2023040::casaco()})
    EXPECT_TRUE(r.validate().ok()) << r.describe();
}

TEST(AwardRuleValidate, BoundariesAreAccepted) {
  AwardRule r;
  r.rate = Rate::percent(100);
  EXPECT_TRUE(r.validate().ok()) << "100 %";
  r.rate = Rate::ratio(1, 1'000'000);
  EXPECT_TRUE(r.validate().ok()) << "0,0001 %";
  r.rate = Rate::percent(50);
  r.step = euros(1'000);
  r.cap = euros(1'000);
  EXPECT_TRUE(r.validate().ok()) << "step equal to the cap";
  r.cap = cents(1);
  r.step = cents(1);
  EXPECT_TRUE(r.validate().ok()) << "one cent";
}

TEST(AwardRuleValidate, RefusesIncoherentRules) {
  const struct {
    const char* what;
    AwardRule rule;
    const char* code;
    const char* field;
  } cases[] = {
      {"rate 0 %",
       [] {
         AwardRule r;
         r.rate = Rate::percent(0);
         return r;
       }(),
       "rule.rate", "rule.rate"},
      {"rate 100,01 %",
       [] {
         AwardRule r;
         r.rate = Rate::ratio(10'001, 10'000);
         return r;
       }(),
       "rule.rate", "rule.rate"},
      {"rate 200 %",
       [] {
         AwardRule r;
         r.rate = Rate::percent(200);
         return r;
       }(),
       "rule.rate", "rule.rate"},
      {"cap 0",
       [] {
         AwardRule r = cp2023040::reading1();
         r.cap = euros(0);
         return r;
       }(),
       "rule.cap", "rule.cap"},
      {"cap negative",
       [] {
         AwardRule r = cp2023040::reading1();
         r.cap = cents(-1);
         return r;
       }(),
       "rule.cap", "rule.cap"},
      {"step 0",
       [] {
         AwardRule r = cp2023040::reading2();
         r.step = euros(0);
         return r;
       }(),
       "rule.step", "rule.step"},
      {"step negative",
       [] {
         AwardRule r = cp2023040::reading2();
         r.step = euros(-1'000);
         return r;
       }(),
       "rule.step", "rule.step"},
      {"fixed without amount",
       [] {
         AwardRule r;
         r.kind = AwardKind::Fixed;
         return r;
       }(),
       "rule.fixed_amount", "rule.fixed_amount"},
      {"fixed amount 0",
       [] {
         AwardRule r;
         r.kind = AwardKind::Fixed;
         r.fixed_amount = euros(0);
         return r;
       }(),
       "rule.fixed_amount", "rule.fixed_amount"},
      {"fixed amount negative",
       [] {
         AwardRule r;
         r.kind = AwardKind::Fixed;
         r.fixed_amount = euros(-5);
         return r;
       }(),
       "rule.fixed_amount", "rule.fixed_amount"},
      {"step above cap",
       [] {
         AwardRule r = cp2023040::reading2();
         r.step = cents(8'000'01);
         return r;
       }(),
       "rule.step_above_cap", "rule.step"},
  };
  for (const auto& c : cases) {
    const Status s = c.rule.validate();
    ASSERT_FALSE(s.ok()) << c.what;
    ASSERT_EQ(s.refusal().problems.size(), 1u) << c.what << "\n" << s.refusal().describe();
    EXPECT_EQ(s.refusal().first().code, c.code) << c.what;
    EXPECT_EQ(s.refusal().first().field, c.field) << c.what;
    EXPECT_FALSE(s.refusal().first().message.empty()) << c.what;
  }
}

TEST(AwardRuleValidate, ReportsEveryProblemUnderThePrefix) {
  AwardRule r;
  r.rate = Rate::percent(0);
  r.step = euros(0);
  r.cap = euros(-1);
  const Status s = r.validate("schemes[3].rule");
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.refusal().problems.size(), 3u) << s.refusal().describe();
  EXPECT_EQ(s.refusal().problems[0].code, "rule.rate");
  EXPECT_EQ(s.refusal().problems[0].field, "schemes[3].rule.rate");
  EXPECT_EQ(s.refusal().problems[1].code, "rule.step");
  EXPECT_EQ(s.refusal().problems[1].field, "schemes[3].rule.step");
  EXPECT_EQ(s.refusal().problems[2].code, "rule.cap");
  EXPECT_EQ(s.refusal().problems[2].field, "schemes[3].rule.cap");
}

// ---------------------------------------------------------------------------------------------
// describe()

TEST(AwardRuleDescribe, TheTwoReadings) {
  EXPECT_EQ(cp2023040::reading1().describe(),
            "50" NBSP
            "% de la base éligible (HT ou TTC selon la récupération de la TVA), "
            "plafonné à 8" NNBSP "000,00" NBSP "€, sans dépasser le montant demandé");
  EXPECT_EQ(cp2023040::reading2().describe(),
            "50" NBSP
            "% de la base éligible (HT ou TTC selon la récupération de la TVA), "
            "arrondi au millier d'euros inférieur, plafonné à 8" NNBSP "000,00" NBSP "€");
}

TEST(AwardRuleDescribe, OtherShapes) {
  const struct {
    const char* what;
    AwardRule rule;
    const char* expected;
  } cases[] = {
      {"volet 1", cp2023040::volet1(),
       "50" NBSP "% de la base éligible HT, arrondi au multiple inférieur de 150,00" NBSP
       "€, plafonné à 1" NNBSP "500,00" NBSP "€"},
      {"casaco", cp2023040::casaco(),
       "40" NBSP "% de la base éligible (HT ou TTC selon la récupération de la TVA)"},
      {"ttc, hundred up",
       [] {
         AwardRule r;
         r.rate = Rate::ratio(1, 3);
         r.base = BaseRequirement::InclTax;
         r.step = euros(100);
         r.step_rounding = Rounding::Up;
         return r;
       }(),
       "33,3333" NBSP "% de la base éligible TTC, arrondi à la centaine d'euros supérieur"},
      {"euro nearest",
       [] {
         AwardRule r;
         r.rate = Rate::ratio(255, 1000);
         r.base = BaseRequirement::ExclTax;
         r.step = euros(1);
         r.step_rounding = Rounding::HalfUp;
         return r;
       }(),
       "25,5" NBSP "% de la base éligible HT, arrondi à l'euro le plus proche"},
      {"fixed",
       [] {
         AwardRule r;
         r.kind = AwardKind::Fixed;
         r.fixed_amount = euros(5'000);
         r.not_above_request = true;
         return r;
       }(),
       "Montant forfaitaire de 5" NNBSP "000,00" NBSP "€, sans dépasser le montant demandé"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(c.rule.describe(), c.expected) << c.what;
}

// ---------------------------------------------------------------------------------------------
// String forms.

TEST(AwardRuleStrings, RoundTrips) {
  for (auto k : {AwardKind::Rate, AwardKind::Fixed}) {
    AwardKind out = k == AwardKind::Rate ? AwardKind::Fixed : AwardKind::Rate;
    ASSERT_TRUE(parse_award_kind(to_string(k), out)) << to_string(k);
    EXPECT_EQ(out, k);
  }
  EXPECT_EQ(to_string(AwardKind::Rate), "rate");
  EXPECT_EQ(to_string(AwardKind::Fixed), "fixed");
  const struct {
    BaseRequirement b;
    const char* s;
  } bases[] = {{BaseRequirement::ByVatRecovery, "by_vat_recovery"},
               {BaseRequirement::ExclTax, "ht"},
               {BaseRequirement::InclTax, "ttc"}};
  for (const auto& c : bases) {
    EXPECT_EQ(to_string(c.b), c.s);
    BaseRequirement out =
        c.b == BaseRequirement::ExclTax ? BaseRequirement::InclTax : BaseRequirement::ExclTax;
    ASSERT_TRUE(parse_base_requirement(c.s, out)) << c.s;
    EXPECT_EQ(out, c.b);
  }
  AwardKind k{};
  EXPECT_FALSE(parse_award_kind("Rate", k));
  EXPECT_FALSE(parse_award_kind("", k));
  BaseRequirement b{};
  EXPECT_FALSE(parse_base_requirement("HT", b));
  EXPECT_FALSE(parse_base_requirement("", b));
  EXPECT_EQ(to_string(AmountBasis::ExclTax), "HT");
  EXPECT_EQ(to_string(AmountBasis::InclTax), "TTC");
}

}  // namespace
}  // namespace octroi
