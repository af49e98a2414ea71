#include "domain/payment/lapse.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "unit/domain/cp_2023_040.h"

namespace octroi {
namespace {

using cp2023040::euros;

// Casaco: awarded on 7 July 2022 by CP 2022-285; periods run from that date even after the
// transfer (CP 2023-040, article 4). The periods are examples: 3 years for a first request,
// 5 years for the balance.
LapseRules rules_3_5() {
  LapseRules r;
  r.first_request_years = 3;
  r.balance_years = 5;
  return r;
}

LapseSituation casaco(std::optional<Date> first_request = std::nullopt, Money paid = Money()) {
  LapseSituation s;
  s.award_date = Date(2022, 7, 7);
  s.first_request_on = first_request;
  s.award = euros(78'400);
  s.paid = paid;
  return s;
}

struct LapseCase {
  const char* name;
  LapseRules rules;
  LapseSituation situation;
  Date as_of;
  bool lapses;
  Date deadline;
  const char* reason;
  Money to_release;
};

LapseRules first_only() {
  LapseRules r;
  r.first_request_years = 3;
  return r;
}

LapseRules balance_only() {
  LapseRules r;
  r.balance_years = 5;
  return r;
}

LapseSituation paid_off() {
  LapseSituation s = casaco(Date(2023, 3, 1), euros(78'400));
  s.balance_paid = true;
  return s;
}

TEST(Lapse, Table) {
  const char* const kNoRequest = "aucune demande de versement dans les 3 ans de l'attribution";
  const char* const kNoBalance = "solde non versé dans les 5 ans de l'attribution";
  const LapseCase cases[] = {
      {"first-request deadline day", first_only(), casaco(), Date(2025, 7, 7), false,
       Date(2025, 7, 7), "", Money()},
      {"day after the first-request deadline", first_only(), casaco(), Date(2025, 7, 8), true,
       Date(2025, 7, 7), kNoRequest, euros(78'400)},
      {"late first request, partly paid", first_only(), casaco(Date(2025, 8, 1), euros(23'520)),
       Date(2025, 9, 1), true, Date(2025, 7, 7), kNoRequest, euros(54'880)},
      {"request on the deadline day meets it", first_only(), casaco(Date(2025, 7, 7)),
       Date(2026, 1, 1), false, Date(2025, 7, 7), "", Money()},
      {"request made: next is the balance", rules_3_5(), casaco(Date(2023, 3, 1)), Date(2025, 7, 8),
       false, Date(2027, 7, 7), "", Money()},
      {"before any deadline: the first one", rules_3_5(), casaco(), Date(2023, 1, 1), false,
       Date(2025, 7, 7), "", Money()},
      {"balance deadline day", rules_3_5(), casaco(Date(2023, 3, 1), euros(23'520)),
       Date(2027, 7, 7), false, Date(2027, 7, 7), "", Money()},
      {"balance not paid in time", rules_3_5(), casaco(Date(2023, 3, 1), euros(23'520)),
       Date(2027, 7, 8), true, Date(2027, 7, 7), kNoBalance, euros(54'880)},
      {"balance rule alone", balance_only(), casaco(), Date(2027, 7, 8), true, Date(2027, 7, 7),
       kNoBalance, euros(78'400)},
      {"both passed: the earliest is the reason", rules_3_5(), casaco(), Date(2028, 1, 1), true,
       Date(2025, 7, 7), kNoRequest, euros(78'400)},
      {"balance paid never lapses", rules_3_5(), paid_off(), Date(2030, 1, 1), false,
       Date(2027, 7, 7), "", Money()},
      {"no rule never lapses", LapseRules{}, casaco(), Date(2040, 1, 1), false, Date(2022, 7, 7),
       "", Money()},
  };
  for (const auto& c : cases) {
    const LapseDecision d = evaluate_lapse(c.rules, c.situation, c.as_of);
    EXPECT_EQ(d.lapses, c.lapses) << c.name;
    EXPECT_EQ(d.deadline.iso(), c.deadline.iso()) << c.name;
    EXPECT_EQ(d.reason, c.reason) << c.name;
    EXPECT_EQ(d.to_release, c.to_release) << c.name;
  }
}

TEST(Lapse, OneYearReadsWell) {
  LapseRules r;
  r.first_request_years = 1;
  const LapseDecision d = evaluate_lapse(r, casaco(), Date(2023, 7, 8));
  EXPECT_TRUE(d.lapses);
  EXPECT_EQ(d.reason, "aucune demande de versement dans l'année de l'attribution");
}

TEST(LapseRulesValidate, YearsPositiveAndOrdered) {
  EXPECT_TRUE(rules_3_5().validate().ok());
  EXPECT_TRUE(LapseRules{}.validate().ok());

  struct Case {
    std::optional<int> first;
    std::optional<int> balance;
    const char* code;
    const char* field;
  };
  const Case cases[] = {
      {0, 5, "lapse_rules.first_request_years", "scheme.lapse.first_request_years"},
      {-1, std::nullopt, "lapse_rules.first_request_years", "scheme.lapse.first_request_years"},
      {3, 0, "lapse_rules.balance_years", "scheme.lapse.balance_years"},
      {6, 5, "lapse_rules.order", "scheme.lapse.first_request_years"},
  };
  for (const auto& c : cases) {
    LapseRules r;
    r.first_request_years = c.first;
    r.balance_years = c.balance;
    auto s = r.validate("scheme.lapse");
    ASSERT_FALSE(s.ok()) << c.code;
    EXPECT_EQ(s.refusal().first().code, c.code);
    EXPECT_EQ(s.refusal().first().field, c.field);
  }
}

}  // namespace
}  // namespace octroi
