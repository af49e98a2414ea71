// Schema migrations for both dialects: one transaction, writers kept out while it runs.
#include <string>

#include "adapters/sql/connection.h"

namespace octroi::sql {
namespace {

// Any 64-bit constant: the key of PostgreSQL's advisory lock that migrators queue on.
constexpr const char* kMigrationLockKey = "7302061105";

}  // namespace

int schema_version(Connection& c) {
  auto st = c.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  return st.step() ? static_cast<int>(st.int64(0)) : 0;
}

void migrate(Connection& c, const std::vector<Migration>& all) {
  const bool pg = c.dialect() == Dialect::Postgres;
  in_transaction(c, true, [&] {
    // SQLite's BEGIN IMMEDIATE already holds the single write lock. PostgreSQL's DDL is
    // transactional, and two processes starting at once queue on an advisory lock rather than
    // both migrating.
    if (pg) c.exec(std::string("SELECT pg_advisory_xact_lock(") + kMigrationLockKey + ")");
    c.exec(pg ? "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, "
                "name text NOT NULL)"
              : "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "name TEXT NOT NULL) STRICT");
    const int current = schema_version(c);
    if (!all.empty() && current > all.back().version)
      throw StoreError("la base a été créée par une version plus récente d'octroi (schéma " +
                       std::to_string(current) + ")");
    for (const auto& m : all) {
      if (m.version <= current) continue;
      c.exec(m.sql);
      c.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)")
          .bind(1, m.version)
          .bind(2, m.name)
          .run();
    }
  });
}

}  // namespace octroi::sql
