#include "adapters/sqlite/db.h"

#include <sqlite3.h>

#include <filesystem>

#include "app/ports.h"

namespace octroi::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw StoreError(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

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
  exec("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
}

Connection Connection::open(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw StoreError("la base " + path + " n'existe pas (créez-la avec « octroi init --db " + path +
                     " »)");
  return Connection(path, SQLITE_OPEN_READWRITE);
}

Connection Connection::create(const std::string& path) {
  return Connection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
}

Connection::Connection(Connection&& o) noexcept : db_(o.db_), cache_(std::move(o.cache_)) {
  o.db_ = nullptr;
}

Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    finalize_cache();
    sqlite3_close_v2(db_);
    db_ = o.db_;
    cache_ = std::move(o.cache_);
    o.db_ = nullptr;
  }
  return *this;
}

void Connection::finalize_cache() {
  if (!cache_) return;
  for (auto& entry : *cache_)
    sqlite3_finalize(entry.second.stmt);
  cache_->clear();
}

Connection::~Connection() {
  finalize_cache();
  sqlite3_close_v2(db_);
}

void Connection::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw StoreError("sqlite: " + msg);
  }
}

Statement Connection::prepare(std::string_view sql) {
  auto it = cache_->find(std::string(sql));
  if (it == cache_->end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK)
      fail(db_, "sqlite prepare of «" + std::string(sql.substr(0, 80)) + "»");
    it = cache_->emplace(std::string(sql), CachedStatement{stmt, false}).first;
  }
  if (it->second.in_use) return Statement(db_, sql);
  return Statement(db_, it->second.stmt, &it->second.in_use);
}

std::int64_t Connection::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int Connection::changes() const {
  return sqlite3_changes(db_);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK)
    fail(db, "sqlite prepare of «" + std::string(sql.substr(0, 80)) + "»");
}

Statement::Statement(sqlite3* db, sqlite3_stmt* cached, bool* in_use)
    : db_(db), stmt_(cached), in_use_(in_use) {
  *in_use_ = true;
}

Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), in_use_(o.in_use_) {
  o.stmt_ = nullptr;
  o.in_use_ = nullptr;
}

Statement::~Statement() {
  if (in_use_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

Statement& Statement::bind(int i, std::int64_t v) {
  if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) fail(db_, "sqlite bind");
  return *this;
}

Statement& Statement::bind(int i, const std::string& v) {
  if (sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    fail(db_, "sqlite bind");
  return *this;
}

Statement& Statement::bind_null(int i) {
  if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) fail(db_, "sqlite bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "sqlite step");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

std::string Statement::text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

bool Statement::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

std::optional<std::string> Statement::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

int Statement::column_count() const {
  return sqlite3_column_count(stmt_);
}

}  // namespace octroi::sqlite
