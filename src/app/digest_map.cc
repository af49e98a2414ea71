#include "app/digest_map.h"

#include "core/result.h"

namespace octroi {
namespace {

std::uint64_t half(std::string_view hex) {
  std::uint64_t v = 0;
  for (const char c : hex) {
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    OCTROI_CHECK(d >= 0, "a lowercase hexadecimal digest");
    v = v << 4 | static_cast<std::uint64_t>(d);
  }
  return v;
}

}  // namespace

DigestMap::Slot* DigestMap::find(std::uint64_t hi, std::uint64_t lo) {
  std::size_t i = lo % slots_.size();
  while (slots_[i].used() && (slots_[i].hi != hi || slots_[i].lo != lo))
    i = i + 1 == slots_.size() ? 0 : i + 1;
  return &slots_[i];
}

void DigestMap::reserve(std::size_t n) {
  const std::size_t want = n / 3 * 4 + 16;
  if (want <= slots_.size()) return;
  std::vector<Slot> old(want);
  old.swap(slots_);
  for (const Slot& s : old)
    if (s.used()) *find(s.hi, s.lo) = s;
}

void DigestMap::grow() {
  std::vector<Slot> old(slots_.size() + slots_.size() / 2);
  old.swap(slots_);
  for (const Slot& s : old)
    if (s.used()) *find(s.hi, s.lo) = s;
}

DigestMap::Entry& DigestMap::at(std::string_view sha256_hex) {
  OCTROI_CHECK(sha256_hex.size() >= 32, "a SHA-256 in hexadecimal");
  const std::uint64_t hi = half(sha256_hex.substr(0, 16));
  std::uint64_t lo = half(sha256_hex.substr(16, 16));
  if (hi == 0 && lo == 0) lo = 1;  // (0, 0) marks an empty slot
  Slot* s = find(hi, lo);
  if (!s->used()) {
    if ((used_ + 1) * 4 > slots_.size() * 3) {
      grow();
      s = find(hi, lo);
    }
    s->hi = hi;
    s->lo = lo;
    ++used_;
  }
  return s->entry;
}

}  // namespace octroi
