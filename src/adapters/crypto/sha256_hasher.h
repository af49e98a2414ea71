// The one wrapper around OpenSSL's libcrypto: SHA-256 for the audit chain, the import keys and
// the digests of files. OpenSSL is used for this one function because it uses the processor's
// SHA extensions where they exist (about four times libsodium's portable SHA-256 on this
// project's machines: bench/RESULTS.md); libsodium keeps the passwords (sodium_passwords.h).
#pragma once

#include "app/audit_chain.h"

namespace octroi::crypto {

class Sha256Hasher : public Hasher {
 public:
  std::string sha256_hex(std::string_view bytes) override;
  std::unique_ptr<HashStream> sha256_stream() override;
};

}  // namespace octroi::crypto
