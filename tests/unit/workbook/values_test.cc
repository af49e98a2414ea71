// The canonical forms of workbook cell values (adapters/workbook/workbook.h): numbers without
// exponent and exact, serial dates in both epochs, what a number format shows.
#include <gtest/gtest.h>

#include "adapters/workbook/workbook.h"

namespace {

using octroi::workbook::Cell;
using octroi::workbook::plain_decimal;
using octroi::workbook::serial_date;
using octroi::workbook::serial_time;
using octroi::workbook::Shown;
using octroi::workbook::shown_as;

TEST(PlainDecimal, NumbersAsWorkbooksWriteThemBecomeExactDecimals) {
  EXPECT_EQ(plain_decimal("99.5"), "99.5");
  EXPECT_EQ(plain_decimal("1234567.5"), "1234567.5");
  EXPECT_EQ(plain_decimal("2.18601946E+13"), "21860194600000");
  EXPECT_EQ(plain_decimal("21860194600000"), "21860194600000");
  EXPECT_EQ(plain_decimal("-1E-3"), "-0.001");
  EXPECT_EQ(plain_decimal(".5"), "0.5");
  EXPECT_EQ(plain_decimal("0100.2500"), "100.25");
  EXPECT_EQ(plain_decimal("-0"), "0");
  EXPECT_EQ(plain_decimal("+7e0"), "7");
  EXPECT_EQ(plain_decimal("0.30000000000000004"), "0.30000000000000004");
  for (const char* bad : {"", "-", "1,5", "1.2.3", "1e", "e5", "1e999", "abc", "12 345", "NaN"})
    EXPECT_FALSE(plain_decimal(bad).has_value()) << bad;
}

TEST(RoundSignificant, FifteenDigitsAsSpreadsheetsComputeWithThem) {
  using octroi::workbook::round_significant;
  EXPECT_EQ(round_significant("1234.5600000000002"), "1234.56");
  EXPECT_EQ(round_significant("0.30000000000000004"), "0.3");
  EXPECT_EQ(round_significant("99.5"), "99.5");
  EXPECT_EQ(round_significant("21860194600000"), "21860194600000");
  EXPECT_EQ(round_significant("9.99999999999999999"), "10");
  EXPECT_EQ(round_significant("-0.000123456789012345678"), "-0.000123456789012346");
  EXPECT_EQ(round_significant("123456789012345678"), "123456789012346000");
  EXPECT_EQ(round_significant("0"), "0");
}

TEST(SerialDate, TheTwoEpochsAndExcelsDayThatNeverWas) {
  EXPECT_EQ(serial_date("43075", false)->value, "2017-12-06");
  EXPECT_EQ(serial_date("43075", false)->kind, Cell::Kind::Date);
  EXPECT_EQ(serial_date("1", false)->value, "1900-01-01");
  EXPECT_EQ(serial_date("59", false)->value, "1900-02-28");
  EXPECT_FALSE(serial_date("60", false).has_value());  // 29 February 1900 never was
  EXPECT_EQ(serial_date("61", false)->value, "1900-03-01");
  EXPECT_FALSE(serial_date("0", false).has_value());
  EXPECT_EQ(serial_date("0", true)->value, "1904-01-01");
  EXPECT_EQ(serial_date("41613", true)->value, "2017-12-06");  // 43075 - 1462
  const auto noon = serial_date("43075.5", false);
  EXPECT_EQ(noon->kind, Cell::Kind::DateTime);
  EXPECT_EQ(noon->value, "2017-12-06T12:00:00");
  EXPECT_EQ(serial_date("43075.99999999", false)->value, "2017-12-07");  // rounds to midnight
  EXPECT_EQ(serial_date("2958465", false)->value, "9999-12-31");
  EXPECT_FALSE(serial_date("2958466", false).has_value());
  EXPECT_FALSE(serial_date("-1", false).has_value());
  EXPECT_EQ(serial_time("0.4375")->value, "10:30:00");
  EXPECT_EQ(serial_time("0.4375")->kind, Cell::Kind::Time);
}

TEST(ShownAs, BuiltInAndCustomFormatsOfDatesTimesAndNumbers) {
  EXPECT_EQ(shown_as(14, ""), Shown::Date);  // Excel's built-in short date
  EXPECT_EQ(shown_as(22, ""), Shown::Date);
  EXPECT_EQ(shown_as(20, ""), Shown::Time);
  EXPECT_EQ(shown_as(3, ""), Shown::Number);  // #,##0
  EXPECT_EQ(shown_as(0, ""), Shown::Number);
  EXPECT_EQ(shown_as(164, "mm/dd/yyyy"), Shown::Date);
  EXPECT_EQ(shown_as(165, "#,##0"), Shown::Number);
  EXPECT_EQ(shown_as(166, "[$-40C]dddd d mmmm yyyy"), Shown::Date);
  EXPECT_EQ(shown_as(167, "#,##0.00\\ \"€\""), Shown::Number);
  EXPECT_EQ(shown_as(168, "[Red]#,##0;[Blue]-#,##0"), Shown::Number);
  EXPECT_EQ(shown_as(169, "hh:mm"), Shown::Time);
  EXPECT_EQ(shown_as(170, "[h]:mm"), Shown::Time);
  EXPECT_EQ(shown_as(171, "mmm"), Shown::Date);
  EXPECT_EQ(shown_as(172, "0.00\" days\""), Shown::Number);
  EXPECT_EQ(shown_as(173, "General"), Shown::Number);
}

}  // namespace
