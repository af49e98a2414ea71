// The reference demonstration against the reference: every figure of CP 2023-040
// (tests/fixtures/cp-2023-040.md) as octroi shows it after `load_demo`. The expected values are
// literals copied from the reference, never computed by octroi.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::ApplicationState;
using octroi::ApplicationView;
using octroi::Date;
using octroi::Money;

Money cents(std::int64_t c) {
  return Money::from_cents(c);
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Line {
  std::int64_t amount_cents;
  std::int64_t share_bp;  // printed share, hundredths of a percent
  bool eligible = true;   // expenses
};

struct Expected {
  const char* number;
  const char* scheme_number;
  const char* framework;
  const char* party_name;
  const char* legal_status;
  const char* departement;
  const char* rep_first_name;  // nullptr: see the test (two spellings in the seed)
  const char* rep_last_name;
  const char* rep_role;
  const char* address;  // as the reference prints it
  Date start, end;
  std::optional<Date> early_start;
  int reference_year;
  const char* basis;
  std::vector<Line> expenses;
  std::vector<Line> resources;
  std::int64_t total_cents;
  std::int64_t eligible_base_cents;
  std::int64_t requested_cents;
  std::int64_t award_cents;
  ApplicationState state;
  std::int64_t proposed_cents;
};

const std::vector<Expected>& reference() {
  static const std::vector<Expected> r = {
      {"EX070162",
       "00001176",
       "CR 2019-043",
       "Commune des Clayes-sous-Bois",
       "Commune",
       "78",
       "Philippe",
       "Guiguen",
       "maire",
       "Place Charles de Gaulle, 78340 Les Clayes-sous-Bois",
       Date(2022, 11, 1),
       Date(2023, 10, 31),
       Date(2022, 11, 1),
       2023,
       "TTC",
       {{1058000, 7158}, {420000, 2842}},
       {{778000, 5264}, {700000, 4736}},
       1478000,
       1478000,
       700000,
       700000,
       ApplicationState::Proposed,
       700000},
      {"EX070158",
       "00001176",
       "CR 2019-043",
       "Commune de Montfermeil",
       "Commune",
       "93",
       "Xavier",
       "Lemoine",
       "maire",
       "7-11 place Jean-Mermoz, 93370 Montfermeil",
       Date(2022, 12, 1),
       Date(2023, 11, 30),
       Date(2022, 12, 1),
       2023,
       "TTC",
       {{1011708, 5162}, {220020, 1123}, {440040, 2245}, {288232, 1471, false}},
       {{860000, 4388}, {800000, 4082}, {300000, 1531}},
       1960000,
       1671768,
       800000,
       800000,
       ApplicationState::Proposed,
       800000},
      {"EX069984",
       "00001176",
       "CR 2019-043",
       "Commune du Perreux-sur-Marne",
       "Commune",
       "94",
       "Christel",
       "Royer",
       "maire",
       "Place de la Libération, 94170 Le Perreux-sur-Marne",
       Date(2022, 1, 1),
       Date(2022, 12, 31),
       Date(2022, 1, 1),
       2023,
       "TTC",
       {{1728000, 10000}},
       {{928000, 5370}, {800000, 4630}},
       1728000,
       1728000,
       800000,
       800000,
       ApplicationState::Proposed,
       800000},
      {"EX065392",
       "00001033",
       "CR 2017-101",
       "SAS SCIC Casaco",
       nullptr,
       "92",
       nullptr,
       "Liotard",
       "gérante",
       nullptr,
       Date(2022, 9, 1),
       Date(2023, 12, 29),
       std::nullopt,
       2022,
       "HT",
       {{13150000, 6575}, {3950000, 1975}, {2500000, 1250}, {400000, 200, false}},
       {{7840000, 3920}, {760000, 380}, {10000000, 5000}, {400000, 200}, {1000000, 500}},
       20000000,
       19600000,
       7840000,
       7840000,
       ApplicationState::Awarded,
       7840000},
  };
  return r;
}

class DemoFigures : public DemoDatabaseTest {
 protected:
  void check(const Expected& e) {
    SCOPED_TRACE(e.number);
    const ApplicationView v = show(e.number);
    const auto& a = v.application;
    EXPECT_EQ(a.number, e.number);
    EXPECT_EQ(v.scheme.number, e.scheme_number);
    EXPECT_EQ(v.scheme.framework_deliberation, e.framework);

    // Beneficiary.
    EXPECT_EQ(v.party.legal_name, e.party_name);
    if (e.legal_status) {
      EXPECT_EQ(v.party.legal_status, e.legal_status);
    }
    EXPECT_EQ(v.party.departement, e.departement);
    if (e.rep_first_name) {
      EXPECT_EQ(v.party.representative.first_name, e.rep_first_name);
    }
    EXPECT_EQ(v.party.representative.last_name, e.rep_last_name);
    EXPECT_EQ(lower(v.party.representative.role), lower(e.rep_role));
    if (e.address) {
      EXPECT_EQ(v.party.address.display(), e.address);
    }

    // Project and early start.
    EXPECT_EQ(a.project.start, e.start);
    EXPECT_EQ(a.project.end, e.end);
    EXPECT_EQ(a.early_start.requested, e.early_start.has_value());
    EXPECT_EQ(a.early_start.date, e.early_start);
    EXPECT_EQ(a.reference_year, e.reference_year);
    EXPECT_EQ(to_string(a.basis), e.basis);

    // Financing plan, line by line, with the printed shares.
    ASSERT_EQ(v.plan.expenses.size(), e.expenses.size());
    for (std::size_t i = 0; i < e.expenses.size(); ++i) {
      SCOPED_TRACE("expense " + std::to_string(i + 1));
      EXPECT_EQ(v.plan.expenses[i].amount, cents(e.expenses[i].amount_cents));
      EXPECT_EQ(v.plan.expenses[i].share_bp, e.expenses[i].share_bp);
      EXPECT_EQ(v.plan.expenses[i].eligible, e.expenses[i].eligible);
    }
    ASSERT_EQ(v.plan.resources.size(), e.resources.size());
    for (std::size_t i = 0; i < e.resources.size(); ++i) {
      SCOPED_TRACE("resource " + std::to_string(i + 1));
      EXPECT_EQ(v.plan.resources[i].amount, cents(e.resources[i].amount_cents));
      EXPECT_EQ(v.plan.resources[i].share_bp, e.resources[i].share_bp);
    }
    EXPECT_EQ(v.plan.total_expenses, cents(e.total_cents));
    EXPECT_EQ(v.plan.total_resources, cents(e.total_cents));
    EXPECT_TRUE(v.plan.balanced);
    EXPECT_EQ(v.plan.eligible_base, cents(e.eligible_base_cents));
    EXPECT_EQ(v.plan.requested, cents(e.requested_cents));

    // The award the rule gives, and where the dossier stands.
    ASSERT_TRUE(v.award.has_value())
        << (v.award_refusal ? v.award_refusal->describe() : std::string("no refusal"));
    EXPECT_EQ(v.award->amount, cents(e.award_cents));
    EXPECT_EQ(a.state(), e.state);
    ASSERT_TRUE(a.proposed_award.has_value());
    EXPECT_EQ(*a.proposed_award, cents(e.proposed_cents));
  }
};

TEST_F(DemoFigures, ClayesSousBoisEX070162) {
  check(reference()[0]);
}

TEST_F(DemoFigures, MontfermeilEX070158) {
  check(reference()[1]);
  // The seed's printed shares add up to 100,01 % on both sides.
  const ApplicationView v = show("EX070158");
  EXPECT_EQ(v.plan.expense_shares_sum_bp, 10001);
  EXPECT_EQ(v.plan.resource_shares_sum_bp, 10001);
}

TEST_F(DemoFigures, PerreuxSurMarneEX069984) {
  check(reference()[2]);
}

TEST_F(DemoFigures, CasacoEX065392) {
  check(reference()[3]);
  const ApplicationView v = show("EX065392");
  EXPECT_EQ(v.party.siren, "801568296");
  EXPECT_EQ(v.party.naf, "68.20B");
  EXPECT_TRUE(v.party.recovers_vat);
  // The seed spells the manager's first name both "Pisca" and "Prisca".
  const std::string first = v.party.representative.first_name;
  EXPECT_TRUE(first == "Prisca" || first == "Pisca") << first;
  ASSERT_TRUE(v.application.award.has_value());
  EXPECT_EQ(v.application.award->amount, cents(7840000));
  EXPECT_EQ(v.application.award->deliberation, "CP 2022-285");
  EXPECT_EQ(v.application.award->date, Date(2022, 7, 7));
}

TEST_F(DemoFigures, ThreeCommunesProposedNotAwarded) {
  for (const char* n : {"EX070162", "EX070158", "EX069984"}) {
    SCOPED_TRACE(n);
    const ApplicationView v = show(n);
    EXPECT_EQ(v.application.state(), ApplicationState::Proposed);
    EXPECT_FALSE(v.application.award.has_value());
    EXPECT_FALSE(v.party.recovers_vat);
  }
}

TEST_F(DemoFigures, AwardLimitsFollowTheFirstReadingOfTheScale) {
  // min(request, 50 % of the eligible base, 8 000 €):
  //   EX070162  50 % × 14 780,00 = 7 390,00 -> limited by the 7 000,00 request
  //   EX070158  50 % × 16 717,68 = 8 358,84 -> capped at 8 000,00
  //   EX069984  50 % × 17 280,00 = 8 640,00 -> capped at 8 000,00
  //   EX065392  40 % × 196 000,00 = 78 400,00, no cap
  struct Case {
    const char* number;
    bool capped, limited;
    const char* first_explanation;
  };
  const Case cases[] = {
      {"EX070162", false, true,
       "Base éligible 14" OCTROI_NNBSP "780,00" OCTROI_NBSP "€ TTC × 50" OCTROI_NBSP
       "% = 7" OCTROI_NNBSP "390,00" OCTROI_NBSP "€"},
      {"EX070158", true, false,
       "Base éligible 16" OCTROI_NNBSP "717,68" OCTROI_NBSP "€ TTC × 50" OCTROI_NBSP
       "% = 8" OCTROI_NNBSP "358,84" OCTROI_NBSP "€"},
      {"EX069984", true, false,
       "Base éligible 17" OCTROI_NNBSP "280,00" OCTROI_NBSP "€ TTC × 50" OCTROI_NBSP
       "% = 8" OCTROI_NNBSP "640,00" OCTROI_NBSP "€"},
      {"EX065392", false, false,
       "Base éligible 196" OCTROI_NNBSP "000,00" OCTROI_NBSP "€ HT × 40" OCTROI_NBSP
       "% = 78" OCTROI_NNBSP "400,00" OCTROI_NBSP "€"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.number);
    const ApplicationView v = show(c.number);
    ASSERT_TRUE(v.award.has_value());
    EXPECT_EQ(v.award->capped, c.capped);
    EXPECT_EQ(v.award->limited_by_request, c.limited);
    ASSERT_FALSE(v.award->explanation.empty());
    EXPECT_EQ(v.award->explanation.front(), c.first_explanation);
  }
}

TEST_F(DemoFigures, HistoryOfEachDossier) {
  const std::vector<std::string> proposed = {"create", "submit", "start_instruction", "propose"};
  for (const char* n : {"EX070162", "EX070158", "EX069984"}) {
    SCOPED_TRACE(n);
    const ApplicationView v = show(n);
    std::vector<std::string> events;
    for (const auto& h : v.history)
      events.push_back(h.event);
    EXPECT_EQ(events, proposed);
  }
  const ApplicationView casaco = show("EX065392");
  std::vector<std::string> events;
  for (const auto& h : casaco.history)
    events.push_back(h.event);
  EXPECT_EQ(events, (std::vector<std::string>{"create", "submit", "start_instruction", "propose",
                                              "award"}));
  ASSERT_FALSE(casaco.history.empty());
  EXPECT_EQ(casaco.history.back().from_state, "proposed");
  EXPECT_EQ(casaco.history.back().to_state, "awarded");
}

TEST_F(DemoFigures, ListHoldsExactlyTheFourDossiers) {
  auto list = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
    return octroi::list_applications(tx, idf_, octroi::ApplicationFilter{});
  });
  ASSERT_TRUE(list.ok()) << list.refusal().describe();
  std::vector<std::string> numbers;
  for (const auto& v : list.value())
    numbers.push_back(v.application.number);
  std::sort(numbers.begin(), numbers.end());
  EXPECT_EQ(numbers, (std::vector<std::string>{"EX065392", "EX069984", "EX070158", "EX070162"}));
}

TEST_F(DemoFigures, LoadingTheDemoTwiceIsRefusedAndChangesNothing) {
  const std::string before = dump_database(db_);
  auto again = octroi::run_write(
      *store_, [&](octroi::Transaction& tx) { return octroi::load_demo(tx, "demo", clock_); });
  const std::string after = dump_database(db_);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.refusal().has_code("demo.exists")) << again.refusal().describe();
  EXPECT_EQ(before, after) << first_difference(before, after);
  EXPECT_EQ(count_rows(db_, "applications"), 4);
  EXPECT_EQ(count_rows(db_, "authorities"), 1);
}

}  // namespace
}  // namespace octroi_test
