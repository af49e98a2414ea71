// Tampering with the database: an attacker who holds the SQLite file, or the owner's access to
// the PostgreSQL schema, can drop or disable the append-only triggers and edit rows directly. The
// audit trail's hash chain must then show where
// (`verify_audit`, `octroi audit verify`: exit 1, « ALTÉRATION » on stdout), and the ledger's
// verification must name the line whose journal no longer adds up to its balances (`octroi
// ledger verify`: exit 1). The attacker here recomputes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "adapters/crypto/sha256_hasher.h"
#include "integration/robustness_support.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::Context;
using octroi::Transaction;
using robust::RawDb;

constexpr const char* kAuditColumns =
    "authority_id, at, actor, action, entity, entity_key, before, after, prev_hash, hash";

class Tamper : public DemoDatabaseTest {
 protected:
  void SetUp() override {
    DemoDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    auto adopted = write([](Transaction& tx, const Context& ctx) {
      return octroi::adopt_report(tx, ctx, "CP 2023-040");
    });
    ASSERT_TRUE(adopted.ok()) << robust::codes(adopted.refusal());
    ASSERT_FALSE(adopted->already_adopted);
    store_.reset();  // octroi is closed: the attacker works on the database alone
    if (!octroi_testing::testing_postgres()) {
      ASSERT_FALSE(std::filesystem::exists(db_ + "-wal"));
    }
    RawDb raw(db_);
    entries_ = raw.scalar("SELECT count(*) FROM audit_log WHERE authority_id = ?", {idf_.value});
    ASSERT_GT(entries_, 20);
  }

  // The test's database (its own, fresh: SetUp built it), with the append-only triggers of
  // `table` dropped (SQLite) or disabled (PostgreSQL).
  std::string without_triggers(const std::string& table) {
    RawDb raw(db_);
    raw.remove_append_only_guard(table);
    return db_;
  }

  octroi::AuditVerification verify_audit_of(const std::string& path) {
    auto store = octroi::stores::open(path, octroi::stores::OpenMode::Existing);
    return octroi::run_read(
        *store, [&](Transaction& tx) { return octroi::verify_audit(tx, idf_, store->hasher()); });
  }

  octroi::LedgerVerification verify_ledger_of(const std::string& path) {
    auto store = octroi::stores::open(path, octroi::stores::OpenMode::Existing);
    return octroi::run_read(*store,
                            [&](Transaction& tx) { return octroi::verify_ledger(tx, idf_); });
  }

  // The business fields and chain fields of the row numbered `authority_seq`.
  std::vector<std::string> audit_row(RawDb& raw, std::int64_t authority_seq) {
    const auto rows = raw.must(std::string("SELECT ") + kAuditColumns +
                                   " FROM audit_log WHERE authority_id = ? AND authority_seq = ?",
                               {idf_.value, authority_seq});
    if (rows.size() != 1) throw std::runtime_error("no audit row " + std::to_string(authority_seq));
    return rows[0];
  }

  // Overwrites the columns named in `columns` of row `authority_seq` with `values`.
  void overwrite(RawDb& raw, std::int64_t authority_seq, const std::vector<std::string>& columns,
                 const std::vector<std::string>& values) {
    std::string sql = "UPDATE audit_log SET ";
    std::vector<RawDb::Value> params;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      sql += (i ? ", " : "") + columns[i] + " = ?";
      params.emplace_back(values[i]);
    }
    sql += " WHERE authority_id = ? AND authority_seq = ?";
    params.emplace_back(idf_.value);
    params.emplace_back(authority_seq);
    raw.must(sql, params);
  }

  static std::set<std::int64_t> seqs(const octroi::AuditVerification& v) {
    std::set<std::int64_t> out;
    for (const auto& p : v.problems)
      out.insert(p.authority_seq);
    return out;
  }

  static bool has_problem(const octroi::AuditVerification& v, std::int64_t seq,
                          const std::string& fragment) {
    for (const auto& p : v.problems)
      if (p.authority_seq == seq && p.what.find(fragment) != std::string::npos) return true;
    return false;
  }

  static std::string listing(const octroi::AuditVerification& v) {
    std::string out;
    for (const auto& p : v.problems)
      out += "  n° " + std::to_string(p.authority_seq) + ": " + p.what + "\n";
    return out.empty() ? "  (no problem)\n" : out;
  }

  // `octroi audit verify` on `path`: exit 1 and the French report naming `seq`.
  void expect_cli_reports_alteration(const std::string& path, std::int64_t seq) {
    const ProcessResult r = run_octroi({"audit", "verify", "--db", path});
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("ALTÉRATION à l'entrée n° " + std::to_string(seq) + " "),
              std::string::npos)
        << r.out;
  }

  std::int64_t entries_ = 0;
};

TEST_F(Tamper, CleanDatabaseVerifies) {
  const auto audit = verify_audit_of(db_);
  EXPECT_EQ(audit.entries, entries_);
  EXPECT_TRUE(audit.problems.empty()) << listing(audit);
  const auto ledger = verify_ledger_of(db_);
  EXPECT_EQ(ledger.lines, 4);
  EXPECT_TRUE(ledger.differences.empty());

  const ProcessResult a = run_octroi({"audit", "verify", "--db", db_});
  EXPECT_EQ(a.status, 0) << a.out << a.err;
  EXPECT_NE(a.out.find(std::to_string(entries_) + " entrée(s) vérifiées"), std::string::npos)
      << a.out;
  EXPECT_NE(a.out.find("Chaîne intègre"), std::string::npos) << a.out;
  EXPECT_EQ(a.out.find("ALTÉRATION"), std::string::npos) << a.out;
  const ProcessResult l = run_octroi({"ledger", "verify", "--db", db_});
  EXPECT_EQ(l.status, 0) << l.out << l.err;
  EXPECT_NE(l.out.find("Aucune anomalie"), std::string::npos) << l.out;
}

TEST_F(Tamper, TriggersRefuseEditsUntilDropped) {
  const std::string before = dump_database(db_);
  RawDb raw(db_);
  EXPECT_EQ(raw.run("UPDATE audit_log SET actor = 'mallory' WHERE authority_seq = 3"),
            SqlOutcome::Constraint);
  EXPECT_NE(raw.last_error().find("append-only"), std::string::npos) << raw.last_error();
  EXPECT_EQ(raw.run("DELETE FROM audit_log WHERE authority_seq = 3"), SqlOutcome::Constraint);
  EXPECT_EQ(raw.run("UPDATE ledger_entries SET amount_cents = amount_cents + 1"),
            SqlOutcome::Constraint);
  EXPECT_NE(raw.last_error().find("append-only"), std::string::npos) << raw.last_error();
  EXPECT_EQ(raw.run("DELETE FROM ledger_entries"), SqlOutcome::Constraint);
  EXPECT_TRUE(verify_audit_of(db_).problems.empty());
  const std::string after = dump_database(db_);
  EXPECT_EQ(before, after) << first_difference(before, after);

  // The control: once the guard is gone, the same edit goes through.
  raw.remove_append_only_guard("audit_log");
  EXPECT_EQ(raw.run("UPDATE audit_log SET actor = 'mallory' WHERE authority_seq = 3"),
            SqlOutcome::Ok)
      << raw.last_error();
  EXPECT_FALSE(verify_audit_of(db_).problems.empty());
}

// (a) One character of one row's `after`.
TEST_F(Tamper, ChangedCharacterIsDetectedAtItsRow) {
  const std::string tampered = without_triggers("audit_log");
  const std::int64_t target = entries_ / 2;
  RawDb raw(tampered);
  std::string after = audit_row(raw, target)[7];
  const std::size_t at = after.find_first_of("0123456789", after.size() / 2);
  ASSERT_NE(at, std::string::npos) << after;
  after[at] = after[at] == '9' ? '0' : static_cast<char>(after[at] + 1);
  overwrite(raw, target, {"after"}, {after});

  const auto v = verify_audit_of(tampered);
  EXPECT_EQ(v.entries, entries_);
  EXPECT_EQ(seqs(v), std::set<std::int64_t>{target}) << listing(v);
  EXPECT_TRUE(has_problem(v, target, "modifié")) << listing(v);
  expect_cli_reports_alteration(tampered, target);
}

// (b) A row removed from the middle: a gap in the numbering and a broken link.
TEST_F(Tamper, DeletedMiddleRowIsDetected) {
  const std::string tampered = without_triggers("audit_log");
  const std::int64_t target = entries_ / 2;
  RawDb raw(tampered);
  raw.must("DELETE FROM audit_log WHERE authority_id = ? AND authority_seq = ?",
           {idf_.value, target});

  const auto v = verify_audit_of(tampered);
  EXPECT_EQ(v.entries, entries_ - 1);
  EXPECT_TRUE(has_problem(v, target + 1, "disparu")) << listing(v);
  EXPECT_TRUE(has_problem(v, target + 1, "chaînage")) << listing(v);
  EXPECT_EQ(seqs(v), std::set<std::int64_t>{target + 1}) << listing(v);
  expect_cli_reports_alteration(tampered, target + 1);
}

// (c) Two rows' business contents exchanged, their numbers and hashes left in place.
TEST_F(Tamper, SwappedRowContentsAreDetected) {
  const std::string tampered = without_triggers("audit_log");
  const std::int64_t first = entries_ / 3, second = entries_ / 3 + 4;
  RawDb raw(tampered);
  const std::vector<std::string> columns = {"at",         "actor",  "action", "entity",
                                            "entity_key", "before", "after"};
  auto contents = [&](std::int64_t seq) {
    const auto row = audit_row(raw, seq);
    return std::vector<std::string>(row.begin() + 1, row.begin() + 8);
  };
  const auto a = contents(first), b = contents(second);
  ASSERT_NE(a, b);
  overwrite(raw, first, columns, b);
  overwrite(raw, second, columns, a);

  const auto v = verify_audit_of(tampered);
  EXPECT_EQ(v.entries, entries_);
  EXPECT_TRUE(has_problem(v, first, "modifié")) << listing(v);
  EXPECT_TRUE(has_problem(v, second, "modifié")) << listing(v);
  EXPECT_EQ(seqs(v), (std::set<std::int64_t>{first, second})) << listing(v);
  expect_cli_reports_alteration(tampered, first);
  expect_cli_reports_alteration(tampered, second);
}

// (c') Two rows exchanged whole (contents and hashes: a reordering), only numbers kept.
TEST_F(Tamper, ReorderedRowsAreDetected) {
  const std::string tampered = without_triggers("audit_log");
  const std::int64_t first = entries_ / 3, second = entries_ / 3 + 4;
  RawDb raw(tampered);
  const std::vector<std::string> columns = {"at",     "actor", "action",    "entity", "entity_key",
                                            "before", "after", "prev_hash", "hash"};
  auto whole = [&](std::int64_t seq) {
    const auto row = audit_row(raw, seq);
    return std::vector<std::string>(row.begin() + 1, row.end());
  };
  const auto a = whole(first), b = whole(second);
  overwrite(raw, first, columns, b);
  overwrite(raw, second, columns, a);

  const auto v = verify_audit_of(tampered);
  EXPECT_TRUE(has_problem(v, first, "chaînage")) << listing(v);
  EXPECT_TRUE(has_problem(v, first, "modifié")) << listing(v);
  EXPECT_TRUE(has_problem(v, second, "modifié")) << listing(v);
  expect_cli_reports_alteration(tampered, first);
}

// An attacker who also rehashes the row it changed still breaks the link to the next one.
TEST_F(Tamper, RehashedRowBreaksTheNextLink) {
  const std::string tampered = without_triggers("audit_log");
  const std::int64_t target = entries_ / 2;
  RawDb raw(tampered);
  const auto row = audit_row(raw, target);
  octroi::AuditEntry e;
  e.authority = idf_;
  e.authority_seq = target;
  e.at = instant(row[1]);
  e.actor = "mallory";  // the forged field
  e.action = row[3];
  e.entity = row[4];
  e.entity_key = row[5];
  e.before = row[6];
  e.after = row[7];
  octroi::crypto::Sha256Hasher hasher;
  const std::string hash = hasher.sha256_hex(octroi::audit_chain_material(e, row[8]));
  overwrite(raw, target, {"actor", "hash"}, {e.actor, hash});

  const auto v = verify_audit_of(tampered);
  EXPECT_EQ(seqs(v), std::set<std::int64_t>{target + 1}) << listing(v);
  EXPECT_TRUE(has_problem(v, target + 1, "chaînage")) << listing(v);
  expect_cli_reports_alteration(tampered, target + 1);
}

// The ledger: one journal amount changed; the line's balances no longer add up.
TEST_F(Tamper, ChangedLedgerAmountIsDetectedOnItsLine) {
  const std::string tampered = without_triggers("ledger_entries");
  RawDb raw(tampered);
  const auto ids = raw.must(
      "SELECT e.id FROM ledger_entries e JOIN budget_lines l ON l.id = e.budget_line_id "
      "WHERE l.fiscal_year = 2023 AND l.action = '16300302' AND e.kind = 'allocation' "
      "ORDER BY e.id LIMIT 1");
  ASSERT_EQ(ids.size(), 1u);
  raw.must("UPDATE ledger_entries SET amount_cents = amount_cents - 100 WHERE id = ?",
           {static_cast<std::int64_t>(std::stoll(ids[0][0]))});

  const auto v = verify_ledger_of(tampered);
  ASSERT_EQ(v.differences.size(), 1u);
  EXPECT_EQ(v.differences[0].line.key(), "2023/16300302");
  EXPECT_EQ((v.differences[0].stored.allocated - v.differences[0].journal.allocated).cents(), 100);

  const ProcessResult r = run_octroi({"ledger", "verify", "--db", tampered});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("ANOMALIE sur 2023/16300302"), std::string::npos) << r.out;
  for (const char* other : {"2023/16200102", "2023/16100107", "2022/15600105"})
    EXPECT_EQ(r.out.find(std::string("ANOMALIE sur ") + other), std::string::npos) << r.out;
}

}  // namespace
}  // namespace octroi_test
