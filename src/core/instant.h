// Instant: a moment in UTC to the second, as octroi records them ("2023-01-25T10:15:00Z").
//
// Value type: seconds since 1970-01-01T00:00:00Z. No clock (the Clock port gives the current
// one), no I/O. Years 1..9999, as Date. Users read instants in their authority's time zone,
// Europe/Paris (paris_time), computed by the rule rather than read from a tz database.
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

// A moment as the clocks of Europe/Paris show it: UTC+1, and UTC+2 from the last Sunday of March
// at 01:00 UTC to the last Sunday of October at 01:00 UTC (the European Union's rule, in force
// since 1996; earlier instants are given by the same rule, not by history).
struct LocalTime {
  Date day;
  int hour = 0, minute = 0, second = 0;
  int utc_offset_hours = 1;  // 1 in winter (CET), 2 in summer (CEST)
};
LocalTime paris_time(const Instant& t);

}  // namespace octroi
