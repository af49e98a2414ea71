// Schema migrations for both dialects: one transaction, writers kept out while it runs; every
// applied migration recorded with its checksum and checked at each opening.
#include <map>
#include <string>
#include <string_view>

#include "adapters/sql/connection.h"

namespace octroi::sql {
namespace {

// Any 64-bit constant: the key of PostgreSQL's advisory lock that migrators queue on.
constexpr const char* kMigrationLockKey = "7302061105";

struct Applied {
  std::string name, sha256;
};

// The runner's own table, and its checksum column (added to databases created before it).
void prepare_history(Connection& c, bool pg) {
  c.exec(pg ? "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, "
              "name text NOT NULL, sha256 text)"
            : "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
              "name TEXT NOT NULL, sha256 TEXT) STRICT");
  auto st = c.prepare(pg ? "SELECT count(*) FROM information_schema.columns WHERE table_schema = "
                           "current_schema() AND table_name = 'schema_migrations' AND "
                           "column_name = 'sha256'"
                         : "SELECT count(*) FROM pragma_table_info('schema_migrations') WHERE "
                           "name = 'sha256'");
  const bool has = st.step() && st.int64(0) > 0;
  st.reset();
  if (!has) c.exec("ALTER TABLE schema_migrations ADD COLUMN sha256 TEXT");
}

std::map<int, Applied> applied_migrations(Connection& c) {
  std::map<int, Applied> out;
  auto st = c.prepare("SELECT version, name, coalesce(sha256, '') FROM schema_migrations");
  while (st.step())
    out[static_cast<int>(st.int64(0))] = {st.text(1), st.text(2)};
  return out;
}

[[noreturn]] void drifted(const std::string& what) {
  throw StoreError(what +
                   " : une migration appliquée ne change jamais. Ouvrez cette base avec la "
                   "version d'octroi qui l'a créée, ou restaurez une sauvegarde.");
}

// A SQLite migration that rebuilds a table (sqlite.org/lang_altertable.html, section 7) says so
// on a line of its own: it is applied with foreign keys off — a pragma SQLite ignores inside a
// transaction, so it is set around the migrations' one — and every foreign key is checked
// before they commit.
constexpr std::string_view kForeignKeysOff = "-- octroi:foreign-keys-off";

bool rebuilds_tables(const Migration& m) {
  return std::string_view(m.sql).find(kForeignKeysOff) != std::string_view::npos;
}

// The newest migration applied, 0 for a database without the runner's table yet.
int applied_version(Connection& c) {
  auto st = c.prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  const bool has = st.step() && st.int64(0) > 0;
  st.reset();
  return has ? schema_version(c) : 0;
}

void check_foreign_keys(Connection& c) {
  auto st = c.prepare("PRAGMA foreign_key_check");
  if (st.step())
    throw StoreError("Migration : la table " + st.text(0) + " a une ligne (" +
                     std::to_string(st.int64(1)) + ") dont la référence vers " + st.text(2) +
                     " n'existe plus ; rien n'a été changé.");
}

}  // namespace

int schema_version(Connection& c) {
  auto st = c.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  return st.step() ? static_cast<int>(st.int64(0)) : 0;
}

namespace {

void migrate_in_one_transaction(Connection& c, const std::vector<Migration>& all, bool pg,
                                bool& rebuilt) {
  in_transaction(c, true, [&] {
    // SQLite's BEGIN IMMEDIATE already holds the single write lock. PostgreSQL's DDL is
    // transactional, and two processes starting at once queue on an advisory lock rather than
    // both migrating.
    if (pg) c.exec(std::string("SELECT pg_advisory_xact_lock(") + kMigrationLockKey + ")");
    prepare_history(c, pg);
    const int current = schema_version(c);
    if (!all.empty() && current > all.back().version)
      throw StoreError("la base a été créée par une version plus récente d'octroi (schéma " +
                       std::to_string(current) + ")");
    const auto applied = applied_migrations(c);
    std::map<int, const Migration*> known;
    for (const auto& m : all)
      known[m.version] = &m;
    for (const auto& [version, a] : applied) {
      const auto it = known.find(version);
      if (it == known.end())
        drifted("La migration " + std::to_string(version) + " (" + a.name +
                ") appliquée à cette base n'existe pas dans cette version d'octroi");
      const Migration& m = *it->second;
      if (a.name != m.name)
        drifted("La migration " + std::to_string(version) + " appliquée à cette base s'appelle « " +
                a.name + " », celle de cette version d'octroi « " + m.name + " »");
      if (a.sha256.empty()) {
        // Applied before checksums were recorded: this binary's is recorded, then checked.
        c.prepare("UPDATE schema_migrations SET sha256 = ? WHERE version = ?")
            .bind(1, m.sha256)
            .bind(2, m.version)
            .run();
      } else if (a.sha256 != m.sha256) {
        drifted("La migration " + std::string(m.name) +
                " appliquée à cette base diffère de celle de cette version d'octroi (empreinte " +
                a.sha256.substr(0, 12) + "… au lieu de " + std::string(m.sha256).substr(0, 12) +
                "…)");
      }
    }
    for (const auto& m : all) {
      if (applied.count(m.version)) continue;
      if (m.version < current)
        drifted("La migration " + std::string(m.name) +
                " manque à cette base alors que des suivantes y sont appliquées");
      c.exec(m.sql);
      rebuilt = rebuilt || (!pg && rebuilds_tables(m));
      c.prepare("INSERT INTO schema_migrations (version, name, sha256) VALUES (?, ?, ?)")
          .bind(1, m.version)
          .bind(2, m.name)
          .bind(3, m.sha256)
          .run();
    }
    if (rebuilt) check_foreign_keys(c);
  });
}

}  // namespace

void migrate(Connection& c, const std::vector<Migration>& all) {
  const bool pg = c.dialect() == Dialect::Postgres;
  // Read before the transaction, which the pragma must precede: another process migrating in
  // between only makes this one turn the keys off for nothing; one that has not migrated yet
  // with the keys on would fail its rebuild as a whole (DROP TABLE refuses) and change nothing.
  bool keys_off = false;
  if (!pg) {
    const int applied = applied_version(c);
    for (const auto& m : all)
      keys_off = keys_off || (m.version > applied && rebuilds_tables(m));
  }
  if (keys_off) c.exec("PRAGMA foreign_keys = OFF");
  bool rebuilt = false;
  try {
    migrate_in_one_transaction(c, all, pg, rebuilt);
  } catch (...) {
    if (keys_off) c.exec("PRAGMA foreign_keys = ON; PRAGMA legacy_alter_table = OFF");
    throw;
  }
  if (keys_off) c.exec("PRAGMA foreign_keys = ON");
}

}  // namespace octroi::sql
