// The one wrapper around SQLite's C API (ENGINEERING.md rule 9): a connection and prepared
// statements, RAII, errors thrown as StoreError with SQLite's message.
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
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace octroi::sqlite {

class Statement;

class Connection {
 public:
  static constexpr int kBusyTimeoutMs = 10000;

  // Opens an existing database file; throws StoreError if it does not exist.
  static Connection open(const std::string& path);
  // Creates the file if needed.
  static Connection create(const std::string& path);

  Connection(Connection&& o) noexcept;
  Connection& operator=(Connection&& o) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  void exec(const std::string& sql);  // one or more statements, no results
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  sqlite3* raw() const { return db_; }

 private:
  Connection(const std::string& path, int flags);
  void finalize_cache();

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  sqlite3* db_ = nullptr;
  // Node-based: entries keep their address while the map grows.
  std::unique_ptr<std::unordered_map<std::string, CachedStatement>> cache_ =
      std::make_unique<std::unordered_map<std::string, CachedStatement>>();
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);  // compiled for this use only
  // Uses a statement from a connection's cache; marks it free again when destroyed.
  Statement(sqlite3* db, sqlite3_stmt* cached, bool* in_use);
  Statement(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binding by 1-based index; chainable.
  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, const std::string& v);
  Statement& bind(int i, const char* v) { return bind(i, std::string(v)); }
  Statement& bind(int i, bool v) { return bind(i, static_cast<std::int64_t>(v ? 1 : 0)); }
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement& bind_null(int i);
  template <class T>
  Statement& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }

  // Advances; true while a row is available.
  bool step();
  // Runs a statement that returns no row.
  void run();
  void reset();

  std::int64_t int64(int col) const;
  std::string text(int col) const;
  bool is_null(int col) const;
  std::optional<std::int64_t> opt_int64(int col) const;
  std::optional<std::string> opt_text(int col) const;
  int column_count() const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool* in_use_ = nullptr;  // set for a cached statement
};

}  // namespace octroi::sqlite
