#include "core/instant.h"

#include "app/ports.h"

#include <gtest/gtest.h>

#include <string>

namespace octroi {
namespace {

TEST(InstantTest, ParsesAndWritesTheStoredFormatExactly) {
  for (const std::string text :
       {"2023-01-25T10:15:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z",
        "1969-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
    const auto t = Instant::parse(text);
    ASSERT_TRUE(t.has_value()) << text;
    EXPECT_EQ(t->iso(), text);
  }
  EXPECT_EQ(Instant::parse("1970-01-01T00:01:40Z")->seconds(), 100);
  EXPECT_EQ(Instant::parse("1969-12-31T23:59:59Z")->seconds(), -1);
  EXPECT_EQ(Instant().iso(), "1970-01-01T00:00:00Z");
}

TEST(InstantTest, RefusesAnythingElse) {
  for (const char* text : {"", "2023-01-25", "2023-01-25T10:15:00", "2023-01-25 10:15:00Z",
                           "2023-01-25T10:15:00+01:00", "2023-02-29T10:15:00Z",
                           "2023-01-25T24:00:00Z", "2023-01-25T10:60:00Z", "2023-01-25T10:15:60Z",
                           "25/01/2023T10:15:00Z", "2023-13-01T00:00:00Z", "2023-01-25T10:15:00.5Z",
                           "0000-01-01T00:00:00Z", "2023-1-025T10:15:00Z"})
    EXPECT_FALSE(Instant::parse(text).has_value()) << text;
}

TEST(InstantTest, ComparesAndMovesBySeconds) {
  const Instant t = *Instant::parse("2023-01-25T10:15:00Z");
  EXPECT_EQ(t.plus_seconds(45 * 60).iso(), "2023-01-25T11:00:00Z");
  EXPECT_EQ(t.plus_seconds(14 * 3600).iso(), "2023-01-26T00:15:00Z");
  EXPECT_EQ(t.minus_seconds(11 * 3600).iso(), "2023-01-24T23:15:00Z");
  EXPECT_LT(t, t.plus_seconds(1));
  EXPECT_EQ(t.plus_seconds(30).seconds_since(t), 30);
  EXPECT_EQ(t.day(), Date(2023, 1, 25));
  EXPECT_EQ(Instant::parse("1969-12-31T23:59:59Z")->day(), Date(1969, 12, 31));
  EXPECT_EQ(Instant::at(Date(2023, 1, 25), 10, 15, 0), t);
}

// Europe/Paris: UTC+1 in winter, UTC+2 from the last Sunday of March 01:00 UTC to the last Sunday
// of October 01:00 UTC (2023: 26 March and 29 October; 2024: 31 March and 27 October).
TEST(InstantTest, ParisTimeFollowsTheEuropeanSummerTimeRule) {
  struct Case {
    const char* utc;
    Date day;
    int hour, minute, offset;
  };
  for (const Case& c : {
           Case{"2023-01-25T10:15:00Z", Date(2023, 1, 25), 11, 15, 1},
           Case{"2023-01-25T23:30:00Z", Date(2023, 1, 26), 0, 30, 1},  // the next day in Paris
           Case{"2023-03-26T00:59:59Z", Date(2023, 3, 26), 1, 59, 1},  // the last winter second
           Case{"2023-03-26T01:00:00Z", Date(2023, 3, 26), 3, 0, 2},   // 02:00 never happens
           Case{"2023-07-14T12:00:00Z", Date(2023, 7, 14), 14, 0, 2},
           Case{"2023-10-29T00:59:59Z", Date(2023, 10, 29), 2, 59, 2},
           Case{"2023-10-29T01:00:00Z", Date(2023, 10, 29), 2, 0, 1},  // 02:00 happens twice
           Case{"2024-03-31T01:00:00Z", Date(2024, 3, 31), 3, 0, 2},
           Case{"2024-10-27T00:30:00Z", Date(2024, 10, 27), 2, 30, 2},
           Case{"2023-12-31T23:00:00Z", Date(2024, 1, 1), 0, 0, 1},  // new year in Paris first
       }) {
    const LocalTime l = paris_time(*Instant::parse(c.utc));
    EXPECT_EQ(l.day, c.day) << c.utc;
    EXPECT_EQ(l.hour, c.hour) << c.utc;
    EXPECT_EQ(l.minute, c.minute) << c.utc;
    EXPECT_EQ(l.utc_offset_hours, c.offset) << c.utc;
  }
}

// The day a clock gives is the day in Paris: the documents, the ledger and the forms date from it.
TEST(InstantTest, TodayIsTheDayInParisNotInGreenwich) {
  struct At : Clock {
    Instant t;
    Instant now() override { return t; }
  } clock;
  clock.t = *Instant::parse("2023-01-31T22:59:59Z");  // 23:59:59 in Paris (winter)
  EXPECT_EQ(clock.today(), Date(2023, 1, 31));
  clock.t = *Instant::parse("2023-01-31T23:00:00Z");  // midnight in Paris
  EXPECT_EQ(clock.today(), Date(2023, 2, 1));
  clock.t = *Instant::parse("2023-06-30T22:30:00Z");  // 00:30 in Paris (summer)
  EXPECT_EQ(clock.today(), Date(2023, 7, 1));
  clock.t = *Instant::parse("2023-06-30T21:30:00Z");
  EXPECT_EQ(clock.today(), Date(2023, 6, 30));
}

}  // namespace
}  // namespace octroi
