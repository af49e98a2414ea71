// Group commit (adapters/sql/group_commit.h), on the engine under test: the work of many callers
// committed together, each under its own savepoint. A refusal or an exception rolls back its own
// writes only and reaches its own caller; a failed commit reaches every caller whose writes it
// held and writes nothing; a work may not nest a write. The SQLite store routes run_write through
// it (SqliteStore::write), which the last test shows end to end.
//
// To put several works in one batch deterministically, a first work holds the writer thread
// (it waits for the others to be queued); the others then form the next batch together.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sql/group_commit.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/store/open_store.h"
#include "core/result.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::StoreError;
using octroi::Transaction;
using octroi::WriteWork;
using octroi::sql::Connection;
using octroi::sql::GroupCommitter;

class GroupCommit : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = octroi::stores::open(db_.locator(), octroi::stores::OpenMode::Create);
    ASSERT_EQ(exec_sql(db_.locator(),
                       "CREATE TABLE gc_parent (id INTEGER PRIMARY KEY, who TEXT NOT NULL);"
                       "CREATE TABLE gc_child (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL "
                       "REFERENCES gc_parent (id) DEFERRABLE INITIALLY DEFERRED)"),
              SqlOutcome::Ok);
    committer_ = std::make_unique<GroupCommitter>(
        [this] {
          auto c = octroi_testing::connect(db_.locator());
          writer_conn_ = c.get();  // used by the works, on the writer thread only
          return c;
        },
        store_->hasher());
  }
  void TearDown() override { committer_.reset(); }

  // A work that inserts `who` into gc_parent with `id`, then keeps it or not.
  WriteWork insert(int id, std::string who, bool keep = true) {
    return [this, id, who, keep](Transaction&) {
      writer_conn_->prepare("INSERT INTO gc_parent (id, who) VALUES (?, ?)")
          .bind(1, id)
          .bind(2, who)
          .run();
      return keep;
    };
  }

  // Runs works[0] first; it holds the writer thread until the others are queued (they are
  // given a moment after starting), so that works[1..] form one batch. Returns each caller's
  // exception message ("" when write() returned).
  std::vector<std::string> run_grouped(const std::vector<WriteWork>& works) {
    std::atomic<bool> release{false};
    std::vector<std::string> errors(works.size());
    auto call = [&](std::size_t i, const WriteWork& w) {
      try {
        committer_->write(w);
      } catch (const std::exception& e) {
        errors[i] = std::string("error: ") + e.what();
      }
    };
    std::atomic<bool> holding{false};
    const WriteWork first = [&](Transaction& tx) {
      holding = true;
      while (!release)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return works[0](tx);
    };
    std::vector<std::thread> threads;
    threads.emplace_back(call, 0, first);
    while (!holding)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (std::size_t i = 1; i < works.size(); ++i) {
      threads.emplace_back(call, i, works[i]);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // keeps the order
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    release = true;
    for (auto& t : threads)
      t.join();
    return errors;
  }

  std::vector<std::vector<std::string>> parents() {
    return query(db_.locator(), "SELECT id, who FROM gc_parent ORDER BY id");
  }

  TempDir dir_;
  TestDatabase db_{dir_.path()};
  std::unique_ptr<octroi::sql::SqlStore> store_;
  std::unique_ptr<GroupCommitter> committer_;
  Connection* writer_conn_ = nullptr;
};

TEST_F(GroupCommit, SeveralCallersShareOneCommitAndARefusalRollsBackAlone) {
  const auto errors = run_grouped({insert(1, "a"), insert(2, "b"), insert(3, "refused", false),
                                   insert(4, "d"), insert(5, "e")});
  for (const auto& e : errors)
    EXPECT_EQ(e, "");
  const std::vector<std::vector<std::string>> want = {
      {"1", "a"}, {"2", "b"}, {"4", "d"}, {"5", "e"}};
  EXPECT_EQ(parents(), want);
  // The first work committed alone (it held the thread past the batch's age); the four others
  // together: two commits for five callers.
  EXPECT_EQ(committer_->commits(), 2u);
}

TEST_F(GroupCommit, AnExceptionReachesItsCallerOnlyAndRollsBackItsWritesOnly) {
  const WriteWork throws = [this](Transaction&) -> bool {
    writer_conn_->exec("INSERT INTO gc_parent (id, who) VALUES (3, 'thrown away')");
    throw std::runtime_error("boom");
  };
  // A constraint broken inside a work is its own failure too (a duplicate primary key).
  const auto errors =
      run_grouped({insert(1, "a"), insert(2, "b"), throws, insert(2, "duplicate"), insert(4, "d")});
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  EXPECT_EQ(errors[2], "error: boom");
  EXPECT_NE(errors[3].find("error: "), std::string::npos);
  EXPECT_EQ(errors[4], "");
  const std::vector<std::vector<std::string>> want = {{"1", "a"}, {"2", "b"}, {"4", "d"}};
  EXPECT_EQ(parents(), want);
}

TEST_F(GroupCommit, AFailedCommitFailsEveryCallerItHeldAndWritesNothingOfTheirs) {
  // An orphan child passes its statement (the foreign key is deferred) and fails the COMMIT.
  const WriteWork orphan = [this](Transaction&) {
    writer_conn_->exec("INSERT INTO gc_child (id, parent) VALUES (1, 999)");
    return true;
  };
  const auto errors =
      run_grouped({insert(1, "a"), insert(2, "b"), orphan, insert(3, "refused", false)});
  EXPECT_EQ(errors[0], "");  // committed alone before
  EXPECT_NE(errors[1].find("error: "), std::string::npos) << errors[1];
  EXPECT_NE(errors[2].find("error: "), std::string::npos) << errors[2];
  EXPECT_EQ(errors[3], "");  // refused: its caller keeps its own outcome
  const std::vector<std::vector<std::string>> want = {{"1", "a"}};
  EXPECT_EQ(parents(), want);
  EXPECT_EQ(count_rows(db_.locator(), "gc_child"), 0);
  // The writer goes on after a failed batch.
  committer_->write(insert(7, "after"));
  EXPECT_EQ(parents().back(), (std::vector<std::string>{"7", "after"}));
}

TEST_F(GroupCommit, AWorkCannotNestAWrite) {
  std::string message;
  const WriteWork nested = [&](Transaction&) {
    try {
      committer_->write(insert(1, "nested"));
    } catch (const octroi::InvariantViolation& e) {
      message = e.what();
    }
    return true;
  };
  committer_->write(nested);
  EXPECT_NE(message.find("nested writes"), std::string::npos) << message;
  EXPECT_TRUE(parents().empty());
}

// The store's own write path: 8 threads × 25 parties through run_write, every one stored, in
// fewer commits than writes on SQLite (the writer thread grouped them).
TEST_F(GroupCommit, RunWriteFromManyThreadsKeepsEveryWrite) {
  FixedClock clock;
  auto authority = octroi::run_write(*store_, [&](Transaction& tx) {
    return octroi::create_authority(tx, "test:admin", clock, {"t1", "Région Test", "", "", ""});
  });
  ASSERT_TRUE(authority.ok()) << authority.refusal().describe();
  const octroi::Context ctx{authority->id, "test", &clock};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        octroi::PartyInput in;
        in.legal_name = "Association " + std::to_string(t) + "-" + std::to_string(i);
        auto r = octroi::run_write(
            *store_, [&](Transaction& tx) { return octroi::register_party(tx, ctx, in); });
        if (!r.ok()) ++refused;
      }
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(refused, 0);
  EXPECT_EQ(count_rows(db_.locator(), "parties"), 200);
  if (auto* sqlite = dynamic_cast<octroi::sqlite::SqliteStore*>(store_.get())) {
    EXPECT_GT(sqlite->group_commits(), 0u);
    EXPECT_LE(sqlite->group_commits(), 200u);
  }
}

}  // namespace
}  // namespace octroi_test
