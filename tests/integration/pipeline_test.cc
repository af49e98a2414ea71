// Statements run later (sql::Statement::run_later, issue 15): on PostgreSQL they are pipelined
// (sent without waiting for their answers, which are read before the next statement that needs
// one); on SQLite they run at once. Either way nothing may be lost or misread: every statement
// is applied in order, a failure or an unexpected row count surfaces before COMMIT, and a
// rollback leaves the connection usable. Run on the store of the test run (both runs).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "adapters/postgres/pg_connection.h"
#include "adapters/sqlite/db.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<octroi_testing::TestDatabase>(dir_.path());
    if (octroi_testing::testing_postgres())
      c_ = octroi::postgres::Connection::connect(database_->locator());
    else
      c_ = octroi::sqlite::Connection::create(database_->locator());
    c_->exec("CREATE TABLE pipeline_rows (n INTEGER PRIMARY KEY, label TEXT NOT NULL)");
  }

  std::int64_t count() {
    auto st = c_->prepare("SELECT count(*) FROM pipeline_rows");
    EXPECT_TRUE(st.step());
    return st.int64(0);
  }
  void insert_later(std::int64_t n, const std::string& label) {
    c_->prepare("INSERT INTO pipeline_rows (n, label) VALUES (?, ?)")
        .bind(1, n)
        .bind(2, label)
        .run_later();
  }

  TempDir dir_;
  std::unique_ptr<octroi_testing::TestDatabase> database_;
  std::unique_ptr<octroi::sql::Connection> c_;
};

TEST_F(PipelineTest, EveryStatementRunLaterIsAppliedInOrderBeforeTheNextRead) {
  c_->exec("BEGIN");
  // More than a pipeline holds at once (kMaxPipelined = 256): the cap settles midway.
  for (std::int64_t n = 1; n <= 1000; ++n)
    insert_later(n, "ligne " + std::to_string(n));
  // In order: the update sees the rows inserted before it.
  c_->prepare("UPDATE pipeline_rows SET label = 'modifiée' WHERE n > ?")
      .bind(1, std::int64_t{990})
      .run_later(10);
  EXPECT_EQ(count(), 1000);
  c_->exec("COMMIT");
  auto st = c_->prepare("SELECT count(*), sum(n) FROM pipeline_rows WHERE label = 'modifiée'");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.int64(0), 10);
  EXPECT_EQ(st.int64(1), 9955);  // 991 + … + 1000
}

TEST_F(PipelineTest, AFailureSurfacesBeforeCommitAndTheRollbackKeepsNothing) {
  c_->exec("BEGIN");
  insert_later(1, "un");
  bool refused = false;
  try {
    insert_later(1, "doublon");  // the primary key refuses it: now (SQLite) or at COMMIT
    insert_later(2, "deux");
    c_->exec("COMMIT");
  } catch (const octroi::sql::ConstraintViolation& e) {
    refused = true;
    EXPECT_NE(std::string(e.what()).find("pipeline_rows"), std::string::npos) << e.what();
    EXPECT_NO_THROW(c_->exec("ROLLBACK"));
  }
  EXPECT_TRUE(refused) << "a duplicate key sent later was committed or lost";
  EXPECT_EQ(count(), 0);  // nothing of the failed transaction, and the connection still answers
  c_->exec("BEGIN");
  insert_later(3, "trois");
  c_->exec("COMMIT");
  EXPECT_EQ(count(), 1);
}

TEST_F(PipelineTest, ARowCountOtherThanTheExpectedOneIsAnError) {
  c_->exec("BEGIN");
  insert_later(1, "un");
  bool refused = false;
  try {
    c_->prepare("UPDATE pipeline_rows SET label = 'x' WHERE n = ?")
        .bind(1, std::int64_t{42})
        .run_later(1);  // no row 42
    EXPECT_EQ(count(), 1);
  } catch (const octroi::StoreError& e) {
    refused = true;
    EXPECT_NE(std::string(e.what()).find("0 row(s) changed, 1 expected"), std::string::npos)
        << e.what();
    c_->exec("ROLLBACK");
  }
  EXPECT_TRUE(refused) << "an update of no row passed for an update of one";
  EXPECT_EQ(count(), 0);
}

}  // namespace
}  // namespace octroi_test
