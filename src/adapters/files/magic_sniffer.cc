#include "adapters/files/magic_sniffer.h"

#include <magic.h>

#include <stdexcept>

namespace octroi::files {

struct MagicSniffer::Handle {
  magic_t cookie = nullptr;
};

MagicSniffer::MagicSniffer() : handle_(std::make_unique<Handle>()) {
  // MAGIC_MIME_TYPE: the type without its encoding ("text/plain", not "text/plain;
  // charset=us-ascii"). No MAGIC_COMPRESS: a compressed file is what it is (application/gzip),
  // not what it holds.
  handle_->cookie = magic_open(MAGIC_MIME_TYPE);
  if (handle_->cookie == nullptr) throw std::runtime_error("libmagic: magic_open failed");
  if (magic_load(handle_->cookie, nullptr) != 0) {
    const char* why = magic_error(handle_->cookie);
    std::string message = std::string("libmagic: cannot load its database: ") +
                          (why != nullptr ? why : "unknown error");
    magic_close(handle_->cookie);
    throw std::runtime_error(message);
  }
}

MagicSniffer::~MagicSniffer() {
  magic_close(handle_->cookie);
}

std::string MagicSniffer::mime_of(std::string_view bytes) {
  // An empty view may have no data pointer at all; libmagic is given a real (empty) buffer.
  const void* data = bytes.empty() ? static_cast<const void*>("") : bytes.data();
  std::lock_guard lock(mutex_);
  const char* type = magic_buffer(handle_->cookie, data, bytes.size());
  // Copied while the lock is held: the text belongs to the handle and the next call rewrites it.
  if (type == nullptr || *type == '\0') return "application/octet-stream";
  return type;
}

}  // namespace octroi::files
