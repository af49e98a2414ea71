// The PostgreSQL adapter's own mechanics (issue 5, item 1): the rewriting of parameters, the
// password kept out of messages, and the pool's explicit limits and timeouts. The first two are
// pure functions and run in both store runs; the pool and lock tests need a server and run in
// the "postgres." run only (on SQLite there is no pool limit or row lock to exercise).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/pg_store.h"
#include "app/ports/authorities.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::postgres::redact_url;
using octroi::postgres::to_dollar_parameters;

TEST(PostgresParameters, QuestionMarksBecomeNumberedOutsideQuotes) {
  int n = 0;
  EXPECT_EQ(to_dollar_parameters("SELECT a FROM t WHERE b = ? AND c = ?", &n),
            "SELECT a FROM t WHERE b = $1 AND c = $2");
  EXPECT_EQ(n, 2);
  EXPECT_EQ(to_dollar_parameters("WHERE x = ?1 AND (CAST(?2 AS INTEGER) IS NULL OR y = ?2)", &n),
            "WHERE x = $1 AND (CAST($2 AS INTEGER) IS NULL OR y = $2)");
  EXPECT_EQ(n, 2);
  EXPECT_EQ(to_dollar_parameters("SELECT '?', \"a?\", 'it''s ?' FROM t WHERE v = ?", &n),
            "SELECT '?', \"a?\", 'it''s ?' FROM t WHERE v = $1");
  EXPECT_EQ(n, 1);
}

TEST(PostgresUrls, PasswordsNeverAppearInMessages) {
  EXPECT_EQ(redact_url("postgresql://octroi:s3cret@db.example:5432/octroi?sslmode=require"),
            "postgresql://octroi:***@db.example:5432/octroi?sslmode=require");
  EXPECT_EQ(redact_url("postgresql:///octroi?host=/tmp/x&user=octroi"),
            "postgresql:///octroi?host=/tmp/x&user=octroi");
  EXPECT_EQ(redact_url("postgresql://octroi@db/octroi"), "postgresql://octroi@db/octroi");
  const auto r =
      run_octroi({"application", "list", "--db", "postgresql://octroi:s3cret@127.0.0.1:1/none"});
  EXPECT_EQ(r.status, 3);
  EXPECT_EQ(r.err.find("s3cret"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("octroi:***@"), std::string::npos) << r.err;
}

// Sets environment variables for the life of the object (tests of one binary run one at a time).
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, const char*>> vars) {
    for (const auto& [k, v] : vars) {
      names_.push_back(k);
      setenv(k, v, 1);
    }
  }
  ~ScopedEnv() {
    for (const auto* k : names_)
      unsetenv(k);
  }

 private:
  std::vector<const char*> names_;
};

class PostgresPoolTest : public DemoDatabaseTest {
 protected:
  void SetUp() override {
    if (!octroi_testing::testing_postgres())
      GTEST_SKIP() << "pool limits and row locks are PostgreSQL's: tested in the postgres. run";
    DemoDatabaseTest::SetUp();
  }
};

TEST_F(PostgresPoolTest, ABusyPoolFailsAfterItsTimeoutInsteadOfWaitingForever) {
  ScopedEnv env{{"OCTROI_PG_POOL_MAX", "1"}, {"OCTROI_PG_ACQUIRE_TIMEOUT_MS", "300"}};
  auto store = octroi::postgres::PgStore::open(db_);
  auto held = store->begin(octroi::TxMode::Read);  // the only connection
  const auto start = std::chrono::steady_clock::now();
  try {
    auto second = store->begin(octroi::TxMode::Read);
    ADD_FAILURE() << "a second connection was handed out beyond OCTROI_PG_POOL_MAX=1";
  } catch (const octroi::StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("aucune connexion libre"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("OCTROI_PG_POOL_MAX"), std::string::npos) << e.what();
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250));
  held.reset();  // given back: the next transaction gets it
  EXPECT_NO_THROW(store->begin(octroi::TxMode::Read));
}

TEST_F(PostgresPoolTest, AWriterWaitingTooLongForTheAuthorityLockGivesUp) {
  ScopedEnv env{{"OCTROI_PG_LOCK_TIMEOUT_MS", "300"}};
  auto store = octroi::postgres::PgStore::open(db_);
  auto first = store->begin(octroi::TxMode::Write);
  ASSERT_TRUE(
      first->authorities().find_authority("idf").has_value());  // takes the authority's row lock
  auto second = store->begin(octroi::TxMode::Write);
  try {
    second->authorities().find_authority("idf");
    ADD_FAILURE() << "two writers of one authority held its lock at once";
  } catch (const octroi::StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("lock"), std::string::npos) << e.what();
  }
  // Readers are never blocked by the writer.
  auto reader = store->begin(octroi::TxMode::Read);
  EXPECT_TRUE(reader->authorities().find_authority("idf").has_value());
}

TEST_F(PostgresPoolTest, MalformedPoolSettingsAreRefusedByName) {
  ScopedEnv env{{"OCTROI_PG_POOL_MAX", "beaucoup"}};
  try {
    octroi::postgres::PgStore::open(db_);
    ADD_FAILURE() << "OCTROI_PG_POOL_MAX=beaucoup accepted";
  } catch (const octroi::StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("OCTROI_PG_POOL_MAX"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace octroi_test
