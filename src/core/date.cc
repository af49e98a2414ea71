#include "core/date.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace octroi {
namespace {

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
// The year is shifted so that March is the first month of a "computational" year, which puts
// the leap day at the end of the year; eras are 400-year cycles of 146097 days.
constexpr std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;                                    // [0, 399]
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + doe - 719468;
}

struct Civil {
  std::int64_t y;
  int m;
  int d;
};

// Inverse of days_from_civil (Hinnant's civil_from_days).
constexpr Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;                                       // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                       // [0, 11]
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);      // [1, 31]
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);         // [1, 12]
  return Civil{y + (m <= 2 ? 1 : 0), m, d};
}

constexpr std::int64_t kMinDays = days_from_civil(kMinYear, 1, 1);
constexpr std::int64_t kMaxDays = days_from_civil(kMaxYear, 12, 31);
static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2023, 1, 25) == 19382);

bool year_in_range(std::int64_t y) {
  return y >= kMinYear && y <= kMaxYear;
}

bool exists(int y, int m, int d) {
  return year_in_range(y) && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

// Zero-padded to `width` digits; negative values keep their sign (used only in messages).
std::string padded(int v, std::size_t width) {
  std::string s = std::to_string(v);
  if (v >= 0 && s.size() < width) s.insert(0, width - s.size(), '0');
  return s;
}

// Refuses a well-formed but impossible date; `shown` is the date as the user typed it.
Result<Date> checked(int y, int m, int d, const std::string& field, const std::string& shown) {
  if (!year_in_range(y)) {
    return refuse("date.nonexistent", field,
                  "Date invalide « " + shown + " » : l'année doit être comprise entre 1 et 9999.");
  }
  if (!exists(y, m, d)) {
    return refuse("date.nonexistent", field,
                  "Date invalide « " + shown + " » : ce jour n'existe pas.");
  }
  return Date(y, m, d);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The value of text[pos, pos + len), or -1 if one of them is not an ASCII digit.
int digits_at(std::string_view text, std::size_t pos, std::size_t len) {
  int v = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (!is_digit(text[i])) return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// The words of `s` split at spaces, tabs and no-break spaces (U+00A0, U+202F), lowercased, with
// the accents of French month names taken off ("Février" -> "fevrier", "août" -> "aout").
std::vector<std::string> plain_words(std::string_view s) {
  std::vector<std::string> words(1);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      ++i;
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    if (c == 0xE2 && s.substr(i, 3) == "\xE2\x80\xAF") {
      i += 2;
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    if (c == 0xC3 && i + 1 < s.size()) {
      const unsigned char n = static_cast<unsigned char>(s[i + 1]);
      // é è ê ë É È Ê Ë -> e ; û ù ü Û Ù Ü -> u ; any other accented letter stays as it is.
      if ((n >= 0xA8 && n <= 0xAB) || (n >= 0x88 && n <= 0x8B)) {
        words.back() += 'e';
        ++i;
        continue;
      }
      if ((n >= 0xB9 && n <= 0xBC) || (n >= 0x99 && n <= 0x9C)) {
        words.back() += 'u';
        ++i;
        continue;
      }
    }
    words.back() += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

// 1 to 12 for a French month name ("janvier", "fevrier" once plain), else -1.
int month_of(const std::string& word) {
  static constexpr const char* kMonths[] = {"janvier",   "fevrier", "mars",     "avril",
                                            "mai",       "juin",    "juillet",  "aout",
                                            "septembre", "octobre", "novembre", "decembre"};
  for (int i = 0; i < 12; ++i)
    if (word == kMonths[i]) return i + 1;
  return -1;
}

// The value of a run of 1 to `max` ASCII digits, or -1.
int number_of(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return -1;
  return digits_at(s, 0, s.size());
}

Date from_civil_checked(std::int64_t y, int m, int d) {
  OCTROI_CHECK(year_in_range(y), "date out of the years 1..9999");
  return Date(static_cast<int>(y), m, d);
}

}  // namespace

bool is_leap_year(int year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int days_in_month(int year, int month) {
  OCTROI_CHECK(month >= 1 && month <= 12, "month between 1 and 12");
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

Date::Date(int year, int month, int day) : y_(year), m_(month), d_(day) {
  OCTROI_CHECK(exists(year, month, day), "the day exists, in the years 1..9999");
}

Result<Date> Date::make(int year, int month, int day, const std::string& field) {
  return checked(year, month, day, field,
                 padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2));
}

Result<Date> Date::parse(std::string_view text, const std::string& field) {
  const std::string_view s = trim(text);
  if (s.empty()) return refuse("date.empty", field, "La date est obligatoire.");
  const std::string shown(s);
  int y = -1, m = -1, d = -1;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {  // ISO "2023-01-25"
    y = digits_at(s, 0, 4);
    m = digits_at(s, 5, 2);
    d = digits_at(s, 8, 2);
  } else if (const auto slash = s.find_first_of("/."); slash != std::string_view::npos) {
    // French short forms: "25/01/2023", "5/1/2023", "25.01.2023" (the same separator twice).
    const char sep = s[slash];
    const auto second = s.find(sep, slash + 1);
    if (second != std::string_view::npos && s.find(sep, second + 1) == std::string_view::npos) {
      d = number_of(s.substr(0, slash), 2);
      m = number_of(s.substr(slash + 1, second - slash - 1), 2);
      y = s.size() - second - 1 == 4 ? number_of(s.substr(second + 1), 4) : -1;
    }
  } else {
    // French long forms: "15 février 2023", "1er mars 2023", "15 Fevrier 2023".
    const auto words = plain_words(s);
    if (words.size() == 3) {
      std::string day = words[0];
      if (day.size() > 2 && day.substr(day.size() - 2) == "er") day.resize(day.size() - 2);
      d = number_of(day, 2);
      m = month_of(words[1]);
      y = words[2].size() == 4 ? number_of(words[2], 4) : -1;
      if (words[0].size() > 2 && d != 1) d = -1;  // "1er" only for the first
    }
  }
  if (y < 0 || m < 0 || d < 0) {
    return refuse("date.invalid", field,
                  "Date invalide « " + shown +
                      " » : formes acceptées 2023-02-15, 15/02/2023 ou 15 février 2023.");
  }
  return checked(y, m, d, field, shown);
}

Date Date::from_days(std::int64_t days) {
  OCTROI_CHECK(days >= kMinDays && days <= kMaxDays, "date out of the years 1..9999");
  const Civil c = civil_from_days(days);
  return from_civil_checked(c.y, c.m, c.d);
}

std::int64_t Date::to_days() const {
  return days_from_civil(y_, m_, d_);
}

std::string Date::iso() const {
  return padded(y_, 4) + "-" + padded(m_, 2) + "-" + padded(d_, 2);
}

Date Date::add_days(std::int64_t n) const {
  const std::int64_t from = to_days();
  // Compared before adding, so that no n can overflow.
  OCTROI_CHECK(n >= kMinDays - from && n <= kMaxDays - from, "date out of the years 1..9999");
  return from_days(from + n);
}

Date Date::add_years(int n) const {
  const std::int64_t y = std::int64_t{y_} + n;
  OCTROI_CHECK(year_in_range(y), "date out of the years 1..9999");
  const int year = static_cast<int>(y);
  const int last = days_in_month(year, m_);
  return Date(year, m_, d_ < last ? d_ : last);
}

Date Date::add_months(int n) const {
  // Months counted from January of year 0; computed in 64 bits so that no n can overflow.
  const std::int64_t total = std::int64_t{y_} * 12 + (m_ - 1) + n;
  OCTROI_CHECK(total >= std::int64_t{kMinYear} * 12 && total < (std::int64_t{kMaxYear} + 1) * 12,
               "date out of the years 1..9999");
  const int year = static_cast<int>(total / 12);
  const int month = static_cast<int>(total % 12) + 1;
  const int last = days_in_month(year, month);
  return Date(year, month, d_ < last ? d_ : last);
}

}  // namespace octroi
