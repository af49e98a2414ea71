// SqliteStore: the embedded implementation of the Store port (app/ports.h).
//
// One file, WAL mode, one connection per transaction taken from a small pool (a connection is
// never used by two threads at once). Write transactions start with BEGIN IMMEDIATE, so a
// writer holds the write lock from its first read and what it read cannot change under it;
// readers see a consistent snapshot. write() (what run_write and the server use) goes through
// one writer thread that commits the work of many callers at once, a savepoint each, one fsync
// per batch (adapters/sql/group_commit.h); the thread starts at the first write(). The row mapping
// is shared with PostgreSQL (adapters/sql/sql_transaction.h). The schema is migrated forward when
// the store opens.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/crypto/sha256_hasher.h"
#include "adapters/sql/group_commit.h"
#include "adapters/sql/sql_store.h"
#include "adapters/sql/sql_transaction.h"
#include "adapters/sqlite/db.h"
#include "app/ports.h"

namespace octroi::sqlite {

class SqliteStore final : public sql::SqlStore, private sql::ConnectionPool {
 public:
  // Opens an existing database (StoreError if missing) and applies pending migrations.
  static std::unique_ptr<SqliteStore> open(const std::string& path);
  // Creates the database file if needed and applies migrations. Idempotent.
  static std::unique_ptr<SqliteStore> create(const std::string& path);

  ~SqliteStore() override;
  std::unique_ptr<Transaction> begin(TxMode mode) override;
  void write(const WriteWork& work) override;
  // Batches committed by the writer thread so far (0 before the first write()).
  std::size_t group_commits() const;
  int schema_version() override;
  Hasher& hasher() override { return hasher_; }
  std::unique_ptr<sql::Connection> connect() override { return Connection::open(path_); }
  const std::string& locator() const override { return path_; }

 private:
  explicit SqliteStore(std::string path) : path_(std::move(path)) {}
  std::unique_ptr<Connection> take();
  void give_back(std::unique_ptr<sql::Connection> c, bool reusable) override;

  std::string path_;
  crypto::Sha256Hasher hasher_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<sql::Connection>> idle_;  // at most kMaxIdle
  static constexpr std::size_t kMaxIdle = 8;
  std::unique_ptr<sql::GroupCommitter> writer_;  // guarded by mu_ until made
};

}  // namespace octroi::sqlite
