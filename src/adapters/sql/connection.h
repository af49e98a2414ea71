// The relational seam shared by the SQL stores (SQLite embedded, PostgreSQL on a server): a
// connection that runs SQL and a prepared statement with positional parameters and rows.
//
// Both stores speak the same SQL through it, written once in <aggregate>_rows.cc with `?` or
// `?N` parameters and `RETURNING id`; a driver translates what its engine needs (PostgreSQL's
// `$N`). Values cross the seam as 64-bit integers, text or NULL: a driver maps its engine's
// types onto these (PostgreSQL's boolean reads as 0/1 and accepts 0/1, its date reads as
// 'YYYY-MM-DD').
//
// Thread-safety: a Connection and its statements belong to one thread at a time.
// Errors are thrown as StoreError (app/ports.h); a broken integrity constraint (CHECK, UNIQUE,
// FOREIGN KEY, or an append-only trigger) as ConstraintViolation, so that callers and tests can
// tell "the database refused" from "the database failed".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports.h"

namespace octroi::sql {

class ConstraintViolation : public StoreError {
 public:
  using StoreError::StoreError;
};

enum class Dialect { Sqlite, Postgres };

// A statement as a driver implements it. Owned by its connection (cached by SQL text) or by
// nobody (compiled for one use): release() says which, and is the last call it receives.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void bind_int64(int index, std::int64_t v) = 0;  // 1-based
  virtual void bind_text(int index, std::string_view v) = 0;
  virtual void bind_null(int index) = 0;
  virtual bool step() = 0;  // runs on first call; true while a row is available
  // Runs a statement that returns no rows, possibly later: a driver that can pipeline
  // (PostgreSQL) sends it without waiting for its answer, which it checks before the next
  // statement that needs one, and before COMMIT. Its failure then surfaces there, so it is
  // only for writes inside a transaction that any failure aborts as a whole. `expected_changes`
  // (>= 0): the rows it must insert, update or delete, or StoreError.
  virtual void run_later(std::int64_t expected_changes) = 0;
  virtual std::int64_t column_int64(int col) const = 0;
  virtual std::string column_text(int col) const = 0;
  virtual bool column_is_null(int col) const = 0;
  virtual int column_count() const = 0;
  virtual std::string column_name(int col) const = 0;
  // Forgets the rows and the bindings, ready to be bound and run again.
  virtual void reset() = 0;
  virtual void release() = 0;
};

// What callers hold: move-only, chainable binds, released when it goes out of scope.
class Statement {
 public:
  explicit Statement(StatementImpl* impl) : impl_(impl) {}
  Statement(Statement&& o) noexcept : impl_(o.impl_) { o.impl_ = nullptr; }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (impl_) impl_->release();
  }

  Statement& bind(int i, std::int64_t v) {
    impl_->bind_int64(i, v);
    return *this;
  }
  Statement& bind(int i, const std::string& v) {
    impl_->bind_text(i, v);
    return *this;
  }
  Statement& bind(int i, const char* v) {
    impl_->bind_text(i, v);
    return *this;
  }
  Statement& bind(int i, bool v) { return bind(i, static_cast<std::int64_t>(v ? 1 : 0)); }
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement& bind_null(int i) {
    impl_->bind_null(i);
    return *this;
  }
  template <class T>
  Statement& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }

  bool step() { return impl_->step(); }
  // Runs a statement to its end (its rows, if any, are discarded).
  void run() {
    while (impl_->step()) {
    }
  }
  // See StatementImpl::run_later: the statement's bindings are taken at once; the statement
  // may be rebound and run again straight after.
  void run_later(std::int64_t expected_changes = -1) { impl_->run_later(expected_changes); }
  // Runs an INSERT … RETURNING id and gives the id.
  std::int64_t run_returning_id() {
    if (!impl_->step()) throw StoreError("INSERT … RETURNING gave no row");
    const std::int64_t id = impl_->column_int64(0);
    run();
    return id;
  }
  void reset() { impl_->reset(); }

  std::int64_t int64(int col) const { return impl_->column_int64(col); }
  std::string text(int col) const { return impl_->column_text(col); }
  bool is_null(int col) const { return impl_->column_is_null(col); }
  std::optional<std::int64_t> opt_int64(int col) const {
    if (is_null(col)) return std::nullopt;
    return int64(col);
  }
  std::optional<std::string> opt_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
  }
  int column_count() const { return impl_->column_count(); }
  std::string column_name(int col) const { return impl_->column_name(col); }

 private:
  StatementImpl* impl_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // One or more statements without parameters or results.
  virtual void exec(const std::string& sql) = 0;
  virtual Statement prepare(std::string_view sql) = 0;
  // Rows inserted, updated or deleted by the statement that ran last.
  virtual std::int64_t changes() const = 0;
};

// BEGIN in the engine's words. A writer: SQLite's BEGIN IMMEDIATE (the write lock from the
// start), PostgreSQL's READ COMMITTED (its callers take row locks). A reader: one snapshot
// (PostgreSQL's REPEATABLE READ READ ONLY).
inline const char* begin_statement(Dialect d, bool write) {
  if (d == Dialect::Postgres)
    return write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  return write ? "BEGIN IMMEDIATE" : "BEGIN";
}

// Runs `f` between BEGIN and COMMIT; rolls back and rethrows if it throws.
template <class F>
void in_transaction(Connection& c, bool write, F&& f) {
  c.exec(begin_statement(c.dialect(), write));
  try {
    f();
    c.exec("COMMIT");
  } catch (...) {
    try {
      c.exec("ROLLBACK");
    } catch (...) {
      // The first failure is the one worth reporting.
    }
    throw;
  }
}

// One step of a schema's history, embedded in the binary from migrations/<dialect>/.
struct Migration {
  int version;
  const char* name;
  const char* sql;
  const char* sha256;  // of the file's bytes, in hexadecimal (cmake/embed_migrations.cmake)
};

// Brings the schema to the newest migration inside one transaction (the caller's dialect
// decides how writers are kept out meanwhile), recording each one's name and SHA-256 in
// schema_migrations. An applied migration never changes: refuses (StoreError naming it) a
// database whose applied migration has another checksum or name than this binary's, one this
// binary does not have, a schema newer than this binary, or a migration missing below the
// newest applied one. A database from before the checksums were recorded gets this binary's
// (recorded once, then checked).
void migrate(Connection& c, const std::vector<Migration>& all);
int schema_version(Connection& c);

}  // namespace octroi::sql
