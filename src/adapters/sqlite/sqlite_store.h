// SqliteStore: the embedded implementation of the Store port (app/ports.h).
//
// One file, WAL mode, one connection per transaction taken from a small pool (a connection is
// never used by two threads at once). Write transactions start with BEGIN IMMEDIATE, so a
// writer holds the write lock from its first read and what it read cannot change under it;
// readers see a consistent snapshot. The schema is migrated forward when the store opens.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/crypto/sodium_hasher.h"
#include "adapters/sqlite/db.h"
#include "app/ports.h"

namespace octroi::sqlite {

class SqliteStore : public Store {
 public:
  // Opens an existing database (StoreError if missing) and applies pending migrations.
  static std::unique_ptr<SqliteStore> open(const std::string& path);
  // Creates the database file if needed and applies migrations. Idempotent.
  static std::unique_ptr<SqliteStore> create(const std::string& path);

  std::unique_ptr<Transaction> begin(TxMode mode) override;
  int schema_version();

  // Internal: returns a connection to the pool.
  void give_back(Connection c);
  Hasher& hasher() { return hasher_; }

 private:
  explicit SqliteStore(std::string path) : path_(std::move(path)) {}
  Connection take();
  void migrate(Connection& c);

  std::string path_;
  crypto::SodiumHasher hasher_;
  std::mutex mu_;
  std::vector<Connection> idle_;  // at most kMaxIdle
  static constexpr std::size_t kMaxIdle = 8;
};

}  // namespace octroi::sqlite
