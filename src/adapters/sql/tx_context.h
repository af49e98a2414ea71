// What the SQL ports of one transaction share: its connection, its mode, the hasher of the
// audit chain and the per-authority lock (scope). Each `<aggregate>_rows.cc` implements one
// port of app/ports/<aggregate>.h over it; SqlTransaction (sql_transaction.cc) owns the
// context and hands out the ports.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "adapters/sql/connection.h"
#include "app/audit_chain.h"
#include "app/ports.h"
#include "domain/ids.h"

namespace octroi::sql {

class TxContext {
 public:
  TxContext(Connection& conn, Hasher& h, TxMode mode) : c(conn), hasher(h), mode_(mode) {}

  // On PostgreSQL, a write transaction locks the row of each authority it touches, the first
  // time it does, before reading anything of it (see sql_transaction.h). Every port method
  // taking an authority calls it first. Nothing to do on SQLite.
  void scope(AuthorityId a);
  // scope() for the authority of the login session with this token hash, if there is one.
  void scope_session(const std::string& token_hash);

  Connection& c;
  Hasher& hasher;
  // The last audit line of each authority this transaction read or wrote (authority → its
  // authority_seq and hash): the next line chains to it without reading it again. Valid for the
  // whole transaction: its writer holds the authority (the row lock on PostgreSQL, the write
  // lock on SQLite), so no one else appends in between.
  std::map<std::int64_t, std::pair<std::int64_t, std::string>> audit_heads;

 private:
  TxMode mode_;
  std::set<std::int64_t> locked_;
};

// One port per aggregate, each in its own file.
std::unique_ptr<AuthoritiesPort> authorities_rows(TxContext& t);
std::unique_ptr<SchemesPort> schemes_rows(TxContext& t);
std::unique_ptr<PartiesPort> parties_rows(TxContext& t);
std::unique_ptr<ApplicationsPort> applications_rows(TxContext& t);
std::unique_ptr<NotesPort> notes_rows(TxContext& t);
std::unique_ptr<WorkspacePort> workspace_rows(TxContext& t);
std::unique_ptr<LedgerPort> ledger_rows(TxContext& t);
std::unique_ptr<CommitteePort> committee_rows(TxContext& t);
std::unique_ptr<AwardsPort> awards_rows(TxContext& t);
std::unique_ptr<AccountsPort> accounts_rows(TxContext& t);
std::unique_ptr<ImportsPort> imports_rows(TxContext& t);
std::unique_ptr<TemplatesPort> templates_rows(TxContext& t);
std::unique_ptr<AuditPort> audit_rows(TxContext& t);
std::unique_ptr<JobsPort> jobs_rows(TxContext& t);
std::unique_ptr<PortalPort> portal_rows(TxContext& t);
std::unique_ptr<FilesPort> files_rows(TxContext& t);

}  // namespace octroi::sql
