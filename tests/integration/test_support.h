// Support for the integration tests: a temporary directory per test, a fixed clock, a logical
// dump of a SQLite database (to prove that a refused use case changed nothing), small SQL
// helpers, and a runner for the real `octroi` executable.
#pragma once

#include <gtest/gtest.h>
#include "common/db_dump.h"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "adapters/store/open_store.h"
#include "app/context.h"
#include "app/ports.h"
#include "app/use_cases.h"
#include "common/test_store.h"

namespace octroi_test {

// French typography as octroi prints it: U+202F groups digits, U+00A0 before € and %.
#define OCTROI_NNBSP "\xE2\x80\xAF"
#define OCTROI_NBSP "\xC2\xA0"

// A fresh directory (mkdtemp under $TMPDIR, or /tmp), removed with its content at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// An instant written the way octroi stores them ("2023-01-20T09:00:00Z"); throws on anything
// else, so that a typo in a test fails the test rather than making a different instant.
inline octroi::Instant instant(const std::string& iso) {
  const auto t = octroi::Instant::parse(iso);
  if (!t) throw std::invalid_argument("not an instant: " + iso);
  return *t;
}

// Always 20 January 2023, 09:00 UTC.
class FixedClock : public octroi::Clock {
 public:
  static constexpr const char* kNow = "2023-01-20T09:00:00Z";
  octroi::Instant now() override { return *octroi::Instant::parse(kNow); }
};

// dump_database (schema and every row, typed) and first_difference: tests/common/db_dump.h.
using octroi_testing::dump_database;
using octroi_testing::first_difference;

// The store under test and raw SQL on it: tests/common/test_store.h.
using octroi_testing::count_rows;
using octroi_testing::exec_sql;
using octroi_testing::query;
using octroi_testing::SqlOutcome;
using octroi_testing::TestDatabase;

struct ProcessResult {
  int status = -1;  // exit status; 128 + signal number if killed by a signal
  std::string out;
  std::string err;
};

// Path of the built `octroi` executable (compile definition OCTROI_BINARY).
std::string octroi_binary();

// The environment of an `octroi` child: the current one minus OCTROI_DB and OCTROI_AUTHORITY
// (and the names `env` sets), plus `env` (NAME, VALUE pairs), as NAME=VALUE entries.
std::vector<std::string> child_environment(
    const std::vector<std::pair<std::string, std::string>>& env = {});

// Runs `octroi args...` with the current environment minus OCTROI_DB and OCTROI_AUTHORITY,
// plus `env` (NAME, VALUE pairs); captures stdout, stderr and the exit status. No shell.
ProcessResult run_octroi(const std::vector<std::string>& args,
                         const std::vector<std::pair<std::string, std::string>>& env = {});

// A SQLite file at `path` with the demonstration played and CP 2023-040 adopted (`octroi demo
// --play`, then `report adopt`): the source of the db copy tests.
inline ::testing::AssertionResult make_adopted_demo(const std::string& path) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"demo", "--play", "--db", path}, {"report", "adopt", "CP 2023-040", "--db", path}}) {
    const auto r = run_octroi(args);
    if (r.status != 0)
      return ::testing::AssertionFailure() << args[0] << " " << args[1] << ": " << r.err << r.out;
  }
  return ::testing::AssertionSuccess();
}

// A temporary database (SQLite or PostgreSQL, common/test_store.h) holding the reference
// demonstration (CP 2023-040), loaded through octroi::load_demo with a FixedClock.
class DemoDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override;

  octroi::Context context();
  // Runs `use_case(tx, ctx)` in a write transaction (committed only if accepted).
  template <class F>
  auto write(F&& use_case) {
    return octroi::run_write(*store_, [&](octroi::Transaction& tx) {
      const octroi::Context ctx = context();
      return use_case(tx, ctx);
    });
  }
  octroi::ApplicationView show(const std::string& number);
  // The id of the party with this legal name (fails the test if absent).
  std::int64_t party_id(const std::string& legal_name);

  TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<TestDatabase> database_;
  std::string db_;  // the locator: a SQLite file or a PostgreSQL URL
  std::unique_ptr<octroi::sql::SqlStore> store_;
  octroi::AuthorityId idf_;
};

}  // namespace octroi_test
