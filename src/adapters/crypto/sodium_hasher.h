// The one wrapper around libsodium: SHA-256 for the audit chain.
#pragma once

#include "app/audit_chain.h"

namespace octroi::crypto {

class SodiumHasher : public Hasher {
 public:
  SodiumHasher();  // initialises libsodium (idempotent, thread-safe); throws if it cannot
  std::string sha256_hex(std::string_view bytes) override;
  std::unique_ptr<HashStream> sha256_stream() override;
};

}  // namespace octroi::crypto
