// The audit trail, chained by hash per authority (app/audit_chain.h).
// Part of the Transaction port (app/ports.h): reached as tx.audit(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/instant.h"
#include "domain/ids.h"

namespace octroi {

// One line of the audit trail: who changed what, when, with the business fields before and
// after (canonical JSON objects, "" when the entity did not exist or was removed). The store
// chains the lines of an authority by hash (app/audit_chain.h).
struct AuditEntry {
  std::int64_t seq = 0;  // assigned by the store
  AuthorityId authority;
  Instant at;
  std::string actor;
  std::string action;      // "application.create", "application.plan_edit", ...
  std::string entity;      // "application"
  std::string entity_key;  // "EX070158"
  std::string before;
  std::string after;
  std::int64_t authority_seq = 0;  // assigned by the store: 1, 2, 3... per authority
  std::string prev_hash;           // assigned by the store
  std::string hash;                // assigned by the store
};

class AuditPort {
 public:
  virtual ~AuditPort() = default;

  // Assigns seq, authority_seq, prev_hash and hash, then appends.
  virtual void append_audit(const AuditEntry& e) = 0;
  // The latest `limit` entries, newest first.
  virtual std::vector<AuditEntry> list_audit(AuthorityId a, std::int64_t limit) = 0;
  // The entries about one entity ("application", "EX070158"), oldest first.
  virtual std::vector<AuditEntry> audit_of(AuthorityId a, const std::string& entity,
                                           const std::string& key) = 0;
  // Every entry of the authority, oldest first, as stored (for verification).
  virtual std::vector<AuditEntry> audit_trail(AuthorityId a) = 0;
};

}  // namespace octroi
