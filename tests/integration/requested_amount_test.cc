// Issue 18, finding 3: the amount an applicant asks for is its own field. A commune asks the
// Region for 4 000 € while its plan still shows the Region's line at 5 000 €: the chèque
// numérique's rule (50 % of the base, never above the request) gives 4 000 €, the page and the API
// say 4 000 € asked; without the field, the plan's line is the request, as before. On both stores.
#include <gtest/gtest.h>

#include <string>

#include "app/use_cases.h"
#include "common/db_dump.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::Context;
using octroi::Money;
using octroi::Transaction;

class RequestedAmountTest : public DemoDatabaseTest {
 protected:
  octroi::Result<octroi::Application> create(const std::string& requested) {
    octroi::ApplicationInput in;
    in.scheme_number = "00001176";
    in.party_id = party_id("Commune de Montfermeil");
    in.title = "Chèque numérique : vitrine des marchés";
    in.start = "2023-03-01";
    in.end = "2023-12-31";
    in.reference_year = "2023";
    in.requested = requested;
    in.expenses = {{"Développement", "10000", true}};
    in.resources = {{"Autofinancement", "5000", "self_funding", ""},
                    {"Région", "5000", "authority", "sollicité"}};
    return write([&](Transaction& tx, const Context& ctx) {
      return octroi::create_application(tx, ctx, in);
    });
  }
};

TEST_F(RequestedAmountTest, TheAmountAskedCapsTheAwardWhenItIsBelowThePlansLine) {
  auto asked = create("4 000");
  ASSERT_TRUE(asked.ok()) << asked.refusal().describe();
  EXPECT_EQ(asked->requested_amount, Money::from_cents(4'000'00));
  const auto v = show(asked->number);
  EXPECT_EQ(v.plan.requested, Money::from_cents(4'000'00));
  ASSERT_TRUE(v.award.has_value());
  EXPECT_EQ(v.award->amount, Money::from_cents(4'000'00));  // 50 % of 10 000 €, capped at 4 000 €
  // Without the field: the plan's line, as before.
  auto from_plan = create("");
  ASSERT_TRUE(from_plan.ok()) << from_plan.refusal().describe();
  EXPECT_FALSE(from_plan->requested_amount.has_value());
  const auto w = show(from_plan->number);
  EXPECT_EQ(w.plan.requested, Money::from_cents(5'000'00));
  ASSERT_TRUE(w.award.has_value());
  EXPECT_EQ(w.award->amount, Money::from_cents(5'000'00));
  // Above the plan's line, the line stays the request: the plan does not finance more.
  auto above = create("6000");
  ASSERT_TRUE(above.ok()) << above.refusal().describe();
  const auto x = show(above->number);
  EXPECT_EQ(x.plan.requested, Money::from_cents(5'000'00));
  ASSERT_TRUE(x.award.has_value());
  EXPECT_EQ(x.award->amount, Money::from_cents(5'000'00));
  // Stored as asked, and in the audit trail.
  const auto stored =
      query(db_, "SELECT requested_cents FROM applications WHERE number = '" + asked->number + "'");
  EXPECT_EQ(stored, (std::vector<std::vector<std::string>>{{"400000"}}));
  const auto audit = query(db_,
                           "SELECT after FROM audit_log WHERE action = 'application.create' "
                           "AND entity_key = '" +
                               asked->number + "'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_NE(audit[0][0].find("\"requested\":\"4000.00\""), std::string::npos) << audit[0][0];
}

TEST_F(RequestedAmountTest, ANullOrUnreadableAmountIsRefusedByNameAndNothingIsStored) {
  const std::string before = dump_database(db_);
  for (const auto& [typed, code] :
       std::vector<std::pair<std::string, std::string>>{{"0", "application.requested"},
                                                        {"-10", "application.requested"},
                                                        {"4 000,5x", "amount.invalid"}}) {
    SCOPED_TRACE(typed);
    const auto refused = create(typed);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.refusal().first().code, code) << refused.refusal().describe();
    EXPECT_EQ(refused.refusal().first().field, "requested");
  }
  EXPECT_EQ(dump_database(db_), before);
}

TEST_F(RequestedAmountTest, TheDatabaseRefusesARequestThatIsNotPositive) {
  const std::string before = dump_database(db_);
  EXPECT_THROW(write([&](Transaction& tx, const Context&) {
                 auto app = tx.applications().find_application(idf_, "EX070162");
                 app->requested_amount = Money::from_cents(0);
                 tx.applications().update_application(*app);
                 return octroi::Result<int>(1);
               }),
               octroi::StoreError);
  EXPECT_EQ(dump_database(db_), before);
}

}  // namespace
}  // namespace octroi_test
