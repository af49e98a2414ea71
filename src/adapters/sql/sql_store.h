// SqlStore: what the SQL stores (SQLite, PostgreSQL) offer beyond the Store port, for the
// programs that run them (CLI, server, tools, tests): the schema version, the audit chain's
// hasher, and a raw connection for storage-level tools (copy between stores, dumps).
#pragma once

#include <memory>
#include <string>

#include "adapters/sql/connection.h"
#include "app/audit_chain.h"
#include "app/ports.h"

namespace octroi::sql {

class SqlStore : public Store {
 public:
  virtual int schema_version() = 0;
  virtual Hasher& hasher() = 0;
  // A connection of its own, outside any pool, for tools. Not for use cases: they go through
  // begin().
  virtual std::unique_ptr<Connection> connect() = 0;
  // Where the store lives, as given to open (a file path or a postgresql:// URL).
  virtual const std::string& locator() const = 0;
};

}  // namespace octroi::sql
