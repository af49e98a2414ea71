#include "adapters/cli/system_clock.h"

#include <chrono>
#include <cstdio>

namespace octroi::cli {

std::string SystemClock::now_iso() {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
  const auto day = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{secs - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

Date SystemClock::today() {
  const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date::from_days(day.time_since_epoch().count());
}

}  // namespace octroi::cli
