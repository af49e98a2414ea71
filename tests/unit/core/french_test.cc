#include "core/french.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace octroi::fr {
namespace {

constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// ---------------------------------------------------------------------------------------------
// The two special spaces, byte by byte.

TEST(FrenchSpaces, AreTheExpectedUtf8Sequences) {
  EXPECT_EQ(std::string(kNarrowNbsp), "\xE2\x80\xAF");  // U+202F NARROW NO-BREAK SPACE
  EXPECT_EQ(std::string(kNbsp), "\xC2\xA0");            // U+00A0 NO-BREAK SPACE
  EXPECT_EQ(std::string(kNarrowNbsp), "\u202f");
  EXPECT_EQ(std::string(kNbsp), "\u00a0");
}

TEST(FrenchSpaces, GroupsWithU202FAndPutsU00A0BeforeTheEuroSign) {
  const std::string s = euros(Money::from_cents(7'840'000));
  // "78" U+202F "400,00" U+00A0 "€"
  const std::string expected =
      "78"
      "\xE2\x80\xAF"
      "400,00"
      "\xC2\xA0"
      "\xE2\x82\xAC";
  EXPECT_EQ(s, expected);
  EXPECT_EQ(s.size(), 2u + 3u + 6u + 2u + 3u);
  EXPECT_EQ(s.find(' '), std::string::npos) << "no plain space";
}

TEST(FrenchSpaces, PutsU00A0BeforeThePercentSign) {
  const std::string s = percent_bp(5162);
  EXPECT_EQ(s,
            "51,62"
            "\xC2\xA0"
            "%");
  EXPECT_EQ(s.find(' '), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Amounts

struct AmountCase {
  std::int64_t cents;
  const char* amount;
  const char* euros;
};

class FrenchAmountTest : public ::testing::TestWithParam<AmountCase> {};

TEST_P(FrenchAmountTest, FormatsWithGroupingAndTwoDecimals) {
  const Money m = Money::from_cents(GetParam().cents);
  EXPECT_EQ(amount(m), GetParam().amount) << GetParam().cents;
  EXPECT_EQ(euros(m), GetParam().euros) << GetParam().cents;
}

INSTANTIATE_TEST_SUITE_P(
    Amounts, FrenchAmountTest,
    ::testing::Values(
        AmountCase{0, "0,00", "0,00\u00a0€"}, AmountCase{5, "0,05", "0,05\u00a0€"},
        AmountCase{50, "0,50", "0,50\u00a0€"}, AmountCase{-50, "-0,50", "-0,50\u00a0€"},
        AmountCase{-1, "-0,01", "-0,01\u00a0€"}, AmountCase{99'999, "999,99", "999,99\u00a0€"},
        AmountCase{100'000, "1\u202f000,00", "1\u202f000,00\u00a0€"},
        AmountCase{7'840'000, "78\u202f400,00", "78\u202f400,00\u00a0€"},
        AmountCase{-123'450, "-1\u202f234,50", "-1\u202f234,50\u00a0€"},
        AmountCase{549'000'000, "5\u202f490\u202f000,00", "5\u202f490\u202f000,00\u00a0€"},
        AmountCase{101'011'708, "1\u202f010\u202f117,08", "1\u202f010\u202f117,08\u00a0€"},
        AmountCase{kInt64Max, "92\u202f233\u202f720\u202f368\u202f547\u202f758,07",
                   "92\u202f233\u202f720\u202f368\u202f547\u202f758,07\u00a0€"},
        AmountCase{kInt64Min, "-92\u202f233\u202f720\u202f368\u202f547\u202f758,08",
                   "-92\u202f233\u202f720\u202f368\u202f547\u202f758,08\u00a0€"}));

// ---------------------------------------------------------------------------------------------
// Percentages

struct BpCase {
  std::int64_t bp;
  const char* text;
};

class FrenchPercentBpTest : public ::testing::TestWithParam<BpCase> {};

TEST_P(FrenchPercentBpTest, FormatsHundredthsOfAPercent) {
  EXPECT_EQ(percent_bp(GetParam().bp), GetParam().text) << GetParam().bp;
}

INSTANTIATE_TEST_SUITE_P(
    Shares, FrenchPercentBpTest,
    ::testing::Values(BpCase{5162, "51,62\u00a0%"}, BpCase{10001, "100,01\u00a0%"},
                      BpCase{10000, "100,00\u00a0%"}, BpCase{0, "0,00\u00a0%"},
                      BpCase{5, "0,05\u00a0%"}, BpCase{-50, "-0,50\u00a0%"},
                      BpCase{123456, "1\u202f234,56\u00a0%"},
                      BpCase{-123456, "-1\u202f234,56\u00a0%"},
                      BpCase{kInt64Min,
                             "-92\u202f233\u202f720\u202f368\u202f547\u202f758,08\u00a0%"}));

struct RateCase {
  std::int64_t num, den;
  const char* text;
};

class FrenchPercentTest : public ::testing::TestWithParam<RateCase> {};

TEST_P(FrenchPercentTest, RoundsHalfUpToTwoDecimals) {
  const RateCase& c = GetParam();
  EXPECT_EQ(percent(Rate::ratio(c.num, c.den)), c.text) << c.num << "/" << c.den;
}

INSTANTIATE_TEST_SUITE_P(
    Rates, FrenchPercentTest,
    ::testing::Values(RateCase{2, 5, "40,00\u00a0%"}, RateCase{1, 3, "33,33\u00a0%"},
                      RateCase{2, 3, "66,67\u00a0%"}, RateCase{1, 8, "12,50\u00a0%"},
                      RateCase{1, 20000, "0,01\u00a0%"},  // 0,005 % rounds half-up
                      RateCase{1, 20001, "0,00\u00a0%"}, RateCase{0, 1, "0,00\u00a0%"},
                      RateCase{1, 1, "100,00\u00a0%"}, RateCase{5162, 10000, "51,62\u00a0%"},
                      RateCase{100, 1, "10\u202f000,00\u00a0%"}));

class FrenchPercentShortTest : public ::testing::TestWithParam<RateCase> {};

TEST_P(FrenchPercentShortTest, PrintsOnlyTheDecimalsItNeeds) {
  const RateCase& c = GetParam();
  EXPECT_EQ(percent_short(Rate::ratio(c.num, c.den)), c.text) << c.num << "/" << c.den;
}

INSTANTIATE_TEST_SUITE_P(
    Rates, FrenchPercentShortTest,
    ::testing::Values(RateCase{2, 5, "40\u00a0%"}, RateCase{1, 3, "33,3333\u00a0%"},
                      RateCase{2, 3, "66,6667\u00a0%"},  // 66,66666… rounded half-up
                      RateCase{1, 8, "12,5\u00a0%"}, RateCase{1, 16, "6,25\u00a0%"},
                      RateCase{1, 7, "14,2857\u00a0%"}, RateCase{0, 1, "0\u00a0%"},
                      RateCase{1, 1, "100\u00a0%"}, RateCase{333333, 1000000, "33,3333\u00a0%"},
                      RateCase{1, 200000, "0,0005\u00a0%"},
                      RateCase{1, 2000000, "0,0001\u00a0%"},  // 0,00005 % rounds half-up
                      RateCase{1, 3000000, "0\u00a0%"},
                      RateCase{99999999, 100000000, "100\u00a0%"},  // 99,999999 % rounds up
                      RateCase{1001, 1000, "100,1\u00a0%"},
                      RateCase{100, 1, "10\u202f000\u00a0%"}));

// ---------------------------------------------------------------------------------------------
// Dates

struct DateCase {
  Date date;
  const char* text;
};

class FrenchDateLongTest : public ::testing::TestWithParam<DateCase> {};

TEST_P(FrenchDateLongTest, WritesTheMonthInFull) {
  EXPECT_EQ(date_long(GetParam().date), GetParam().text) << GetParam().date.iso();
}

INSTANTIATE_TEST_SUITE_P(Dates, FrenchDateLongTest,
                         ::testing::Values(DateCase{Date(2023, 1, 25), "25 janvier 2023"},
                                           DateCase{Date(2023, 1, 1), "1er janvier 2023"},
                                           DateCase{Date(2023, 2, 2), "2 février 2023"},
                                           DateCase{Date(2023, 3, 1), "1er mars 2023"},
                                           DateCase{Date(2023, 4, 10), "10 avril 2023"},
                                           DateCase{Date(2023, 5, 8), "8 mai 2023"},
                                           DateCase{Date(2023, 6, 21), "21 juin 2023"},
                                           DateCase{Date(2023, 7, 14), "14 juillet 2023"},
                                           DateCase{Date(2023, 8, 15), "15 août 2023"},
                                           DateCase{Date(2023, 9, 30), "30 septembre 2023"},
                                           DateCase{Date(2023, 10, 11), "11 octobre 2023"},
                                           DateCase{Date(2023, 11, 11), "11 novembre 2023"},
                                           DateCase{Date(2023, 12, 31), "31 décembre 2023"},
                                           DateCase{Date(2024, 2, 29), "29 février 2024"}));

class FrenchDateShortTest : public ::testing::TestWithParam<DateCase> {};

TEST_P(FrenchDateShortTest, WritesDayMonthYearWithSlashes) {
  EXPECT_EQ(date_short(GetParam().date), GetParam().text) << GetParam().date.iso();
}

INSTANTIATE_TEST_SUITE_P(Dates, FrenchDateShortTest,
                         ::testing::Values(DateCase{Date(2023, 1, 25), "25/01/2023"},
                                           DateCase{Date(2023, 12, 1), "01/12/2023"},
                                           DateCase{Date(999, 3, 9), "09/03/0999"}));

TEST(FrenchDateShort, IsReadBackByDateParse) {
  const Date d(2023, 1, 25);
  const Result<Date> r = Date::parse(date_short(d), "f");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, d);
}

// Every long date octroi prints is read back by Date::parse (issue 18: "15 février 2023" was
// refused where users type what they read).
TEST(FrenchDateLong, IsReadBackByDateParse) {
  for (Date d = Date(2023, 1, 1); d <= Date(2024, 12, 31); d = d.add_days(1)) {
    const Result<Date> r = Date::parse(date_long(d), "f");
    ASSERT_TRUE(r.ok()) << date_long(d) << ": " << r.refusal().describe();
    EXPECT_EQ(*r, d);
  }
}

TEST(FrenchMoment, WritesARecordedInstantInParisTime) {
  const Instant winter = *Instant::parse("2023-01-25T10:05:00Z");
  EXPECT_EQ(moment(winter), "25 janvier 2023, 11 h 05");
  EXPECT_EQ(moment_short(winter), "25/01/2023 11:05");
  const Instant summer = *Instant::parse("2023-07-31T22:30:00Z");
  EXPECT_EQ(moment(summer), "1er août 2023, 0 h 30");
  EXPECT_EQ(moment_short(summer), "01/08/2023 00:30");
}

// ---------------------------------------------------------------------------------------------
// Integers

struct IntegerCase {
  std::int64_t n;
  const char* text;
};

class FrenchIntegerTest : public ::testing::TestWithParam<IntegerCase> {};

TEST_P(FrenchIntegerTest, GroupsByThousands) {
  EXPECT_EQ(integer(GetParam().n), GetParam().text) << GetParam().n;
}

INSTANTIATE_TEST_SUITE_P(
    Integers, FrenchIntegerTest,
    ::testing::Values(
        IntegerCase{0, "0"}, IntegerCase{7, "7"}, IntegerCase{999, "999"},
        IntegerCase{1000, "1\u202f000"}, IntegerCase{-999, "-999"},
        IntegerCase{-1234, "-1\u202f234"}, IntegerCase{99999, "99\u202f999"},
        IntegerCase{100000, "100\u202f000"}, IntegerCase{5490000, "5\u202f490\u202f000"},
        IntegerCase{kInt64Max, "9\u202f223\u202f372\u202f036\u202f854\u202f775\u202f807"},
        IntegerCase{kInt64Min, "-9\u202f223\u202f372\u202f036\u202f854\u202f775\u202f808"}));

// ---------------------------------------------------------------------------------------------
// Numbers in words

struct WordsCase {
  std::int64_t n;
  const char* traditional;
  const char* reform;
};

class FrenchNumberInWordsTest : public ::testing::TestWithParam<WordsCase> {};

TEST_P(FrenchNumberInWordsTest, Traditional) {
  EXPECT_EQ(number_in_words(GetParam().n, Hyphenation::Traditional), GetParam().traditional)
      << GetParam().n;
}

TEST_P(FrenchNumberInWordsTest, Reform1990) {
  EXPECT_EQ(number_in_words(GetParam().n, Hyphenation::Reform1990), GetParam().reform)
      << GetParam().n;
}

INSTANTIATE_TEST_SUITE_P(
    Numbers, FrenchNumberInWordsTest,
    ::testing::Values(
        // Below twenty.
        WordsCase{0, "zéro", "zéro"}, WordsCase{1, "un", "un"}, WordsCase{2, "deux", "deux"},
        WordsCase{9, "neuf", "neuf"}, WordsCase{10, "dix", "dix"}, WordsCase{11, "onze", "onze"},
        WordsCase{12, "douze", "douze"}, WordsCase{13, "treize", "treize"},
        WordsCase{14, "quatorze", "quatorze"}, WordsCase{15, "quinze", "quinze"},
        WordsCase{16, "seize", "seize"}, WordsCase{17, "dix-sept", "dix-sept"},
        WordsCase{18, "dix-huit", "dix-huit"}, WordsCase{19, "dix-neuf", "dix-neuf"},
        // Tens; "et" before un (and onze in soixante et onze), never after quatre-vingt.
        WordsCase{20, "vingt", "vingt"}, WordsCase{21, "vingt et un", "vingt-et-un"},
        WordsCase{22, "vingt-deux", "vingt-deux"}, WordsCase{30, "trente", "trente"},
        WordsCase{31, "trente et un", "trente-et-un"},
        WordsCase{41, "quarante et un", "quarante-et-un"},
        WordsCase{51, "cinquante et un", "cinquante-et-un"},
        WordsCase{61, "soixante et un", "soixante-et-un"},
        WordsCase{69, "soixante-neuf", "soixante-neuf"},
        WordsCase{70, "soixante-dix", "soixante-dix"},
        WordsCase{71, "soixante et onze", "soixante-et-onze"},
        WordsCase{72, "soixante-douze", "soixante-douze"},
        WordsCase{77, "soixante-dix-sept", "soixante-dix-sept"},
        WordsCase{79, "soixante-dix-neuf", "soixante-dix-neuf"},
        WordsCase{80, "quatre-vingts", "quatre-vingts"},
        WordsCase{81, "quatre-vingt-un", "quatre-vingt-un"},
        WordsCase{89, "quatre-vingt-neuf", "quatre-vingt-neuf"},
        WordsCase{90, "quatre-vingt-dix", "quatre-vingt-dix"},
        WordsCase{91, "quatre-vingt-onze", "quatre-vingt-onze"},
        WordsCase{97, "quatre-vingt-dix-sept", "quatre-vingt-dix-sept"},
        WordsCase{99, "quatre-vingt-dix-neuf", "quatre-vingt-dix-neuf"},
        // Hundreds: never "un cent"; "cents" only when multiplied and final.
        WordsCase{100, "cent", "cent"}, WordsCase{101, "cent un", "cent-un"},
        WordsCase{111, "cent onze", "cent-onze"},
        WordsCase{121, "cent vingt et un", "cent-vingt-et-un"},
        WordsCase{171, "cent soixante et onze", "cent-soixante-et-onze"},
        WordsCase{180, "cent quatre-vingts", "cent-quatre-vingts"},
        WordsCase{181, "cent quatre-vingt-un", "cent-quatre-vingt-un"},
        WordsCase{200, "deux cents", "deux-cents"}, WordsCase{201, "deux cent un", "deux-cent-un"},
        WordsCase{222, "deux cent vingt-deux", "deux-cent-vingt-deux"},
        WordsCase{280, "deux cent quatre-vingts", "deux-cent-quatre-vingts"},
        WordsCase{300, "trois cents", "trois-cents"},
        WordsCase{999, "neuf cent quatre-vingt-dix-neuf", "neuf-cent-quatre-vingt-dix-neuf"},
        // Thousands: mille is invariable, never "un mille"; vingt and cent before it too.
        WordsCase{1000, "mille", "mille"}, WordsCase{1001, "mille un", "mille-un"},
        WordsCase{1100, "mille cent", "mille-cent"},
        WordsCase{1200, "mille deux cents", "mille-deux-cents"},
        WordsCase{2000, "deux mille", "deux-mille"},
        WordsCase{21000, "vingt et un mille", "vingt-et-un-mille"},
        WordsCase{78400, "soixante-dix-huit mille quatre cents",
                  "soixante-dix-huit-mille-quatre-cents"},
        WordsCase{80000, "quatre-vingt mille", "quatre-vingt-mille"},
        WordsCase{80080, "quatre-vingt mille quatre-vingts", "quatre-vingt-mille-quatre-vingts"},
        WordsCase{100000, "cent mille", "cent-mille"},
        WordsCase{200000, "deux cent mille", "deux-cent-mille"},
        WordsCase{200200, "deux cent mille deux cents", "deux-cent-mille-deux-cents"},
        WordsCase{222222, "deux cent vingt-deux mille deux cent vingt-deux",
                  "deux-cent-vingt-deux-mille-deux-cent-vingt-deux"},
        // Millions and milliards are nouns: plural -s, "un" before them, spaces around them,
        // and vingt / cent before them take the plural.
        WordsCase{1000000, "un million", "un million"},
        WordsCase{1000001, "un million un", "un million un"},
        WordsCase{2000000, "deux millions", "deux millions"},
        WordsCase{2300000, "deux millions trois cent mille", "deux millions trois-cent-mille"},
        WordsCase{5490000, "cinq millions quatre cent quatre-vingt-dix mille",
                  "cinq millions quatre-cent-quatre-vingt-dix-mille"},
        WordsCase{21000000, "vingt et un millions", "vingt-et-un millions"},
        WordsCase{80000000, "quatre-vingts millions", "quatre-vingts millions"},
        WordsCase{200000000, "deux cents millions", "deux-cents millions"},
        WordsCase{201000000, "deux cent un millions", "deux-cent-un millions"},
        WordsCase{1000000000, "un milliard", "un milliard"},
        WordsCase{1001001001, "un milliard un million mille un", "un milliard un million mille-un"},
        WordsCase{2500000000, "deux milliards cinq cents millions",
                  "deux milliards cinq-cents millions"},
        WordsCase{80000000000, "quatre-vingts milliards", "quatre-vingts milliards"},
        WordsCase{200000000000, "deux cents milliards", "deux-cents milliards"},
        WordsCase{1000000000000, "mille milliards", "mille milliards"},
        WordsCase{1234000000000, "mille deux cent trente-quatre milliards",
                  "mille-deux-cent-trente-quatre milliards"},
        WordsCase{80000000000000, "quatre-vingt mille milliards", "quatre-vingt-mille milliards"},
        WordsCase{200000000000000, "deux cent mille milliards", "deux-cent-mille milliards"},
        WordsCase{999999999999999,
                  "neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf "
                  "milliards neuf cent quatre-vingt-dix-neuf millions neuf cent "
                  "quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf",
                  "neuf-cent-quatre-vingt-dix-neuf-mille-neuf-cent-quatre-vingt-dix-neuf "
                  "milliards neuf-cent-quatre-vingt-dix-neuf millions "
                  "neuf-cent-quatre-vingt-dix-neuf-mille-neuf-cent-quatre-vingt-dix-neuf"}));

TEST(FrenchNumberInWords, DefaultsToTraditional) {
  EXPECT_EQ(number_in_words(21), "vingt et un");
}

TEST(FrenchNumberInWords, RefusesNumbersOutOfRange) {
  EXPECT_THROW(number_in_words(-1), InvariantViolation);
  EXPECT_THROW(number_in_words(1'000'000'000'000'000), InvariantViolation);
  EXPECT_THROW(number_in_words(kInt64Min), InvariantViolation);
  EXPECT_THROW(number_in_words(kInt64Max), InvariantViolation);
}

// Properties over every number below one million, where there is no noun: the 1990 spelling is
// the traditional one with every space turned into a hyphen, and the plural / "un" rules hold.
TEST(FrenchNumberInWords, RulesHoldBelowOneMillion) {
  for (std::int64_t n = 1; n < 1'000'000; ++n) {
    const std::string t = number_in_words(n, Hyphenation::Traditional);
    std::string expected_reform = t;
    for (char& c : expected_reform)
      if (c == ' ') c = '-';
    ASSERT_EQ(number_in_words(n, Hyphenation::Reform1990), expected_reform) << n;
    ASSERT_EQ(t.find("un cent"), std::string::npos) << n;
    ASSERT_EQ(t.rfind("un mille", 0), std::string::npos) << n;
    ASSERT_EQ(t.find("  "), std::string::npos) << n;
    ASSERT_EQ(t.find("--"), std::string::npos) << n;
    ASSERT_EQ(t.find("cents "), std::string::npos) << n;   // "cents" only at the end
    ASSERT_EQ(t.find("vingts "), std::string::npos) << n;  // "vingts" only at the end
    ASSERT_EQ(t.find("vingts-"), std::string::npos) << n;
    ASSERT_EQ(t.find("mille") != std::string::npos, n >= 1000) << n;
    ASSERT_EQ(t.find("mille ") != std::string::npos, n >= 1000 && n % 1000 != 0) << n;
    const bool ends_cents = t.size() >= 5 && t.compare(t.size() - 5, 5, "cents") == 0;
    ASSERT_EQ(ends_cents, n % 100 == 0 && n % 1000 >= 200) << n;
    const bool ends_vingts = t.size() >= 6 && t.compare(t.size() - 6, 6, "vingts") == 0;
    ASSERT_EQ(ends_vingts, n % 100 == 80) << n;
  }
}

// ---------------------------------------------------------------------------------------------
// Amounts in words

struct EurosWordsCase {
  std::int64_t cents;
  const char* text;
};

class FrenchEurosInWordsTest : public ::testing::TestWithParam<EurosWordsCase> {};

TEST_P(FrenchEurosInWordsTest, Traditional) {
  EXPECT_EQ(euros_in_words(Money::from_cents(GetParam().cents)), GetParam().text)
      << GetParam().cents;
}

INSTANTIATE_TEST_SUITE_P(
    Amounts, FrenchEurosInWordsTest,
    ::testing::Values(
        EurosWordsCase{7'840'000, "soixante-dix-huit mille quatre cents euros"},
        EurosWordsCase{549'000'000, "cinq millions quatre cent quatre-vingt-dix mille euros"},
        EurosWordsCase{2'300'000, "vingt-trois mille euros"},
        EurosWordsCase{2'450'000, "vingt-quatre mille cinq cents euros"},
        EurosWordsCase{800'000, "huit mille euros"}, EurosWordsCase{0, "zéro euro"},
        EurosWordsCase{100, "un euro"}, EurosWordsCase{200, "deux euros"},
        EurosWordsCase{2'100, "vingt et un euros"}, EurosWordsCase{8'000, "quatre-vingts euros"},
        EurosWordsCase{20'000, "deux cents euros"}, EurosWordsCase{100'000, "mille euros"},
        EurosWordsCase{1, "un centime"}, EurosWordsCase{50, "cinquante centimes"},
        EurosWordsCase{80, "quatre-vingts centimes"}, EurosWordsCase{101, "un euro et un centime"},
        EurosWordsCase{100'050, "mille euros et cinquante centimes"},
        EurosWordsCase{100'000'000, "un million d'euros"},
        EurosWordsCase{200'000'000, "deux millions d'euros"},
        EurosWordsCase{200'000'021, "deux millions d'euros et vingt et un centimes"},
        EurosWordsCase{200'010'000, "deux millions cent euros"},
        EurosWordsCase{200'100'000, "deux millions mille euros"},
        EurosWordsCase{8'000'000'000, "quatre-vingts millions d'euros"},
        EurosWordsCase{100'000'000'000, "un milliard d'euros"},
        EurosWordsCase{250'000'000'000, "deux milliards cinq cents millions d'euros"},
        EurosWordsCase{100'000'000'000'000, "mille milliards d'euros"},
        EurosWordsCase{Money::kMaxInputCents,
                       "neuf cent quatre-vingt-dix-neuf milliards neuf cent quatre-vingt-dix-neuf "
                       "millions neuf cent quatre-vingt-dix-neuf mille neuf cent "
                       "quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes"}));

TEST(FrenchEurosInWords, Reform1990) {
  const auto h = Hyphenation::Reform1990;
  EXPECT_EQ(euros_in_words(Money::from_cents(2'121), h),
            "vingt-et-un euros et vingt-et-un centimes");
  EXPECT_EQ(euros_in_words(Money::from_cents(230'000'000), h),
            "deux millions trois-cent-mille euros");
  EXPECT_EQ(euros_in_words(Money::from_cents(7'840'000), h),
            "soixante-dix-huit-mille-quatre-cents euros");
  EXPECT_EQ(euros_in_words(Money::from_cents(20'000'000'000), h), "deux-cents millions d'euros");
}

TEST(FrenchEurosInWords, RefusesANegativeAmount) {
  EXPECT_THROW(euros_in_words(Money::from_cents(-1)), InvariantViolation);
  EXPECT_THROW(euros_in_words(Money::from_cents(kInt64Min)), InvariantViolation);
}

TEST(FrenchEurosInWords, RefusesAnAmountOfAThousandMillionMillionEurosOrMore) {
  EXPECT_THROW(euros_in_words(Money::from_cents(100'000'000'000'000'000)), InvariantViolation);
  EXPECT_THROW(euros_in_words(Money::from_cents(kInt64Max)), InvariantViolation);
  EXPECT_NO_THROW(euros_in_words(Money::from_cents(99'999'999'999'999'999)));
}

}  // namespace
}  // namespace octroi::fr
