// Support for the robustness tests (random ledger operations, concurrency, crashes, tampering):
// a raw sqlite3 connection with bound parameters, file copies of a closed database, and small
// helpers to build budget lines through the use cases. Header-only, test code only.
#pragma once

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "integration/test_support.h"

namespace octroi_test::robust {

// A plain read-write sqlite3 connection of the test's own (not octroi's): used to read counts
// cheaply, and to play an attacker who edits the file directly.
class RawDb {
 public:
  using Value = std::variant<std::int64_t, std::string>;

  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Runs `sql` (one statement) with `params` bound in order; returns the SQLite result code of
  // the step that ended it (SQLITE_DONE when it went through) and every row as text.
  int run(const std::string& sql, const std::vector<Value>& params = {},
          std::vector<std::vector<std::string>>* rows = nullptr) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error("prepare failed (" + sql + "): " + sqlite3_errmsg(db_));
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
        sqlite3_bind_int64(st, idx, *n);
      } else {
        const auto& s = std::get<std::string>(params[i]);
        sqlite3_bind_text(st, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
    }
    int rc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      if (!rows) continue;
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const auto* t = sqlite3_column_text(st, c);
        row.emplace_back(t ? reinterpret_cast<const char*>(t) : "NULL");
      }
      rows->push_back(std::move(row));
    }
    last_error_ = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
    sqlite3_finalize(st);
    return rc;
  }

  // Like run(), but a failure throws.
  std::vector<std::vector<std::string>> must(const std::string& sql,
                                             const std::vector<Value>& params = {}) {
    std::vector<std::vector<std::string>> rows;
    if (run(sql, params, &rows) != SQLITE_DONE)
      throw std::runtime_error("sqlite failed (" + sql + "): " + last_error_);
    return rows;
  }

  std::int64_t scalar(const std::string& sql, const std::vector<Value>& params = {}) {
    const auto rows = must(sql, params);
    if (rows.empty() || rows[0].empty()) throw std::runtime_error("no row: " + sql);
    return std::stoll(rows[0][0]);
  }

  const std::string& last_error() const { return last_error_; }

 private:
  sqlite3* db_ = nullptr;
  std::string last_error_;
};

// Copies a database file that no connection has open (so that its WAL has been checkpointed
// into it and removed); fails the test if a non-empty -wal file is still there.
inline void copy_closed_database(const std::string& from, const std::string& to) {
  namespace fs = std::filesystem;
  // A read-only reader (dump_database) may leave an empty -wal behind; a non-empty one means
  // that a connection is still open or did not checkpoint.
  if (fs::exists(from + "-wal")) {
    ASSERT_EQ(fs::file_size(from + "-wal"), 0u)
        << from << "-wal is not empty: a connection is open";
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ec;
    fs::remove(to + suffix, ec);
  }
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

inline std::string codes(const octroi::Refusal& r) {
  std::string out;
  for (const auto& p : r.problems)
    out += "[" + p.code + " @ " + p.field + ": " + p.message + "] ";
  return out;
}

// "ae 100.00, cp 50.00, allocated 20.00, committed 0.00, paid 0.00": balances compared as text
// so that a failure shows them.
inline std::string text(const octroi::LineBalances& b) {
  return "ae " + b.ae_voted.to_decimal_string() + ", cp " + b.cp_voted.to_decimal_string() +
         ", allocated " + b.allocated.to_decimal_string() + ", committed " +
         b.committed.to_decimal_string() + ", paid " + b.paid.to_decimal_string();
}

inline octroi::AuthorityId create_test_authority(octroi::Store& store, octroi::Clock& clock,
                                                 const std::string& code) {
  octroi::AuthorityInput in;
  in.code = code;
  in.name = "Collectivité de test " + code;
  auto a = octroi::run_write(store, [&](octroi::Transaction& tx) {
    return octroi::create_authority(tx, "test:robust", clock, in);
  });
  if (!a.ok()) throw std::runtime_error("create_authority refused: " + codes(a.refusal()));
  return a->id;
}

inline octroi::BudgetLine create_line(octroi::Store& store, const octroi::Context& ctx,
                                      const octroi::BudgetLineInput& in) {
  auto l = octroi::run_write(
      store, [&](octroi::Transaction& tx) { return octroi::create_budget_line(tx, ctx, in); });
  if (!l.ok()) throw std::runtime_error("create_budget_line refused: " + codes(l.refusal()));
  return l.value();
}

// The three lines of the robustness tests.
inline std::vector<octroi::BudgetLineInput> three_lines() {
  return {
      {"2023", "936-632-657341-163003-400", "M57",
       "HP 632-003 Soutien à l'artisanat, au commerce et aux métiers d'art", "16300302",
       "Soutien à l'artisanat et aux TPE"},
      {"2023", "936-61--161001", "M57",
       "HP 61-001 Soutien à la création et au développement des entreprises", "16100107",
       "Accompagnement des entrepreneurs et des jeunes entreprises"},
      {"2022", "905-56-20421-156001-400", "M71", "", "15600105", "Tiers lieux"},
  };
}

// verify_ledger and verify_audit of an authority, as one assertion.
inline ::testing::AssertionResult LedgerAndAuditClean(octroi::sqlite::SqliteStore& store,
                                                      octroi::AuthorityId a) {
  const auto ledger = octroi::run_read(
      store, [&](octroi::Transaction& tx) { return octroi::verify_ledger(tx, a); });
  const auto audit = octroi::run_read(
      store, [&](octroi::Transaction& tx) { return octroi::verify_audit(tx, a, store.hasher()); });
  if (ledger.differences.empty() && audit.problems.empty())
    return ::testing::AssertionSuccess()
           << ledger.lines << " line(s), " << ledger.entries << " ledger entries, " << audit.entries
           << " audit entries";
  auto out = ::testing::AssertionFailure();
  for (const auto& d : ledger.differences)
    out << "ledger difference on " << d.line.key() << ": " << d.what << "\n";
  for (const auto& p : audit.problems)
    out << "audit problem at n° " << p.authority_seq << ": " << p.what << "\n";
  return out;
}

}  // namespace octroi_test::robust
