// Applied migrations never change (issue 16, finding 7): each one's name and SHA-256 are
// recorded when it is applied and checked at every opening, on both stores. A database whose
// applied migration has another checksum, one this binary does not know, or a migration missing
// below the newest one is refused by name, and left as it was. A database from before the
// checksums gets this binary's once. (scripts/check-migrations.sh, ctest migrations.manifest,
// keeps the files themselves from changing.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "adapters/crypto/sha256_hasher.h"
#include "adapters/postgres/migrations.h"
#include "adapters/postgres/pg_connection.h"
#include "adapters/sqlite/db.h"
#include "adapters/sqlite/migrations.h"
#include "adapters/store/open_store.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi_testing::exec_sql;
using octroi_testing::query;

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<octroi_testing::TestDatabase>(dir_.path());
    db_ = database_->locator();
    octroi::stores::open(db_, octroi::stores::OpenMode::Create);
  }

  // The refusal of opening the database, or "" if it opens.
  std::string open_refusal() {
    try {
      octroi::stores::open(db_, octroi::stores::OpenMode::Existing);
      return "";
    } catch (const octroi::StoreError& e) {
      return e.what();
    }
  }

  std::string history() {
    return dump_table("SELECT version, name, sha256 FROM schema_migrations ORDER BY version");
  }
  std::string dump_table(const std::string& sql) {
    std::string out;
    for (const auto& row : query(db_, sql)) {
      for (const auto& v : row)
        out += v + "|";
      out += "\n";
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<octroi_testing::TestDatabase> database_;
  std::string db_;
};

TEST_F(MigrationsTest, EachAppliedMigrationIsRecordedWithTheChecksumOfItsFile) {
  const std::string dialect = octroi_testing::testing_postgres() ? "postgres" : "sqlite";
  octroi::crypto::Sha256Hasher hasher;
  const auto rows =
      query(db_, "SELECT version, name, sha256 FROM schema_migrations ORDER BY version");
  ASSERT_GE(rows.size(), 10u);
  for (const auto& row : rows) {
    const std::string file =
        std::string(OCTROI_SOURCE_DIR) + "/migrations/" + dialect + "/" + row[1] + ".sql";
    std::ifstream in(file, std::ios::binary);
    ASSERT_TRUE(in) << file;
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(row[2], hasher.sha256_hex(bytes)) << row[1];
  }
  EXPECT_EQ(open_refusal(), "");  // and it opens again
}

TEST_F(MigrationsTest, AMigrationThatChangedAfterItWasAppliedIsRefusedByName) {
  ASSERT_EQ(exec_sql(db_, "UPDATE schema_migrations SET sha256 = '" + std::string(64, 'a') +
                              "' WHERE version = 7"),
            octroi_testing::SqlOutcome::Ok);
  const std::string before = history();
  const std::string refusal = open_refusal();
  EXPECT_NE(refusal.find("La migration 0007_imported_awards appliquée à cette base diffère"),
            std::string::npos)
      << refusal;
  EXPECT_NE(refusal.find("aaaaaaaaaaaa…"), std::string::npos) << refusal;
  EXPECT_EQ(history(), before);
}

TEST_F(MigrationsTest, AnUnknownOrRenamedOrMissingMigrationIsRefusedByName) {
  const std::string renamed = "UPDATE schema_migrations SET name = '0003_autre' WHERE version = 3";
  ASSERT_EQ(exec_sql(db_, renamed), octroi_testing::SqlOutcome::Ok);
  EXPECT_NE(open_refusal().find("s'appelle « 0003_autre »"), std::string::npos) << open_refusal();
  ASSERT_EQ(
      exec_sql(db_, "UPDATE schema_migrations SET name = '0003_award_life' WHERE version = 3"),
      octroi_testing::SqlOutcome::Ok);
  EXPECT_EQ(open_refusal(), "");

  // A gap below the newest applied migration: the schema lacks what it made.
  ASSERT_EQ(exec_sql(db_, "DELETE FROM schema_migrations WHERE version = 3"),
            octroi_testing::SqlOutcome::Ok);
  const std::string before = history();
  EXPECT_NE(open_refusal().find("La migration 0003_award_life manque à cette base"),
            std::string::npos)
      << open_refusal();
  EXPECT_EQ(history(), before);
}

TEST_F(MigrationsTest, ADatabaseFromBeforeTheChecksumsGetsThemOnceThenIsChecked) {
  const std::string recorded = history();
  // As an octroi of before this change left it: no checksum column at all.
  ASSERT_EQ(exec_sql(db_, "ALTER TABLE schema_migrations DROP COLUMN sha256"),
            octroi_testing::SqlOutcome::Ok);
  EXPECT_EQ(open_refusal(), "");
  EXPECT_EQ(history(), recorded);
  // One column, empty for one migration: filled the same way.
  ASSERT_EQ(exec_sql(db_, "UPDATE schema_migrations SET sha256 = NULL WHERE version = 2"),
            octroi_testing::SqlOutcome::Ok);
  EXPECT_EQ(open_refusal(), "");
  EXPECT_EQ(history(), recorded);
}

// Migration 0012 (issue 16, finding 5) gives every API token of a database of schema 11 an
// owner and an expiry: the authority's first active administrator (an inactive one is passed
// over); a token of an authority without an active administrator is revoked (nobody answers for
// it). Then the database refuses a live token without an owner.
TEST_F(MigrationsTest, TokensFromBeforeOwnersGetTheFirstAdministratorOrAreRevoked) {
  octroi_testing::TestDatabase legacy(dir_.path(), "legacy");
  const auto& all = octroi_testing::testing_postgres() ? octroi::postgres::embedded_migrations()
                                                       : octroi::sqlite::embedded_migrations();
  std::vector<octroi::sql::Migration> until_11;
  for (const auto& m : all)
    if (m.version <= 11) until_11.push_back(m);
  ASSERT_EQ(until_11.size(), 11u);
  {
    std::unique_ptr<octroi::sql::Connection> c;
    if (octroi_testing::testing_postgres())
      c = octroi::postgres::Connection::connect(legacy.locator());
    else
      c = octroi::sqlite::Connection::create(legacy.locator());
    octroi::sql::migrate(*c, until_11);
  }
  const std::string hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
  const std::string at = "'2023-01-20T09:00:00Z'";
  ASSERT_EQ(
      exec_sql(legacy.locator(),
               "INSERT INTO authorities (id, code, name) VALUES (1, 'idf', 'Région'), "
               "(2, 'cd93', 'Département');"
               "INSERT INTO users (id, authority_id, login, display_name, role, service, "
               "password_hash, active, created_at) VALUES "
               "(1, 1, 'lea', 'Léa', 'reader', '', '" +
                   hash + "', " + (octroi_testing::testing_postgres() ? "true" : "1") + ", " + at +
                   "), "
                   "(2, 1, 'ancien', 'Ancien', 'administrator', '', '" +
                   hash + "', " + (octroi_testing::testing_postgres() ? "false" : "0") + ", " + at +
                   "), "
                   "(3, 1, 'alice', 'Alice', 'administrator', '', '" +
                   hash + "', " + (octroi_testing::testing_postgres() ? "true" : "1") + ", " + at +
                   ");"
                   "INSERT INTO api_tokens (id, authority_id, token_hash, label, role, created_at, "
                   "revoked_at, service) VALUES "
                   "(1, 1, '" +
                   std::string(64, 'a') + "', 'export', 'reader', " + at +
                   ", NULL, ''),"
                   "(2, 2, '" +
                   std::string(64, 'b') + "', 'orphelin', 'reader', " + at + ", NULL, '')"),
      octroi_testing::SqlOutcome::Ok);
  octroi::stores::open(legacy.locator(), octroi::stores::OpenMode::Existing);  // applies 0012
  const auto rows = query(legacy.locator(),
                          "SELECT id, owner_user_id, CASE WHEN revoked_at IS NULL THEN 'live' ELSE "
                          "'revoked' END, length(expires_at) "
                          "FROM api_tokens ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "3", "live", "20"}));  // alice's
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "NULL", "revoked", "20"}));
  // From now on, a live token has an owner of its own authority: the revoked one stays revoked.
  EXPECT_EQ(exec_sql(legacy.locator(), "UPDATE api_tokens SET revoked_at = NULL WHERE id = 2"),
            octroi_testing::SqlOutcome::Constraint);
  EXPECT_EQ(exec_sql(legacy.locator(),
                     "INSERT INTO api_tokens (authority_id, token_hash, label, role, created_at, "
                     "service, expires_at) VALUES (1, '" +
                         std::string(64, 'c') + "', 'x', 'reader', " + at +
                         ", '', '2023-04-20T00:00:00Z')"),
            octroi_testing::SqlOutcome::Constraint);
}

// Migration 0021 widens the state of a dossier (awaiting_approval). SQLite rebuilds the
// `applications` table for it (foreign keys off, checked before the commit); PostgreSQL replaces
// the CHECK in place. Either way a database of schema 20 keeps every dossier with its id, its
// plan lines and events still point at it, the full-text index still finds it, the old rules
// of the table still hold and the new state is accepted.
TEST_F(MigrationsTest, TheStateOfADossierWidensAndEveryRowAndLinkIsKept) {
  octroi_testing::TestDatabase legacy(dir_.path(), "schema20");
  const bool pg = octroi_testing::testing_postgres();
  const auto& all =
      pg ? octroi::postgres::embedded_migrations() : octroi::sqlite::embedded_migrations();
  std::vector<octroi::sql::Migration> until_20;
  for (const auto& m : all)
    if (m.version <= 20) until_20.push_back(m);
  ASSERT_EQ(until_20.size(), 20u);
  {
    std::unique_ptr<octroi::sql::Connection> c;
    if (pg)
      c = octroi::postgres::Connection::connect(legacy.locator());
    else
      c = octroi::sqlite::Connection::create(legacy.locator());
    octroi::sql::migrate(*c, until_20);
  }
  const std::string no = pg ? "false" : "0", yes = pg ? "true" : "1";
  ASSERT_EQ(
      exec_sql(
          legacy.locator(),
          "INSERT INTO authorities (id, code, name) VALUES (1, 'idf', 'Région');"
          "INSERT INTO aid_schemes (id, authority_id, number, name, framework_deliberation, "
          "section, budget_imputation, budget_action, rule_kind, rate_numerator, "
          "rate_denominator, rate_rounding, base, step_rounding, not_above_request) VALUES "
          "(7, 1, '00001176', 'Chèque numérique', 'CR 2019-043', 'operating', '936', "
          "'16300302', 'rate', 1, 2, 'half_up', 'by_vat_recovery', 'down', " +
              yes +
              ");"
              "INSERT INTO parties (id, authority_id, legal_name, siren, siret, rna, naf, "
              "legal_status, recovers_vat, rep_civility, rep_first_name, rep_last_name, "
              "rep_role, address_line1, address_line2, postal_code, city, insee_code, "
              "departement) VALUES (3, 1, 'Commune de Montfermeil', '', '', '', '', '', " +
              no +
              ", '', '', '', '', '', '', '93370', 'Montfermeil', '', '93');"
              "INSERT INTO applications (id, authority_id, number, scheme_id, party_id, title, "
              "description, place, start_date, end_date, early_start, "
              "early_start_justification, reference_year, basis, state, submitted_on, "
              "proposed_award_cents) VALUES (42, 1, 'EX070158', 7, 3, 'Cœur de ville "
              "connecté', '', 'Montfermeil', '2022-12-01', '2023-11-30', " +
              no +
              ", '', 2023, 'TTC', 'proposed', '2022-11-15', 800000);"
              "INSERT INTO plan_lines (authority_id, application_id, side, position, label, "
              "amount_cents, eligible, status) VALUES (1, 42, 'expense', 1, 'Site', 1671768, " +
              yes + ", '');"),
      octroi_testing::SqlOutcome::Ok);
  octroi::stores::open(legacy.locator(), octroi::stores::OpenMode::Existing);  // applies 0021…
  EXPECT_EQ(
      query(legacy.locator(), "SELECT count(*) FROM schema_migrations WHERE version = 21")[0][0],
      "1");
  EXPECT_EQ(
      query(legacy.locator(),
            "SELECT a.id, a.number, a.state, a.proposed_award_cents, l.amount_cents FROM "
            "applications a JOIN plan_lines l ON l.application_id = a.id"),
      (std::vector<std::vector<std::string>>{{"42", "EX070158", "proposed", "800000", "1671768"}}));
  if (!pg) {
    EXPECT_TRUE(query(legacy.locator(), "PRAGMA foreign_key_check").empty());
    EXPECT_EQ(query(legacy.locator(),
                    "SELECT rowid FROM application_search WHERE application_search MATCH "
                    "'coeur'")[0][0],
              "42");
  }
  // A plan line of no dossier is still refused; the old rules of the table still hold; the new
  // state is accepted.
  EXPECT_EQ(exec_sql(legacy.locator(),
                     "INSERT INTO plan_lines (authority_id, application_id, side, position, "
                     "label, amount_cents, eligible, status) VALUES (1, 999, 'expense', 2, 'x', "
                     "1, " +
                         yes + ", '')"),
            octroi_testing::SqlOutcome::Constraint);
  EXPECT_EQ(exec_sql(legacy.locator(), "UPDATE applications SET state = 'bogus' WHERE id = 42"),
            octroi_testing::SqlOutcome::Constraint);
  EXPECT_EQ(exec_sql(legacy.locator(), "UPDATE applications SET state = 'awarded' WHERE id = 42"),
            octroi_testing::SqlOutcome::Constraint);  // an award needs its amount
  EXPECT_EQ(exec_sql(legacy.locator(),
                     "UPDATE applications SET proposed_award_cents = 900000, rule_award_cents = "
                     "800000 WHERE id = 42"),
            octroi_testing::SqlOutcome::Constraint);  // 0016's trigger, created again
  EXPECT_EQ(exec_sql(legacy.locator(),
                     "UPDATE applications SET state = 'under_instruction' WHERE id = 42;"
                     "INSERT INTO scheme_approval_levels (authority_id, scheme_id, level, label, "
                     "role, may_return) VALUES (1, 7, 1, 'Chef de service', 'approver', 1);"
                     "UPDATE applications SET state = 'awaiting_approval' WHERE id = 42"),
            octroi_testing::SqlOutcome::Ok);
}

}  // namespace
}  // namespace octroi_test
