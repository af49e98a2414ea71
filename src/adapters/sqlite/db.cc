#include "adapters/sqlite/db.h"

#include <sqlite3.h>

#include <filesystem>

namespace octroi::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  const std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
  if (db && (sqlite3_extended_errcode(db) & 0xff) == SQLITE_CONSTRAINT)
    throw sql::ConstraintViolation(msg);
  throw StoreError(msg);
}

}  // namespace

class SqliteStatement final : public sql::StatementImpl {
 public:
  // `cached`: owned by the connection's cache, and only reset when released.
  SqliteStatement(sqlite3* db, std::string_view sql, bool cached) : db_(db), cached_(cached) {
    const unsigned flags = cached ? SQLITE_PREPARE_PERSISTENT : 0;
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), flags, &stmt_, nullptr) !=
        SQLITE_OK)
      fail(db, "sqlite prepare of «" + std::string(sql.substr(0, 80)) + "»");
  }
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  bool in_use = false;

  void bind_int64(int i, std::int64_t v) override {
    if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) fail(db_, "sqlite bind");
  }
  void bind_text(int i, std::string_view v) override {
    if (sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK)
      fail(db_, "sqlite bind");
  }
  void bind_null(int i) override {
    if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) fail(db_, "sqlite bind");
  }
  bool step() override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, "sqlite step");
  }
  // SQLite runs in this process: nothing to gain by waiting, it runs now.
  void run_later(std::int64_t expected_changes) override {
    while (step()) {
    }
    if (expected_changes >= 0 && sqlite3_changes(db_) != expected_changes)
      throw StoreError("sqlite «" + std::string(sqlite3_sql(stmt_)).substr(0, 80) +
                       "»: " + std::to_string(sqlite3_changes(db_)) + " row(s) changed, " +
                       std::to_string(expected_changes) + " expected");
  }
  std::int64_t column_int64(int col) const override { return sqlite3_column_int64(stmt_, col); }
  std::string column_text(int col) const override {
    const auto* p = sqlite3_column_text(stmt_, col);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  bool column_is_null(int col) const override {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
  }
  int column_count() const override { return sqlite3_column_count(stmt_); }
  std::string column_name(int col) const override {
    const char* n = sqlite3_column_name(stmt_, col);
    return n ? n : "";
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void release() override {
    if (!cached_) {
      delete this;
      return;
    }
    reset();
    in_use = false;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool cached_;
};

Connection::Connection(const std::string& path, int flags) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open database " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  if (flags & SQLITE_OPEN_READWRITE)
    exec("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
}

std::unique_ptr<Connection> Connection::open(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw StoreError("la base " + path + " n'existe pas (créez-la avec « octroi init --db " + path +
                     " »)");
  return std::unique_ptr<Connection>(new Connection(path, SQLITE_OPEN_READWRITE));
}

std::unique_ptr<Connection> Connection::create(const std::string& path) {
  return std::unique_ptr<Connection>(
      new Connection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
}

std::unique_ptr<Connection> Connection::open_read_only(const std::string& path) {
  if (!std::filesystem::exists(path)) throw StoreError("la base " + path + " n'existe pas");
  return std::unique_ptr<Connection>(new Connection(path, SQLITE_OPEN_READONLY));
}

Connection::~Connection() {
  cache_.clear();  // finalises every cached statement before the connection closes
  sqlite3_close_v2(db_);
}

void Connection::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = "sqlite: " + std::string(err ? err : "unknown error");
    sqlite3_free(err);
    if ((sqlite3_extended_errcode(db_) & 0xff) == SQLITE_CONSTRAINT)
      throw sql::ConstraintViolation(msg);
    throw StoreError(msg);
  }
}

sql::Statement Connection::prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end())
    it = cache_.emplace(std::string(sql), std::make_unique<SqliteStatement>(db_, sql, true)).first;
  SqliteStatement& cached = *it->second;
  if (cached.in_use) return sql::Statement(new SqliteStatement(db_, sql, false));
  cached.in_use = true;
  return sql::Statement(&cached);
}

std::int64_t Connection::changes() const {
  return sqlite3_changes(db_);
}

}  // namespace octroi::sqlite
