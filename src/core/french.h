// French formatting of figures, as users and official documents expect them.
//
//   78 400,00 €   grouping with U+202F (narrow no-break space), decimal comma, U+00A0 before €
//   51,62 %       U+00A0 before %
//   25 janvier 2023, 1er janvier 2023 (the first day of a month is "1er")
//   soixante-dix-huit mille quatre cents euros (amounts in words, for agreements)
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/date.h"
#include "core/instant.h"
#include "core/money.h"
#include "core/rate.h"

namespace octroi::fr {

inline constexpr const char* kNarrowNbsp = "\xE2\x80\xAF";  // U+202F, groups digits
inline constexpr const char* kNbsp = "\xC2\xA0";            // U+00A0, before € and %

// "78 400,00" (no currency sign).
std::string amount(Money m);
// "78 400,00 €"; negative "-1 234,50 €".
std::string euros(Money m);
// A share in hundredths of a percent: 5162 -> "51,62 %".
std::string percent_bp(std::int64_t basis_points);
// A rate with two decimals, rounded half-up: 2/5 -> "40,00 %".
std::string percent(const Rate& r);
// A rate with as many decimals as it needs, at most 4, none if whole: 2/5 -> "40 %".
std::string percent_short(const Rate& r);
// "25 janvier 2023", "1er janvier 2023".
std::string date_long(const Date& d);
// "25/01/2023".
std::string date_short(const Date& d);
// A recorded instant as the clocks of Paris showed it (paris_time): "25 janvier 2023, 11 h 15".
std::string moment(const Instant& t);
// The same, short: "25/01/2023 11:15".
std::string moment_short(const Instant& t);
// A whole number with grouping: 5490000 -> "5 490 000".
std::string integer(std::int64_t n);

enum class Hyphenation {
  Traditional,  // hyphens between tens and units below one hundred only
  Reform1990,   // hyphens between every word of a compound number
};

// A non-negative whole number in words: 71 -> "soixante et onze", 80 -> "quatre-vingts",
// 200 -> "deux cents", 201 -> "deux cent un", 2 000 000 -> "deux millions".
// REQUIRES: 0 <= n < 10^15.
std::string number_in_words(std::int64_t n, Hyphenation h = Hyphenation::Traditional);
// An amount in words: "soixante-dix-huit mille quatre cents euros",
// "deux millions d'euros", "un euro", "mille euros et cinquante centimes", "zéro euro".
// REQUIRES: 0 <= m.
std::string euros_in_words(Money m, Hyphenation h = Hyphenation::Traditional);

}  // namespace octroi::fr
