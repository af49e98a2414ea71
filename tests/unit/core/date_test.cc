#include "core/date.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace octroi {
namespace {

// ---------------------------------------------------------------------------------------------
// Calendar rules

struct LeapCase {
  int year;
  bool leap;
};

class LeapYearTest : public ::testing::TestWithParam<LeapCase> {};

TEST_P(LeapYearTest, FollowsGregorianRules) {
  EXPECT_EQ(is_leap_year(GetParam().year), GetParam().leap) << GetParam().year;
  EXPECT_EQ(days_in_month(GetParam().year, 2), GetParam().leap ? 29 : 28) << GetParam().year;
}

INSTANTIATE_TEST_SUITE_P(Years, LeapYearTest,
                         ::testing::Values(LeapCase{2023, false}, LeapCase{2024, true},
                                           LeapCase{1900, false}, LeapCase{2000, true},
                                           LeapCase{2100, false}, LeapCase{1600, true},
                                           LeapCase{4, true}, LeapCase{1, false},
                                           LeapCase{9996, true}, LeapCase{1996, true}));

TEST(DaysInMonth, AllMonthsOfACommonYear) {
  const int expected[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int m = 1; m <= 12; ++m)
    EXPECT_EQ(days_in_month(2023, m), expected[m - 1]) << m;
}

TEST(DaysInMonth, RejectsAMonthOutOfRange) {
  EXPECT_THROW(days_in_month(2023, 0), InvariantViolation);
  EXPECT_THROW(days_in_month(2023, 13), InvariantViolation);
}

// ---------------------------------------------------------------------------------------------
// Construction

TEST(DateConstructor, BuildsAnExistingDay) {
  const Date d(2023, 1, 25);
  EXPECT_EQ(d.year(), 2023);
  EXPECT_EQ(d.month(), 1);
  EXPECT_EQ(d.day(), 25);
  EXPECT_EQ(d.iso(), "2023-01-25");
}

TEST(DateConstructor, DefaultIsTheEpoch) {
  EXPECT_EQ(Date().iso(), "1970-01-01");
}

TEST(DateConstructor, BreaksTheInvariantOnANonexistentDay) {
  EXPECT_THROW(Date(2023, 2, 29), InvariantViolation);
  EXPECT_THROW(Date(1900, 2, 29), InvariantViolation);
  EXPECT_THROW(Date(2023, 2, 30), InvariantViolation);
  EXPECT_THROW(Date(2023, 4, 31), InvariantViolation);
  EXPECT_THROW(Date(2023, 13, 1), InvariantViolation);
  EXPECT_THROW(Date(2023, 0, 1), InvariantViolation);
  EXPECT_THROW(Date(2023, 1, 0), InvariantViolation);
  EXPECT_THROW(Date(0, 1, 1), InvariantViolation);
  EXPECT_THROW(Date(10000, 1, 1), InvariantViolation);
  EXPECT_NO_THROW(Date(2000, 2, 29));
  EXPECT_NO_THROW(Date(2024, 2, 29));
  EXPECT_NO_THROW(Date(1, 1, 1));
  EXPECT_NO_THROW(Date(9999, 12, 31));
}

TEST(DateIso, PadsYearMonthAndDay) {
  EXPECT_EQ(Date(1, 2, 3).iso(), "0001-02-03");
  EXPECT_EQ(Date(9999, 12, 31).iso(), "9999-12-31");
}

TEST(DateCompare, OrdersChronologically) {
  EXPECT_LT(Date(2022, 12, 31), Date(2023, 1, 1));
  EXPECT_LT(Date(2023, 1, 31), Date(2023, 2, 1));
  EXPECT_LT(Date(2023, 2, 1), Date(2023, 2, 2));
  EXPECT_EQ(Date(2023, 2, 1), Date(2023, 2, 1));
  EXPECT_NE(Date(2023, 2, 1), Date(2023, 1, 2));
}

// ---------------------------------------------------------------------------------------------
// make and parse

TEST(DateMake, AcceptsAnExistingDay) {
  const Result<Date> r = Date::make(2024, 2, 29, "convention.signature");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->iso(), "2024-02-29");
}

struct MakeRefusal {
  int y, m, d;
  const char* message;
};

class DateMakeRefusalTest : public ::testing::TestWithParam<MakeRefusal> {};

TEST_P(DateMakeRefusalTest, RefusesWithAFrenchMessage) {
  const MakeRefusal& c = GetParam();
  const Result<Date> r = Date::make(c.y, c.m, c.d, "dossier.depot");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.refusal().problems.size(), 1u);
  EXPECT_EQ(r.refusal().first().code, "date.nonexistent");
  EXPECT_EQ(r.refusal().first().field, "dossier.depot");
  EXPECT_EQ(r.refusal().first().message, c.message);
}

INSTANTIATE_TEST_SUITE_P(
    Days, DateMakeRefusalTest,
    ::testing::Values(
        MakeRefusal{2023, 2, 30, "Date invalide « 2023-02-30 » : ce jour n'existe pas."},
        MakeRefusal{2023, 2, 29, "Date invalide « 2023-02-29 » : ce jour n'existe pas."},
        MakeRefusal{1900, 2, 29, "Date invalide « 1900-02-29 » : ce jour n'existe pas."},
        MakeRefusal{2023, 13, 1, "Date invalide « 2023-13-01 » : ce jour n'existe pas."},
        MakeRefusal{2023, 0, 1, "Date invalide « 2023-00-01 » : ce jour n'existe pas."},
        MakeRefusal{2023, 6, 31, "Date invalide « 2023-06-31 » : ce jour n'existe pas."},
        MakeRefusal{2023, 1, 0, "Date invalide « 2023-01-00 » : ce jour n'existe pas."},
        MakeRefusal{2023, 1, -1, "Date invalide « 2023-01--1 » : ce jour n'existe pas."},
        MakeRefusal{0, 1, 1,
                    "Date invalide « 0000-01-01 » : l'année doit être comprise entre 1 et 9999."},
        MakeRefusal{10000, 1, 1,
                    "Date invalide « 10000-01-01 » : l'année doit être comprise entre 1 et "
                    "9999."}));

struct ParseOk {
  const char* text;
  int y, m, d;
};

class DateParseTest : public ::testing::TestWithParam<ParseOk> {};

TEST_P(DateParseTest, ReadsBothFormats) {
  const ParseOk& c = GetParam();
  const Result<Date> r = Date::parse(c.text, "f");
  ASSERT_TRUE(r.ok()) << c.text << ": " << r.refusal().describe();
  EXPECT_EQ(*r, Date(c.y, c.m, c.d)) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Texts, DateParseTest,
    ::testing::Values(ParseOk{"2023-01-25", 2023, 1, 25}, ParseOk{"25/01/2023", 2023, 1, 25},
                      ParseOk{"  2023-01-25  ", 2023, 1, 25}, ParseOk{"\t01/02/2023 ", 2023, 2, 1},
                      ParseOk{"2024-02-29", 2024, 2, 29}, ParseOk{"29/02/2000", 2000, 2, 29},
                      ParseOk{"0001-01-01", 1, 1, 1}, ParseOk{"31/12/9999", 9999, 12, 31},
                      // Issue 18: the short and long forms a French user types.
                      ParseOk{"5/01/2023", 2023, 1, 5}, ParseOk{"25/1/2023", 2023, 1, 25},
                      ParseOk{"25.01.2023", 2023, 1, 25}, ParseOk{"15 février 2023", 2023, 2, 15},
                      ParseOk{"15 Février 2023", 2023, 2, 15},
                      ParseOk{"15 fevrier 2023", 2023, 2, 15}, ParseOk{"1er mars 2023", 2023, 3, 1},
                      ParseOk{"1 mars 2023", 2023, 3, 1}, ParseOk{"15 AOÛT 2023", 2023, 8, 15},
                      ParseOk{"3 décembre 2023", 2023, 12, 3},
                      ParseOk{"15\xC2\xA0" "février\xC2\xA0" "2023", 2023, 2, 15},
                      ParseOk{" 25  janvier   2023 ", 2023, 1, 25}));

struct ParseRefusal {
  const char* text;
  const char* code;
  const char* message;
};

class DateParseRefusalTest : public ::testing::TestWithParam<ParseRefusal> {};

TEST_P(DateParseRefusalTest, RefusesWithCodeFieldAndMessage) {
  const ParseRefusal& c = GetParam();
  const Result<Date> r = Date::parse(c.text, "plan.debut");
  ASSERT_FALSE(r.ok()) << c.text;
  ASSERT_EQ(r.refusal().problems.size(), 1u);
  EXPECT_EQ(r.refusal().first().code, c.code) << c.text;
  EXPECT_EQ(r.refusal().first().field, "plan.debut");
  EXPECT_EQ(r.refusal().first().message, c.message) << c.text;
}

#define BAD_FORMAT(t) \
  "Date invalide « " t " » : formes acceptées 2023-02-15, 15/02/2023 ou 15 février 2023."
#define NO_SUCH_DAY(t) "Date invalide « " t " » : ce jour n'existe pas."

INSTANTIATE_TEST_SUITE_P(
    Texts, DateParseRefusalTest,
    ::testing::Values(
        ParseRefusal{"", "date.empty", "La date est obligatoire."},
        ParseRefusal{"   ", "date.empty", "La date est obligatoire."},
        ParseRefusal{"2023-02-30", "date.nonexistent", NO_SUCH_DAY("2023-02-30")},
        ParseRefusal{"2023-13-01", "date.nonexistent", NO_SUCH_DAY("2023-13-01")},
        ParseRefusal{"1900-02-29", "date.nonexistent", NO_SUCH_DAY("1900-02-29")},
        ParseRefusal{"30/02/2023", "date.nonexistent", NO_SUCH_DAY("30/02/2023")},
        ParseRefusal{" 31/04/2023 ", "date.nonexistent", NO_SUCH_DAY("31/04/2023")},
        ParseRefusal{"2023-00-10", "date.nonexistent", NO_SUCH_DAY("2023-00-10")},
        ParseRefusal{"0000-01-01", "date.nonexistent",
                     "Date invalide « 0000-01-01 » : l'année doit être comprise "
                     "entre 1 et 9999."},
        ParseRefusal{"2023-1-25", "date.invalid", BAD_FORMAT("2023-1-25")},
        ParseRefusal{"2023-01-5", "date.invalid", BAD_FORMAT("2023-01-5")},
        ParseRefusal{"25/01/23", "date.invalid", BAD_FORMAT("25/01/23")},
        ParseRefusal{"25/01.2023", "date.invalid", BAD_FORMAT("25/01.2023")},
        ParseRefusal{"125/01/2023", "date.invalid", BAD_FORMAT("125/01/2023")},
        ParseRefusal{"30 février 2023", "date.nonexistent", NO_SUCH_DAY("30 février 2023")},
        ParseRefusal{"15 févr. 2023", "date.invalid", BAD_FORMAT("15 févr. 2023")},
        ParseRefusal{"2er mars 2023", "date.invalid", BAD_FORMAT("2er mars 2023")},
        ParseRefusal{"15 février 23", "date.invalid", BAD_FORMAT("15 février 23")},
        ParseRefusal{"février 2023", "date.invalid", BAD_FORMAT("février 2023")},
        ParseRefusal{"2023/01/25", "date.invalid", BAD_FORMAT("2023/01/25")},
        ParseRefusal{"25-01-2023", "date.invalid", BAD_FORMAT("25-01-2023")},
        ParseRefusal{"2023-01-25T10:00", "date.invalid", BAD_FORMAT("2023-01-25T10:00")},
        ParseRefusal{"2023-0a-25", "date.invalid", BAD_FORMAT("2023-0a-25")},
        ParseRefusal{"+023-01-25", "date.invalid", BAD_FORMAT("+023-01-25")},
        ParseRefusal{"2023-01-+5", "date.invalid", BAD_FORMAT("2023-01-+5")},
        ParseRefusal{"2023 01 25", "date.invalid", BAD_FORMAT("2023 01 25")},
        ParseRefusal{"hier", "date.invalid", BAD_FORMAT("hier")}));

#undef BAD_FORMAT
#undef NO_SUCH_DAY

// ---------------------------------------------------------------------------------------------
// Days since the epoch

struct DaysCase {
  int y, m, d;
  std::int64_t days;
};

class DateDaysTest : public ::testing::TestWithParam<DaysCase> {};

TEST_P(DateDaysTest, ConvertsBothWays) {
  const DaysCase& c = GetParam();
  const Date date(c.y, c.m, c.d);
  EXPECT_EQ(date.to_days(), c.days) << date.iso();
  EXPECT_EQ(Date::from_days(c.days), date) << c.days;
}

INSTANTIATE_TEST_SUITE_P(
    KnownDays, DateDaysTest,
    ::testing::Values(DaysCase{1970, 1, 1, 0}, DaysCase{1970, 1, 2, 1}, DaysCase{1969, 12, 31, -1},
                      DaysCase{2023, 1, 25, 19382}, DaysCase{2000, 1, 1, 10957},
                      DaysCase{2000, 2, 29, 11016}, DaysCase{2000, 3, 1, 11017},
                      DaysCase{1900, 3, 1, -25508}, DaysCase{1900, 2, 28, -25509},
                      DaysCase{1, 1, 1, -719162}, DaysCase{9999, 12, 31, 2932896}));

TEST(DateDays, RoundTripsOverARangeAndStepsOneDayAtATime) {
  // 1899-01-01 .. 2101-01-01: crosses 1900 (not leap), 2000 (leap) and 2100 (not leap).
  const std::int64_t first = Date(1899, 1, 1).to_days();
  const std::int64_t last = Date(2101, 1, 1).to_days();
  Date previous = Date::from_days(first - 1);
  for (std::int64_t n = first; n <= last; ++n) {
    const Date d = Date::from_days(n);
    ASSERT_EQ(d.to_days(), n);
    ASSERT_LT(previous, d);
    // The day after `previous`, computed by hand.
    int y = previous.year(), m = previous.month(), day = previous.day() + 1;
    if (day > days_in_month(y, m)) {
      day = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
    ASSERT_EQ(d, Date(y, m, day)) << n;
    previous = d;
  }
}

TEST(DateDays, RoundTripsAtTheEdgesOfTheRange) {
  for (std::int64_t n : {Date(1, 1, 1).to_days(), Date(9999, 12, 31).to_days()}) {
    for (std::int64_t k = -400; k <= 400; ++k) {
      const std::int64_t days = n + k;
      if (days < Date(1, 1, 1).to_days() || days > Date(9999, 12, 31).to_days()) continue;
      ASSERT_EQ(Date::from_days(days).to_days(), days);
    }
  }
}

TEST(DateDays, RefusesDaysOutsideYearsOneTo9999) {
  EXPECT_THROW(Date::from_days(Date(1, 1, 1).to_days() - 1), InvariantViolation);
  EXPECT_THROW(Date::from_days(Date(9999, 12, 31).to_days() + 1), InvariantViolation);
  EXPECT_THROW(Date::from_days(std::numeric_limits<std::int64_t>::max()), InvariantViolation);
  EXPECT_THROW(Date::from_days(std::numeric_limits<std::int64_t>::min()), InvariantViolation);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

TEST(DateAddDays, MovesAcrossMonthsYearsAndLeapDays) {
  EXPECT_EQ(Date(2023, 1, 25).add_days(0), Date(2023, 1, 25));
  EXPECT_EQ(Date(2023, 1, 31).add_days(1), Date(2023, 2, 1));
  EXPECT_EQ(Date(2023, 12, 31).add_days(1), Date(2024, 1, 1));
  EXPECT_EQ(Date(2024, 2, 28).add_days(1), Date(2024, 2, 29));
  EXPECT_EQ(Date(2023, 2, 28).add_days(1), Date(2023, 3, 1));
  EXPECT_EQ(Date(2023, 3, 1).add_days(-1), Date(2023, 2, 28));
  EXPECT_EQ(Date(2023, 1, 1).add_days(365), Date(2024, 1, 1));
  EXPECT_EQ(Date(2024, 1, 1).add_days(366), Date(2025, 1, 1));
  EXPECT_THROW(Date(9999, 12, 31).add_days(1), InvariantViolation);
  EXPECT_THROW(Date(1, 1, 1).add_days(-1), InvariantViolation);
  EXPECT_THROW(Date(2023, 1, 1).add_days(std::numeric_limits<std::int64_t>::max()),
               InvariantViolation);
  EXPECT_THROW(Date(2023, 1, 1).add_days(std::numeric_limits<std::int64_t>::min()),
               InvariantViolation);
}

struct ShiftCase {
  Date from;
  int n;
  Date expected;
};

class DateAddYearsTest : public ::testing::TestWithParam<ShiftCase> {};

TEST_P(DateAddYearsTest, KeepsTheDayOrFallsBackTo28February) {
  EXPECT_EQ(GetParam().from.add_years(GetParam().n), GetParam().expected)
      << GetParam().from.iso() << " + " << GetParam().n << " years";
}

INSTANTIATE_TEST_SUITE_P(Shifts, DateAddYearsTest,
                         ::testing::Values(ShiftCase{Date(2023, 1, 25), 1, Date(2024, 1, 25)},
                                           ShiftCase{Date(2023, 1, 25), 0, Date(2023, 1, 25)},
                                           ShiftCase{Date(2024, 2, 29), 1, Date(2025, 2, 28)},
                                           ShiftCase{Date(2024, 2, 29), 4, Date(2028, 2, 29)},
                                           ShiftCase{Date(2024, 2, 29), -1, Date(2023, 2, 28)},
                                           ShiftCase{Date(2096, 2, 29), 4, Date(2100, 2, 28)},
                                           ShiftCase{Date(1996, 2, 29), 4, Date(2000, 2, 29)},
                                           ShiftCase{Date(2023, 12, 31), -3, Date(2020, 12, 31)},
                                           ShiftCase{Date(2023, 3, 1), 1, Date(2024, 3, 1)}));

TEST(DateAddYears, RefusesToLeaveYearsOneTo9999) {
  EXPECT_THROW(Date(9999, 1, 1).add_years(1), InvariantViolation);
  EXPECT_THROW(Date(1, 1, 1).add_years(-1), InvariantViolation);
  EXPECT_THROW(Date(2023, 1, 1).add_years(std::numeric_limits<int>::max()), InvariantViolation);
  EXPECT_THROW(Date(2023, 1, 1).add_years(std::numeric_limits<int>::min()), InvariantViolation);
}

class DateAddMonthsTest : public ::testing::TestWithParam<ShiftCase> {};

TEST_P(DateAddMonthsTest, ClampsToTheLastDayOfTheMonth) {
  EXPECT_EQ(GetParam().from.add_months(GetParam().n), GetParam().expected)
      << GetParam().from.iso() << " + " << GetParam().n << " months";
}

INSTANTIATE_TEST_SUITE_P(Shifts, DateAddMonthsTest,
                         ::testing::Values(ShiftCase{Date(2023, 1, 31), 1, Date(2023, 2, 28)},
                                           ShiftCase{Date(2024, 1, 31), 1, Date(2024, 2, 29)},
                                           ShiftCase{Date(2023, 1, 31), 3, Date(2023, 4, 30)},
                                           ShiftCase{Date(2023, 1, 25), 0, Date(2023, 1, 25)},
                                           ShiftCase{Date(2023, 1, 25), 12, Date(2024, 1, 25)},
                                           ShiftCase{Date(2023, 11, 30), 2, Date(2024, 1, 30)},
                                           ShiftCase{Date(2023, 12, 15), 1, Date(2024, 1, 15)},
                                           ShiftCase{Date(2023, 3, 31), -1, Date(2023, 2, 28)},
                                           ShiftCase{Date(2023, 1, 15), -1, Date(2022, 12, 15)},
                                           ShiftCase{Date(2023, 1, 15), -13, Date(2021, 12, 15)},
                                           ShiftCase{Date(2023, 1, 15), -12, Date(2022, 1, 15)},
                                           ShiftCase{Date(2024, 2, 29), 12, Date(2025, 2, 28)},
                                           ShiftCase{Date(1899, 12, 31), 2, Date(1900, 2, 28)},
                                           ShiftCase{Date(2023, 5, 31), 36, Date(2026, 5, 31)}));

TEST(DateAddMonths, RefusesToLeaveYearsOneTo9999) {
  EXPECT_THROW(Date(9999, 12, 1).add_months(1), InvariantViolation);
  EXPECT_THROW(Date(1, 1, 1).add_months(-1), InvariantViolation);
  EXPECT_NO_THROW(Date(9999, 11, 30).add_months(1));
  EXPECT_NO_THROW(Date(1, 2, 1).add_months(-1));
  EXPECT_THROW(Date(2023, 1, 1).add_months(std::numeric_limits<int>::max()), InvariantViolation);
  EXPECT_THROW(Date(2023, 1, 1).add_months(std::numeric_limits<int>::min()), InvariantViolation);
}

}  // namespace
}  // namespace octroi
