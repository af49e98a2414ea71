#include "domain/application/financing_plan.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "unit/domain/cp_2023_040.h"

namespace octroi {
namespace {

using cp2023040::cents;
using cp2023040::euros;

// One printed line of the reference: amount and share as printed, in hundredths of a percent.
struct Printed {
  std::int64_t cents;
  std::int64_t share_bp;
  bool eligible = true;
};

struct ReferencePlan {
  const char* number;
  FinancingPlan (*build)();
  std::vector<Printed> expenses;
  std::vector<Printed> resources;
  std::int64_t total_cents;
  std::int64_t eligible_base_cents;
  std::int64_t requested_cents;
  std::int64_t expense_shares_sum_bp;
  std::int64_t resource_shares_sum_bp;
};

// Figures as printed in tests/fixtures/cp-2023-040.md.
const std::vector<ReferencePlan>& reference_plans() {
  static const std::vector<ReferencePlan> plans = {
      {"EX070162",
       cp2023040::plan_ex070162,
       {{10'580'00, 71'58}, {4'200'00, 28'42}},
       {{7'780'00, 52'64}, {7'000'00, 47'36}},
       14'780'00,
       14'780'00,
       7'000'00,
       100'00,
       100'00},
      {"EX070158",
       cp2023040::plan_ex070158,
       {{10'117'08, 51'62}, {2'200'20, 11'23}, {4'400'40, 22'45}, {2'882'32, 14'71, false}},
       {{8'600'00, 43'88}, {8'000'00, 40'82}, {3'000'00, 15'31}},
       19'600'00,
       16'717'68,
       8'000'00,
       100'01,
       100'01},
      {"EX069984",
       cp2023040::plan_ex069984,
       {{17'280'00, 100'00}},
       {{9'280'00, 53'70}, {8'000'00, 46'30}},
       17'280'00,
       17'280'00,
       8'000'00,
       100'00,
       100'00},
      {"EX065392",
       cp2023040::plan_ex065392,
       {{131'500'00, 65'75}, {39'500'00, 19'75}, {25'000'00, 12'50}, {4'000'00, 2'00, false}},
       {{78'400'00, 39'20},
        {7'600'00, 3'80},
        {100'000'00, 50'00},
        {4'000'00, 2'00},
        {10'000'00, 5'00}},
       200'000'00,
       196'000'00,
       78'400'00,
       100'00,
       100'00},
  };
  return plans;
}

TEST(FinancingPlanReference, EveryPrintedShareAndTotal) {
  for (const auto& ref : reference_plans()) {
    SCOPED_TRACE(ref.number);
    const FinancingPlan plan = ref.build();
    const PlanSummary s = plan.summary();
    ASSERT_EQ(s.expenses.size(), ref.expenses.size());
    ASSERT_EQ(s.resources.size(), ref.resources.size());
    for (std::size_t i = 0; i < ref.expenses.size(); ++i) {
      SCOPED_TRACE("expense " + std::to_string(i + 1));
      EXPECT_EQ(s.expenses[i].label, plan.expenses[i].label);
      EXPECT_EQ(s.expenses[i].amount, cents(ref.expenses[i].cents));
      EXPECT_EQ(s.expenses[i].share_bp, ref.expenses[i].share_bp);
      EXPECT_EQ(s.expenses[i].eligible, ref.expenses[i].eligible);
    }
    for (std::size_t i = 0; i < ref.resources.size(); ++i) {
      SCOPED_TRACE("resource " + std::to_string(i + 1));
      EXPECT_EQ(s.resources[i].label, plan.resources[i].label);
      EXPECT_EQ(s.resources[i].amount, cents(ref.resources[i].cents));
      EXPECT_EQ(s.resources[i].share_bp, ref.resources[i].share_bp);
    }
    EXPECT_EQ(s.total_expenses, cents(ref.total_cents));
    EXPECT_EQ(s.total_resources, cents(ref.total_cents));
    EXPECT_EQ(s.eligible_base, cents(ref.eligible_base_cents));
    EXPECT_EQ(s.requested, cents(ref.requested_cents));
    EXPECT_TRUE(s.balanced);
    EXPECT_EQ(s.expense_shares_sum_bp, ref.expense_shares_sum_bp);
    EXPECT_EQ(s.resource_shares_sum_bp, ref.resource_shares_sum_bp);

    // The plan's own accessors agree with the summary and the reference.
    EXPECT_EQ(plan.total_expenses(), cents(ref.total_cents));
    EXPECT_EQ(plan.total_resources(), cents(ref.total_cents));
    EXPECT_EQ(plan.eligible_base(), cents(ref.eligible_base_cents));
    EXPECT_EQ(plan.requested(), cents(ref.requested_cents));
    EXPECT_TRUE(plan.balanced());
    EXPECT_TRUE(plan.validate(true).ok());
    EXPECT_TRUE(plan.validate(false).ok());
  }
}

TEST(FinancingPlanReference, Ex070158SharesAddUpTo10001AsPrinted) {
  // Said in words by the reference: each share is rounded on its own, half up.
  const PlanSummary s = cp2023040::plan_ex070158().summary();
  EXPECT_EQ(s.expense_shares_sum_bp, 10'001);
  EXPECT_EQ(s.resource_shares_sum_bp, 10'001);
  std::int64_t e = 0, r = 0;
  for (const auto& l : s.expenses)
    e += l.share_bp;
  for (const auto& l : s.resources)
    r += l.share_bp;
  EXPECT_EQ(e, 10'001);
  EXPECT_EQ(r, 10'001);
}

TEST(FinancingPlanReference, RequestedIsOnlyTheAuthorityLines) {
  // ANCT is public money, but not this authority's: it is not part of the request.
  FinancingPlan p = cp2023040::plan_ex070158();
  EXPECT_EQ(p.requested(), euros(8'000));
  // Two authority lines (an investment and an operating request) add up.
  p.resources.push_back({"Région (fonctionnement)", euros(500), ResourceKind::Authority, ""});
  EXPECT_EQ(p.requested(), euros(8'500));
  EXPECT_FALSE(p.balanced());
}

TEST(FinancingPlanReference, IneligibleLinesCountInTotalsNotInTheBase) {
  FinancingPlan p = cp2023040::plan_ex070158();
  p.expenses[3].eligible = true;
  EXPECT_EQ(p.eligible_base(), euros(19'600));
  EXPECT_EQ(p.total_expenses(), euros(19'600));
  p.expenses[0].eligible = false;
  EXPECT_EQ(p.eligible_base(), cents(9'482'92));  // 19 600,00 - 10 117,08
  EXPECT_EQ(p.total_expenses(), euros(19'600));
}

TEST(FinancingPlanSummary, EmptyPlanHasNoShares) {
  const PlanSummary s = FinancingPlan{}.summary();
  EXPECT_TRUE(s.expenses.empty());
  EXPECT_TRUE(s.resources.empty());
  EXPECT_EQ(s.total_expenses, Money());
  EXPECT_EQ(s.eligible_base, Money());
  EXPECT_EQ(s.requested, Money());
  EXPECT_TRUE(s.balanced);
  EXPECT_EQ(s.expense_shares_sum_bp, 0);
  EXPECT_EQ(s.resource_shares_sum_bp, 0);
}

TEST(FinancingPlanSummary, UnbalancedPlanSharesAreOfEachSidesOwnTotal) {
  FinancingPlan p = cp2023040::plan_ex070162();
  p.resources[1].amount = euros(2'220);  // resources: 7 780 + 2 220 = 10 000
  const PlanSummary s = p.summary();
  EXPECT_FALSE(s.balanced);
  EXPECT_EQ(s.total_expenses, euros(14'780));
  EXPECT_EQ(s.total_resources, euros(10'000));
  EXPECT_EQ(s.expenses[0].share_bp, 71'58);
  EXPECT_EQ(s.resources[0].share_bp, 77'80);
  EXPECT_EQ(s.resources[1].share_bp, 22'20);
}

// ---------------------------------------------------------------------------------------------
// Refusals.

void expect_refused(const Status& s, const std::string& code, const std::string& field) {
  ASSERT_FALSE(s.ok()) << code;
  ASSERT_TRUE(s.refusal().has_code(code)) << s.refusal().describe();
  for (const auto& p : s.refusal().problems)
    if (p.code == code) {
      EXPECT_EQ(p.field, field) << code;
      EXPECT_FALSE(p.message.empty()) << code;
      return;
    }
}

TEST(FinancingPlanValidate, UnbalancedOnlyWhenCompleteIsRequired) {
  FinancingPlan p = cp2023040::plan_ex070162();
  p.resources[1].amount = cents(6'999'99);
  EXPECT_TRUE(p.validate(false).ok());
  const Status s = p.validate(true);
  expect_refused(s, "plan.unbalanced", "plan");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.refusal().problems.size(), 1u) << s.refusal().describe();
  // The message gives both totals and the gap, in French format.
  const std::string& m = s.refusal().first().message;
  EXPECT_NE(m.find("14\u202f780,00\u00a0€"), std::string::npos) << m;
  EXPECT_NE(m.find("14\u202f779,99\u00a0€"), std::string::npos) << m;
  EXPECT_NE(m.find("0,01\u00a0€"), std::string::npos) << m;
}

TEST(FinancingPlanValidate, ResourcesAboveExpensesAreUnbalancedToo) {
  FinancingPlan p = cp2023040::plan_ex069984();
  p.resources[0].amount = cents(9'280'01);
  expect_refused(p.validate(true), "plan.unbalanced", "plan");
}

TEST(FinancingPlanValidate, AmountNotPositiveNamesTheLine) {
  const struct {
    bool expense;
    std::size_t index;  // 0-based
    Money amount;
    const char* field;
  } cases[] = {
      {true, 1, Money(), "plan.expenses[2].amount"},
      {true, 0, cents(-1), "plan.expenses[1].amount"},
      {true, 3, euros(-2'882), "plan.expenses[4].amount"},
      {false, 0, Money(), "plan.resources[1].amount"},
      {false, 2, cents(-3'000'00), "plan.resources[3].amount"},
  };
  for (const auto& c : cases) {
    FinancingPlan p = cp2023040::plan_ex070158();
    if (c.expense)
      p.expenses[c.index].amount = c.amount;
    else
      p.resources[c.index].amount = c.amount;
    for (bool complete : {false, true}) {
      const Status s = p.validate(complete);
      expect_refused(s, "plan.amount_not_positive", c.field);
      ASSERT_FALSE(s.ok());
      // Line problems come alone: no completeness problem piles up on them.
      EXPECT_EQ(s.refusal().problems.size(), 1u) << s.refusal().describe();
    }
  }
}

TEST(FinancingPlanValidate, AbsurdAmount) {
  // The limit is ten billion euros per line.
  constexpr std::int64_t kTenBillionEurosInCents = 1'000'000'000'000;
  ASSERT_EQ(FinancingPlan::kMaxLineAmountCents, kTenBillionEurosInCents);
  FinancingPlan p;
  p.expenses = {{"Travaux", cents(kTenBillionEurosInCents), true}};
  p.resources = {{"Région", cents(kTenBillionEurosInCents), ResourceKind::Authority, ""}};
  EXPECT_TRUE(p.validate(true).ok());
  p.expenses[0].amount = cents(kTenBillionEurosInCents + 1);
  expect_refused(p.validate(false), "plan.amount_absurd", "plan.expenses[1].amount");
  p.expenses[0].amount = cents(kTenBillionEurosInCents);
  p.resources[0].amount = cents(Money::kMaxInputCents);
  expect_refused(p.validate(false), "plan.amount_absurd", "plan.resources[1].amount");
}

TEST(FinancingPlanValidate, EmptyLabel) {
  for (const char* label : {"", "   ", "\t\n"}) {
    FinancingPlan p = cp2023040::plan_ex070158();
    p.expenses[2].label = label;
    expect_refused(p.validate(false), "text.required", "plan.expenses[3].label");
    p = cp2023040::plan_ex070158();
    p.resources[1].label = label;
    expect_refused(p.validate(false), "text.required", "plan.resources[2].label");
  }
}

TEST(FinancingPlanValidate, LabelTooLong) {
  FinancingPlan p = cp2023040::plan_ex070162();
  std::string label;
  for (int i = 0; i < 300; ++i)
    label += "é";  // 300 characters, 600 bytes: allowed
  p.expenses[0].label = label;
  EXPECT_TRUE(p.validate(true).ok());
  p.expenses[0].label += "e";
  expect_refused(p.validate(true), "text.too_long", "plan.expenses[1].label");
}

TEST(FinancingPlanValidate, EveryBadLineIsReported) {
  FinancingPlan p = cp2023040::plan_ex070158();
  p.expenses[0].label = "";
  p.expenses[3].amount = Money();
  p.resources[2].amount = cents(-1);
  const Status s = p.validate(true);
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.refusal().problems.size(), 3u) << s.refusal().describe();
  EXPECT_EQ(s.refusal().problems[0].field, "plan.expenses[1].label");
  EXPECT_EQ(s.refusal().problems[1].field, "plan.expenses[4].amount");
  EXPECT_EQ(s.refusal().problems[2].field, "plan.resources[3].amount");
}

TEST(FinancingPlanValidate, TooManyLines) {
  FinancingPlan p;
  for (std::size_t i = 0; i < 100; ++i) {
    p.expenses.push_back({"Dépense " + std::to_string(i + 1), euros(10), true});
    p.resources.push_back(
        {"Région " + std::to_string(i + 1), euros(10), ResourceKind::Authority, ""});
  }
  EXPECT_TRUE(p.validate(true).ok()) << "100 lines a side";
  p.expenses.push_back({"Dépense 101", euros(10), true});
  expect_refused(p.validate(false), "plan.too_many_lines", "plan.expenses");
  p.expenses.pop_back();
  p.resources.push_back({"Région 101", euros(10), ResourceKind::Authority, ""});
  expect_refused(p.validate(false), "plan.too_many_lines", "plan.resources");
}

TEST(FinancingPlanValidate, NoExpense) {
  FinancingPlan p;
  p.resources = {{"Région", euros(8'000), ResourceKind::Authority, ""}};
  EXPECT_TRUE(p.validate(false).ok());
  expect_refused(p.validate(true), "plan.no_expense", "plan.expenses");
}

TEST(FinancingPlanValidate, NoEligibleExpense) {
  FinancingPlan p = cp2023040::plan_ex070158();
  for (auto& l : p.expenses)
    l.eligible = false;
  EXPECT_TRUE(p.validate(false).ok());
  const Status s = p.validate(true);
  expect_refused(s, "plan.no_eligible_expense", "plan.expenses");
  ASSERT_FALSE(s.ok());
  EXPECT_FALSE(s.refusal().has_code("plan.no_expense"));
  EXPECT_FALSE(s.refusal().has_code("plan.unbalanced"));  // still balanced
}

TEST(FinancingPlanValidate, NoAuthorityResourceLine) {
  FinancingPlan p = cp2023040::plan_ex070162();
  p.resources[1].kind = ResourceKind::OtherPublic;  // "Région" mislabelled as another funder
  EXPECT_TRUE(p.validate(false).ok());
  const Status s = p.validate(true);
  expect_refused(s, "plan.no_request", "plan.resources");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.refusal().problems.size(), 1u) << s.refusal().describe();
}

TEST(FinancingPlanValidate, EmptyPlanWhenComplete) {
  const Status s = FinancingPlan{}.validate(true);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.refusal().has_code("plan.no_expense"));
  EXPECT_TRUE(s.refusal().has_code("plan.no_request"));
  EXPECT_TRUE(FinancingPlan{}.validate(false).ok());
}

// ---------------------------------------------------------------------------------------------
// Resource kinds.

TEST(ResourceKindStrings, RoundTripAndFrenchLabels) {
  const struct {
    ResourceKind k;
    const char* s;
  } cases[] = {
      {ResourceKind::SelfFunding, "self_funding"}, {ResourceKind::Authority, "authority"},
      {ResourceKind::OtherPublic, "other_public"}, {ResourceKind::Loan, "loan"},
      {ResourceKind::Private, "private"},          {ResourceKind::Other, "other"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(to_string(c.k), c.s);
    ResourceKind out = c.k == ResourceKind::Other ? ResourceKind::Loan : ResourceKind::Other;
    ASSERT_TRUE(parse_resource_kind(c.s, out)) << c.s;
    EXPECT_EQ(out, c.k);
    EXPECT_FALSE(french(c.k).empty());
    EXPECT_NE(french(c.k), "?");
  }
  EXPECT_EQ(french(ResourceKind::SelfFunding), "Autofinancement");
  ResourceKind out{};
  EXPECT_FALSE(parse_resource_kind("Autofinancement", out));
  EXPECT_FALSE(parse_resource_kind("", out));
}

}  // namespace
}  // namespace octroi
