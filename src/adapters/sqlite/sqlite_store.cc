#include "adapters/sqlite/sqlite_store.h"

#include "adapters/sqlite/migrations.h"

namespace octroi::sqlite {

std::unique_ptr<Transaction> make_sqlite_transaction(SqliteStore& store, Connection c, TxMode mode);

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& path) {
  auto store = std::unique_ptr<SqliteStore>(new SqliteStore(path));
  Connection c = Connection::open(path);
  store->migrate(c);
  store->give_back(std::move(c));
  return store;
}

std::unique_ptr<SqliteStore> SqliteStore::create(const std::string& path) {
  auto store = std::unique_ptr<SqliteStore>(new SqliteStore(path));
  Connection c = Connection::create(path);
  store->migrate(c);
  store->give_back(std::move(c));
  return store;
}

void SqliteStore::migrate(Connection& c) {
  c.exec("BEGIN IMMEDIATE");
  try {
    c.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL) STRICT");
    int current = 0;
    {
      auto st = c.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
      if (st.step()) current = static_cast<int>(st.int64(0));
    }
    const auto& all = embedded_migrations();
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
    c.exec("COMMIT");
  } catch (...) {
    c.exec("ROLLBACK");
    throw;
  }
}

int SqliteStore::schema_version() {
  Connection c = take();
  int v = 0;
  {
    auto st = c.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (st.step()) v = static_cast<int>(st.int64(0));
  }
  give_back(std::move(c));
  return v;
}

Connection SqliteStore::take() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      Connection c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  return Connection::open(path_);
}

void SqliteStore::give_back(Connection c) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(c));
}

std::unique_ptr<Transaction> SqliteStore::begin(TxMode mode) {
  return make_sqlite_transaction(*this, take(), mode);
}

}  // namespace octroi::sqlite
