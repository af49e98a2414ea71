// Date: a calendar day (proleptic Gregorian), with no time zone and no clock.
//
// Value type. Invariant: the day exists (2023-02-29 cannot be built). Years 1..9999.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace octroi {

class Date {
 public:
  // REQUIRES: a valid day (use parse or make for untrusted input). Throws InvariantViolation.
  Date(int year, int month, int day);
  Date() : Date(1970, 1, 1) {}

  static Result<Date> make(int year, int month, int day, const std::string& field);
  // Accepts ISO "2023-01-25" and French short "25/01/2023". `field` names the input in the
  // refusal ("Date invalide « 2023-02-30 » : ce jour n'existe pas.").
  static Result<Date> parse(std::string_view text, const std::string& field);
  // Days since 1970-01-01 (may be negative), and back.
  static Date from_days(std::int64_t days);
  std::int64_t to_days() const;

  int year() const { return y_; }
  int month() const { return m_; }
  int day() const { return d_; }

  std::string iso() const;  // "2023-01-25"

  Date add_days(std::int64_t n) const;
  // Same day n years later; 29 February becomes 28 February in a non-leap year.
  Date add_years(int n) const;
  // Same day n months later, clamped to the month's last day.
  Date add_months(int n) const;

  friend auto operator<=>(const Date&, const Date&) = default;
  friend bool operator==(const Date&, const Date&) = default;

 private:
  int y_, m_, d_;
};

bool is_leap_year(int year);
int days_in_month(int year, int month);

}  // namespace octroi
