#include "adapters/crypto/sodium_hasher.h"

#include <sodium.h>

#include <stdexcept>

namespace octroi::crypto {
namespace {

std::string hex_of(const unsigned char (&digest)[crypto_hash_sha256_BYTES]) {
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

class SodiumStream final : public HashStream {
 public:
  SodiumStream() { crypto_hash_sha256_init(&state_); }
  void update(std::string_view bytes) override {
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()),
                              bytes.size());
  }
  std::string finish_hex() override {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state_, digest);
    return hex_of(digest);
  }

 private:
  crypto_hash_sha256_state state_;
};

}  // namespace

SodiumHasher::SodiumHasher() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string SodiumHasher::sha256_hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return hex_of(digest);
}

std::unique_ptr<HashStream> SodiumHasher::sha256_stream() {
  return std::make_unique<SodiumStream>();
}

}  // namespace octroi::crypto
