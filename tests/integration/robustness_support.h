// Support for the robustness tests (random ledger operations, concurrency, crashes, tampering):
// a raw connection of the test's own to the store under test (SQLite file or PostgreSQL
// schema) with bound parameters, copies of a database, and small helpers to build budget lines
// through the use cases. Header-only, test code only.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "adapters/sql/connection.h"
#include "integration/test_support.h"

namespace octroi_test::robust {

// A plain read-write connection of the test's own (not octroi's store): used to read counts
// cheaply, and to play an attacker who edits the database directly. Each statement runs in
// autocommit.
class RawDb {
 public:
  using Value = std::variant<std::int64_t, std::string>;
  using Rows = std::vector<std::vector<std::string>>;

  explicit RawDb(const std::string& locator) : c_(octroi_testing::connect(locator)) {}

  bool postgres() const { return c_->dialect() == octroi::sql::Dialect::Postgres; }
  octroi::sql::Connection& connection() { return *c_; }

  // Runs `sql` (one statement) with `params` bound in order; returns how it ended (its message
  // in last_error()) and gives every row as text ("NULL" for NULL).
  SqlOutcome run(const std::string& sql, const std::vector<Value>& params = {},
                 Rows* rows = nullptr) {
    try {
      auto st = c_->prepare(sql);
      for (std::size_t i = 0; i < params.size(); ++i) {
        const int idx = static_cast<int>(i) + 1;
        if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
          st.bind(idx, *n);
        } else {
          st.bind(idx, std::get<std::string>(params[i]));
        }
      }
      while (st.step()) {
        if (!rows) continue;
        std::vector<std::string> row;
        for (int c = 0; c < st.column_count(); ++c)
          row.push_back(st.is_null(c) ? "NULL" : st.text(c));
        rows->push_back(std::move(row));
      }
    } catch (const octroi::sql::ConstraintViolation& e) {
      last_error_ = e.what();
      return SqlOutcome::Constraint;
    } catch (const octroi::StoreError& e) {
      last_error_ = e.what();
      return SqlOutcome::Failed;
    }
    last_error_.clear();
    return SqlOutcome::Ok;
  }

  // Like run(), but a failure throws.
  Rows must(const std::string& sql, const std::vector<Value>& params = {}) {
    Rows rows;
    if (run(sql, params, &rows) != SqlOutcome::Ok)
      throw std::runtime_error("SQL failed (" + sql + "): " + last_error_);
    return rows;
  }

  std::int64_t scalar(const std::string& sql, const std::vector<Value>& params = {}) {
    const auto rows = must(sql, params);
    if (rows.empty() || rows[0].empty()) throw std::runtime_error("no row: " + sql);
    return std::stoll(rows[0][0]);
  }

  // The attacker's first step: the append-only triggers of `table` (…_append_only_u on UPDATE,
  // …_append_only_d on DELETE) stop guarding it. SQLite: dropped. PostgreSQL: disabled (ALTER
  // TABLE … DISABLE TRIGGER, which the owner of the tables may do).
  void remove_append_only_guard(const std::string& table) {
    for (const char* suffix : {"_append_only_u", "_append_only_d"}) {
      const std::string trigger = table + suffix;
      must(postgres() ? "ALTER TABLE " + table + " DISABLE TRIGGER " + trigger
                      : "DROP TRIGGER " + trigger);
    }
  }

  const std::string& last_error() const { return last_error_; }

 private:
  std::unique_ptr<octroi::sql::Connection> c_;
  std::string last_error_;
};

// Copies the database behind `from` into `to`, both locators of the store under test, while no
// octroi connection writes to `from`.
//   SQLite: a file copy of a database no connection has open (so that its WAL has been
//   checkpointed into it and removed); fails the test if a non-empty -wal file is still there.
//   PostgreSQL: `to` is a fresh TestDatabase (an empty schema of the same cluster); it is
//   migrated by octroi, then every row of every table of `from` is copied into it, ids
//   included, with triggers (the append-only guards, the foreign keys) off for the copy only,
//   and the identity sequences are moved past the copied ids. dump_database of both is equal.
inline void copy_database(const std::string& from, const std::string& to) {
  if (octroi_testing::testing_postgres()) {
    octroi::stores::open(to, octroi::stores::OpenMode::Create).reset();
    RawDb source(from);
    const std::string from_schema = source.must("SELECT current_schema()").at(0).at(0);
    RawDb target(to);
    const std::string to_schema = target.must("SELECT current_schema()").at(0).at(0);
    ASSERT_NE(from_schema, to_schema);
    const auto tables = target.must(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY 1");
    const auto identities = target.must(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
        "current_schema() AND is_identity = 'YES' ORDER BY 1");
    std::string sql = "BEGIN; SET LOCAL session_replication_role = replica;";
    for (const auto& t : tables)
      sql += " INSERT INTO " + to_schema + "." + t[0] + " SELECT * FROM " + from_schema + "." +
             t[0] + ";";
    for (const auto& c : identities)
      sql += " SELECT setval(pg_get_serial_sequence('" + to_schema + "." + c[0] + "', '" + c[1] +
             "'), coalesce(max(" + c[1] + "), 0) + 1, false) FROM " + to_schema + "." + c[0] + ";";
    sql += " COMMIT;";
    target.connection().exec(sql);
    return;
  }
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
inline ::testing::AssertionResult LedgerAndAuditClean(octroi::sql::SqlStore& store,
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
