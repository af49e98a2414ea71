// The one wrapper around SQLite's C API (ENGINEERING.md rule 9): a connection and its prepared
// statements behind the sql::Connection seam (adapters/sql/connection.h), errors thrown as
// StoreError (ConstraintViolation for SQLITE_CONSTRAINT) with SQLite's message.
//
// Connections are opened read-write (never created implicitly except by Connection::create),
// with explicit settings rather than library defaults: WAL, foreign keys on, a busy timeout,
// synchronous=FULL. A Connection belongs to one thread at a time.
//
// Prepared statements are cached per connection, keyed by their SQL text: compiling SQL was two
// thirds of the CPU of an allocation (bench/RESULTS.md). A cached statement is reset and its
// bindings cleared when the Statement using it goes away; if the same SQL is prepared again
// while in use (a nested loop), the second one is compiled apart and finalised after use.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "adapters/sql/connection.h"

struct sqlite3;

namespace octroi::sqlite {

class SqliteStatement;

class Connection final : public sql::Connection {
 public:
  static constexpr int kBusyTimeoutMs = 10000;

  // Opens an existing database file; throws StoreError if it does not exist.
  static std::unique_ptr<Connection> open(const std::string& path);
  // Creates the file if needed.
  static std::unique_ptr<Connection> create(const std::string& path);
  // Opens an existing file read-only (tools and tests that inspect a database).
  static std::unique_ptr<Connection> open_read_only(const std::string& path);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() override;

  sql::Dialect dialect() const override { return sql::Dialect::Sqlite; }
  void exec(const std::string& sql) override;
  sql::Statement prepare(std::string_view sql) override;
  std::int64_t changes() const override;
  sqlite3* raw() const { return db_; }

 private:
  Connection(const std::string& path, int flags);

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> cache_;
};

}  // namespace octroi::sqlite
