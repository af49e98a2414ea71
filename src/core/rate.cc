#include "core/rate.h"

#include <numeric>

#include "core/money.h"

namespace octroi {

Rate Rate::ratio(std::int64_t numerator, std::int64_t denominator) {
  OCTROI_CHECK(denominator > 0, "a rate has a positive denominator");
  OCTROI_CHECK(numerator >= 0, "a rate is not negative");
  const std::int64_t g = std::gcd(numerator, denominator);
  return Rate(numerator / g, denominator / g);
}

Rate Rate::of(Money part, Money whole) {
  OCTROI_CHECK(whole.is_positive(), "a share is taken of a positive whole");
  OCTROI_CHECK(!part.is_negative(), "a share of a negative part");
  return ratio(part.cents(), whole.cents());
}

Result<Rate> Rate::parse_percent(std::string_view text, const std::string& field,
                                 std::int64_t max_percent) {
  std::string_view s = text;
  auto bad = [&](const std::string& why) -> Result<Rate> {
    return refuse("rate.invalid", field,
                  "Taux invalide « " + std::string(text) + " » : " + why + ".");
  };
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  if (!s.empty() && s.back() == '%') s.remove_suffix(1);
  while (!s.empty() && (s.back() == ' '))
    s.remove_suffix(1);
  if (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") s.remove_suffix(2);
  if (s.empty()) return refuse("rate.empty", field, "Le taux est obligatoire.");
  std::int64_t num = 0;
  std::int64_t den = 100;
  int int_digits = 0;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (++int_digits > 6) return bad("taux trop grand");
    num = num * 10 + (s[i] - '0');
  }
  if (int_digits == 0) return bad("un nombre est attendu");
  if (i < s.size()) {
    if (s[i] != ',' && s[i] != '.') return bad("un nombre est attendu");
    ++i;
    int decimals = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return bad("un nombre est attendu");
      if (++decimals > 6) return bad("au plus six décimales");
      num = num * 10 + (s[i] - '0');
      den *= 10;
    }
    if (decimals == 0) return bad("décimales manquantes après la virgule");
  }
  Rate r = ratio(num, den);
  if (max_percent >= 0 && r.num_ * 100 > max_percent * r.den_)
    return bad("au plus " + std::to_string(max_percent) + " %");
  return r;
}

std::int64_t Rate::basis_points(Rounding mode) const {
  return divide_rounded(static_cast<Int128>(num_) * 10000, den_, mode);
}

bool Rate::is_exact_in_basis_points() const {
  return (static_cast<Int128>(num_) * 10000) % den_ == 0;
}

std::string Rate::to_percent_string() const {
  const Int128 scaled = static_cast<Int128>(num_) * 100'000'000;  // percent * 10^6
  const bool exact = scaled % den_ == 0;
  const std::int64_t millionths = divide_rounded(scaled, den_, Rounding::HalfUp);
  std::string out = std::to_string(millionths / 1'000'000);
  std::string frac = std::to_string(millionths % 1'000'000);
  frac.insert(0, 6 - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0')
    frac.pop_back();
  if (!frac.empty()) out += "." + frac;
  return exact ? out : "~" + out;
}

bool operator<(const Rate& a, const Rate& b) {
  return static_cast<Int128>(a.num_) * b.den_ < static_cast<Int128>(b.num_) * a.den_;
}

}  // namespace octroi
