#include "common/db_dump.h"

#include "common/test_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace octroi_testing {
namespace {

class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + path + " read-only: " + msg);
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class Stmt {
 public:
  // Leaves the statement empty (ok() false) if it does not prepare and `must` is false.
  Stmt(sqlite3* db, const std::string& sql, bool must = true) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr) != SQLITE_OK) {
      sqlite3_finalize(st_);
      st_ = nullptr;
      if (must) throw std::runtime_error("cannot prepare " + sql + ": " + sqlite3_errmsg(db));
    }
  }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return st_ != nullptr; }
  sqlite3_stmt* get() const { return st_; }
  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(sqlite3_db_handle(st_)));
  }

 private:
  sqlite3_stmt* st_ = nullptr;
};

std::string column_text(sqlite3_stmt* st, int i) {
  const unsigned char* t = sqlite3_column_text(st, i);
  const int n = sqlite3_column_bytes(st, i);
  return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(n))
           : std::string();
}

// A value with its storage type; a text's length is given so that no two rows render alike.
std::string render_value(sqlite3_stmt* st, int i) {
  switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
      return "NULL";
    case SQLITE_INTEGER:
      return "INTEGER " + std::to_string(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(st, i));
      return std::string("REAL ") + buf;
    }
    case SQLITE_TEXT: {
      const std::string t = column_text(st, i);
      return "TEXT(" + std::to_string(t.size()) + ") '" + t + "'";
    }
    default: {
      const auto* b = static_cast<const unsigned char*>(sqlite3_column_blob(st, i));
      const int n = sqlite3_column_bytes(st, i);
      static const char* hex = "0123456789abcdef";
      std::string out = "BLOB x'";
      for (int k = 0; k < n; ++k) {
        out += hex[b[k] >> 4];
        out += hex[b[k] & 0xF];
      }
      return out + "'";
    }
  }
}

std::vector<std::string> render_rows(Stmt& st) {
  std::vector<std::string> rows;
  const int n = sqlite3_column_count(st.get());
  while (st.step()) {
    std::string row = "  (";
    for (int i = 0; i < n; ++i) {
      if (i) row += ", ";
      row += sqlite3_column_name(st.get(), i);
      row += '=';
      row += render_value(st.get(), i);
    }
    rows.push_back(row + ")\n");
  }
  return rows;
}

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string join(const std::vector<std::string>& rows) {
  std::string out;
  for (const auto& r : rows)
    out += r;
  return out;
}

// The login throttle's counts: a refused login writes one by design (see db_dump.h).
bool rows_dumped(const std::string& table) {
  return table != "login_failures";
}

}  // namespace

// PostgreSQL: the columns of every table of the schema on search_path (with their types), then
// every row in primary-key order, each value as the server renders it.
std::string dump_postgres(const std::string& url) {
  auto c = connect(url);
  std::string out = "schema\n";
  std::vector<std::string> tables;
  {
    auto st = c->prepare(
        "SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') "
        "FROM information_schema.columns WHERE table_schema = current_schema() "
        "ORDER BY table_name, ordinal_position");
    while (st.step())
      out += "  " + st.text(0) + "." + st.text(1) + " " + st.text(2) + " " + st.text(3) + " " +
             st.text(4) + "\n";
  }
  {
    auto st = c->prepare(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name");
    while (st.step())
      tables.push_back(st.text(0));
  }
  for (const auto& t : tables) {
    out += "table " + t + "\n";
    if (!rows_dumped(t)) continue;
    auto st = c->prepare("SELECT * FROM " + quote_identifier(t));
    std::vector<std::string> rows;
    while (st.step()) {
      std::string row = "  (";
      for (int i = 0; i < st.column_count(); ++i) {
        if (i) row += ", ";
        const std::string v = st.text(i);
        row += st.column_name(i) + "=" +
               (st.is_null(i) ? "NULL" : "(" + std::to_string(v.size()) + ") '" + v + "'");
      }
      rows.push_back(row + ")\n");
    }
    std::sort(rows.begin(), rows.end());  // rows as rendered: the id comes first
    out += join(rows);
  }
  return out;
}

std::string dump_database(const std::string& path) {
  if (path.rfind("postgresql://", 0) == 0) return dump_postgres(path);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return "<no database file>\n";
  Db db(path);
  std::string out = "schema\n";
  {
    Stmt st(db.get(), "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
    out += join(render_rows(st));
  }
  std::vector<std::string> tables;
  {
    Stmt st(db.get(), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (st.step())
      tables.push_back(column_text(st.get(), 0));
  }
  for (const auto& t : tables) {
    out += "table " + t + "\n";
    if (!rows_dumped(t)) continue;
    Stmt by_rowid(db.get(), "SELECT * FROM " + quote_identifier(t) + " ORDER BY rowid", false);
    if (by_rowid.ok()) {
      out += join(render_rows(by_rowid));
    } else {
      // A WITHOUT ROWID table: its rows, sorted as rendered.
      Stmt all(db.get(), "SELECT * FROM " + quote_identifier(t));
      auto rows = render_rows(all);
      std::sort(rows.begin(), rows.end());
      out += join(rows);
    }
  }
  return out;
}

std::string first_difference(const std::string& before, const std::string& after) {
  std::istringstream sa(before), sb(after);
  std::string la, lb, section;
  int line = 0;
  while (true) {
    const bool ga = static_cast<bool>(std::getline(sa, la));
    const bool gb = static_cast<bool>(std::getline(sb, lb));
    ++line;
    if (!ga && !gb) return "no difference";
    if (!ga || !gb || la != lb)
      return "dump line " + std::to_string(line) + (section.empty() ? "" : ", in " + section) +
             ":\n  before: " + (ga ? la : "<end>") + "\n  after:  " + (gb ? lb : "<end>");
    if (la.rfind("table ", 0) == 0 || la == "schema") section = la;
  }
}

}  // namespace octroi_testing
