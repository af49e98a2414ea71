// What `octroi db copy` refuses or reports (issue 14, problem codes): schemas that differ, a
// source table the copy does not know, and a target that does not keep what it was given. The
// damaged targets are made with triggers that alter rows as they arrive (SQLite's or
// PostgreSQL's, for the store under test): the copy's verification must see it, code by code.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "adapters/store/copy.h"
#include "adapters/store/open_store.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

namespace stores = octroi::stores;

class StoreCopyChecks : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = dir_.file("source.db");
    ASSERT_TRUE(make_adopted_demo(source_));
    // The target's schema, migrated as `db copy` would.
    stores::open(target_.locator(), stores::OpenMode::Create);
  }

  bool postgres() const { return target_.locator().rfind("postgres", 0) == 0; }

  void exec_on_target(const std::string& sql) {
    std::string message;
    ASSERT_EQ(exec_sql(target_.locator(), sql, &message), SqlOutcome::Ok) << sql << "\n" << message;
  }

  // After each row inserted into `table` of the target, `statement` runs (NEW is the row).
  void after_insert(const std::string& table, const std::string& statement) {
    const std::string name = "damage_" + table;
    if (postgres())
      exec_on_target("CREATE FUNCTION " + name +
                     "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " + statement +
                     "; RETURN NULL; END $$; CREATE TRIGGER " + name + " AFTER INSERT ON " + table +
                     " FOR EACH ROW EXECUTE FUNCTION " + name + "()");
    else
      exec_on_target("CREATE TRIGGER " + name + " AFTER INSERT ON " + table + " BEGIN " +
                     statement + "; END");
  }

  // Lets the target change rows of an append-only table (a damaged store, not octroi's).
  void drop_guard(const std::string& trigger, const std::string& table) {
    exec_on_target(postgres() ? "DROP TRIGGER " + trigger + " ON " + table
                              : "DROP TRIGGER " + trigger);
  }

  octroi::Result<stores::CopyReport> copy() {
    auto from = stores::open(source_, stores::OpenMode::Existing);
    auto to = stores::open(target_.locator(), stores::OpenMode::Existing);
    return stores::copy_store(*from, *to, {}, {});
  }

  // The codes of a refused copy, each with its field.
  static std::set<std::string> codes(const octroi::Result<stores::CopyReport>& r) {
    std::set<std::string> out;
    if (r.ok()) return out;
    for (const auto& p : r.refusal().problems) {
      EXPECT_FALSE(p.message.empty()) << p.code;
      out.insert(p.code + " @ " + p.field);
    }
    return out;
  }

  TempDir dir_;
  std::string source_;
  TestDatabase target_{dir_.path(), "target"};
};

TEST_F(StoreCopyChecks, SchemasOfDifferentVersionsAreRefusedBeforeAnythingIsWritten) {
  auto from = stores::open(source_, stores::OpenMode::Existing);
  auto to = stores::open(target_.locator(), stores::OpenMode::Existing);
  exec_on_target("INSERT INTO schema_migrations (version, name) VALUES (999, 'a later octroi')");
  const auto r = stores::copy_store(*from, *to, {}, {});
  EXPECT_EQ(codes(r), (std::set<std::string>{"copy.schema_version @ to"}));
  EXPECT_EQ(count_rows(target_.locator(), "authorities"), 0);
}

TEST_F(StoreCopyChecks, ASourceTableTheCopyDoesNotKnowIsRefused) {
  ASSERT_EQ(exec_sql(source_, "CREATE TABLE local_notes (id INTEGER PRIMARY KEY, text TEXT)"),
            SqlOutcome::Ok);
  const auto r = copy();
  EXPECT_EQ(codes(r), (std::set<std::string>{"copy.unknown_table @ from"}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.refusal().first().message.find("local_notes"), std::string::npos);
  EXPECT_EQ(count_rows(target_.locator(), "authorities"), 0);
}

TEST_F(StoreCopyChecks, RowsTheTargetLosesAreCounted) {
  drop_guard("application_events_append_only_d", "application_events");
  after_insert("application_events", "DELETE FROM application_events WHERE id = NEW.id");
  const auto r = copy();
  EXPECT_EQ(codes(r), (std::set<std::string>{"copy.count_mismatch @ application_events"}));
}

TEST_F(StoreCopyChecks, BalancesTheTargetChangesDifferFromTheSourceAndFromTheJournal) {
  after_insert("budget_lines",
               "UPDATE budget_lines SET ae_voted_cents = ae_voted_cents + 100 WHERE id = NEW.id");
  const auto r = copy();
  const auto found = codes(r);
  EXPECT_TRUE(found.count("copy.balance_mismatch @ budget_lines"))
      << ::testing::PrintToString(found);
  EXPECT_TRUE(found.count("copy.ledger @ ledger_entries")) << ::testing::PrintToString(found);
}

TEST_F(StoreCopyChecks, AnAuditTrailTheTargetAltersBreaksItsChainAndItsHead) {
  drop_guard("audit_log_append_only_u", "audit_log");
  after_insert("audit_log",
               "UPDATE audit_log SET hash = '" + std::string(64, '0') + "' WHERE seq = NEW.seq");
  const auto r = copy();
  const auto found = codes(r);
  EXPECT_TRUE(found.count("copy.audit @ audit_log")) << ::testing::PrintToString(found);
  EXPECT_TRUE(found.count("copy.audit_head @ audit_log")) << ::testing::PrintToString(found);
}

}  // namespace
}  // namespace octroi_test
