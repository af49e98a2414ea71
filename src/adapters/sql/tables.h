// The table registry: every table of the schema that holds an authority's data, in dependency
// order (parents before children), with what a storage-level tool needs to walk it. `octroi db
// copy` (adapters/store/copy.cc) copies exactly these tables in this order, and refuses a
// schema holding a table that is neither registered nor excluded below.
//
// A migration that adds a table adds it here too (or to excluded_tables, with the reason):
// tests/integration/store_copy_test.cc compares this registry with the tables of the migrated
// schema on both stores and fails on a table missing from both lists.
#pragma once

#include <string>
#include <vector>

#include "adapters/sql/connection.h"

namespace octroi::sql {

struct TableInfo {
  const char* name;
  // The column holding the row's authority: "authority_id", or "id" for `authorities` itself.
  const char* authority_column;
  // The identity column whose PostgreSQL sequence a copy moves past the copied rows ("id",
  // "seq"), or "" for a table keyed otherwise (by its parent's id, a hash, a pair).
  const char* identity;
};

// Parents before children: a copy writes them in this order, so foreign keys always hold.
const std::vector<TableInfo>& registered_tables();

// Tables of the schema deliberately left out of the registry.
struct ExcludedTable {
  const char* name;
  const char* reason;
};
const std::vector<ExcludedTable>& excluded_tables();

bool is_excluded_table(const std::string& name);

// The tables of the connected schema, by name: on SQLite, sqlite_master's tables (virtual and
// shadow tables of FTS5 included, SQLite's own sqlite_* left out); on PostgreSQL, the base
// tables of information_schema.tables in the current schema.
std::vector<std::string> schema_tables(Connection& c);

}  // namespace octroi::sql
