// libsodium behind the PasswordHasher and TokenSource ports (app/ports.h).
//
// Passwords: crypto_pwhash_str (argon2id) with libsodium's INTERACTIVE limits: 64 MiB and about
// 0.1 s per hash on one core. At most `max_concurrent` hashes run at once (the others wait), so
// a burst of logins cannot take the server's memory: 2 by default, 128 MiB at most.
// Tokens: randombytes_buf, 32 bytes, hexadecimal.
// Thread-safety: both may be shared by threads.
#pragma once

#include <condition_variable>
#include <mutex>

#include "app/ports.h"

namespace octroi::crypto {

class SodiumPasswordHasher final : public PasswordHasher {
 public:
  explicit SodiumPasswordHasher(int max_concurrent = 2);
  std::string hash(std::string_view password) override;
  bool verify(const std::string& hash, std::string_view password) override;

 private:
  class Slot;
  std::mutex mu_;
  std::condition_variable freed_;
  int free_;
};

class SodiumTokenSource final : public TokenSource {
 public:
  SodiumTokenSource();
  std::string token() override;
};

}  // namespace octroi::crypto
