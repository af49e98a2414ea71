// The canonical forms of cell values (workbook.h): numbers without exponent, serial dates and
// times, what a number format shows. Pure: no library, no floating point.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "adapters/workbook/workbook.h"
#include "core/date.h"

namespace octroi::workbook {

std::optional<Format> format_of_name(const std::string& name) {
  std::string ext = std::filesystem::path(name).extension().string();
  for (auto& ch : ext)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (ext == ".xlsx") return Format::Xlsx;
  if (ext == ".ods") return Format::Ods;
  if (ext == ".xls") return Format::Xls;
  return std::nullopt;
}

std::string_view extension(Format f) {
  switch (f) {
    case Format::Xlsx:
      return ".xlsx";
    case Format::Ods:
      return ".ods";
    case Format::Xls:
      return ".xls";
  }
  return "";
}

std::optional<std::string> plain_decimal(std::string_view s) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  std::string digits;    // every digit, the point taken out
  long long point = -1;  // digits before the point
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      if (digits.size() > 400) return std::nullopt;  // no workbook writes that many
      digits += c;
    } else if (c == '.' && point < 0) {
      point = static_cast<long long>(digits.size());
    } else {
      break;
    }
  }
  if (digits.empty()) return std::nullopt;
  if (point < 0) point = static_cast<long long>(digits.size());
  long long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
    const std::size_t start = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      exponent = exponent * 10 + (s[i] - '0');
      if (exponent > 400) return std::nullopt;  // a double's exponent stays within ±324
    }
    if (i == start) return std::nullopt;
    if (exp_negative) exponent = -exponent;
  }
  if (i != s.size()) return std::nullopt;
  // value = 0.digits × 10^(point + exponent)
  const long long int_len = point + exponent;
  std::string int_part, frac_part;
  if (int_len <= 0) {
    int_part = "0";
    frac_part = std::string(static_cast<std::size_t>(-int_len), '0') + digits;
  } else if (int_len >= static_cast<long long>(digits.size())) {
    int_part = digits + std::string(static_cast<std::size_t>(int_len) - digits.size(), '0');
  } else {
    int_part = digits.substr(0, static_cast<std::size_t>(int_len));
    frac_part = digits.substr(static_cast<std::size_t>(int_len));
  }
  int_part.erase(0, std::min(int_part.find_first_not_of('0'), int_part.size() - 1));
  while (!frac_part.empty() && frac_part.back() == '0')
    frac_part.pop_back();
  std::string out = int_part;
  if (!frac_part.empty()) out += "." + frac_part;
  if (negative && out != "0") out = "-" + out;
  return out;
}

std::string round_significant(const std::string& plain, int digits) {
  const bool negative = !plain.empty() && plain[0] == '-';
  std::string body = negative ? plain.substr(1) : plain;
  const auto dot = body.find('.');
  std::string all = dot == std::string::npos ? body : body.substr(0, dot) + body.substr(dot + 1);
  const std::size_t int_len = dot == std::string::npos ? body.size() : dot;
  const std::size_t first = all.find_first_not_of('0');
  if (first == std::string::npos) return "0";
  const std::size_t keep = first + static_cast<std::size_t>(digits);
  if (all.size() <= keep) return plain;
  const bool up = all[keep] >= '5';
  all.resize(keep);
  if (up) {  // carry
    std::size_t k = keep;
    while (k > 0) {
      --k;
      if (all[k] == '9') {
        all[k] = '0';
      } else {
        ++all[k];
        break;
      }
      if (k == 0) {
        all.insert(all.begin(), '1');
        break;
      }
    }
  }
  const std::size_t grown = all.size() - keep;  // 1 when the carry added a digit in front
  std::string out;
  if (int_len + grown >= all.size()) {
    out = all + std::string(int_len + grown - all.size(), '0');
  } else {
    out = all.substr(0, int_len + grown) + "." + all.substr(int_len + grown);
  }
  return *plain_decimal((negative ? "-" : "") + out);
}

namespace {

// A non-negative plain decimal's whole days and the seconds of its fraction (rounded to the
// nearest second; 86 400 carried to the next day); nullopt if negative or beyond 10^7 days.
std::optional<std::pair<std::int64_t, std::int64_t>> days_and_seconds(std::string_view serial) {
  const auto plain = plain_decimal(serial);
  if (!plain || plain->front() == '-') return std::nullopt;
  const auto dot = plain->find('.');
  const std::string whole = plain->substr(0, dot);
  if (whole.size() > 7) return std::nullopt;
  std::int64_t days = std::stoll(whole);
  std::string fraction = dot == std::string::npos ? "" : plain->substr(dot + 1);
  fraction = fraction.substr(0, 12);
  fraction.resize(12, '0');
  const std::int64_t f = std::stoll(fraction);  // in 10^-12 days
  constexpr std::int64_t kUnit = 1'000'000'000'000;
  std::int64_t seconds = (f * 86'400 + kUnit / 2) / kUnit;
  if (seconds == 86'400) {
    ++days;
    seconds = 0;
  }
  return std::make_pair(days, seconds);
}

std::string clock_of(std::int64_t seconds) {
  char out[16];
  std::snprintf(out, sizeof out, "%02d:%02d:%02d", static_cast<int>(seconds / 3600),
                static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
  return out;
}

}  // namespace

std::optional<Cell> serial_date(std::string_view serial, bool epoch_1904) {
  const auto ds = days_and_seconds(serial);
  if (!ds) return std::nullopt;
  const auto [days, seconds] = *ds;
  std::int64_t base = 0;
  if (epoch_1904) {
    base = Date(1904, 1, 1).to_days();
  } else {
    // Excel counts a 29 February 1900 that never was: serial 60. Before it, day 1 is 1900-01-01.
    if (days == 0 || days == 60) return std::nullopt;
    base = days < 60 ? Date(1899, 12, 31).to_days() : Date(1899, 12, 30).to_days();
  }
  if (base + days > Date(9999, 12, 31).to_days()) return std::nullopt;
  const Date day = Date::from_days(base + days);
  if (seconds == 0) return Cell{Cell::Kind::Date, day.iso()};
  return Cell{Cell::Kind::DateTime, day.iso() + "T" + clock_of(seconds)};
}

std::optional<Cell> serial_time(std::string_view serial) {
  const auto ds = days_and_seconds(serial);
  if (!ds) return std::nullopt;
  return Cell{Cell::Kind::Time, clock_of(ds->second)};
}

Shown shown_as(int id, std::string_view code) {
  if (code.empty()) {
    if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
      return Shown::Date;
    if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) return Shown::Time;
    return Shown::Number;
  }
  // The first section only (positive numbers), without what is quoted, escaped, padded or in
  // brackets (colours, conditions, locales), except the elapsed times [h], [m], [s].
  std::string kept;
  bool elapsed = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == ';') break;
    if (c == '"') {
      const auto end = code.find('"', i + 1);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      const auto end = code.find(']', i + 1);
      if (end == std::string_view::npos) break;
      const std::string_view inside = code.substr(i + 1, end - i - 1);
      if (!inside.empty() && std::all_of(inside.begin(), inside.end(), [](char x) {
            return x == 'h' || x == 'H' || x == 'm' || x == 'M' || x == 's' || x == 'S';
          }))
        elapsed = true;
      i = end;
    } else {
      kept += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (kept.find("general") != std::string::npos) return Shown::Number;
  const auto has = [&](char x) { return kept.find(x) != std::string::npos; };
  if (has('d') || has('y')) return Shown::Date;
  if (elapsed || has('h') || has('s')) return Shown::Time;
  if (has('m')) return Shown::Date;  // "mmm yyyy" without its year, "mmmm": a month
  return Shown::Number;
}

namespace {

// The code unit of "_xHHHH_" at `i` of `s`, if there is one.
std::optional<char32_t> escape_at(std::string_view s, std::size_t i) {
  if (i + 7 > s.size() || s[i] != '_' || (s[i + 1] != 'x' && s[i + 1] != 'X') || s[i + 6] != '_')
    return std::nullopt;
  char32_t v = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    const char c = s[k];
    const int d = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<char32_t>(d);
  }
  return v;
}

void append_utf8(std::string& out, char32_t cp) {
  const auto byte = [&](char32_t b) { out += static_cast<char>(static_cast<unsigned char>(b)); };
  if (cp < 0x80) {
    byte(cp);
  } else if (cp < 0x800) {
    byte(0xC0 | (cp >> 6));
    byte(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    byte(0xE0 | (cp >> 12));
    byte(0x80 | ((cp >> 6) & 0x3F));
    byte(0x80 | (cp & 0x3F));
  } else {
    byte(0xF0 | (cp >> 18));
    byte(0x80 | ((cp >> 12) & 0x3F));
    byte(0x80 | ((cp >> 6) & 0x3F));
    byte(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string unescape_xstring(std::string_view s) {
  if (s.find("_x") == std::string_view::npos && s.find("_X") == std::string_view::npos)
    return std::string(s);
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto unit = escape_at(s, i);
    if (!unit) {
      out += s[i++];
      continue;
    }
    if (*unit >= 0xD800 && *unit <= 0xDBFF) {
      const auto low = escape_at(s, i + 7);
      if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((*unit - 0xD800) << 10) + (*low - 0xDC00));
        i += 14;
        continue;
      }
    }
    if (*unit >= 0xD800 && *unit <= 0xDFFF) {  // a lone surrogate: no character
      out += s[i++];
      continue;
    }
    append_utf8(out, *unit);
    i += 7;
  }
  return out;
}

int zero_padding(std::string_view code) {
  const std::string_view first = code.substr(0, code.find(';'));
  if (first.empty() || first.size() > 30 ||
      !std::all_of(first.begin(), first.end(), [](char c) { return c == '0'; }))
    return 0;
  return static_cast<int>(first.size());
}

std::string padded_integer(const std::string& plain, int width) {
  if (plain.empty() || plain.size() >= static_cast<std::size_t>(width) ||
      !std::all_of(plain.begin(), plain.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return plain;
  return std::string(static_cast<std::size_t>(width) - plain.size(), '0') + plain;
}

}  // namespace octroi::workbook
