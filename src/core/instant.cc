#include "core/instant.h"

#include <cstdio>

namespace octroi {

Instant Instant::at(const Date& day, int hour, int minute, int second) {
  return Instant(day.to_days() * 86400 + hour * 3600 + minute * 60 + second);
}

std::optional<Instant> Instant::parse(std::string_view t) {
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
      t[16] != ':' || t[19] != 'Z')
    return std::nullopt;
  auto digits = [&](std::size_t at, std::size_t n) -> int {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  const int y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2);
  const int h = digits(11, 2), mi = digits(14, 2), s = digits(17, 2);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return std::nullopt;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return std::nullopt;
  return at(Date(y, mo, d), h, mi, s);
}

std::string Instant::iso() const {
  std::int64_t days = s_ / 86400, rest = s_ % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return Date::from_days(days).iso() + buf;
}

Date Instant::day() const {
  std::int64_t days = s_ / 86400;
  if (s_ % 86400 < 0) --days;
  return Date::from_days(days);
}

namespace {

// The last Sunday of `month` of `year`, at 01:00 UTC: when summer time starts (March) or ends
// (October) in the European Union.
Instant last_sunday_1am_utc(int year, int month) {
  const Date last(year, month, days_in_month(year, month));
  // 1970-01-01 was a Thursday: (days + 4) mod 7 is 0 on Sundays.
  const std::int64_t days = last.to_days();
  const std::int64_t weekday = ((days + 4) % 7 + 7) % 7;
  return Instant::at(Date::from_days(days - weekday), 1, 0, 0);
}

}  // namespace

LocalTime paris_time(const Instant& t) {
  const int year = t.day().year();
  const bool summer = t >= last_sunday_1am_utc(year, 3) && t < last_sunday_1am_utc(year, 10);
  const int offset = summer ? 2 : 1;
  const Instant local = t.plus_seconds(offset * 3600);
  const Date day = local.day();
  const std::int64_t rest = local.seconds_since(Instant::at(day, 0, 0, 0));
  return LocalTime{day, static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
                   static_cast<int>(rest % 60), offset};
}

}  // namespace octroi
