// The store a test runs against, so that one suite covers SQLite and PostgreSQL (issue 5).
//
// OCTROI_TEST_STORE=postgres (set by ctest for the "postgres." copy of each test) together with
// OCTROI_TEST_PG_URL (the throw-away cluster that ctest starts, scripts/pg-cluster.sh) makes
// every test database a fresh schema in that cluster; anything else means a SQLite file. A
// "postgres" run without a URL fails loudly: it never falls back to SQLite.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/sql/connection.h"

namespace octroi_testing {

bool testing_postgres();

// Takes `--octroi-pg=URL` out of the command line (ctest passes it to the "postgres." copy of
// each test) and sets OCTROI_TEST_STORE=postgres and OCTROI_TEST_PG_URL=URL for the process and
// the octroi commands it starts. Call first thing in main(), before any thread exists.
void take_store_argument(int& argc, char** argv);

// A fresh, empty database for one test: `dir`/octroi.db for SQLite; for PostgreSQL a new schema
// (its URL carries search_path), dropped with everything in it at destruction.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& dir, const std::string& name = "octroi");
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // What `--db` and the store factory take: a file path or a postgresql:// URL.
  const std::string& locator() const { return locator_; }

 private:
  std::string locator_;
  std::string schema_;  // PostgreSQL only
};

// A raw connection to the database behind `locator` (tests inspect and tamper with it).
std::unique_ptr<octroi::sql::Connection> connect(const std::string& locator);

// The rows of `sql`, each value as text ("NULL" for NULL).
std::vector<std::vector<std::string>> query(const std::string& locator, const std::string& sql);
std::int64_t count_rows(const std::string& locator, const std::string& table);

enum class SqlOutcome { Ok, Constraint, Failed };
// Runs `sql` (one or more statements) on a connection of its own, in autocommit.
SqlOutcome exec_sql(const std::string& locator, const std::string& sql,
                    std::string* message = nullptr);

}  // namespace octroi_testing
