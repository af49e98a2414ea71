// Copying an authority's data between stores (`octroi db copy`): SQLite to PostgreSQL when an
// authority outgrows one machine, and back (a PostgreSQL authority taken offline, a test copy).
//
// The copy works row by row at the storage level, keeping every id, so that journals, the audit
// trail (whose hashes cover the entries' numbers) and references stay exactly as they were. It
// runs in one transaction on the target: a failure leaves the target as it was. Afterwards it
// verifies, on the committed target, that every table holds as many rows of the authority as
// the source, that each budget line has the same balances, that the ledger and the audit chain
// verify, and that the chain ends on the same hash.
//
// Limits: because ids are kept, two databases that grew apart cannot be merged: copying into a
// non-empty target is refused unless `allow_non_empty` is set, and even then any id or code
// already taken in the target makes the whole copy fail (nothing is written).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "adapters/sql/sql_store.h"
#include "core/result.h"

namespace octroi::stores {

struct CopyOptions {
  std::string authority;  // its code; "" for every authority of the source
  bool allow_non_empty = false;
};

struct TableCount {
  std::string table;
  std::int64_t source = 0, target = 0;
};

struct CopiedAuthority {
  std::string code;
  std::vector<TableCount> tables;
  std::int64_t budget_lines = 0;  // all with equal balances
  std::int64_t ledger_entries = 0;
  std::int64_t audit_entries = 0;
  std::string audit_head_hash;
};

struct CopyReport {
  std::string from, to;  // display names
  std::vector<CopiedAuthority> authorities;
  std::int64_t rows = 0;
};

// The names of the registered tables (adapters/sql/tables.h) in the order a copy writes them
// (parents before children). The copy refuses a schema with a table neither registered nor
// deliberately excluded there, so a new migration cannot be forgotten.
const std::vector<std::string>& copy_order();

Result<CopyReport> copy_store(sql::SqlStore& from, sql::SqlStore& to, const CopyOptions& options,
                              const std::function<void(const std::string&)>& progress = {});

}  // namespace octroi::stores
