// PgStore: the PostgreSQL implementation of the Store port (app/ports.h), for authorities and
// shared platforms that outgrow one machine. Same row mapping as SQLite
// (adapters/sql/sql_transaction.h); its own migrations (migrations/postgres, same numbered
// history, dialect differences explained at the top of each file).
//
// Connections come from a pool with explicit limits: at most `max_connections` open at once;
// a transaction that finds them all busy waits up to `acquire_timeout_ms`, then fails with a
// StoreError rather than queueing forever. Broken connections (server restart, failed
// rollback) are dropped, not reused. The limits come from the environment:
//   OCTROI_PG_POOL_MAX             connections open at most (default 8)
//   OCTROI_PG_ACQUIRE_TIMEOUT_MS   wait for a free connection (default 10 000)
//   OCTROI_PG_STATEMENT_TIMEOUT_MS one statement at most (default 60 000)
//   OCTROI_PG_LOCK_TIMEOUT_MS      wait for a row lock at most (default 30 000)
// Thread-safety: the store may be shared by threads; each transaction has its own connection.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/crypto/sha256_hasher.h"
#include "adapters/postgres/pg_connection.h"
#include "adapters/sql/sql_store.h"
#include "adapters/sql/sql_transaction.h"

namespace octroi::postgres {

struct PoolSettings {
  int max_connections = 8;
  int acquire_timeout_ms = 10000;
  ConnectionSettings connection;
  // Reads the OCTROI_PG_* variables above; a malformed value is a StoreError naming it.
  static PoolSettings from_environment();
};

class PgStore final : public sql::SqlStore, private sql::ConnectionPool {
 public:
  // Connects and migrates an octroi database; refuses a database octroi has never initialised.
  static std::unique_ptr<PgStore> open(const std::string& url);
  // Connects and creates or migrates the schema. Idempotent. The database itself must exist.
  static std::unique_ptr<PgStore> create(const std::string& url);
  ~PgStore() override;

  std::unique_ptr<Transaction> begin(TxMode mode) override;
  int schema_version() override;
  Hasher& hasher() override { return hasher_; }
  std::unique_ptr<sql::Connection> connect() override;
  const std::string& locator() const override { return url_; }

 private:
  PgStore(std::string url, PoolSettings settings)
      : url_(std::move(url)), settings_(std::move(settings)) {}
  std::unique_ptr<Connection> take();
  void give_back(std::unique_ptr<sql::Connection> c, bool reusable) override;

  std::string url_;
  PoolSettings settings_;
  crypto::Sha256Hasher hasher_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // connections handed out or idle
};

// True when `locator` names a PostgreSQL database rather than a SQLite file.
bool is_postgres_url(const std::string& locator);

}  // namespace octroi::postgres
