#include "core/enum_names.h"

#include <gtest/gtest.h>

#include "core/result.h"
#include "core/rounding.h"
#include "unit/core/enum_table_checks.h"

namespace octroi {
namespace {

enum class Colour { Red, Green, Blue };
constexpr auto kColourNames = name_table<Colour>({
    {Colour::Red, "red", "rouge"},
    {Colour::Green, "green", "vert"},
    {Colour::Blue, "blue", "bleu"},
});

TEST(NameTable, CodeLabelAndParse) {
  static_assert(kColourNames.size() == 3);
  static_assert(kColourNames.code(Colour::Green) == "green");
  static_assert(kColourNames.label(Colour::Blue) == "bleu");
  static_assert(kColourNames.parse("red") == Colour::Red);
  static_assert(!kColourNames.parse("Red").has_value());
  EXPECT_EQ(kColourNames.parse_label("vert"), Colour::Green);
  EXPECT_FALSE(kColourNames.parse_label("green").has_value());
  Colour out = Colour::Red;
  EXPECT_TRUE(kColourNames.parse("blue", out));
  EXPECT_EQ(out, Colour::Blue);
  EXPECT_FALSE(kColourNames.parse("bleu", out));
  EXPECT_EQ(out, Colour::Blue);
}

TEST(NameTable, ChecksCountRowsAndCodes) {
  constexpr auto twice = name_table<Colour>({
      {Colour::Red, "red", "rouge"},
      {Colour::Red, "red", "rouge encore"},
  });
  EXPECT_EQ(twice.count(Colour::Red), 2u);
  EXPECT_EQ(twice.count(Colour::Blue), 0u);
  EXPECT_EQ(twice.count_code("red"), 2u);
  // A value missing from its table is a programmer error.
  EXPECT_THROW(static_cast<void>(twice.code(Colour::Blue)), InvariantViolation);
}

TEST(NameTable, Colours) {
  enum_checks::expect_well_formed(
      kColourNames, {{Colour::Red, "red"}, {Colour::Green, "green"}, {Colour::Blue, "blue"}});
}

TEST(EnumNames, Rounding) {
  enum_checks::expect_well_formed(kRoundingNames, {{Rounding::Down, "down"},
                                                   {Rounding::Up, "up"},
                                                   {Rounding::HalfUp, "half_up"},
                                                   {Rounding::HalfEven, "half_even"}});
  enum_checks::expect_functions_read(
      kRoundingNames, [](Rounding r) { return to_string(r); },
      [](std::string_view s, Rounding& out) { return parse_rounding(s, out); });
}

}  // namespace
}  // namespace octroi
