// Rate: an exact non-negative ratio (an aid rate, a tranche, a share), held as a reduced fraction
// of two int64. "40 %" is 2/5; "33,3333 %" is 333333/1000000. No floating point.
//
// Value type. Invariant: denominator > 0, numerator >= 0, gcd(numerator, denominator) == 1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/rounding.h"

namespace octroi {

class Money;

class Rate {
 public:
  constexpr Rate() = default;  // 0 %
  // numerator / denominator. REQUIRES: denominator > 0, numerator >= 0.
  static Rate ratio(std::int64_t numerator, std::int64_t denominator);
  static Rate percent(std::int64_t whole_percent) { return ratio(whole_percent, 100); }
  // part / whole of two amounts. REQUIRES: whole > 0, part >= 0.
  static Rate of(Money part, Money whole);

  // Parses a percentage: "40", "40 %", "40,00", "33.3333" (at most 6 decimals), between 0 and
  // `max_percent` inclusive. `field` is the path reported in the refusal.
  static Result<Rate> parse_percent(std::string_view text, const std::string& field,
                                    std::int64_t max_percent = 100);

  std::int64_t numerator() const { return num_; }
  std::int64_t denominator() const { return den_; }
  bool is_zero() const { return num_ == 0; }

  // The rate in hundredths of a percent (basis points), rounded as asked: 2/5 -> 4000.
  std::int64_t basis_points(Rounding mode) const;
  // True when the rate is exactly a whole number of basis points (prints exactly with 2 decimals).
  bool is_exact_in_basis_points() const;
  // "40", "33.3333": the exact percentage when it has at most 6 decimals, for storage and JSON.
  // Rates that are not exact in 6 decimals are printed rounded half-up, marked with a "~".
  std::string to_percent_string() const;

  friend bool operator==(const Rate&, const Rate&) = default;
  friend bool operator<(const Rate& a, const Rate& b);

 private:
  Rate(std::int64_t n, std::int64_t d) : num_(n), den_(d) {}
  std::int64_t num_ = 0;
  std::int64_t den_ = 1;
};

}  // namespace octroi
