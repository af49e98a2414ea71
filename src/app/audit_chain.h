// The audit trail's hash chain.
//
// Each entry's hash is SHA-256 (hex) over a canonical, unambiguous encoding of its fields and of
// the previous entry's hash of the same authority ("" for the first): every field is written as
// its byte length, a colon and its bytes. Changing any field of any entry, removing or
// reordering entries, changes the hashes from there on, which `verify_audit_chain` detects.
// Removing the newest entries leaves a valid but shorter chain: the store's authority_seq and
// the count of entries let a reader compare with a copy of the head kept elsewhere.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports.h"
#include "app/ports/audit.h"

namespace octroi {

// SHA-256 of bytes given a piece at a time (a file written as it is made).
class HashStream {
 public:
  virtual ~HashStream() = default;
  virtual void update(std::string_view bytes) = 0;
  virtual std::string finish_hex() = 0;  // once
};

class Hasher {
 public:
  virtual ~Hasher() = default;
  virtual std::string sha256_hex(std::string_view bytes) = 0;
  virtual std::unique_ptr<HashStream> sha256_stream() = 0;
};

// The bytes that are hashed for `e` (its seq is not part of them: authority_seq is).
std::string audit_chain_material(const AuditEntry& e, const std::string& prev_hash);

struct AuditProblem {
  std::int64_t authority_seq = 0;
  std::string what;  // French
};

// Recomputes the chain of an authority's entries (oldest first) and lists what does not match.
std::vector<AuditProblem> verify_audit_chain(const std::vector<AuditEntry>& entries,
                                             Hasher& hasher);

}  // namespace octroi
