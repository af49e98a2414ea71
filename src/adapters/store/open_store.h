// Chooses the store from where the data lives: a postgresql:// (or postgres://) URL opens the
// PostgreSQL store, anything else is a SQLite file. The CLI, the tools and the tests go through
// here, so that every command works the same on both (`--db file.db` or `--db postgresql://…`).
#pragma once

#include <memory>
#include <string>

#include "adapters/sql/sql_store.h"

namespace octroi::stores {

enum class OpenMode {
  Existing,  // refuse a missing SQLite file or a PostgreSQL database octroi never initialised
  Create,    // create the SQLite file or the schema if needed (the PostgreSQL database must exist)
};

std::unique_ptr<sql::SqlStore> open(const std::string& locator, OpenMode mode);

// The locator fit for messages (a PostgreSQL URL without its password).
std::string display_name(const std::string& locator);

}  // namespace octroi::stores
