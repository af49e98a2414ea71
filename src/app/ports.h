// Ports: what the use cases need from the outside world, as interfaces the adapters implement.
//
//   Store        opens transactions (SQLite embedded, PostgreSQL on a server; same contract).
//   Transaction  one unit of work: reads and writes of the domain's aggregates, and the audit
//                trail, through one port per aggregate (app/ports/<aggregate>.h:
//                tx.applications().find_application(…), tx.ledger().post_ledger_entry(…)).
//                Nothing it writes is visible to others until commit(); destroying it
//                without commit() rolls everything back. A write transaction holds the
//                database's write lock from its start (BEGIN IMMEDIATE on SQLite), so what it
//                read cannot change under it.
//   Clock        the current time, so that the domain never reads a clock itself.
//
// This header only forward-declares the aggregate ports: a file includes the ports it calls,
// so that a change to one port recompiles only its users.
//
// Thread-safety: a Store may be shared by threads; a Transaction (and the ports it hands out,
// which live as long as it) belongs to one thread.
// Infrastructure failures (disk full, database locked past the busy timeout, corrupt file) are
// thrown as StoreError; business refusals never come from here.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/instant.h"

namespace octroi {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AuthoritiesPort;   // app/ports/authorities.h
class SchemesPort;       // app/ports/schemes.h
class PartiesPort;       // app/ports/parties.h
class ApplicationsPort;  // app/ports/applications.h
class NotesPort;         // app/ports/notes.h
class WorkspacePort;     // app/ports/workspace.h
class LedgerPort;        // app/ports/ledger.h
class CommitteePort;     // app/ports/committee.h
class AwardsPort;        // app/ports/awards.h
class AccountsPort;      // app/ports/accounts.h
class ImportsPort;       // app/ports/imports.h
class TemplatesPort;     // app/ports/templates.h
class AuditPort;         // app/ports/audit.h
class JobsPort;          // app/ports/jobs.h
class PortalPort;        // app/ports/portal.h
class FilesPort;         // app/ports/files.h

class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual AuthoritiesPort& authorities() = 0;
  virtual SchemesPort& schemes() = 0;
  virtual PartiesPort& parties() = 0;
  virtual ApplicationsPort& applications() = 0;
  virtual NotesPort& notes() = 0;
  virtual WorkspacePort& workspace() = 0;
  virtual LedgerPort& ledger() = 0;
  virtual CommitteePort& committee() = 0;
  virtual AwardsPort& awards() = 0;
  virtual AccountsPort& accounts() = 0;
  virtual ImportsPort& imports() = 0;
  virtual TemplatesPort& templates() = 0;
  virtual AuditPort& audit() = 0;
  virtual JobsPort& jobs() = 0;
  virtual PortalPort& portal() = 0;
  virtual FilesPort& files() = 0;

  // Makes every write of this transaction durable and visible. Throws StoreError on failure,
  // in which case nothing was written.
  virtual void commit() = 0;
};

enum class TxMode { Read, Write };

// Work done in a write transaction: returns true to keep what it wrote, false to roll it back.
using WriteWork = std::function<bool(Transaction&)>;

class Store {
 public:
  virtual ~Store() = default;
  virtual std::unique_ptr<Transaction> begin(TxMode mode) = 0;

  // Runs `work` in a write transaction and returns once what it kept is durable (or was rolled
  // back). A store may run the work of several callers in one commit (group commit, SQLite):
  // each under a savepoint of its own, so that one caller's refusal or exception rolls back
  // only its own writes; exceptions reach the caller that threw them; a failed commit reaches
  // every caller whose writes it held, as a StoreError, and then nothing of theirs was written.
  // Work must not call write() itself (it would wait for its own batch).
  virtual void write(const WriteWork& work) {
    auto tx = begin(TxMode::Write);
    if (work(*tx)) tx->commit();
  }
};

// Passwords are stored as slow, salted hashes (argon2id); the hasher bounds how many run at once
// (each takes 64 MiB).
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual std::string hash(std::string_view password) = 0;
  virtual bool verify(const std::string& hash, std::string_view password) = 0;
};

// Unguessable tokens (sessions, CSRF, API): 256 random bits as 64 hexadecimal characters.
class TokenSource {
 public:
  virtual ~TokenSource() = default;
  virtual std::string token() = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() = 0;
  // The current day in Paris, where the authority works: at 23:30 UTC in winter it is already
  // tomorrow there.
  Date today() { return paris_time(now()).day; }
};

}  // namespace octroi
