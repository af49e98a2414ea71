// Ledger benchmarks: allocations per second on SQLite and on PostgreSQL, committed alone and
// within the vote of a report, and committed by concurrent writers on one hot budget line, each
// against a raw baseline (sqlite3 or libpq) measured in the same run (bench/README.md).
//
// Numbers are recorded (bench/RESULTS.md), never asserted: a benchmark fails only when octroi
// refuses or breaks, never because it is slow. Every SQLite database is a real file on disk, in
// a fresh directory under $OCTROI_BENCH_DIR, else $TMPDIR, else /tmp. Every PostgreSQL database
// is a fresh schema in the server named by $OCTROI_BENCH_PG_URL (`make bench` starts a
// throw-away cluster with durable commits), dropped afterwards; without that variable the
// PostgreSQL benchmarks are reported as skipped with an error, never silently left out.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/pg_store.h"
#include "adapters/sql/sql_store.h"
#include "adapters/store/copy.h"
#include "adapters/store/open_store.h"
#include "app/context.h"
#include "app/ports/ledger.h"
#include "app/use_cases.h"
#include "core/money.h"
#include "core/rate.h"
#include "domain/scheme/award_rule.h"

namespace {

using octroi::AuthorityId;
using octroi::Context;
using octroi::Money;
using octroi::Result;
using octroi::Transaction;
using octroi::sql::SqlStore;

constexpr const char* kLineKey = "2023/16300302";
constexpr const char* kScheme = "00001176";
constexpr const char* kReport = "CP 2023-041";
constexpr int kDossiers = 1000;

enum class Backend { Sqlite, Postgres };

// ---- Support ---------------------------------------------------------------------------------

std::string bench_root() {
  for (const char* var : {"OCTROI_BENCH_DIR", "TMPDIR"})
    if (const char* v = std::getenv(var); v && *v) return v;
  return "/tmp";
}

// A fresh directory, removed with its content at destruction.
class TempDir {
 public:
  TempDir() {
    std::string templ = bench_root() + "/octroi-bench-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp(" + templ + ") failed");
    path_ = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The PostgreSQL server of the benchmarks; a PostgreSQL benchmark without it fails with this
// message (SkipWithError) rather than measuring SQLite by mistake.
std::string bench_pg_url() {
  const char* v = std::getenv("OCTROI_BENCH_PG_URL");
  if (!v || !*v) throw std::runtime_error("OCTROI_BENCH_PG_URL not set");
  return v;
}

// ---- Raw libpq, for the baselines and for creating schemas ------------------------------------

struct PgFinisher {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct PgClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using RawPg = std::unique_ptr<PGconn, PgFinisher>;
using RawPgResult = std::unique_ptr<PGresult, PgClearer>;

// A failed libpq call, with the server's SQLSTATE ("" when there is none).
class PgError : public std::runtime_error {
 public:
  PgError(const std::string& what, std::string sqlstate)
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

void ignore_notice(void*, const char*) {}

RawPg pg_connect(const std::string& url) {
  RawPg c(PQconnectdb(url.c_str()));
  if (!c) throw std::runtime_error("PQconnectdb: out of memory");
  if (PQstatus(c.get()) != CONNECTION_OK)
    throw std::runtime_error("connection to " + octroi::postgres::redact_url(url) +
                             " failed: " + PQerrorMessage(c.get()));
  PQsetNoticeProcessor(c.get(), ignore_notice, nullptr);
  return c;
}

RawPgResult pg_check(PGconn* c, PGresult* raw, const std::string& what) {
  RawPgResult r(raw);
  const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
  const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
  std::string message = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(c);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
    message.pop_back();
  const std::string sqlstate = state ? state : "";
  throw PgError(what + " [SQLSTATE " + sqlstate + "]: " + message, sqlstate);
}

RawPgResult pg_exec(PGconn* c, const std::string& sql) {
  return pg_check(c, PQexec(c, sql.c_str()), sql);
}

void pg_prepare(PGconn* c, const char* name, const char* sql, int params) {
  pg_check(c, PQprepare(c, name, sql, params, nullptr), sql);
}

RawPgResult pg_run(PGconn* c, const char* name, const std::vector<const char*>& params) {
  return pg_check(
      c,
      PQexecPrepared(c, name, static_cast<int>(params.size()), params.data(), nullptr, nullptr, 0),
      name);
}

std::int64_t pg_int64(const PGresult* r, int row, int col) {
  return std::strtoll(PQgetvalue(r, row, col), nullptr, 10);
}

// A fresh, empty database for one benchmark run: a file in a fresh directory for SQLite; a new
// schema for PostgreSQL, whose locator carries search_path, dropped with its content at
// destruction.
class BenchDatabase {
 public:
  explicit BenchDatabase(Backend backend, const std::string& name = "octroi") {
    if (backend == Backend::Sqlite) {
      dir_.emplace();
      locator_ = dir_->file(name + ".db");
      return;
    }
    admin_url_ = bench_pg_url();
    static std::atomic<int> counter{0};
    schema_ = "b_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" + name;
    pg_exec(pg_connect(admin_url_).get(), "CREATE SCHEMA " + schema_);
    locator_ = admin_url_ + (admin_url_.find('?') == std::string::npos ? "?" : "&") +
               "options=-csearch_path%3D" + schema_;
  }
  ~BenchDatabase() {
    if (schema_.empty()) return;
    try {
      pg_exec(pg_connect(admin_url_).get(), "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    } catch (...) {
      // A schema left behind harms nothing: the benchmark cluster is thrown away.
    }
  }
  BenchDatabase(const BenchDatabase&) = delete;
  BenchDatabase& operator=(const BenchDatabase&) = delete;

  // A file path or a postgresql:// URL, as octroi::stores::open takes it.
  const std::string& locator() const { return locator_; }

 private:
  std::optional<TempDir> dir_;
  std::string locator_, admin_url_, schema_;
};

class FixedClock : public octroi::Clock {
 public:
  octroi::Instant now() override { return *octroi::Instant::parse("2023-01-20T09:00:00Z"); }
};

template <class T>
T expect(Result<T> r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error(what + " refused: " + r.refusal().describe());
  return std::move(r).value();
}

// The authority "bench" and the operating line 2023/16300302 with `ae` of AE (and as much CP).
AuthorityId create_authority_and_line(Transaction& tx, FixedClock& clock, const std::string& ae) {
  octroi::AuthorityInput ai;
  ai.code = "bench";
  ai.name = "Collectivité du banc d'essai";
  const auto authority = expect(create_authority(tx, "bench", clock, ai), "authority");
  const Context ctx{authority.id, "bench", &clock};
  expect(create_budget_line(tx, ctx,
                            {"2023", "936-632-657341-163003-400", "M57",
                             "HP 632-003 « Soutien à l'artisanat, au commerce et aux métiers "
                             "d'art »",
                             "16300302", "Soutien à l'artisanat et aux TPE"}),
         "budget line");
  octroi::MovementInput vote;
  vote.line = kLineKey;
  vote.ae = ae;
  vote.cp = ae;
  vote.reference = "BP 2023";
  vote.label = "Vote du budget primitif (banc d'essai)";
  expect(vote_budget(tx, ctx, vote), "vote");
  return authority.id;
}

// A fresh database of `backend` holding the authority and its line, opened through octroi's
// store factory (the same path as the CLI).
struct LedgerFixture {
  explicit LedgerFixture(Backend backend) : db(backend) {
    store = octroi::stores::open(db.locator(), octroi::stores::OpenMode::Create);
    authority = octroi::run_write(*store, [&](Transaction& tx) -> Result<AuthorityId> {
                  return create_authority_and_line(tx, clock, "900000000000");
                }).value();
  }
  ~LedgerFixture() { store.reset(); }  // connections closed before the schema is dropped

  BenchDatabase db;
  FixedClock clock;
  std::unique_ptr<SqlStore> store;
  AuthorityId authority;
};

// After a benchmark (untimed): the line's allocated balance is what was posted, the journal adds
// up to the stored balances and the audit chain verifies.
void verify_store(SqlStore& store, AuthorityId a, Money expected_allocated) {
  octroi::run_read(store, [&](Transaction& tx) {
    const auto line = expect(octroi::budget_line_by_key(tx, a, kLineKey), "line");
    const auto balances = tx.ledger().line_balances(a, line.id);
    if (balances.allocated != expected_allocated)
      throw std::runtime_error("allocated " + balances.allocated.to_decimal_string() +
                               ", expected " + expected_allocated.to_decimal_string());
    const auto ledger = octroi::verify_ledger(tx, a);
    if (!ledger.differences.empty())
      throw std::runtime_error("ledger verify: " + ledger.differences.front().what);
    const auto audit = octroi::verify_audit(tx, a, store.hasher());
    if (!audit.problems.empty()) throw std::runtime_error("audit chain does not verify");
    return 0;
  });
}

octroi::MovementInput allocation_of(const char* amount) {
  octroi::MovementInput in;
  in.line = kLineKey;
  in.amount = amount;
  in.reference = "CP 2023-040";
  in.label = "Affectation unitaire (banc d'essai)";
  return in;
}

// ---- octroi: one allocation per transaction ---------------------------------------------------

// Each iteration: one allocate_budget of 1,00 € in its own run_write. SQLite: BEGIN IMMEDIATE,
// read the line, check, insert the journal entry, update the balances, append the audit line,
// COMMIT with synchronous=FULL. PostgreSQL: BEGIN, SELECT … FOR UPDATE on the authority's row,
// the same reads and writes, COMMIT (durable if the server is: see RESULTS.md).
void BM_AllocationCommittedAlone(benchmark::State& state, Backend backend) {
  std::unique_ptr<LedgerFixture> f;
  try {
    f = std::make_unique<LedgerFixture>(backend);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const Context ctx{f->authority, "bench", &f->clock};
  const auto in = allocation_of("1,00");
  for (auto _ : state) {
    try {
      auto r = octroi::run_write(*f->store,
                                 [&](Transaction& tx) { return allocate_budget(tx, ctx, in); });
      if (!r.ok()) throw std::runtime_error(r.refusal().describe());
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  try {
    verify_store(*f->store, f->authority, Money::from_cents(100 * state.iterations()));
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}
BENCHMARK_CAPTURE(BM_AllocationCommittedAlone, sqlite, Backend::Sqlite)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0)
    ->Repetitions(3)
    ->DisplayAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_AllocationCommittedAlone, postgres, Backend::Postgres)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0)
    ->Repetitions(3)
    ->DisplayAggregatesOnly(true);

// ---- Illustration of group commit: many allocations, one commit --------------------------------

// Not a feature of octroi: N allocate_budget calls in one run_write, one fsync. An upper bound
// for the single writer of docs/ARCHITECTURE.md, which would also pay one savepoint per request.
void BM_AllocationsInOneCommit(benchmark::State& state, Backend backend) {
  std::unique_ptr<LedgerFixture> f;
  try {
    f = std::make_unique<LedgerFixture>(backend);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const Context ctx{f->authority, "bench", &f->clock};
  const auto in = allocation_of("1,00");
  const std::int64_t batch = state.range(0);
  for (auto _ : state) {
    try {
      auto r = octroi::run_write(*f->store, [&](Transaction& tx) -> octroi::Status {
        for (std::int64_t i = 0; i < batch; ++i) {
          auto one = allocate_budget(tx, ctx, in);
          if (!one.ok()) return one.refusal();
        }
        return octroi::done();
      });
      if (!r.ok()) throw std::runtime_error(r.refusal().describe());
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * batch);
  try {
    verify_store(*f->store, f->authority, Money::from_cents(100 * batch * state.iterations()));
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}
BENCHMARK_CAPTURE(BM_AllocationsInOneCommit, sqlite, Backend::Sqlite)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK_CAPTURE(BM_AllocationsInOneCommit, postgres, Backend::Postgres)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

// ---- Baseline: the naive raw sqlite3 version ---------------------------------------------------

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using RawDb = std::unique_ptr<sqlite3, SqliteCloser>;
using RawStatement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

void raw_exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string what = std::string(sql) + ": " + (message ? message : sqlite3_errmsg(db));
    sqlite3_free(message);
    throw std::runtime_error(what);
  }
}

RawStatement raw_prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string(sql) + ": " + sqlite3_errmsg(db));
  return RawStatement(st);
}

void raw_step_done(sqlite3* db, sqlite3_stmt* st) {
  const int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
}

// What a developer would write by hand: one table of lines, one journal, the same pragmas as
// octroi's store (WAL, synchronous=FULL), statements prepared once; each iteration one
// transaction with a guarded UPDATE and an INSERT. No audit, no history, no validation.
void BM_RawSqliteBaseline(benchmark::State& state) {
  TempDir dir;
  RawDb db;
  RawStatement update, insert;
  try {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(dir.file("raw.db").c_str(), &raw,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db.reset(raw);
    if (rc != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(raw));
    sqlite3_busy_timeout(db.get(), 10000);
    raw_exec(db.get(),
             "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
    raw_exec(db.get(),
             "CREATE TABLE line(id INTEGER PRIMARY KEY, allocated INTEGER NOT NULL, "
             "voted INTEGER NOT NULL);"
             "CREATE TABLE journal(id INTEGER PRIMARY KEY, line_id INTEGER NOT NULL "
             "REFERENCES line(id), amount INTEGER NOT NULL, reference TEXT NOT NULL, "
             "label TEXT NOT NULL, at TEXT NOT NULL);"
             "INSERT INTO line VALUES (1, 0, 90000000000000);");
    update = raw_prepare(db.get(),
                         "UPDATE line SET allocated = allocated + ?1 "
                         "WHERE id = ?2 AND allocated + ?1 <= voted");
    insert = raw_prepare(db.get(),
                         "INSERT INTO journal(line_id, amount, reference, label, at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)");
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  for (auto _ : state) {
    try {
      raw_exec(db.get(), "BEGIN IMMEDIATE");
      sqlite3_bind_int64(update.get(), 1, 100);
      sqlite3_bind_int64(update.get(), 2, 1);
      raw_step_done(db.get(), update.get());
      if (sqlite3_changes(db.get()) != 1) throw std::runtime_error("over-allocation");
      sqlite3_bind_int64(insert.get(), 1, 1);
      sqlite3_bind_int64(insert.get(), 2, 100);
      sqlite3_bind_text(insert.get(), 3, "CP 2023-040", -1, SQLITE_STATIC);
      sqlite3_bind_text(insert.get(), 4, "Affectation unitaire (banc d'essai)", -1, SQLITE_STATIC);
      sqlite3_bind_text(insert.get(), 5, "2023-01-20T09:00:00Z", -1, SQLITE_STATIC);
      raw_step_done(db.get(), insert.get());
      raw_exec(db.get(), "COMMIT");
    } catch (const std::exception& e) {
      sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
      state.SkipWithError(e.what());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawSqliteBaseline)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0)
    ->Repetitions(3)
    ->DisplayAggregatesOnly(true);

// ---- Baseline: the naive raw libpq version ----------------------------------------------------

// The PostgreSQL counterpart of BM_RawSqliteBaseline: the same two tables in a fresh schema,
// statements prepared once, each iteration one transaction (read committed, the server's
// default) with a guarded UPDATE and an INSERT. Four round trips: BEGIN, UPDATE, INSERT, COMMIT.
void BM_RawPgBaseline(benchmark::State& state) {
  std::unique_ptr<BenchDatabase> db;
  RawPg c;
  try {
    db = std::make_unique<BenchDatabase>(Backend::Postgres, "raw");
    c = pg_connect(db->locator());
    pg_exec(c.get(),
            "CREATE TABLE line(id bigint PRIMARY KEY, allocated bigint NOT NULL, "
            "voted bigint NOT NULL);"
            "CREATE TABLE journal(id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
            "line_id bigint NOT NULL REFERENCES line(id), amount bigint NOT NULL, "
            "reference text NOT NULL, label text NOT NULL, at text NOT NULL);"
            "INSERT INTO line VALUES (1, 0, 90000000000000);");
    pg_prepare(c.get(), "update",
               "UPDATE line SET allocated = allocated + $1 "
               "WHERE id = $2 AND allocated + $1 <= voted",
               2);
    pg_prepare(c.get(), "insert",
               "INSERT INTO journal(line_id, amount, reference, label, at) "
               "VALUES ($1, $2, $3, $4, $5)",
               5);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  for (auto _ : state) {
    try {
      pg_exec(c.get(), "BEGIN");
      auto updated = pg_run(c.get(), "update", {"100", "1"});
      if (std::string(PQcmdTuples(updated.get())) != "1")
        throw std::runtime_error("over-allocation");
      pg_run(c.get(), "insert",
             {"1", "100", "CP 2023-040", "Affectation unitaire (banc d'essai)",
              "2023-01-20T09:00:00Z"});
      pg_exec(c.get(), "COMMIT");
    } catch (const std::exception& e) {
      RawPgResult(PQexec(c.get(), "ROLLBACK"));
      state.SkipWithError(e.what());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  c.reset();
}
BENCHMARK(BM_RawPgBaseline)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0)
    ->Repetitions(3)
    ->DisplayAggregatesOnly(true);

// ---- Contention: T writers on one hot budget line
// ------------------------------------------------
//
// T threads (Google Benchmark's ->Threads) commit allocations of 0,01 € on the same line of the
// same authority, one per transaction. What one run of T threads shares is built by thread 0
// before the loop (Google Benchmark starts every thread's loop together, after it) and checked
// and dropped by thread 0 after the loop (every thread has finished its loop by then). A thread
// that fails records the error and lets the others drain their iterations without work, so that
// no thread leaves before the others and thread 0 never drops what another still uses.

struct HotRowRun {
  std::unique_ptr<LedgerFixture> fixture;
  std::int64_t line_id = 0;
  std::vector<RawPg> connections;  // raw baseline: one per thread
  std::atomic<std::int64_t> committed{0};
  std::atomic<std::int64_t> retries{0};
  std::atomic<bool> failed{false};
};

// The run in progress; set by thread 0 before the loop, reset by it after.
std::unique_ptr<HotRowRun> g_hot_row;

void hot_row_fail(benchmark::State& state, HotRowRun& run, const std::exception& e) {
  run.failed = true;
  state.SkipWithError(e.what());
}

// Thread 0, before the loop: a fresh schema with octroi's tables, the authority and its line.
void hot_row_setup(benchmark::State& state, Backend backend = Backend::Postgres) {
  g_hot_row = std::make_unique<HotRowRun>();
  HotRowRun& run = *g_hot_row;
  try {
    run.fixture = std::make_unique<LedgerFixture>(backend);
    run.line_id = octroi::run_read(*run.fixture->store, [&](Transaction& tx) {
      return expect(octroi::budget_line_by_key(tx, run.fixture->authority, kLineKey), "line")
          .id.value;
    });
  } catch (const std::exception& e) {
    hot_row_fail(state, run, e);
  }
}

// Each iteration of each thread: allocate_budget of 0,01 € in its own run_write through the
// store shared by the threads. PostgreSQL (its pool: OCTROI_PG_POOL_MAX connections, 8 by
// default): the writers queue on the authority's row (SELECT … FOR UPDATE); none is ever
// retried. SQLite: the store's writer thread commits the waiting writers together (group
// commit, one savepoint each, one fsync per batch).
void BM_HotRowOctroi(benchmark::State& state, Backend backend) {
  if (state.thread_index() == 0) {
    hot_row_setup(state, backend);
    HotRowRun& run = *g_hot_row;
    if (!run.failed && backend == Backend::Postgres) {
      try {
        // Open as many pooled connections as the threads will hold at once, so that the timed
        // loop does not pay for connecting (it still prepares each statement once per
        // connection).
        const int pool = std::min(
            state.threads(), octroi::postgres::PoolSettings::from_environment().max_connections);
        std::vector<std::unique_ptr<Transaction>> held;
        for (int i = 0; i < pool; ++i)
          held.push_back(run.fixture->store->begin(octroi::TxMode::Read));
      } catch (const std::exception& e) {
        hot_row_fail(state, run, e);
      }
    }
  }
  const auto in = allocation_of("0,01");
  for (auto _ : state) {
    HotRowRun& run = *g_hot_row;
    if (run.failed.load(std::memory_order_relaxed)) continue;
    try {
      LedgerFixture& f = *run.fixture;
      const Context ctx{f.authority, "bench", &f.clock};
      auto r = octroi::run_write(*f.store,
                                 [&](Transaction& tx) { return allocate_budget(tx, ctx, in); });
      if (!r.ok()) throw std::runtime_error(r.refusal().describe());
      run.committed.fetch_add(1, std::memory_order_relaxed);
    } catch (const std::exception& e) {
      hot_row_fail(state, run, e);
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() != 0) return;
  HotRowRun& run = *g_hot_row;
  state.counters["committed"] = static_cast<double>(run.committed.load());
  if (!run.failed) {
    try {
      verify_store(*run.fixture->store, run.fixture->authority,
                   Money::from_cents(run.committed.load()));
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
    }
  }
  g_hot_row.reset();
}
BENCHMARK_CAPTURE(BM_HotRowOctroi, postgres, Backend::Postgres)
    ->ThreadRange(1, 16)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK_CAPTURE(BM_HotRowOctroi, sqlite, Backend::Sqlite)
    ->ThreadRange(1, 64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

// The same logical transaction written by hand in libpq, on a copy of the same schema (octroi's
// migrations, the same authority and line): BEGIN ISOLATION LEVEL SERIALIZABLE; read the line's
// balances; check what is available; INSERT the journal row; UPDATE the balances; COMMIT. On
// SQLSTATE 40001 (serialization failure) or 40P01 (deadlock), ROLLBACK and start again. No
// validation, no audit line. One connection per thread, statements prepared once.
void BM_HotRowRawSerializable(benchmark::State& state) {
  if (state.thread_index() == 0) {
    hot_row_setup(state);
    HotRowRun& run = *g_hot_row;
    if (!run.failed) {
      try {
        run.fixture->store.reset();  // octroi only built the schema and the line
        for (int i = 0; i < state.threads(); ++i) {
          RawPg c = pg_connect(run.fixture->db.locator());
          pg_prepare(c.get(), "balances",
                     "SELECT ae_voted_cents, allocated_cents FROM budget_lines WHERE id = $1", 1);
          pg_prepare(c.get(), "journal",
                     "INSERT INTO ledger_entries (authority_id, budget_line_id, kind, "
                     "amount_cents, reference, label, at, actor) "
                     "VALUES ($1, $2, 'allocation', $3, $4, $5, $6, $7)",
                     7);
          pg_prepare(c.get(), "balance",
                     "UPDATE budget_lines SET allocated_cents = allocated_cents + $1 "
                     "WHERE id = $2",
                     2);
          run.connections.push_back(std::move(c));
        }
      } catch (const std::exception& e) {
        hot_row_fail(state, run, e);
      }
    }
  }
  std::int64_t my_retries = 0;
  std::string authority, line;
  for (auto _ : state) {
    HotRowRun& run = *g_hot_row;
    if (run.failed.load(std::memory_order_relaxed)) continue;
    PGconn* c = run.connections[static_cast<std::size_t>(state.thread_index())].get();
    if (line.empty()) {
      authority = std::to_string(run.fixture->authority.value);
      line = std::to_string(run.line_id);
    }
    try {
      for (;;) {
        try {
          pg_exec(c, "BEGIN ISOLATION LEVEL SERIALIZABLE");
          auto balances = pg_run(c, "balances", {line.c_str()});
          if (PQntuples(balances.get()) != 1) throw std::runtime_error("line not found");
          if (pg_int64(balances.get(), 0, 0) - pg_int64(balances.get(), 0, 1) < 1)
            throw std::runtime_error("over-allocation");
          pg_run(c, "journal",
                 {authority.c_str(), line.c_str(), "1", "CP 2023-040",
                  "Affectation unitaire (banc d'essai)", "2023-01-20T09:00:00Z", "bench"});
          pg_run(c, "balance", {"1", line.c_str()});
          pg_exec(c, "COMMIT");
          break;
        } catch (const PgError& e) {
          RawPgResult(PQexec(c, "ROLLBACK"));
          if (e.sqlstate() != "40001" && e.sqlstate() != "40P01") throw;
          ++my_retries;
        }
      }
      run.committed.fetch_add(1, std::memory_order_relaxed);
    } catch (const std::exception& e) {
      RawPgResult(PQexec(c, "ROLLBACK"));
      hot_row_fail(state, run, e);
    }
  }
  state.SetItemsProcessed(state.iterations());
  // Summed over the threads; retries_per_tx averaged over them (every thread commits as many).
  state.counters["retries"] = static_cast<double>(my_retries);
  state.counters["retries_per_tx"] = benchmark::Counter(
      state.iterations() ? static_cast<double>(my_retries) / static_cast<double>(state.iterations())
                         : 0.0,
      benchmark::Counter::kAvgThreads);
  if (state.thread_index() != 0) return;
  HotRowRun& run = *g_hot_row;
  if (!run.failed) {
    try {
      PGconn* c = run.connections.front().get();
      const std::string id = std::to_string(run.line_id);
      auto r = pg_exec(c,
                       "SELECT allocated_cents, (SELECT count(*) FROM ledger_entries WHERE "
                       "budget_line_id = " +
                           id + " AND kind = 'allocation') FROM budget_lines WHERE id = " + id);
      const std::int64_t committed = run.committed.load();
      if (pg_int64(r.get(), 0, 0) != committed || pg_int64(r.get(), 0, 1) != committed)
        throw std::runtime_error("allocated " + std::to_string(pg_int64(r.get(), 0, 0)) +
                                 " cents in " + std::to_string(pg_int64(r.get(), 0, 1)) +
                                 " entries, expected " + std::to_string(committed));
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
    }
  }
  g_hot_row.reset();
}
BENCHMARK(BM_HotRowRawSerializable)
    ->ThreadRange(1, 16)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

// ---- The vote of a report with 1 000 dossiers ---------------------------------------------------

// Built once per process on SQLite (untimed): 1 000 communes, each with one proposed dossier
// under the chèque numérique scheme (rate 50 %, cap 8 000 €, never above the request), and report
// CP 2023-041 with one scheme_awards article listing them all, for the sum of their proposals.
class VoteTemplate {
 public:
  VoteTemplate() : db_(dir_.file("template.db")) {
    FixedClock clock;
    auto store = octroi::stores::open(db_, octroi::stores::OpenMode::Create);
    auto r = octroi::run_write(*store, [&](Transaction& tx) -> octroi::Status {
      const AuthorityId a = create_authority_and_line(tx, clock, "10000000");
      const Context ctx{a, "bench", &clock};
      octroi::SchemeInput s;
      s.number = kScheme;
      s.name = "Chèque numérique pour un commerce connecté – volet 2 (banc d'essai)";
      s.framework_deliberation = "CR 2019-043";
      s.section = "operating";
      s.budget_imputation = "936-632-657341-163003-400";
      s.budget_action = "16300302 - Soutien à l'artisanat et aux TPE";
      s.rule.rate_percent = "50";
      s.rule.cap = "8000";
      s.rule.not_above_request = true;
      expect(create_scheme(tx, ctx, s), "scheme");

      octroi::ArticleInput article;
      article.kind = "scheme_awards";
      article.title = "Chèque numérique pour un commerce connecté – volet 2";
      article.line = kLineKey;
      article.scheme = kScheme;
      Money total;
      for (int i = 0; i < kDossiers; ++i) {
        const std::string n = std::to_string(i + 1);
        octroi::PartyInput p;
        p.legal_name = "Commune n° " + n;
        p.legal_status = "Commune";
        p.recovers_vat = false;
        const auto party = expect(register_party(tx, ctx, p), "party " + n);

        // Eligible base from 10 000 € to 17 900 € TTC: awards from 5 000 € to the 8 000 € cap.
        const std::int64_t base = 10000 + (i % 80) * 100;
        octroi::ApplicationInput in;
        char number[16];
        std::snprintf(number, sizeof number, "EX%06d", i + 1);
        in.number = number;
        in.scheme_number = kScheme;
        in.party_id = party.party.id.value;
        in.title = "Chèque numérique « Pour un commerce connecté » – Commune n° " + n;
        in.start = "2023-01-01";
        in.end = "2023-12-31";
        in.reference_year = "2023";
        in.expenses = {{"Abonnement annuel plateforme", std::to_string(base), true}};
        in.resources = {{"Autofinancement", std::to_string(base - 8000), "self_funding", ""},
                        {"Région", "8000", "authority", "sollicité"}};
        expect(create_application(tx, ctx, in), in.number);
        octroi::Application app;
        for (const char* ev : {"submit", "start_instruction", "propose"}) {
          octroi::EventInput e;
          e.event = ev;
          e.on = "2023-01-20";
          app = expect(apply_application_event(tx, ctx, in.number, e), in.number + " " + ev);
        }
        total += app.proposed_award.value();
        article.applications.push_back(in.number);
      }
      article.amount = total.to_decimal_string();
      expect(create_report(tx, ctx,
                           {kReport, "Attractivité (banc d'essai, 1 000 dossiers)",
                            "standing_committee", "2023-01-25"}),
             "report");
      expect(add_article(tx, ctx, kReport, article), "article");
      authority_ = a;
      total_ = total;
      return octroi::done();
    });
    if (!r.ok()) throw std::runtime_error(r.refusal().describe());
    store.reset();  // the last connection closes: WAL checkpointed into the main file
  }

  // A fresh copy of the template database at `path` (with its WAL, if one was left).
  void copy_to(const std::string& path) const {
    namespace fs = std::filesystem;
    fs::copy_file(db_, path, fs::copy_options::overwrite_existing);
    if (fs::exists(db_ + "-wal"))
      fs::copy_file(db_ + "-wal", path + "-wal", fs::copy_options::overwrite_existing);
  }
  // A fresh copy of the template in the empty store `to` (octroi db copy: every row, ids kept).
  void copy_into(SqlStore& to) const {
    auto from = octroi::stores::open(db_, octroi::stores::OpenMode::Existing);
    auto r = octroi::stores::copy_store(*from, to, {});
    if (!r.ok()) throw std::runtime_error("copy of the template: " + r.refusal().describe());
  }
  AuthorityId authority() const { return authority_; }
  Money total() const { return total_; }

 private:
  TempDir dir_;
  std::string db_;
  AuthorityId authority_;
  Money total_;
};

const VoteTemplate& vote_template() {
  static const VoteTemplate t;
  return t;
}

// Each iteration: adopt_report of the 1 000-dossier report on a fresh copy of the template, in
// one run_write (1 000 ledger entries, 1 000 dossiers updated with their history and audit
// lines, one commit). Only the run_write is timed (manual time); the copy (a file copy for
// SQLite, `octroi db copy` into a fresh schema for PostgreSQL), opening and the checks are not.
void BM_VoteOf1000Dossiers(benchmark::State& state, Backend backend) {
  const VoteTemplate* t = nullptr;
  try {
    if (backend == Backend::Postgres) bench_pg_url();  // fail before building the template
    t = &vote_template();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  TempDir dir;
  FixedClock clock;
  const Context ctx{t->authority(), "bench", &clock};
  int copy = 0;
  for (auto _ : state) {
    try {
      std::unique_ptr<BenchDatabase> pg;
      std::unique_ptr<SqlStore> store;
      std::string file;
      if (backend == Backend::Sqlite) {
        file = dir.file("vote-" + std::to_string(++copy) + ".db");
        t->copy_to(file);
        store = octroi::stores::open(file, octroi::stores::OpenMode::Existing);
      } else {
        pg = std::make_unique<BenchDatabase>(Backend::Postgres, "vote");
        store = octroi::stores::open(pg->locator(), octroi::stores::OpenMode::Create);
        t->copy_into(*store);
      }
      const auto start = std::chrono::steady_clock::now();
      auto r = octroi::run_write(*store,
                                 [&](Transaction& tx) { return adopt_report(tx, ctx, kReport); });
      const auto stop = std::chrono::steady_clock::now();
      state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
      if (!r.ok()) throw std::runtime_error(r.refusal().describe());
      if (r->already_adopted || r->plan.allocations.size() != kDossiers ||
          r->plan.awarded.size() != kDossiers)
        throw std::runtime_error("the vote did not post 1 000 allocations");
      verify_store(*store, t->authority(), t->total());
      store.reset();
      if (!file.empty()) std::filesystem::remove(file);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kDossiers);
}
BENCHMARK_CAPTURE(BM_VoteOf1000Dossiers, sqlite, Backend::Sqlite)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(5);
BENCHMARK_CAPTURE(BM_VoteOf1000Dossiers, postgres, Backend::Postgres)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(5);

// ---- Pure domain: the award rule ----------------------------------------------------------------

// compute_award on the three chèque numérique dossiers of CP 2023-040 (min(request, 50 % of the
// TTC base, 8 000 €)): 7 000 + 8 000 + 8 000 = 23 000 €. No I/O: a sense of scale.
void BM_ComputeAward(benchmark::State& state) {
  octroi::AwardRule rule;
  rule.rate = octroi::Rate::percent(50);
  rule.cap = Money::from_euros(8000);
  rule.not_above_request = true;
  const octroi::AwardInput dossiers[] = {
      {Money::from_cents(1478000), octroi::AmountBasis::InclTax, Money::from_euros(7000)},
      {Money::from_cents(1671768), octroi::AmountBasis::InclTax, Money::from_euros(8000)},
      {Money::from_cents(1728000), octroi::AmountBasis::InclTax, Money::from_euros(8000)},
  };
  Money sum;
  for (const auto& d : dossiers)
    sum += octroi::compute_award(rule, d).value().amount;
  if (sum != Money::from_euros(23000)) {
    state.SkipWithError("CP 2023-040 awards do not add up to 23 000 €");
    return;
  }
  for (auto _ : state)
    for (const auto& d : dossiers) {
      auto r = octroi::compute_award(rule, d);
      benchmark::DoNotOptimize(r);
    }
  state.SetItemsProcessed(state.iterations() * 3);
}
BENCHMARK(BM_ComputeAward)->Unit(benchmark::kMicrosecond);

// ---- Context recorded with the results
// -----------------------------------------------------------

// What the numbers depend on, in the JSON's "context" (and the console header): the SQLite
// library, and the PostgreSQL server's durability settings as it reports them.
void record_context() {
  benchmark::AddCustomContext("sqlite_version", sqlite3_libversion());
  const char* pool = std::getenv("OCTROI_PG_POOL_MAX");
  benchmark::AddCustomContext("octroi_pg_pool_max", pool && *pool ? pool : "8 (default)");
  const char* url = std::getenv("OCTROI_BENCH_PG_URL");
  if (!url || !*url) {
    benchmark::AddCustomContext("postgres", "OCTROI_BENCH_PG_URL not set: PostgreSQL skipped");
    return;
  }
  benchmark::AddCustomContext("postgres_url", octroi::postgres::redact_url(url));
  try {
    RawPg c = pg_connect(url);
    auto r = pg_exec(c.get(),
                     "SELECT current_setting('server_version'), current_setting('fsync'), "
                     "current_setting('synchronous_commit'), current_setting('full_page_writes'), "
                     "current_setting('wal_sync_method'), current_setting('shared_buffers'), "
                     "current_setting('default_transaction_isolation')");
    const char* names[] = {
        "server_version",  "fsync",          "synchronous_commit",           "full_page_writes",
        "wal_sync_method", "shared_buffers", "default_transaction_isolation"};
    for (int i = 0; i < 7; ++i)
      benchmark::AddCustomContext(std::string("postgres_") + names[i], PQgetvalue(r.get(), 0, i));
  } catch (const std::exception& e) {
    benchmark::AddCustomContext("postgres", std::string("unreachable: ") + e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  record_context();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
