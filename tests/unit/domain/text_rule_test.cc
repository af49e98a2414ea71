// The one rule of every free-text field (domain/text.h, issue 16, finding 2): valid UTF-8, no
// control character (line breaks and tabs only where a text has several lines), no bidirectional
// override, a length per field; refused naming the field.
#include <gtest/gtest.h>

#include <string>

#include "domain/text.h"

namespace {

using octroi::text::check_optional;
using octroi::text::check_required;
using octroi::text::forbidden_character;
using octroi::text::is_valid_utf8;
using octroi::text::Lines;

TEST(TextRule, ControlAndDirectionCharactersAreNamed) {
  EXPECT_EQ(forbidden_character("Frais de formation", Lines::One), "");
  EXPECT_EQ(forbidden_character("Œuvre d’art — « éclairée » 12 €", Lines::One), "");
  EXPECT_EQ(forbidden_character("Frais\x0B", Lines::One), "U+000B");
  EXPECT_EQ(forbidden_character(std::string("ti\0tre", 6), Lines::Many), "U+0000");
  EXPECT_EQ(forbidden_character("a\x7F", Lines::Many), "U+007F");
  EXPECT_EQ(forbidden_character("a\xC2\x85", Lines::Many), "U+0085");  // C1 (NEL)
  EXPECT_EQ(forbidden_character("abc\xE2\x80\xAE"
                                "fdp.exe",
                                Lines::One),
            "U+202E");                                                      // RLO
  EXPECT_EQ(forbidden_character("x\xE2\x81\xA6y", Lines::Many), "U+2066");  // LRI
  EXPECT_EQ(forbidden_character("x\xEF\xBF\xBF", Lines::Many), "U+FFFF");
  // Line breaks and tabs: only in a text of several lines.
  EXPECT_EQ(forbidden_character("une\nnote\r\n\tsuite", Lines::Many), "");
  EXPECT_EQ(forbidden_character("un\ntitre", Lines::One), "U+000A");
  EXPECT_EQ(forbidden_character("un\ttitre", Lines::One), "U+0009");
}

TEST(TextRule, TheChecksRefuseByFieldInFrench) {
  const auto p = check_required("Communication\x0B", "expenses[1].label", "Le libellé", 300);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->code, "text.control");
  EXPECT_EQ(p->field, "expenses[1].label");
  EXPECT_EQ(p->message,
            "Le libellé contient un caractère de contrôle ou de direction (U+000B) ; un saut de "
            "ligne n'y a pas sa place.");
  EXPECT_FALSE(check_optional("deux\nlignes", "note", "La note", 100, Lines::Many).has_value());
  EXPECT_EQ(check_optional("deux\nlignes", "title", "Le titre", 100)->code, "text.control");
  EXPECT_EQ(check_optional("\xFF", "title", "Le titre", 100)->code, "text.encoding");
  EXPECT_EQ(check_required("  ", "title", "Le titre", 100)->code, "text.required");
  EXPECT_EQ(check_optional("abcd", "title", "Le titre", 3)->code, "text.too_long");
}

TEST(TextRule, OverlongFormsSurrogatesAndBeyondUnicodeAreNotUtf8) {
  EXPECT_TRUE(is_valid_utf8("é€😀"));
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // NUL, overlong
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // "/", overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // cut short
}

}  // namespace
