// The Transaction port over sql::Connection (see the header): the transaction's lifecycle here,
// one port per aggregate in <aggregate>_rows.cc, sharing the connection and the per-authority
// lock through TxContext.
#include "adapters/sql/sql_transaction.h"

#include "adapters/sql/tx_context.h"
#include "app/ports/accounts.h"
#include "app/ports/applications.h"
#include "app/ports/audit.h"
#include "app/ports/authorities.h"
#include "app/ports/awards.h"
#include "app/ports/committee.h"
#include "app/ports/files.h"
#include "app/ports/imports.h"
#include "app/ports/jobs.h"
#include "app/ports/ledger.h"
#include "app/ports/notes.h"
#include "app/ports/parties.h"
#include "app/ports/portal.h"
#include "app/ports/schemes.h"
#include "app/ports/templates.h"
#include "app/ports/workspace.h"

namespace octroi::sql {

void TxContext::scope(AuthorityId a) {
  if (mode_ != TxMode::Write || c.dialect() != Dialect::Postgres) return;
  if (!locked_.insert(a.value).second) return;
  auto st = c.prepare("SELECT id FROM authorities WHERE id = ? FOR UPDATE");
  st.bind(1, a.value).run();
}

void TxContext::scope_session(const std::string& token_hash) {
  if (mode_ != TxMode::Write || c.dialect() != Dialect::Postgres) return;
  auto st = c.prepare("SELECT authority_id FROM login_sessions WHERE token_hash = ?");
  st.bind(1, token_hash);
  if (!st.step()) return;
  const AuthorityId a{st.int64(0)};
  st.run();
  scope(a);
}

namespace {

// A port made the first time the transaction is asked for it.
template <class Port>
Port& lazily(std::unique_ptr<Port>& port, TxContext& t, std::unique_ptr<Port> (*make)(TxContext&)) {
  if (!port) port = make(t);
  return *port;
}

class SqlTransaction final : public Transaction {
 public:
  // A transaction of its own on `c`, which returns to `pool` when it ends.
  SqlTransaction(ConnectionPool& pool, Hasher& hasher, std::unique_ptr<Connection> c, TxMode mode)
      : pool_(&pool), owned_(std::move(c)), c_(*owned_), t_(c_, hasher, mode) {
    c_.exec(begin_statement(c_.dialect(), mode == TxMode::Write));
    open_ = true;
  }

  // A savepoint inside the write transaction open on `c`.
  SqlTransaction(Hasher& hasher, Connection& c, std::string savepoint, bool& broken)
      : c_(c), savepoint_(std::move(savepoint)), broken_(&broken), t_(c_, hasher, TxMode::Write) {
    c_.exec("SAVEPOINT " + savepoint_);
    open_ = true;
  }

  ~SqlTransaction() override {
    bool reusable = true;
    if (open_) {
      try {
        if (savepoint_.empty()) {
          c_.exec("ROLLBACK");
        } else {
          c_.exec("ROLLBACK TO " + savepoint_);
          c_.exec("RELEASE " + savepoint_);
        }
      } catch (...) {
        reusable = false;  // the connection is in an unknown state: drop it rather than pool it
        if (broken_) *broken_ = true;
      }
    }
    if (pool_) pool_->give_back(std::move(owned_), reusable);
  }

  void commit() override {
    c_.exec(savepoint_.empty() ? std::string("COMMIT") : "RELEASE " + savepoint_);
    open_ = false;
  }

  AuthoritiesPort& authorities() override { return lazily(authorities_, t_, authorities_rows); }
  SchemesPort& schemes() override { return lazily(schemes_, t_, schemes_rows); }
  PartiesPort& parties() override { return lazily(parties_, t_, parties_rows); }
  ApplicationsPort& applications() override { return lazily(applications_, t_, applications_rows); }
  NotesPort& notes() override { return lazily(notes_, t_, notes_rows); }
  WorkspacePort& workspace() override { return lazily(workspace_, t_, workspace_rows); }
  LedgerPort& ledger() override { return lazily(ledger_, t_, ledger_rows); }
  CommitteePort& committee() override { return lazily(committee_, t_, committee_rows); }
  AwardsPort& awards() override { return lazily(awards_, t_, awards_rows); }
  AccountsPort& accounts() override { return lazily(accounts_, t_, accounts_rows); }
  ImportsPort& imports() override { return lazily(imports_, t_, imports_rows); }
  TemplatesPort& templates() override { return lazily(templates_, t_, templates_rows); }
  AuditPort& audit() override { return lazily(audit_, t_, audit_rows); }
  JobsPort& jobs() override { return lazily(jobs_, t_, jobs_rows); }
  PortalPort& portal() override { return lazily(portal_, t_, portal_rows); }
  FilesPort& files() override { return lazily(files_, t_, files_rows); }

 private:
  ConnectionPool* pool_ = nullptr;     // null for a savepoint
  std::unique_ptr<Connection> owned_;  // null for a savepoint
  Connection& c_;
  std::string savepoint_;  // empty for a transaction of its own
  bool* broken_ = nullptr;
  TxContext t_;
  bool open_ = false;
  // Declared after t_: destroyed before it.
  std::unique_ptr<AuthoritiesPort> authorities_;
  std::unique_ptr<SchemesPort> schemes_;
  std::unique_ptr<PartiesPort> parties_;
  std::unique_ptr<ApplicationsPort> applications_;
  std::unique_ptr<NotesPort> notes_;
  std::unique_ptr<WorkspacePort> workspace_;
  std::unique_ptr<LedgerPort> ledger_;
  std::unique_ptr<CommitteePort> committee_;
  std::unique_ptr<AwardsPort> awards_;
  std::unique_ptr<AccountsPort> accounts_;
  std::unique_ptr<ImportsPort> imports_;
  std::unique_ptr<TemplatesPort> templates_;
  std::unique_ptr<AuditPort> audit_;
  std::unique_ptr<JobsPort> jobs_;
  std::unique_ptr<PortalPort> portal_;
  std::unique_ptr<FilesPort> files_;
};

}  // namespace

std::unique_ptr<Transaction> begin_transaction(ConnectionPool& pool, Hasher& hasher,
                                               std::unique_ptr<Connection> c, TxMode mode) {
  return std::make_unique<SqlTransaction>(pool, hasher, std::move(c), mode);
}

std::unique_ptr<Transaction> begin_savepoint(Hasher& hasher, Connection& c, const std::string& name,
                                             bool& broken) {
  return std::make_unique<SqlTransaction>(hasher, c, name, broken);
}

}  // namespace octroi::sql
