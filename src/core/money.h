// Money: an amount in euro cents, held in an int64, with checked arithmetic.
//
// Invariants: every operation either returns the exact result or throws OverflowError; nothing
// wraps around and nothing is rounded implicitly. Conversions that lose precision (a rate
// applied, a rounding step) take a Rounding argument.
//
// Amounts typed by users go through Money::parse, which refuses, with a Problem naming the
// field, anything that is not a plain amount with at most two decimals or whose magnitude is
// above kMaxInputCents (just under one thousand billion euros): far above any subsidy, far
// below the int64 limit, so sums of thousands of such amounts cannot overflow.
//
// Value type; thread-safe as an int is.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/rounding.h"

namespace octroi {

class Rate;

class Money {
 public:
  static constexpr std::int64_t kMaxInputCents = 99'999'999'999'999;  // 999 999 999 999,99 €

  constexpr Money() = default;
  static constexpr Money from_cents(std::int64_t cents) { return Money(cents); }
  // Whole euros. Throws OverflowError beyond the int64 range.
  static Money from_euros(std::int64_t euros);

  // Parses "10117.08", "10 117,08", "10117,08 €", "-5", "7 000". Group separators may be spaces,
  // U+00A0 or U+202F; the decimal separator a comma or a point; at most two decimals.
  // `field` is the path reported in the refusal.
  static Result<Money> parse(std::string_view text, const std::string& field);

  constexpr std::int64_t cents() const { return cents_; }
  constexpr bool is_zero() const { return cents_ == 0; }
  constexpr bool is_negative() const { return cents_ < 0; }
  constexpr bool is_positive() const { return cents_ > 0; }

  // "7000.00", "-0.50": the form used in JSON and CSV (amounts travel as strings).
  std::string to_decimal_string() const;

  Money operator+(Money o) const;
  Money operator-(Money o) const;
  Money operator-() const;
  Money operator*(std::int64_t factor) const;
  Money& operator+=(Money o) { return *this = *this + o; }
  Money& operator-=(Money o) { return *this = *this - o; }

  // This amount times the rate, rounded to the cent as asked.
  Money apply(const Rate& rate, Rounding mode) const;
  // Rounded to a multiple of `step` (e.g. 1 000,00 €). REQUIRES: step > 0.
  Money round_to_step(Money step, Rounding mode) const;

  friend constexpr auto operator<=>(Money, Money) = default;
  friend constexpr bool operator==(Money, Money) = default;

 private:
  constexpr explicit Money(std::int64_t cents) : cents_(cents) {}
  std::int64_t cents_ = 0;
};

inline Money min(Money a, Money b) {
  return a < b ? a : b;
}
inline Money max(Money a, Money b) {
  return a < b ? b : a;
}

}  // namespace octroi
