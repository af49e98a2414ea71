#include "core/instant.h"

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

}  // namespace
}  // namespace octroi
