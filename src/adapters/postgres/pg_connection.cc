#include "adapters/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <optional>
#include <vector>

namespace octroi::postgres {
namespace {

constexpr Oid kBoolOid = 16;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

[[noreturn]] void fail(PGconn* conn, const PGresult* res, const std::string& what) {
  std::string msg = res ? PQresultErrorMessage(res) : "";
  if (msg.empty() && conn) msg = PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
    msg.pop_back();
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string full = what + ": " + msg;
  if (state && state[0] == '2' && state[1] == '3') throw sql::ConstraintViolation(full);
  throw StoreError(full);
}

// Checks a result; returns it if it succeeded.
Result check(PGconn* conn, PGresult* raw, const std::string& what) {
  Result res(raw);
  const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(conn, res.get(), what);
  return res;
}

void ignore_notice(void*, const char*) {}

std::string short_sql(std::string_view sql) {
  return "«" + std::string(sql.substr(0, 80)) + "»";
}

}  // namespace

std::string to_dollar_parameters(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0, highest = 0;
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char ch = sql[i];
    if (quote) {
      out += ch;
      if (ch == quote) quote = 0;  // a doubled quote reopens at once: same result
      continue;
    }
    if (ch == '\'' || ch == '"') {
      quote = ch;
      out += ch;
      continue;
    }
    if (ch != '?') {
      out += ch;
      continue;
    }
    std::size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9')
      ++j;
    int n = 0;
    if (j > i + 1) {
      std::from_chars(sql.data() + i + 1, sql.data() + j, n);
      i = j - 1;
    } else {
      n = ++next;
    }
    if (n > highest) highest = n;
    out += '$';
    out += std::to_string(n);
  }
  if (count) *count = highest;
  return out;
}

std::string redact_url(const std::string& url) {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto at = url.find('@', scheme + 3);
  const auto slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

class PgStatement final : public sql::StatementImpl {
 public:
  PgStatement(Connection& c, std::string_view sql, bool cached) : c_(c), cached_(cached) {
    int n = 0;
    sql_ = to_dollar_parameters(sql, &n);
    values_.resize(static_cast<std::size_t>(n));
    if (cached) name_ = c.next_statement_name();
  }

  bool in_use = false;

  void bind_int64(int i, std::int64_t v) override { slot(i) = std::to_string(v); }
  void bind_text(int i, std::string_view v) override { slot(i) = std::string(v); }
  void bind_null(int i) override { slot(i).reset(); }

  bool step() override {
    if (!res_) {
      execute();
      row_ = 0;
    } else {
      ++row_;
    }
    return row_ < PQntuples(res_.get());
  }

  void run_later(std::int64_t expected_changes) override {
    if (cached_ && !prepared_) {
      c_.settle(true);  // PQprepare waits for its answer: not inside a pipeline
      prepare();
    }
    const auto params = parameters();
    const int n = static_cast<int>(params.size());
    PGconn* conn = c_.raw();
    std::string what = "postgres " + short_sql(sql_);  // before sending: nothing may throw after
    c_.enter_pipeline();
    const int sent =
        cached_
            ? PQsendQueryPrepared(conn, name_.c_str(), n, params.data(), nullptr, nullptr, 0)
            : PQsendQueryParams(conn, sql_.c_str(), n, nullptr, params.data(), nullptr, nullptr, 0);
    if (sent != 1) fail(conn, nullptr, what);
    c_.sent_later(std::move(what), expected_changes);
    res_.reset();
  }

  std::int64_t column_int64(int col) const override {
    if (PQgetisnull(res_.get(), row_, col)) return 0;
    const char* v = PQgetvalue(res_.get(), row_, col);
    if (PQftype(res_.get(), col) == kBoolOid) return v[0] == 't' ? 1 : 0;
    std::int64_t out = 0;
    const char* end = v + PQgetlength(res_.get(), row_, col);
    const auto [p, ec] = std::from_chars(v, end, out);
    if (ec != std::errc() || p != end)
      throw StoreError(std::string("postgres: not an integer in column ") +
                       PQfname(res_.get(), col) + ": " + v);
    return out;
  }
  std::string column_text(int col) const override {
    if (PQgetisnull(res_.get(), row_, col)) return {};
    const char* v = PQgetvalue(res_.get(), row_, col);
    if (PQftype(res_.get(), col) == kBoolOid) return v[0] == 't' ? "1" : "0";
    return std::string(v, static_cast<std::size_t>(PQgetlength(res_.get(), row_, col)));
  }
  bool column_is_null(int col) const override { return PQgetisnull(res_.get(), row_, col) != 0; }
  int column_count() const override { return res_ ? PQnfields(res_.get()) : 0; }
  std::string column_name(int col) const override { return PQfname(res_.get(), col); }

  void reset() override {
    res_.reset();
    for (auto& v : values_)
      v.reset();
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
  std::optional<std::string>& slot(int i) {
    if (i < 1 || static_cast<std::size_t>(i) > values_.size())
      throw StoreError("postgres: parameter " + std::to_string(i) + " out of range in " +
                       short_sql(sql_));
    return values_[static_cast<std::size_t>(i - 1)];
  }

  std::vector<const char*> parameters() const {
    std::vector<const char*> params(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i)
      params[i] = values_[i] ? values_[i]->c_str() : nullptr;
    return params;
  }

  void prepare() {
    check(
        c_.raw(),
        PQprepare(c_.raw(), name_.c_str(), sql_.c_str(), static_cast<int>(values_.size()), nullptr),
        "postgres prepare of " + short_sql(sql_));
    prepared_ = true;
  }

  void execute() {
    c_.settle(true);  // the answers of the statements sent earlier come first
    const auto params = parameters();
    const int n = static_cast<int>(params.size());
    PGconn* conn = c_.raw();
    if (!cached_) {
      res_ = check(conn,
                   PQexecParams(conn, sql_.c_str(), n, nullptr, params.data(), nullptr, nullptr, 0),
                   "postgres " + short_sql(sql_));
    } else {
      if (!prepared_) prepare();
      res_ = check(conn, PQexecPrepared(conn, name_.c_str(), n, params.data(), nullptr, nullptr, 0),
                   "postgres " + short_sql(sql_));
    }
    const char* tuples = PQcmdTuples(res_.get());
    std::int64_t changed = 0;
    if (tuples && *tuples)
      std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), changed);
    c_.set_changes(changed);
  }

  Connection& c_;
  bool cached_;
  bool prepared_ = false;
  std::string sql_, name_;
  std::vector<std::optional<std::string>> values_;
  Result res_;
  int row_ = 0;
};

std::unique_ptr<Connection> Connection::connect(const std::string& url,
                                                const ConnectionSettings& settings) {
  // Our defaults first: what the URL says overrides them (expand_dbname).
  const std::string timeout = std::to_string(settings.connect_timeout_s);
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "octroi", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (!conn) throw StoreError("postgres: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    while (!msg.empty() && msg.back() == '\n')
      msg.pop_back();
    throw StoreError("connexion impossible à " + redact_url(url) + " : " + msg);
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  auto c = std::unique_ptr<Connection>(new Connection(conn));
  c->exec(
      "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; "
      "SET client_min_messages = 'warning'; SET statement_timeout = " +
      std::to_string(settings.statement_timeout_ms) + "; SET lock_timeout = " +
      std::to_string(settings.lock_timeout_ms) + "; SET idle_in_transaction_session_timeout = " +
      std::to_string(settings.idle_in_transaction_timeout_ms));
  return c;
}

Connection::Connection(pg_conn* conn) : conn_(conn) {}

Connection::~Connection() {
  cache_.clear();
  PQfinish(conn_);
}

void Connection::exec(const std::string& sql) {
  // A rollback drops whatever the statements sent earlier said: their failure is why it runs.
  settle(sql.rfind("ROLLBACK", 0) != 0);
  check(conn_, PQexec(conn_, sql.c_str()), "postgres " + short_sql(sql));
}

void Connection::enter_pipeline() {
  if (pending_.size() >= kMaxPipelined) settle(true);
  if (pipelined_) return;
  if (PQenterPipelineMode(conn_) != 1) fail(conn_, nullptr, "postgres: pipeline mode");
  pipelined_ = true;
}

void Connection::sent_later(std::string what, std::int64_t expected_changes) {
  pending_.push_back({std::move(what), expected_changes});
}

void Connection::settle(bool report) {
  if (!pipelined_) return;
  std::vector<Pending> pending;
  pending.swap(pending_);
  pipelined_ = false;
  if (PQpipelineSync(conn_) != 1) fail(conn_, nullptr, "postgres: pipeline sync");
  // Each statement's answer is its result then a null; the sync's is PGRES_PIPELINE_SYNC. After
  // a failure the server skips the rest, which read PGRES_PIPELINE_ABORTED.
  Result first_error;
  std::string error_what, mismatch;
  std::size_t i = 0;
  for (;;) {
    Result res(PQgetResult(conn_));
    if (!res) {
      if (++i > pending.size() + 1)  // nothing comes any more: the connection is gone
        fail(conn_, nullptr, "postgres: pipeline answers missing");
      continue;
    }
    const auto status = PQresultStatus(res.get());
    if (status == PGRES_PIPELINE_SYNC) break;
    if (i >= pending.size()) continue;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      const char* tuples = PQcmdTuples(res.get());
      std::int64_t changed = 0;
      if (tuples && *tuples)
        std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), changed);
      const std::int64_t expected = pending[i].expected_changes;
      if (expected >= 0 && changed != expected && mismatch.empty())
        mismatch = pending[i].what + ": " + std::to_string(changed) + " row(s) changed, " +
                   std::to_string(expected) + " expected";
    } else if (status != PGRES_PIPELINE_ABORTED && !first_error) {
      first_error = std::move(res);
      error_what = pending[i].what;
    }
  }
  if (PQexitPipelineMode(conn_) != 1) fail(conn_, nullptr, "postgres: pipeline exit");
  if (!report) return;
  if (first_error) fail(conn_, first_error.get(), error_what);
  if (!mismatch.empty()) throw StoreError(mismatch);
}

sql::Statement Connection::prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end())
    it = cache_.emplace(std::string(sql), std::make_unique<PgStatement>(*this, sql, true)).first;
  PgStatement& cached = *it->second;
  if (cached.in_use) return sql::Statement(new PgStatement(*this, sql, false));
  cached.in_use = true;
  return sql::Statement(&cached);
}

bool Connection::healthy() const {
  return PQstatus(conn_) == CONNECTION_OK;
}

bool Connection::idle() const {
  return PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

std::string Connection::next_statement_name() {
  return "octroi_" + std::to_string(++statements_);
}

}  // namespace octroi::postgres
