// The Transaction port (app/ports.h) over any sql::Connection: one row mapping of every
// aggregate (<aggregate>_rows.cc, one port each, over tx_context.h and row.h), shared by the
// SQLite and PostgreSQL stores so that they cannot drift apart.
//
// How a write transaction keeps what it read from changing under it depends on the engine:
//   SQLite      BEGIN IMMEDIATE takes the database's single write lock at the start.
//   PostgreSQL  BEGIN (read committed), then, the first time the transaction touches an
//               authority, SELECT … FOR UPDATE on that authority's row. Writers of one
//               authority queue on that row, in a fixed order (it is always the first lock
//               taken), while writers of other authorities run in parallel. Budget lines are
//               then updated by guarded UPDATEs whose CHECK constraints refuse any broken
//               invariant. See docs/ARCHITECTURE.md, "PostgreSQL".
// Read transactions see one snapshot (SQLite's read transaction; PostgreSQL's REPEATABLE READ
// READ ONLY).
#pragma once

#include <memory>
#include <string>

#include "adapters/sql/connection.h"
#include "app/audit_chain.h"
#include "app/ports.h"

namespace octroi::sql {

// Where a transaction's connection goes back when the transaction ends.
class ConnectionPool {
 public:
  virtual ~ConnectionPool() = default;
  // `reusable` is false when the connection may be in an unknown state (a failed rollback).
  virtual void give_back(std::unique_ptr<Connection> c, bool reusable) = 0;
};

// Begins the transaction on `c`; the connection returns to `pool` when it ends.
std::unique_ptr<Transaction> begin_transaction(ConnectionPool& pool, Hasher& hasher,
                                               std::unique_ptr<Connection> c, TxMode mode);

// A write transaction nested, as SAVEPOINT `name`, in the write transaction already open on `c`
// (group commit): commit() releases the savepoint (its writes join the enclosing transaction),
// destruction without commit() rolls back to it. If that rollback fails, `broken` becomes true:
// the enclosing transaction is then in an unknown state and must be rolled back whole.
std::unique_ptr<Transaction> begin_savepoint(Hasher& hasher, Connection& c, const std::string& name,
                                             bool& broken);

}  // namespace octroi::sql
