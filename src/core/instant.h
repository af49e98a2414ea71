// Instant: a moment in UTC to the second, as octroi records them ("2023-01-25T10:15:00Z").
//
// Value type: seconds since 1970-01-01T00:00:00Z. No time zone other than UTC, no clock (the
// Clock port gives the current one), no I/O. Years 1..9999, as Date.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"

namespace octroi {

class Instant {
 public:
  Instant() = default;  // 1970-01-01T00:00:00Z
  static Instant from_seconds(std::int64_t seconds_since_epoch) {
    return Instant(seconds_since_epoch);
  }
  static Instant at(const Date& day, int hour, int minute, int second);

  // Exactly "YYYY-MM-DDTHH:MM:SSZ" (what iso() writes); nullopt for anything else.
  static std::optional<Instant> parse(std::string_view text);

  std::int64_t seconds() const { return s_; }
  std::string iso() const;  // "2023-01-25T10:15:00Z"
  Date day() const;         // the UTC day

  Instant plus_seconds(std::int64_t n) const { return Instant(s_ + n); }
  Instant minus_seconds(std::int64_t n) const { return Instant(s_ - n); }
  // this - other, in seconds.
  std::int64_t seconds_since(const Instant& other) const { return s_ - other.s_; }

  friend auto operator<=>(const Instant&, const Instant&) = default;
  friend bool operator==(const Instant&, const Instant&) = default;

 private:
  explicit Instant(std::int64_t s) : s_(s) {}
  std::int64_t s_ = 0;
};

}  // namespace octroi
