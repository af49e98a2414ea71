#include "common/test_store.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/pg_store.h"
#include "adapters/sqlite/db.h"

namespace octroi_testing {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string pg_admin_url() {
  const std::string url = env("OCTROI_TEST_PG_URL");
  if (url.empty())
    throw std::runtime_error(
        "OCTROI_TEST_STORE=postgres but OCTROI_TEST_PG_URL is not set: start a cluster with "
        "scripts/pg-cluster.sh (ctest does it) rather than testing SQLite by mistake");
  return url;
}

std::string with_search_path(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

}  // namespace

void take_store_argument(int& argc, char** argv) {
  const std::string flag = "--octroi-pg=";
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind(flag, 0) == 0) {
      setenv("OCTROI_TEST_STORE", "postgres", 1);
      setenv("OCTROI_TEST_PG_URL", a.substr(flag.size()).c_str(), 1);
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  argv[argc] = nullptr;
}

bool testing_postgres() {
  return env("OCTROI_TEST_STORE") == "postgres";
}

TestDatabase::TestDatabase(const std::string& dir, const std::string& name) {
  if (!testing_postgres()) {
    locator_ = dir + "/" + name + ".db";
    return;
  }
  static std::atomic<int> counter{0};
  std::random_device rd;
  schema_ = "t_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
            std::to_string(rd() % 100000) + "_" + name;
  auto admin = octroi::postgres::Connection::connect(pg_admin_url());
  admin->exec("CREATE SCHEMA " + schema_);
  locator_ = with_search_path(pg_admin_url(), schema_);
}

TestDatabase::~TestDatabase() {
  if (schema_.empty()) return;
  try {
    auto admin = octroi::postgres::Connection::connect(pg_admin_url());
    admin->exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  } catch (...) {
    // The cluster is thrown away after the run: a schema left behind harms nothing.
  }
}

std::unique_ptr<octroi::sql::Connection> connect(const std::string& locator) {
  if (octroi::postgres::is_postgres_url(locator))
    return octroi::postgres::Connection::connect(locator);
  return octroi::sqlite::Connection::open(locator);
}

std::vector<std::vector<std::string>> query(const std::string& locator, const std::string& sql) {
  auto c = connect(locator);
  auto st = c->prepare(sql);
  std::vector<std::vector<std::string>> rows;
  while (st.step()) {
    std::vector<std::string> row;
    for (int i = 0; i < st.column_count(); ++i)
      row.push_back(st.is_null(i) ? "NULL" : st.text(i));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::int64_t count_rows(const std::string& locator, const std::string& table) {
  return std::stoll(query(locator, "SELECT count(*) FROM " + table).at(0).at(0));
}

SqlOutcome exec_sql(const std::string& locator, const std::string& sql, std::string* message) {
  auto c = connect(locator);
  try {
    c->exec(sql);
    if (message) message->clear();
    return SqlOutcome::Ok;
  } catch (const octroi::sql::ConstraintViolation& e) {
    if (message) *message = e.what();
    return SqlOutcome::Constraint;
  } catch (const octroi::StoreError& e) {
    if (message) *message = e.what();
    return SqlOutcome::Failed;
  }
}

}  // namespace octroi_testing
