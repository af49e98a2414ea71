// Lines remembered by digest: what an import of a million lines needs to know of the lines it
// has seen (how many share a meaning, the first of each) without keeping their text. A key is
// the first 128 bits of a SHA-256 (a collision among a billion lines has a probability below
// 10^-20); a slot is 24 bytes, the table at most three quarters full and grown by half: 32 to
// 48 bytes a distinct line.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace octroi {

class DigestMap {
 public:
  struct Entry {
    std::int32_t count = 0;  // how many lines share the key (less those given back)
    std::int32_t first = 0;  // the line of the first one still counted, 0 when none
  };

  // The entry of the digest `sha256_hex` (64 hexadecimal digits; the first 32 are the key),
  // made empty when absent.
  Entry& at(std::string_view sha256_hex);
  // Room for `n` digests without growing (an import knows its number of lines): no copy of the
  // table while it grows, whose old and new slots would be held at once.
  void reserve(std::size_t n);
  std::size_t size() const { return used_; }

 private:
  // Empty while its key is (0, 0): a digest whose first 128 bits are zero is taken as (0, 1)
  // (a chance of 2^-128).
  struct Slot {
    std::uint64_t hi = 0, lo = 0;
    Entry entry;
    bool used() const { return hi != 0 || lo != 0; }
  };
  static_assert(sizeof(Slot) == 24);
  void grow();
  Slot* find(std::uint64_t hi, std::uint64_t lo);

  std::vector<Slot> slots_ = std::vector<Slot>(1024);
  std::size_t used_ = 0;
};

}  // namespace octroi
