#include "core/money.h"

#include <cstdlib>
#include <string>

#include "core/rate.h"

namespace octroi {
namespace {

Refusal bad_amount(const std::string& field, std::string_view text, const std::string& why) {
  return refuse("amount.invalid", field,
                "Montant invalide « " + std::string(text) + " » : " + why + ".");
}

// Skips one group separator at `i` (space, U+00A0, U+202F); returns its byte length or 0.
std::size_t separator_length(std::string_view s, std::size_t i) {
  if (s[i] == ' ' || s[i] == '\t') return 1;
  if (s.substr(i, 2) == "\xC2\xA0") return 2;      // U+00A0
  if (s.substr(i, 3) == "\xE2\x80\xAF") return 3;  // U+202F
  return 0;
}

}  // namespace

Money Money::from_euros(std::int64_t euros) {
  std::int64_t c = 0;
  if (__builtin_mul_overflow(euros, std::int64_t{100}, &c)) throw OverflowError("euros overflow");
  return Money(c);
}

Result<Money> Money::parse(std::string_view text, const std::string& field) {
  std::string_view s = text;
  // Trim surrounding blanks and an optional trailing euro sign.
  auto trim = [](std::string_view v) {
    while (!v.empty()) {
      if (v.front() == ' ' || v.front() == '\t') {
        v.remove_prefix(1);
      } else if (v.substr(0, 2) == "\xC2\xA0") {
        v.remove_prefix(2);
      } else if (v.substr(0, 3) == "\xE2\x80\xAF") {
        v.remove_prefix(3);
      } else {
        break;
      }
    }
    while (!v.empty()) {
      if (v.back() == ' ' || v.back() == '\t') {
        v.remove_suffix(1);
      } else if (v.size() >= 2 && v.substr(v.size() - 2) == "\xC2\xA0") {
        v.remove_suffix(2);
      } else if (v.size() >= 3 && v.substr(v.size() - 3) == "\xE2\x80\xAF") {
        v.remove_suffix(3);
      } else {
        break;
      }
    }
    return v;
  };
  s = trim(s);
  if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE2\x82\xAC") {  // "€"
    s.remove_suffix(3);
    s = trim(s);
  }
  if (s.empty()) return refuse("amount.empty", field, "Le montant est obligatoire.");
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  std::int64_t euros = 0;
  int int_digits = 0;
  std::size_t i = 0;
  bool last_was_separator = false;
  for (; i < s.size(); ++i) {
    const char ch = s[i];
    if (ch >= '0' && ch <= '9') {
      if (++int_digits > 13) return bad_amount(field, text, "montant trop grand");
      euros = euros * 10 + (ch - '0');
      last_was_separator = false;
      continue;
    }
    if (ch == ',' || ch == '.') break;
    const std::size_t sep = int_digits > 0 ? separator_length(s, i) : 0;
    if (sep == 0 || last_was_separator)
      return bad_amount(field, text, "seuls des chiffres sont attendus");
    i += sep - 1;
    last_was_separator = true;
  }
  if (int_digits == 0 || last_was_separator)
    return bad_amount(field, text, "seuls des chiffres sont attendus");
  std::int64_t cents = 0;
  if (i < s.size()) {
    ++i;  // decimal separator
    int decimals = 0;
    for (; i < s.size(); ++i) {
      const char ch = s[i];
      if (ch < '0' || ch > '9') return bad_amount(field, text, "seuls des chiffres sont attendus");
      if (++decimals > 2)
        return bad_amount(field, text, "au plus deux décimales (centimes) sont admises");
      cents = cents * 10 + (ch - '0');
    }
    if (decimals == 0) return bad_amount(field, text, "décimales manquantes après la virgule");
    if (decimals == 1) cents *= 10;
  }
  const std::int64_t total = euros * 100 + cents;  // < 10^15: cannot overflow
  if (total > kMaxInputCents)
    return bad_amount(field, text, "montant trop grand (au plus 999 999 999 999,99 €)");
  return Money(negative ? -total : total);
}

std::string Money::to_decimal_string() const {
  const bool neg = cents_ < 0;
  // Work on the unsigned magnitude so that INT64_MIN prints correctly.
  const unsigned long long mag = neg ? 0ULL - static_cast<unsigned long long>(cents_)
                                     : static_cast<unsigned long long>(cents_);
  std::string frac = std::to_string(mag % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return (neg ? "-" : "") + std::to_string(mag / 100) + "." + frac;
}

Money Money::operator+(Money o) const {
  std::int64_t r = 0;
  if (__builtin_add_overflow(cents_, o.cents_, &r)) throw OverflowError("money overflow in +");
  return Money(r);
}

Money Money::operator-(Money o) const {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(cents_, o.cents_, &r)) throw OverflowError("money overflow in -");
  return Money(r);
}

Money Money::operator-() const {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(std::int64_t{0}, cents_, &r))
    throw OverflowError("money overflow in negation");
  return Money(r);
}

Money Money::operator*(std::int64_t factor) const {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(cents_, factor, &r)) throw OverflowError("money overflow in *");
  return Money(r);
}

Money Money::apply(const Rate& rate, Rounding mode) const {
  return Money(
      divide_rounded(static_cast<Int128>(cents_) * rate.numerator(), rate.denominator(), mode));
}

Money Money::round_to_step(Money step, Rounding mode) const {
  OCTROI_CHECK(step.cents_ > 0, "a rounding step is positive");
  const std::int64_t n = divide_rounded(cents_, step.cents_, mode);
  return step * n;
}

}  // namespace octroi
