#include "integration/test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace octroi_test {
namespace {

// A read-only (or read-write) sqlite3 connection, closed at scope exit.
class Db {
 public:
  Db(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + path + ": " + msg);
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
  Stmt(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr) != SQLITE_OK)
      throw std::runtime_error("prepare failed (" + sql + "): " + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  // True while there is a row.
  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("step failed: ") + sqlite3_errmsg(sqlite3_db_handle(st_)));
  }
  sqlite3_stmt* get() const { return st_; }

 private:
  sqlite3_stmt* st_ = nullptr;
};

std::string column_text(sqlite3_stmt* st, int i) {
  const unsigned char* t = sqlite3_column_text(st, i);
  const int n = sqlite3_column_bytes(st, i);
  return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(n))
           : std::string();
}

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/octroi-integ-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data()))
    throw std::runtime_error("mkdtemp(" + templ + "): " + std::strerror(errno));
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::vector<std::string>> query(const std::string& path, const std::string& sql) {
  Db db(path, SQLITE_OPEN_READONLY);
  Stmt st(db.get(), sql);
  const int n = sqlite3_column_count(st.get());
  std::vector<std::vector<std::string>> rows;
  while (st.step()) {
    std::vector<std::string> row;
    for (int i = 0; i < n; ++i)
      row.push_back(sqlite3_column_type(st.get(), i) == SQLITE_NULL ? "NULL"
                                                                    : column_text(st.get(), i));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::int64_t count_rows(const std::string& path, const std::string& table) {
  const auto rows = query(path, "SELECT count(*) FROM " + quote_identifier(table));
  return std::stoll(rows.at(0).at(0));
}

int exec_sql(const std::string& path, const std::string& sql, std::string* message) {
  Db db(path, SQLITE_OPEN_READWRITE);
  char* err = nullptr;
  const int rc = sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &err);
  if (message) *message = err ? err : "";
  sqlite3_free(err);
  return rc;
}

std::string octroi_binary() {
  return OCTROI_BINARY;
}

ProcessResult run_octroi(const std::vector<std::string>& args,
                         const std::vector<std::pair<std::string, std::string>>& env) {
  // Everything the child needs is built before fork().
  std::vector<std::string> argv_s;
  argv_s.push_back(octroi_binary());
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_s;
  auto overridden = [&](const std::string& entry) {
    const std::string name = entry.substr(0, entry.find('='));
    if (name == "OCTROI_DB" || name == "OCTROI_AUTHORITY") return true;
    for (const auto& [k, v] : env)
      if (k == name) return true;
    return false;
  };
  for (char** e = environ; e && *e; ++e)
    if (!overridden(*e)) env_s.emplace_back(*e);
  for (const auto& [k, v] : env)
    env_s.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_s)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0)
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[0]);
    close(err_pipe[1]);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);

  ProcessResult r;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[8192];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    r.status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.status = 128 + WTERMSIG(status);
  }
  return r;
}

// ---- DemoDatabaseTest ------------------------------------------------------------------------

void DemoDatabaseTest::SetUp() {
  db_ = dir_.file("octroi.db");
  store_ = octroi::sqlite::SqliteStore::create(db_);
  auto loaded = octroi::run_write(
      *store_, [&](octroi::Transaction& tx) { return octroi::load_demo(tx, "demo", clock_); });
  ASSERT_TRUE(loaded.ok()) << loaded.refusal().describe();
  auto a = octroi::run_read(
      *store_, [&](octroi::Transaction& tx) { return octroi::authority_by_code(tx, "idf"); });
  ASSERT_TRUE(a.ok()) << a.refusal().describe();
  idf_ = a->id;
}

octroi::Context DemoDatabaseTest::context() {
  return octroi::Context{idf_, "test:instructeur", &clock_};
}

octroi::ApplicationView DemoDatabaseTest::show(const std::string& number) {
  auto v = octroi::run_read(
      *store_, [&](octroi::Transaction& tx) { return octroi::show_application(tx, idf_, number); });
  if (!v.ok()) {
    ADD_FAILURE() << "show_application(" << number << ") refused: " << v.refusal().describe();
    throw std::runtime_error("show_application refused");
  }
  return std::move(v).value();
}

std::int64_t DemoDatabaseTest::party_id(const std::string& legal_name) {
  auto parties =
      octroi::run_read(*store_, [&](octroi::Transaction& tx) { return tx.list_parties(idf_); });
  for (const auto& p : parties)
    if (p.legal_name == legal_name) return p.id.value;
  ADD_FAILURE() << "no party named " << legal_name;
  return 0;
}

}  // namespace octroi_test
