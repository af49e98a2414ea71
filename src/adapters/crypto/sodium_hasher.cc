#include "adapters/crypto/sodium_hasher.h"

#include <sodium.h>

#include <stdexcept>

namespace octroi::crypto {

SodiumHasher::SodiumHasher() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string SodiumHasher::sha256_hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

}  // namespace octroi::crypto
