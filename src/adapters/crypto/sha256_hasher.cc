#include "adapters/crypto/sha256_hasher.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <stdexcept>

namespace octroi::crypto {
namespace {

std::string hex_of(const unsigned char (&digest)[SHA256_DIGEST_LENGTH]) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(SHA256_DIGEST_LENGTH * 2, '0');
  for (std::size_t i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0x0F];
  }
  return out;
}

// The algorithm, fetched once from OpenSSL's default provider (nullptr when it is missing).
const EVP_MD* fetched() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// A digest context, freed whatever happens.
class Context {
 public:
  Context() : ctx_(EVP_MD_CTX_new()) {
    const EVP_MD* md = fetched();
    if (!ctx_ || !md || EVP_DigestInit_ex(ctx_, md, nullptr) != 1) {
      EVP_MD_CTX_free(ctx_);
      throw std::runtime_error("OpenSSL: SHA-256 could not be initialised");
    }
  }
  // Ready for another text (after finish_hex).
  void restart() {
    if (EVP_DigestInit_ex(ctx_, nullptr, nullptr) != 1)
      throw std::runtime_error("OpenSSL: SHA-256 could not be initialised");
  }
  ~Context() { EVP_MD_CTX_free(ctx_); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  void update(std::string_view bytes) {
    if (EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1)
      throw std::runtime_error("OpenSSL: SHA-256 update failed");
  }
  std::string finish_hex() {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(ctx_, digest, &n) != 1 || n != SHA256_DIGEST_LENGTH)
      throw std::runtime_error("OpenSSL: SHA-256 final failed");
    return hex_of(digest);
  }

 private:
  EVP_MD_CTX* ctx_;
};

class Stream final : public HashStream {
 public:
  void update(std::string_view bytes) override { ctx_.update(bytes); }
  std::string finish_hex() override { return ctx_.finish_hex(); }

 private:
  Context ctx_;
};

}  // namespace

std::string Sha256Hasher::sha256_hex(std::string_view bytes) {
  // One context per thread, initialised again for each text: neither an allocation nor a look-up
  // of the algorithm for each of the many short texts an import hashes (SHA256() does both).
  thread_local Context ctx;
  ctx.restart();
  ctx.update(bytes);
  return ctx.finish_hex();
}

std::unique_ptr<HashStream> Sha256Hasher::sha256_stream() {
  return std::make_unique<Stream>();
}

}  // namespace octroi::crypto
