// A committee vote is all or nothing, even when its writer dies: a child process adopting a
// report of 1 500 awards is killed (SIGKILL) at various points, and the database it leaves,
// once reopened, holds either the whole vote (report adopted, every dossier awarded, the
// article's amount allocated) or none of it (report draft, no dossier awarded, the line's
// allocation unchanged, the database's content identical to before) — never a part. On both
// stores: a SQLite file (the dead writer's WAL recovered on reopening) and a PostgreSQL schema
// (the server rolls back the transaction of a client that vanished).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
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
using octroi::Transaction;
using Clock = std::chrono::steady_clock;

constexpr int kDossiers = 1500;
constexpr int kParties = 12;
constexpr const char* kScheme = "00001176";
constexpr const char* kReport = "CP 2023-090";
constexpr const char* kLineKey = "2023/16300302";

template <class T>
T must(octroi::Result<T> r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error(what + " refused: " + robust::codes(r.refusal()));
  return std::move(r).value();
}

struct Template {
  std::string path;  // its locator
  octroi::AuthorityId authority;
  Money article_amount;
  Money allocated_before;
  std::string dump;  // dump_database of the template, to compare a "none" outcome with
};

// The database every iteration starts from, built through the use cases in one transaction.
void build_template(const std::string& path, Template& t) {
  FixedClock clock;
  auto store = octroi::stores::open(path, octroi::stores::OpenMode::Create);
  t.path = path;
  t.authority = robust::create_test_authority(*store, clock, "crash");
  const Context ctx{t.authority, "test:crash", &clock};
  auto built = octroi::run_write(*store, [&](Transaction& tx) -> octroi::Status {
    octroi::SchemeInput s;
    s.number = kScheme;
    s.name = "Chèque numérique en faveur des artisans et commerçants franciliens";
    s.framework_deliberation = "CR 2019-043";
    s.section = "operating";
    s.budget_imputation = "936-632-657341-163003-400";
    s.budget_action = "16300302 - Soutien à l'artisanat et aux TPE";
    s.rule.rate_percent = "50";
    s.rule.cap = "8000";
    s.rule.not_above_request = true;
    must(octroi::create_scheme(tx, ctx, s), "create_scheme");

    std::vector<std::int64_t> parties;
    for (int p = 0; p < kParties; ++p) {
      octroi::PartyInput in;
      in.legal_name = "Commune de Testville-" + std::to_string(p + 1);
      in.legal_status = "Commune";
      in.role = "Maire";
      in.city = "Testville";
      parties.push_back(must(octroi::register_party(tx, ctx, in), "register_party").party.id.value);
    }

    const auto line = must(octroi::create_budget_line(tx, ctx, robust::three_lines()[0]), "line");
    octroi::MovementInput vote;
    vote.line = line.key();
    vote.ae = "50000000";
    vote.cp = "20000000";
    vote.reference = "BP 2023";
    must(octroi::vote_budget(tx, ctx, vote), "vote_budget");
    // Something already allocated, so that "unchanged" is not just zero.
    octroi::MovementInput earlier;
    earlier.line = line.key();
    earlier.amount = "123456.78";
    earlier.reference = "CP 2023-010";
    earlier.label = "Affectation antérieure";
    must(octroi::allocate_budget(tx, ctx, earlier), "allocate_budget");

    octroi::ArticleInput article;
    article.kind = "scheme_awards";
    article.title =
        "Chèque numérique pour un commerce connecté – " + std::to_string(kDossiers) + " dossiers";
    article.line = line.key();
    article.scheme = kScheme;
    Money sum;
    for (int i = 0; i < kDossiers; ++i) {
      octroi::ApplicationInput a;
      a.scheme_number = kScheme;
      a.party_id = parties[static_cast<std::size_t>(i % kParties)];
      a.title = "Chèque numérique – projet " + std::to_string(i + 1);
      a.description = "Carte cadeau locale digitale, projet de test n° " + std::to_string(i + 1);
      a.place = "Testville";
      a.start = "2023-02-01";
      a.end = "2023-12-31";
      a.reference_year = "2023";
      // Eligible 2 000 € to 2 980 € + some cents; the Region is asked for half: the award.
      const Money expense = Money::from_cents(2000'00 + (i % 50) * 20'00 + (i % 7) * 2);
      const Money request = Money::from_cents(expense.cents() / 2);
      a.expenses = {{"Communication", expense.to_decimal_string(), true}};
      a.resources = {
          {"Autofinancement", (expense - request).to_decimal_string(), "self_funding", ""},
          {"Région", request.to_decimal_string(), "authority", "sollicité"}};
      const auto app = must(octroi::create_application(tx, ctx, a), "create_application");
      for (const char* ev : {"submit", "start_instruction", "propose"}) {
        octroi::EventInput e;
        e.event = ev;
        const auto after = must(octroi::apply_application_event(tx, ctx, app.number, e), ev);
        if (std::string(ev) == "propose") {
          if (!after.proposed_award || *after.proposed_award != request)
            throw std::runtime_error("unexpected proposal for " + app.number);
          sum += *after.proposed_award;
        }
      }
      article.applications.push_back(app.number);
    }
    article.amount = sum.to_decimal_string();
    t.article_amount = sum;
    must(octroi::create_report(tx, ctx,
                               {kReport, "Commerce connecté", "standing_committee", "2023-01-25"}),
         "create_report");
    must(octroi::add_article(tx, ctx, kReport, article), "add_article");
    t.allocated_before = tx.ledger().line_balances(t.authority, line.id).allocated;
    return octroi::done();
  });
  if (!built.ok()) throw std::runtime_error("template refused: " + robust::codes(built.refusal()));
}

// What a reopened copy holds.
struct Observed {
  std::string report_state;
  std::int64_t awarded = 0, proposed = 0;
  Money allocated;
  std::int64_t allocation_entries = 0;  // ledger entries of the report
  std::int64_t award_events = 0;        // dossier history rows "award"
  std::int64_t award_audits = 0;        // audit lines "application.award" and "report.adopt"
};

Observed observe(const std::string& path) {
  robust::RawDb raw(path);
  Observed o;
  const auto rows = raw.must("SELECT state FROM reports WHERE number = ?", {std::string(kReport)});
  o.report_state = rows.empty() ? "?" : rows[0][0];
  o.awarded = raw.scalar("SELECT count(*) FROM applications WHERE state = 'awarded'");
  o.proposed = raw.scalar("SELECT count(*) FROM applications WHERE state = 'proposed'");
  o.allocated = Money::from_cents(raw.scalar(
      "SELECT allocated_cents FROM budget_lines WHERE fiscal_year = 2023 AND action = '16300302'"));
  o.allocation_entries =
      raw.scalar("SELECT count(*) FROM ledger_entries WHERE reference = ?", {std::string(kReport)});
  o.award_events = raw.scalar("SELECT count(*) FROM application_events WHERE event = 'award'");
  o.award_audits = raw.scalar(
      "SELECT count(*) FROM audit_log WHERE action IN ('application.award', 'report.adopt')");
  return o;
}

enum class Outcome { All, None, Partial };

// Reopens the copy (recovering its WAL as octroi would), then classifies what it holds and
// checks that it is all or nothing, with a clean ledger and audit trail.
Outcome check_copy(const Template& t, const std::string& copy) {
  {
    auto store = octroi::stores::open(copy, octroi::stores::OpenMode::Existing);
    EXPECT_TRUE(robust::LedgerAndAuditClean(*store, t.authority)) << copy;
  }  // closed: the WAL is checkpointed and removed
  const Observed o = observe(copy);
  const std::string seen = "report " + o.report_state + ", " + std::to_string(o.awarded) +
                           " awarded, " + std::to_string(o.proposed) + " proposed, allocated " +
                           o.allocated.to_decimal_string() + ", " +
                           std::to_string(o.allocation_entries) + " entries of the report, " +
                           std::to_string(o.award_events) + " award events, " +
                           std::to_string(o.award_audits) + " award/adoption audit lines";
  if (o.report_state == "adopted" && o.awarded == kDossiers && o.proposed == 0 &&
      o.allocated == t.allocated_before + t.article_amount && o.allocation_entries == kDossiers &&
      o.award_events == kDossiers && o.award_audits == kDossiers + 1)
    return Outcome::All;
  if (o.report_state == "draft" && o.awarded == 0 && o.proposed == kDossiers &&
      o.allocated == t.allocated_before && o.allocation_entries == 0 && o.award_events == 0 &&
      o.award_audits == 0) {
    const std::string after = dump_database(copy);
    EXPECT_EQ(after, t.dump) << "nothing of the vote, yet the file changed: "
                             << first_difference(t.dump, after);
    return Outcome::None;
  }
  ADD_FAILURE() << "PARTIAL VOTE after a crash: " << seen << " (expected adopted/" << kDossiers
                << "/0/" << (t.allocated_before + t.article_amount).to_decimal_string()
                << " or draft/0/" << kDossiers << "/" << t.allocated_before.to_decimal_string()
                << ")";
  return Outcome::Partial;
}

// The child's timings, sent to the parent when it lives to the end.
struct Timings {
  std::int64_t adopt_ns = 0;   // adopt_report, inside the write transaction
  std::int64_t commit_ns = 0;  // COMMIT: the WAL frames written and synced, or the server's
};

// Forks a child that opens `copy` and adopts the report as run_write does, telling the parent
// where it is: 's' on the pipe just before its write transaction begins, 'c' just before it
// commits, then its Timings. Never returns in the child.
pid_t spawn_adopter(const Template& t, const std::string& copy, int pipe_fds[2]) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  close(pipe_fds[0]);
  int code = 0;
  try {
    FixedClock clock;
    auto store = octroi::stores::open(copy, octroi::stores::OpenMode::Existing);
    const Context ctx{t.authority, "test:crash-child", &clock};
    const char started = 's', committing = 'c';
    if (write(pipe_fds[1], &started, 1) != 1) _exit(3);
    const auto t0 = Clock::now();
    auto tx = store->begin(octroi::TxMode::Write);
    auto r = octroi::adopt_report(*tx, ctx, kReport);
    if (!r.ok()) _exit(1);
    const auto t1 = Clock::now();
    if (write(pipe_fds[1], &committing, 1) != 1) _exit(3);
    tx->commit();
    const auto t2 = Clock::now();
    tx.reset();
    const Timings timings{std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count(),
                          std::chrono::duration_cast<std::chrono::nanoseconds>(t2 - t1).count()};
    if (write(pipe_fds[1], &timings, sizeof timings) != static_cast<ssize_t>(sizeof timings))
      code = 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "adopting child: %s\n", e.what());
    code = 2;
  } catch (...) {
    code = 2;
  }
  _exit(code);
}

// Reads one byte `expected` from the child; false if it died first.
bool await(int fd, char expected) {
  char c = 0;
  ssize_t n = 0;
  while ((n = read(fd, &c, 1)) < 0 && errno == EINTR) {
  }
  return n == 1 && c == expected;
}

// When the parent kills the child.
struct KillPoint {
  enum Phase { AtFork, InTransaction, InCommit } phase = AtFork;
  double fraction = 0;  // of the phase's measured duration, after the child announced it

  std::string describe() const {
    switch (phase) {
      case AtFork:
        return "right after fork";
      case InTransaction:
        return std::to_string(fraction).substr(0, 4) + " x the adoption, before commit";
      case InCommit:
        return std::to_string(fraction).substr(0, 4) + " x the commit";
    }
    return "?";
  }
};

// Returns once the killed writer's transaction has ended. SQLite: at once (its locks went with
// the process). PostgreSQL: the server may still be running the dead client's last statement,
// or its COMMIT if that was sent before the kill; every write transaction of the authority
// holds the authority's row (FOR UPDATE) before it can send its COMMIT, so taking that row
// waits for the end of whatever the dead writer left running.
void settle(const std::string& locator, octroi::AuthorityId authority) {
  if (!octroi_testing::testing_postgres()) return;
  robust::RawDb raw(locator);
  raw.connection().exec("BEGIN; SELECT id FROM authorities WHERE id = " +
                        std::to_string(authority.value) + " FOR UPDATE; COMMIT");
}

TEST(VoteCrash, KilledWriterLeavesAllOrNothing) {
  TempDir dir;
  Template t;
  const auto setup0 = Clock::now();
  const TestDatabase template_db(dir.path(), "template");
  ASSERT_NO_THROW(build_template(template_db.locator(), t));
  if (!octroi_testing::testing_postgres()) {
    ASSERT_FALSE(std::filesystem::exists(t.path + "-wal"));
  }
  t.dump = dump_database(t.path);
  const auto setup_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - setup0).count();

  // One full adoption in a child, to measure how long its transaction and its commit take.
  const TestDatabase reference_db(dir.path(), "reference");
  const std::string reference = reference_db.locator();
  ASSERT_NO_FATAL_FAILURE(robust::copy_database(t.path, reference));
  Timings timings;
  {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const auto f0 = Clock::now();
    const pid_t pid = spawn_adopter(t, reference, fds);
    ASSERT_GE(pid, 0) << std::strerror(errno);
    close(fds[1]);
    const bool announced = await(fds[0], 's') && await(fds[0], 'c');
    const bool timed =
        read(fds[0], &timings, sizeof timings) == static_cast<ssize_t>(sizeof timings);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const auto total_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - f0).count();
    ASSERT_TRUE(announced && timed && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "the reference adoption failed (status " << status << ")";
    std::cout << "[ vote crash ] setup " << setup_ms << " ms; a full adoption of " << kDossiers
              << " awards: " << timings.adopt_ns / 1'000'000 << " ms before its commit, "
              << timings.commit_ns / 1'000'000 << " ms of commit, " << total_ms
              << " ms from fork to exit" << std::endl;
    ASSERT_EQ(check_copy(t, reference), Outcome::All);
  }

  using P = KillPoint;
  const std::vector<KillPoint> points = {{P::AtFork, 0},          {P::InTransaction, 0.05},
                                         {P::InTransaction, 0.5}, {P::InCommit, 0},
                                         {P::InCommit, 0.1},      {P::InCommit, 0.4}};
  int all = 0, none = 0, partial = 0, killed = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const KillPoint& k = points[i];
    SCOPED_TRACE("iteration " + std::to_string(i) + ": kill " + k.describe());
    const TestDatabase copy_db(dir.path(), "copy" + std::to_string(i));
    const std::string copy = copy_db.locator();
    ASSERT_NO_FATAL_FAILURE(robust::copy_database(t.path, copy));
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = spawn_adopter(t, copy, fds);
    ASSERT_GE(pid, 0) << std::strerror(errno);
    close(fds[1]);
    // Short waits spin: the commit lasts a few milliseconds, finer than sleep_for's resolution.
    auto sleep = [](double fraction, std::int64_t ns) {
      const auto wait =
          std::chrono::nanoseconds(static_cast<std::int64_t>(fraction * static_cast<double>(ns)));
      if (wait > std::chrono::milliseconds(2)) {
        std::this_thread::sleep_for(wait);
        return;
      }
      const auto until = Clock::now() + wait;
      while (Clock::now() < until) {
      }
    };
    switch (k.phase) {
      case P::AtFork:
        break;
      case P::InTransaction:
        if (await(fds[0], 's')) sleep(k.fraction, timings.adopt_ns);
        break;
      case P::InCommit:
        if (await(fds[0], 's') && await(fds[0], 'c')) sleep(k.fraction, timings.commit_ns);
        break;
    }
    kill(pid, SIGKILL);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const bool was_killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    if (!was_killed) {
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
    }
    killed += was_killed ? 1 : 0;
    settle(copy, t.authority);
    // What the dead writer left in the WAL (frames spilled or half-committed).
    std::string wal = "server-side transaction";
    if (!octroi_testing::testing_postgres()) {
      std::error_code ec;
      const auto wal_bytes = std::filesystem::file_size(copy + "-wal", ec);
      wal = ec ? "no WAL" : "WAL of " + std::to_string(wal_bytes) + " bytes";
    }
    const Outcome o = check_copy(t, copy);
    std::cout << "[ vote crash ] kill " << k.describe() << ": child "
              << (was_killed ? "killed" : "had exited") << ", " << wal << " left -> "
              << (o == Outcome::All    ? "ALL"
                  : o == Outcome::None ? "NONE"
                                       : "PARTIAL")
              << std::endl;
    all += o == Outcome::All;
    none += o == Outcome::None;
    partial += o == Outcome::Partial;
  }
  std::cout << "[ vote crash ] " << points.size() << " iterations, " << killed
            << " children killed: " << all << " all, " << none << " none, " << partial << " partial"
            << std::endl;
  EXPECT_EQ(partial, 0);

  // The classification itself can fail: a vote recorded on the dossiers and the ledger but not
  // on the report is caught as partial.
  const TestDatabase forged_db(dir.path(), "partial");
  const std::string forged = forged_db.locator();
  ASSERT_NO_FATAL_FAILURE(robust::copy_database(reference, forged));
  robust::RawDb(forged).must("UPDATE reports SET state = 'draft', adopted_on = NULL");
  EXPECT_NONFATAL_FAILURE(check_copy(t, forged), "PARTIAL VOTE");
  EXPECT_GE(none, 1) << "the kill right after fork leaves nothing";
}

}  // namespace
}  // namespace octroi_test
