#include "core/french.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/rounding.h"

namespace octroi::fr {
namespace {

__extension__ typedef __int128 Wide;  // GCC extension; __extension__ keeps -Wpedantic quiet

// |v| without overflow, INT64_MIN included (unsigned negation is well defined).
std::uint64_t magnitude(std::int64_t v) {
  return v < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

// "5 490 000": groups of three digits separated by U+202F.
std::string grouped(std::uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += kNarrowNbsp;
    out += digits[i];
  }
  return out;
}

// "1 234,56" from a signed number of hundredths.
std::string hundredths(std::int64_t v) {
  const std::uint64_t mag = magnitude(v);
  const std::uint64_t frac = mag % 100;
  std::string out = v < 0 ? "-" : "";
  out += grouped(mag / 100);
  out += ',';
  out += static_cast<char>('0' + frac / 10);
  out += static_cast<char>('0' + frac % 10);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Numbers in words.
//
// Words are appended one at a time with the kind of link that ties them to the previous word:
//   * Tight: between tens and units below one hundred ("vingt-deux", "quatre-vingt-dix",
//     "dix-sept"); a hyphen in both spellings;
//   * Loose: between the other number words ("deux cent", "mille un", around "et"); a space in
//     the traditional spelling, a hyphen in the 1990 reform ("deux-cent", "vingt-et-un");
//   * around "million(s)" and "milliard(s)", a space in both spellings. Choice: the 1990
//     rectifications hyphenate numerals ("adjectifs numéraux") only; million and milliard are
//     nouns, so they stay separated by spaces: "deux millions trois-cent-mille",
//     "deux-cent-mille milliards".
// ---------------------------------------------------------------------------------------------

enum class Link { Tight, Loose };

class Words {
 public:
  explicit Words(Hyphenation h) : h_(h) {}

  void add(std::string_view word, Link link) {
    if (!out_.empty()) {
      if (after_noun_) {
        out_ += ' ';
      } else if (link == Link::Tight || h_ == Hyphenation::Reform1990) {
        out_ += '-';
      } else {
        out_ += ' ';
      }
    }
    out_ += word;
    after_noun_ = false;
  }
  // "million(s)", "milliard(s)": always preceded by a number, spaces on both sides.
  void noun(std::string_view word) {
    out_ += ' ';
    out_ += word;
    after_noun_ = true;
  }
  const std::string& str() const { return out_; }

 private:
  Hyphenation h_;
  std::string out_;
  bool after_noun_ = false;
};

constexpr const char* kUnits[17] = {"zéro",  "un",     "deux",     "trois",  "quatre", "cinq",
                                    "six",   "sept",   "huit",     "neuf",   "dix",    "onze",
                                    "douze", "treize", "quatorze", "quinze", "seize"};
// Indexed by tens digit; 7 and 9 are built from 6 ("soixante-dix") and 8 ("quatre-vingt-dix").
constexpr const char* kTens[7] = {"", "", "vingt", "trente", "quarante", "cinquante", "soixante"};

// 0..19 after a tens word: "-deux", "-dix-sept", "-onze".
void units_after_tens(int k, Words& w) {
  if (k <= 16) {
    w.add(kUnits[k], Link::Tight);
  } else {
    w.add("dix", Link::Tight);
    w.add(kUnits[k - 10], Link::Tight);
  }
}

// 1..99. `final` is true when nothing but a noun (or nothing at all) follows: only then does
// "quatre-vingts" take its plural -s.
void below_100(int k, bool final, Words& w) {
  if (k <= 16) {
    w.add(kUnits[k], Link::Loose);
    return;
  }
  if (k < 20) {
    w.add("dix", Link::Loose);
    w.add(kUnits[k - 10], Link::Tight);
    return;
  }
  int tens = k / 10;
  if (tens == 7 || tens == 9) --tens;  // soixante-dix.., quatre-vingt-dix..
  const int rest = k - tens * 10;      // 0..19
  if (tens == 8) {
    w.add("quatre", Link::Loose);
    w.add(rest == 0 && final ? "vingts" : "vingt", Link::Tight);
    if (rest != 0) units_after_tens(rest, w);  // no "et": quatre-vingt-un, quatre-vingt-onze
    return;
  }
  w.add(kTens[tens], Link::Loose);
  if (rest == 0) return;
  if (rest == 1 || rest == 11) {  // vingt et un .. soixante et un, soixante et onze
    w.add("et", Link::Loose);
    w.add(kUnits[rest], Link::Loose);
    return;
  }
  units_after_tens(rest, w);
}

// 1..999. "cent" takes -s when multiplied and final: "deux cents", "deux cent un".
void below_1000(int k, bool final, Words& w) {
  const int hundreds = k / 100;
  const int rest = k % 100;
  if (hundreds > 0) {
    if (hundreds > 1) w.add(kUnits[hundreds], Link::Loose);  // never "un cent"
    w.add(hundreds > 1 && rest == 0 && final ? "cents" : "cent", Link::Loose);
  }
  if (rest > 0) below_100(rest, final, w);
}

// 1..999 999. "mille" is invariable and never preceded by "un"; vingt and cent before it stay
// invariable ("deux cent mille", "quatre-vingt mille").
void below_million(std::int64_t k, bool final, Words& w) {
  const int thousands = static_cast<int>(k / 1000);
  const int rest = static_cast<int>(k % 1000);
  if (thousands > 0) {
    if (thousands > 1) below_1000(thousands, false, w);
    w.add("mille", Link::Loose);
  }
  if (rest > 0) below_1000(rest, final, w);
}

std::string plural(std::int64_t count, const char* singular) {
  return count > 1 ? std::string(singular) + "s" : std::string(singular);
}

constexpr const char* kMonths[12] = {"janvier",   "février", "mars",     "avril",
                                     "mai",       "juin",    "juillet",  "août",
                                     "septembre", "octobre", "novembre", "décembre"};

}  // namespace

std::string amount(Money m) {
  return hundredths(m.cents());
}

std::string euros(Money m) {
  return amount(m) + kNbsp + "€";
}

std::string percent_bp(std::int64_t basis_points) {
  return hundredths(basis_points) + kNbsp + "%";
}

std::string percent(const Rate& r) {
  return percent_bp(r.basis_points(Rounding::HalfUp));
}

std::string percent_short(const Rate& r) {
  // The percentage in ten-thousandths, rounded half-up: num / den * 100 * 10^4.
  const std::int64_t q = divide_rounded(static_cast<Wide>(r.numerator()) * 1'000'000,
                                        r.denominator(), Rounding::HalfUp);
  std::string out = grouped(static_cast<std::uint64_t>(q / 10'000));  // a rate is non-negative
  const std::int64_t frac = q % 10'000;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 4 - digits.size(), '0');
    while (digits.back() == '0')
      digits.pop_back();
    out += ',' + digits;
  }
  return out + kNbsp + "%";
}

std::string date_long(const Date& d) {
  const std::string day = d.day() == 1 ? "1er" : std::to_string(d.day());
  return day + " " + kMonths[d.month() - 1] + " " + std::to_string(d.year());
}

std::string date_short(const Date& d) {
  const std::string iso = d.iso();  // "2023-01-25"
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

namespace {

std::string two_digits(int v) {
  return v < 10 ? "0" + std::to_string(v) : std::to_string(v);
}

}  // namespace

std::string moment(const Instant& t) {
  const LocalTime l = paris_time(t);
  return date_long(l.day) + ", " + std::to_string(l.hour) + " h " + two_digits(l.minute);
}

std::string moment_short(const Instant& t) {
  const LocalTime l = paris_time(t);
  return date_short(l.day) + " " + two_digits(l.hour) + ":" + two_digits(l.minute);
}

std::string integer(std::int64_t n) {
  return (n < 0 ? "-" : "") + grouped(magnitude(n));
}

std::string number_in_words(std::int64_t n, Hyphenation h) {
  constexpr std::int64_t kMillion = 1'000'000;
  constexpr std::int64_t kBillion = 1'000'000'000;  // "milliard"
  OCTROI_CHECK(n >= 0 && n < 1'000'000 * kBillion, "0 <= n < 10^15");
  if (n == 0) return kUnits[0];
  const std::int64_t milliards = n / kBillion;                 // 0..999 999
  const int millions = static_cast<int>(n / kMillion % 1000);  // 0..999
  const std::int64_t rest = n % kMillion;                      // 0..999 999
  Words w(h);
  // Before the nouns million and milliard, vingt and cent take their plural when final:
  // "deux cents millions", "quatre-vingts milliards", but "deux cent mille milliards".
  if (milliards > 0) {
    below_million(milliards, true, w);
    w.noun(plural(milliards, "milliard"));
  }
  if (millions > 0) {
    below_1000(millions, true, w);
    w.noun(plural(millions, "million"));
  }
  if (rest > 0) below_million(rest, true, w);
  return w.str();
}

std::string euros_in_words(Money m, Hyphenation h) {
  OCTROI_CHECK(!m.is_negative(), "an amount in words is not negative");
  const std::int64_t whole = m.cents() / 100;
  const std::int64_t cents = m.cents() % 100;
  const std::string cents_words =
      cents == 0 ? "" : number_in_words(cents, h) + " " + plural(cents, "centime");
  if (whole == 0 && cents > 0) return cents_words;
  std::string out = number_in_words(whole, h);
  if (whole % 1'000'000 == 0 && whole > 0) {
    out += " d'euros";  // "deux millions d'euros": million and milliard are nouns
  } else {
    out += " " + plural(whole, "euro");
  }
  if (cents > 0) out += " et " + cents_words;
  return out;
}

}  // namespace octroi::fr
