// The one wrapper around libpq (ENGINEERING.md rule 9: an upgrade or a switch to libpqxx
// touches this folder only): a connection to a PostgreSQL server behind the sql::Connection
// seam (adapters/sql/connection.h).
//
// SQL arrives written for both engines, with `?` or `?N` parameters; it is rewritten to `$N`
// once and prepared on the server once per connection (named prepared statements, cached by
// SQL text). Parameters travel as text with their types inferred by the server; results come
// back as text: booleans read as 0/1, dates as 'YYYY-MM-DD' (DateStyle ISO is set on connect).
//
// Every connection sets its limits explicitly on connect: statement_timeout, lock_timeout,
// idle_in_transaction_session_timeout, TimeZone UTC, client_encoding UTF8, and NOTICEs are
// dropped rather than printed. A connection belongs to one thread at a time.
//
// Errors: SQLSTATE class 23 (integrity constraint violation, which the append-only triggers
// raise too) is thrown as sql::ConstraintViolation, anything else as StoreError, with the
// server's message.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/sql/connection.h"

struct pg_conn;

namespace octroi::postgres {

struct ConnectionSettings {
  int connect_timeout_s = 10;
  int statement_timeout_ms = 60000;
  int lock_timeout_ms = 30000;
  int idle_in_transaction_timeout_ms = 120000;
};

class PgStatement;

class Connection final : public sql::Connection {
 public:
  // `url`: a libpq connection URI (postgresql://…) or key=value string.
  static std::unique_ptr<Connection> connect(const std::string& url,
                                             const ConnectionSettings& settings = {});
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() override;

  sql::Dialect dialect() const override { return sql::Dialect::Postgres; }
  void exec(const std::string& sql) override;
  sql::Statement prepare(std::string_view sql) override;
  std::int64_t changes() const override { return changes_; }

  // False once the server has gone away: the pool drops such a connection.
  bool healthy() const;
  // True when no transaction is open on it.
  bool idle() const;

  // Internal, for statements.
  pg_conn* raw() const { return conn_; }
  // Pipelining (sql::StatementImpl::run_later): a statement sent without waiting enters the
  // pipeline, then says what it was and how many rows it must change.
  void enter_pipeline();
  void sent_later(std::string what, std::int64_t expected_changes);
  // Reads the answers of the statements sent without waiting and leaves pipeline mode; throws
  // the first failure (or a row count that differs from the expected one) if `report`.
  void settle(bool report);
  // At most this many statements wait for their answers: the server's answers to them must
  // fit in the socket's buffer while this side still writes (no deadlock).
  static constexpr std::size_t kMaxPipelined = 256;
  void set_changes(std::int64_t n) { changes_ = n; }
  std::string next_statement_name();

 private:
  explicit Connection(pg_conn* conn);

  pg_conn* conn_ = nullptr;
  std::int64_t changes_ = 0;
  std::int64_t statements_ = 0;
  struct Pending {
    std::string what;
    std::int64_t expected_changes;
  };
  bool pipelined_ = false;
  std::vector<Pending> pending_;
  std::unordered_map<std::string, std::unique_ptr<PgStatement>> cache_;
};

// `sql` with `?` and `?N` parameters rewritten as `$N` (outside quotes), and how many there are.
std::string to_dollar_parameters(std::string_view sql, int* count);

// The URL without its password, for messages and logs.
std::string redact_url(const std::string& url);

}  // namespace octroi::postgres
