// What the API answers when the fault is not the client's (issue 14, problem codes): a row the
// store cannot read is a 503 server.store, a programmer error (here a checked overflow of a
// balance that only a damaged store can hold) a 500 server.internal; both are problem+json, the
// transaction is rolled back and nothing is written.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/http_support.h"

namespace octroi_test {
namespace {

using nlohmann::json;
using octroi::Role;

class HttpFailures : public HttpTest {};

TEST_F(HttpFailures, ARowTheStoreCannotReadIsA503Problem) {
  const Auth admin = bearer(Role::Administrator);
  token(Role::Reader, "jeton abîmé");
  // A moment that is not an Instant: SQLite's TEXT and PostgreSQL's text both take it.
  exec_sql(db_, "UPDATE api_tokens SET created_at = 'hier soir' WHERE label = 'jeton abîmé'");
  expect_refused(get("/api/v1/tokens", admin), 503, "server.store");
  // Other reads do not touch the damaged row and still answer.
  expect_ok(get("/api/v1/applications/EX070162", admin));
}

TEST_F(HttpFailures, AVoteThatOverflowsTheBalanceIsA500ProblemAndWritesNothing) {
  const Auth admin = bearer(Role::Administrator);
  // Votes are capped far below the int64 range (Money::kMaxInputCents): only a damaged row
  // holds AE this close to it. The vote's checked addition throws, as any programmer error.
  exec_sql(db_,
           "UPDATE budget_lines SET ae_voted_cents = 9223372036854775000 "
           "WHERE fiscal_year = 2023 AND action = '16300302'");
  const auto out =
      expect_refused(send_json("POST", "/api/v1/budget/lines/2023/16300302/movements", admin,
                               json{{"kind", "vote"},
                                    {"ae", "1000000"},
                                    {"reference", "DM 2023-1"},
                                    {"label", "Décision modificative"}}),
                     500, "server.internal");
  // The client learns nothing of the cause (no exception text).
  EXPECT_EQ(out.body.find("overflow"), std::string::npos) << out.body;
}

}  // namespace
}  // namespace octroi_test
