// Ledger benchmarks: allocations per second on SQLite, committed alone and within the vote of a
// report, against a raw sqlite3 baseline measured in the same run (bench/README.md).
//
// Numbers are recorded (bench/RESULTS.md), never asserted: a benchmark fails only when octroi
// refuses or breaks, never because it is slow. Every database is a real file on disk, in a
// fresh directory under $OCTROI_BENCH_DIR, else $TMPDIR, else /tmp.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "adapters/sqlite/sqlite_store.h"
#include "app/context.h"
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
using octroi::sqlite::SqliteStore;

constexpr const char* kLineKey = "2023/16300302";
constexpr const char* kScheme = "00001176";
constexpr const char* kReport = "CP 2023-041";
constexpr int kDossiers = 1000;

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

class FixedClock : public octroi::Clock {
 public:
  std::string now_iso() override { return "2023-01-20T09:00:00Z"; }
  octroi::Date today() override { return octroi::Date(2023, 1, 20); }
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

// After a benchmark (untimed): the line's allocated balance is what was posted, the journal adds
// up to the stored balances and the audit chain verifies.
void verify_store(SqliteStore& store, AuthorityId a, Money expected_allocated) {
  octroi::run_read(store, [&](Transaction& tx) {
    const auto line = expect(octroi::budget_line_by_key(tx, a, kLineKey), "line");
    const auto balances = tx.line_balances(a, line.id);
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

octroi::MovementInput one_euro_allocation() {
  octroi::MovementInput in;
  in.line = kLineKey;
  in.amount = "1,00";
  in.reference = "CP 2023-040";
  in.label = "Affectation unitaire (banc d'essai)";
  return in;
}

// ---- octroi: one allocation per transaction ---------------------------------------------------

// Each iteration: one allocate_budget of 1,00 € in its own run_write (BEGIN IMMEDIATE, read the
// line, check, insert the journal entry, update the balances, append the audit line, COMMIT with
// synchronous=FULL).
void BM_AllocationCommittedAlone(benchmark::State& state) {
  TempDir dir;
  FixedClock clock;
  std::unique_ptr<SqliteStore> store;
  AuthorityId authority;
  try {
    store = SqliteStore::create(dir.file("octroi.db"));
    authority = octroi::run_write(*store, [&](Transaction& tx) -> Result<AuthorityId> {
                  return create_authority_and_line(tx, clock, "900000000000");
                }).value();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const Context ctx{authority, "bench", &clock};
  const auto in = one_euro_allocation();
  for (auto _ : state) {
    try {
      auto r =
          octroi::run_write(*store, [&](Transaction& tx) { return allocate_budget(tx, ctx, in); });
      if (!r.ok()) throw std::runtime_error(r.refusal().describe());
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  try {
    verify_store(*store, authority, Money::from_cents(100 * state.iterations()));
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}
BENCHMARK(BM_AllocationCommittedAlone)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0)
    ->Repetitions(3)
    ->DisplayAggregatesOnly(true);

// ---- Illustration of group commit: many allocations, one commit --------------------------------

// Not a feature of octroi: N allocate_budget calls in one run_write, one fsync. An upper bound
// for the single writer of docs/ARCHITECTURE.md, which would also pay one savepoint per request.
void BM_AllocationsInOneCommit(benchmark::State& state) {
  TempDir dir;
  FixedClock clock;
  std::unique_ptr<SqliteStore> store;
  AuthorityId authority;
  try {
    store = SqliteStore::create(dir.file("octroi.db"));
    authority = octroi::run_write(*store, [&](Transaction& tx) -> Result<AuthorityId> {
                  return create_authority_and_line(tx, clock, "900000000000");
                }).value();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const Context ctx{authority, "bench", &clock};
  const auto in = one_euro_allocation();
  const std::int64_t batch = state.range(0);
  for (auto _ : state) {
    try {
      auto r = octroi::run_write(*store, [&](Transaction& tx) -> octroi::Status {
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
    verify_store(*store, authority, Money::from_cents(100 * batch * state.iterations()));
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}
BENCHMARK(BM_AllocationsInOneCommit)
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

// ---- The vote of a report with 1 000 dossiers ---------------------------------------------------

// Built once per process (untimed): 1 000 communes, each with one proposed dossier under the
// chèque numérique scheme (rate 50 %, cap 8 000 €, never above the request), and report
// CP 2023-041 with one scheme_awards article listing them all, for the sum of their proposals.
class VoteTemplate {
 public:
  VoteTemplate() : db_(dir_.file("template.db")) {
    FixedClock clock;
    auto store = SqliteStore::create(db_);
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
// lines, one commit). Only the run_write is timed (manual time); copying and opening are not.
void BM_VoteOf1000Dossiers(benchmark::State& state) {
  const VoteTemplate* t = nullptr;
  try {
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
      const std::string db = dir.file("vote-" + std::to_string(++copy) + ".db");
      t->copy_to(db);
      auto store = SqliteStore::open(db);
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
      std::filesystem::remove(db);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kDossiers);
}
BENCHMARK(BM_VoteOf1000Dossiers)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(5);

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

}  // namespace

BENCHMARK_MAIN();
