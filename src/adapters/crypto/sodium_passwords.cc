#include "adapters/crypto/sodium_passwords.h"

#include <sodium.h>

#include <stdexcept>

namespace octroi::crypto {

// Holds one of the hasher's slots for the life of a hash.
class SodiumPasswordHasher::Slot {
 public:
  explicit Slot(SodiumPasswordHasher& h) : h_(h) {
    std::unique_lock<std::mutex> lock(h_.mu_);
    h_.freed_.wait(lock, [&] { return h_.free_ > 0; });
    --h_.free_;
  }
  ~Slot() {
    {
      std::lock_guard<std::mutex> lock(h_.mu_);
      ++h_.free_;
    }
    h_.freed_.notify_one();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  SodiumPasswordHasher& h_;
};

SodiumPasswordHasher::SodiumPasswordHasher(int max_concurrent) : free_(max_concurrent) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string SodiumPasswordHasher::hash(std::string_view password) {
  Slot slot(*this);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("argon2id: out of memory");
  return out;
}

bool SodiumPasswordHasher::verify(const std::string& hash, std::string_view password) {
  Slot slot(*this);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

SodiumTokenSource::SodiumTokenSource() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string SodiumTokenSource::token() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return std::string(hex, 64);
}

}  // namespace octroi::crypto
