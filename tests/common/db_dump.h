// A logical dump of a SQLite database, to check that a command or a use case left it as it was.
// Shared by the integration tests and the scenario driver.
#pragma once

#include <string>

namespace octroi_testing {

// The schema (sqlite_master), then every row of every table (sqlite_master ORDER BY name,
// SELECT * ... ORDER BY rowid), each value rendered with its storage type. The file is opened
// read-only with the sqlite3 C API. A missing file dumps as "<no database file>".
// Throws std::runtime_error on any SQLite error.
// The rows of login_failures (the login throttle's counts) are left out, its schema is not: a
// refused login counts a failure by design, and "a refusal changes nothing" means nothing of
// the authorities' data.
std::string dump_database(const std::string& path);

// The first line where two dumps differ, with both versions, for failure messages.
std::string first_difference(const std::string& before, const std::string& after);

}  // namespace octroi_testing
