// Writers racing on one budget line, on the store under test (a SQLite file, or a PostgreSQL
// schema whose writers queue on the authority's row): 8 threads sharing one store (each
// transaction on a pooled connection) and 4 processes with a store of their own, all allocating
// 37,00 € at a time from a line of 10 000,00 € of AE until each has tried 60 times (26 640,00 €
// asked for in all). The line must end exactly as full as it can be, never over-allocated, with
// every refusal a business refusal "ledger.insufficient_ae" — never "database is locked", a lock
// timeout, a pool exhausted nor any other StoreError — and its journal and audit trail intact. Two
// more threads verify the ledger in read transactions all along: each snapshot must be consistent.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/ports/ledger.h"
#include "integration/robustness_support.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::Context;
using octroi::Money;
using octroi::MovementInput;
using octroi::Transaction;

constexpr int kThreads = 8;
constexpr int kProcesses = 4;
constexpr int kReaders = 2;    // threads verifying the ledger while the others write
constexpr int kAttempts = 60;  // per thread and per process
constexpr std::int64_t kVotedCents = 10'000'00;
constexpr std::int64_t kAmountCents = 37'00;

// What one worker saw. Plain data: a child process sends it to the parent through a pipe.
struct Tally {
  std::int32_t accepted = 0;
  std::int32_t insufficient = 0;    // refused with "ledger.insufficient_ae"
  std::int32_t other_refusals = 0;  // any other refusal code
  std::int32_t errors = 0;          // exceptions (StoreError "database is locked"...)
  char first_problem[512] = {};

  void note(const std::string& what) {
    if (first_problem[0] != '\0') return;
    std::strncpy(first_problem, what.c_str(), sizeof first_problem - 1);
  }
};

// `attempts` allocations of 37,00 € on `key`, each in its own write transaction.
void allocate_repeatedly(octroi::Store& store, const Context& ctx, const std::string& key,
                         const std::string& who, Tally& t) {
  for (int i = 0; i < kAttempts; ++i) {
    MovementInput in;
    in.line = key;
    in.amount = Money::from_cents(kAmountCents).to_decimal_string();
    in.reference = "CP 2023-100";
    in.label = "Affectation concurrente " + who + " n° " + std::to_string(i);
    try {
      auto r = octroi::run_write(
          store, [&](Transaction& tx) { return octroi::allocate_budget(tx, ctx, in); });
      if (r.ok()) {
        ++t.accepted;
      } else if (r.refusal().problems.size() == 1 &&
                 r.refusal().first().code == "ledger.insufficient_ae") {
        ++t.insufficient;
      } else {
        ++t.other_refusals;
        t.note(who + ": unexpected refusal " + robust::codes(r.refusal()));
      }
    } catch (const std::exception& e) {
      ++t.errors;
      t.note(who + ": exception: " + e.what());
    }
  }
}

bool write_all(int fd, const void* data, std::size_t n) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

bool read_all(int fd, void* data, std::size_t n) {
  auto* p = static_cast<char*>(data);
  while (n > 0) {
    const ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

// The body of a child process: its own store on the same database, ready, then wait for the start
// signal (EOF on `go_fd`), allocate, report the tally on `report_fd`. Never returns.
[[noreturn]] void child_worker(const std::string& db, octroi::AuthorityId authority,
                               const std::string& key, int index, int ready_fd, int go_fd,
                               int report_fd) {
  Tally t;
  const std::string who = "process " + std::to_string(index);
  try {
    FixedClock clock;
    auto store = octroi::stores::open(db, octroi::stores::OpenMode::Existing);
    const Context ctx{authority, "test:" + who, &clock};
    const char ready = 'r';
    write_all(ready_fd, &ready, 1);
    close(ready_fd);  // so that the parent sees EOF, not a hang, if a sibling dies unready
    char c = 0;
    while (read(go_fd, &c, 1) < 0 && errno == EINTR) {
    }
    allocate_repeatedly(*store, ctx, key, who, t);
  } catch (const std::exception& e) {
    ++t.errors;
    t.note(who + ": exception: " + e.what());
  } catch (...) {
    ++t.errors;
    t.note(who + ": unknown exception");
  }
  const bool sent = write_all(report_fd, &t, sizeof t);
  _exit(sent && t.errors == 0 && t.other_refusals == 0 ? 0 : 1);
}

TEST(LedgerConcurrency, ThreadsAndProcessesNeverOverAllocate) {
  TempDir dir;
  FixedClock clock;
  const TestDatabase database(dir.path(), "concurrent");
  const std::string db = database.locator();
  octroi::AuthorityId authority;
  std::string key;
  {
    auto store = octroi::stores::open(db, octroi::stores::OpenMode::Create);
    authority = robust::create_test_authority(*store, clock, "conc");
    const Context ctx{authority, "test:setup", &clock};
    const auto line = robust::create_line(*store, ctx, robust::three_lines()[0]);
    key = line.key();
    MovementInput vote;
    vote.line = key;
    vote.ae = Money::from_cents(kVotedCents).to_decimal_string();
    vote.cp = vote.ae;
    vote.reference = "BP 2023";
    auto v = octroi::run_write(*store,
                               [&](Transaction& tx) { return octroi::vote_budget(tx, ctx, vote); });
    ASSERT_TRUE(v.ok()) << robust::codes(v.refusal());
  }  // every connection closed: none is inherited by the children
  if (!octroi_testing::testing_postgres()) {
    ASSERT_FALSE(std::filesystem::exists(db + "-wal"));
  }

  // The processes first, before this test starts any thread.
  int go[2], ready[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(ready), 0);
  struct Child {
    pid_t pid = -1;
    int report_fd = -1;
  };
  std::vector<Child> children;
  // If an assertion returns early: no child is left waiting for the start signal.
  struct Reaper {
    std::vector<Child>& children;
    ~Reaper() {
      for (auto& c : children) {
        if (c.pid <= 0) continue;
        kill(c.pid, SIGKILL);
        waitpid(c.pid, nullptr, 0);
      }
    }
  } reaper{children};
  for (int p = 0; p < kProcesses; ++p) {
    int report[2];
    ASSERT_EQ(pipe(report), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0) << std::strerror(errno);
    if (pid == 0) {
      close(go[1]);
      close(ready[0]);
      close(report[0]);
      child_worker(db, authority, key, p, ready[1], go[0], report[1]);
    }
    close(report[1]);
    children.push_back({pid, report[0]});
  }
  close(go[0]);
  close(ready[1]);
  // Every child has its store open.
  for (int p = 0; p < kProcesses; ++p) {
    char c = 0;
    ASSERT_EQ(read(ready[0], &c, 1), 1) << "a child died before being ready";
  }
  close(ready[0]);

  auto store = octroi::stores::open(db, octroi::stores::OpenMode::Existing);
  std::atomic<int> accepted{0}, insufficient{0}, other_refusals{0}, errors{0};
  std::atomic<int> waiting{0};
  std::atomic<bool> start{false};
  std::mutex problems_mu;
  std::vector<std::string> problems;
  std::vector<std::thread> threads;
  for (int k = 0; k < kThreads; ++k) {
    threads.emplace_back([&, k] {
      FixedClock thread_clock;
      const std::string who = "thread " + std::to_string(k);
      const Context ctx{authority, "test:" + who, &thread_clock};
      Tally t;
      ++waiting;
      while (!start.load())
        std::this_thread::yield();
      allocate_repeatedly(*store, ctx, key, who, t);
      accepted += t.accepted;
      insufficient += t.insufficient;
      other_refusals += t.other_refusals;
      errors += t.errors;
      if (t.first_problem[0] != '\0') {
        std::lock_guard<std::mutex> lock(problems_mu);
        problems.emplace_back(t.first_problem);
      }
    });
  }
  // Readers meanwhile: each read transaction is one snapshot, in which the line's balances are
  // the sum of its journal and keep the invariants.
  std::atomic<bool> writers_done{false};
  std::atomic<int> snapshots{0}, reader_errors{0};
  for (int k = 0; k < kReaders; ++k) {
    threads.emplace_back([&, k] {
      ++waiting;
      while (!start.load())
        std::this_thread::yield();
      do {
        std::string problem;
        try {
          const auto v = octroi::run_read(
              *store, [&](Transaction& tx) { return octroi::verify_ledger(tx, authority); });
          ++snapshots;
          for (const auto& d : v.differences)
            problem += d.line.key() + ": " + d.what + "; ";
        } catch (const std::exception& e) {
          problem = std::string("exception: ") + e.what();
        }
        if (!problem.empty()) {
          ++reader_errors;
          std::lock_guard<std::mutex> lock(problems_mu);
          problems.push_back("reader " + std::to_string(k) + ": " + problem);
        }
      } while (!writers_done.load());
    });
  }
  while (waiting.load() < kThreads + kReaders)
    std::this_thread::yield();
  const auto t0 = std::chrono::steady_clock::now();
  start = true;
  close(go[1]);  // EOF: the children start too
  for (std::size_t k = 0; k < static_cast<std::size_t>(kThreads); ++k)
    threads[k].join();

  int process_accepted = 0;
  for (std::size_t p = 0; p < children.size(); ++p) {
    Tally t;
    const bool got = read_all(children[p].report_fd, &t, sizeof t);
    close(children[p].report_fd);
    int status = 0;
    while (waitpid(children[p].pid, &status, 0) < 0 && errno == EINTR) {
    }
    children[p].pid = -1;
    EXPECT_TRUE(got) << "process " << p << " sent no report (status " << status << ")";
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "process " << p << " failed (status " << status << "): " << t.first_problem;
    if (!got) continue;
    process_accepted += t.accepted;
    accepted += t.accepted;
    insufficient += t.insufficient;
    other_refusals += t.other_refusals;
    errors += t.errors;
    if (t.first_problem[0] != '\0') problems.emplace_back(t.first_problem);
  }
  writers_done = true;
  for (std::size_t k = kThreads; k < threads.size(); ++k)
    threads[k].join();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  std::cout << "[ concurrency ] " << accepted << " accepted (" << process_accepted
            << " by the processes), " << insufficient << " refused for insufficient AE, "
            << other_refusals << " other refusals, " << errors << " errors, in " << ms << " ms; "
            << snapshots << " reader snapshots (" << reader_errors << " inconsistent)" << std::endl;

  for (const auto& p : problems)
    ADD_FAILURE() << p;
  EXPECT_EQ(errors, 0) << "no worker may get a StoreError (e.g. database is locked)";
  EXPECT_EQ(other_refusals, 0);
  EXPECT_EQ(reader_errors, 0) << "every reader snapshot is consistent";
  EXPECT_GT(snapshots, 0);
  EXPECT_EQ(accepted + insufficient + other_refusals + errors, (kThreads + kProcesses) * kAttempts)
      << "every attempt is accounted for";

  const auto balances = octroi::run_read(*store, [&](Transaction& tx) {
    auto line = octroi::budget_line_by_key(tx, authority, key);
    return tx.ledger().line_balances(authority, line->id);
  });
  EXPECT_FALSE(balances.check().has_value()) << *balances.check();
  EXPECT_EQ(balances.ae_voted.cents(), kVotedCents);
  EXPECT_LE(balances.allocated.cents(), balances.ae_voted.cents());
  EXPECT_EQ(balances.allocated.cents(), kAmountCents * accepted.load())
      << "allocated is exactly the accepted allocations";
  // 26 640,00 € were asked for: the line was filled as far as 37,00 € steps allow (9 990,00 €).
  static_assert((kThreads + kProcesses) * kAttempts * kAmountCents > kVotedCents);
  EXPECT_GT(balances.allocated.cents() + kAmountCents, balances.ae_voted.cents());
  EXPECT_EQ(accepted.load(), kVotedCents / kAmountCents);

  robust::RawDb raw(db);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM ledger_entries WHERE kind = 'allocation'"),
            accepted.load());
  EXPECT_TRUE(robust::LedgerAndAuditClean(*store, authority));
}

// The same vote recorded at the same time by several writers (a double click, two clerks):
// exactly one records it, every other sees it already adopted; the allocations, awards and
// audit lines exist once.
constexpr const char* kDemoReport = "CP 2023-040";
enum AdoptOutcome : int { kAdoptedNow = 0, kAlreadyAdopted = 10, kAdoptRefused = 11, kError = 12 };

int try_adopt(octroi::Store& store, const Context& ctx, std::string& problem) {
  try {
    auto r = octroi::run_write(
        store, [&](Transaction& tx) { return octroi::adopt_report(tx, ctx, kDemoReport); });
    if (!r.ok()) {
      problem = robust::codes(r.refusal());
      return kAdoptRefused;
    }
    return r->already_adopted ? kAlreadyAdopted : kAdoptedNow;
  } catch (const std::exception& e) {
    problem = e.what();
    return kError;
  }
}

TEST(LedgerConcurrency, ConcurrentAdoptionsRecordTheVoteOnce) {
  constexpr int kAdoptThreads = 4, kAdoptProcesses = 2;
  TempDir dir;
  FixedClock clock;
  const TestDatabase database(dir.path(), "demo");
  const std::string db = database.locator();
  octroi::AuthorityId idf;
  {
    auto store = octroi::stores::open(db, octroi::stores::OpenMode::Create);
    auto loaded = octroi::run_write(
        *store, [&](Transaction& tx) { return octroi::load_demo(tx, "demo", clock); });
    ASSERT_TRUE(loaded.ok()) << robust::codes(loaded.refusal());
    idf = octroi::run_read(*store, [&](Transaction& tx) {
            return octroi::authority_by_code(tx, "idf");
          })->id;
  }
  if (!octroi_testing::testing_postgres()) {
    ASSERT_FALSE(std::filesystem::exists(db + "-wal"));
  }

  // Processes first (before any thread), each with its own store, started by EOF on `go`.
  int go[2], ready[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(ready), 0);
  std::vector<pid_t> pids;
  struct Reaper {
    std::vector<pid_t>& pids;
    ~Reaper() {
      for (pid_t pid : pids) {
        if (pid <= 0) continue;
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    }
  } reaper{pids};
  for (int p = 0; p < kAdoptProcesses; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0) << std::strerror(errno);
    if (pid == 0) {
      close(go[1]);
      close(ready[0]);
      int code = kError;
      std::string problem;
      try {
        FixedClock child_clock;
        auto store = octroi::stores::open(db, octroi::stores::OpenMode::Existing);
        const Context ctx{idf, "test:process " + std::to_string(p), &child_clock};
        const char c = 'r';
        write_all(ready[1], &c, 1);
        close(ready[1]);
        char g = 0;
        while (read(go[0], &g, 1) < 0 && errno == EINTR) {
        }
        code = try_adopt(*store, ctx, problem);
      } catch (const std::exception& e) {
        problem = e.what();
      }
      if (!problem.empty()) std::fprintf(stderr, "adopting process %d: %s\n", p, problem.c_str());
      _exit(code);
    }
    pids.push_back(pid);
  }
  close(go[0]);
  close(ready[1]);
  for (int p = 0; p < kAdoptProcesses; ++p) {
    char c = 0;
    ASSERT_EQ(read(ready[0], &c, 1), 1) << "a child died before being ready";
  }
  close(ready[0]);

  auto store = octroi::stores::open(db, octroi::stores::OpenMode::Existing);
  std::vector<int> outcomes(kAdoptThreads, kError);
  std::vector<std::string> problems(kAdoptThreads);
  std::atomic<int> waiting{0};
  std::atomic<bool> start{false};
  std::vector<std::thread> threads;
  for (int k = 0; k < kAdoptThreads; ++k) {
    threads.emplace_back([&, k] {
      FixedClock thread_clock;
      const Context ctx{idf, "test:thread " + std::to_string(k), &thread_clock};
      ++waiting;
      while (!start.load())
        std::this_thread::yield();
      const auto i = static_cast<std::size_t>(k);
      outcomes[i] = try_adopt(*store, ctx, problems[i]);
    });
  }
  while (waiting.load() < kAdoptThreads)
    std::this_thread::yield();
  start = true;
  close(go[1]);
  for (auto& t : threads)
    t.join();
  for (auto& pid : pids) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    pid = -1;
    ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
    outcomes.push_back(WEXITSTATUS(status));
    problems.emplace_back();
  }

  int now = 0, already = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    now += outcomes[i] == kAdoptedNow;
    already += outcomes[i] == kAlreadyAdopted;
    EXPECT_TRUE(outcomes[i] == kAdoptedNow || outcomes[i] == kAlreadyAdopted)
        << "writer " << i << ": outcome " << outcomes[i] << " " << problems[i];
  }
  EXPECT_EQ(now, 1) << "exactly one writer records the vote";
  EXPECT_EQ(already, kAdoptThreads + kAdoptProcesses - 1);

  robust::RawDb raw(db);
  // Articles 1 to 3 allocate: the tranche, the three awards, the direct operation.
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM ledger_entries WHERE reference = ?",
                       {std::string(kDemoReport)}),
            5);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM application_events WHERE event = 'award' AND "
                       "reason LIKE ?",
                       {"%" + std::string(kDemoReport)}),
            3);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM audit_log WHERE action = 'report.adopt' AND "
                       "entity_key = ?",
                       {std::string(kDemoReport)}),
            1);
  EXPECT_TRUE(robust::LedgerAndAuditClean(*store, idf));
}

}  // namespace
}  // namespace octroi_test
