// text::search_words: what a typed search becomes before it reaches SQLite's FTS5 or
// PostgreSQL's tsquery — letters and digits only, so that no query syntax gets through.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/text.h"

namespace {

using Words = std::vector<std::string>;

TEST(SearchWords, SplitsOnSpacesPunctuationApostrophesAndDashes) {
  EXPECT_EQ(octroi::text::search_words("Chèque numérique"), (Words{"chèque", "numérique"}));
  EXPECT_EQ(octroi::text::search_words("l’artisanat, d'innovation"),
            (Words{"l", "artisanat", "d", "innovation"}));
  EXPECT_EQ(octroi::text::search_words("« Tiers-lieu » — 2023\u00A0040"),
            (Words{"tiers", "lieu", "2023", "040"}));
  EXPECT_EQ(octroi::text::search_words("   "), Words{});
}

TEST(SearchWords, LowersAsciiAndUntiesLigatures) {
  EXPECT_EQ(octroi::text::search_words("EX070158 SOCIÉTÉ"), (Words{"ex070158", "sociÉtÉ"}));
  EXPECT_EQ(octroi::text::search_words("Cœur ŒUVRE ex æquo"),
            (Words{"coeur", "oeuvre", "ex", "aequo"}));
}

TEST(SearchWords, NeverLetsQuerySyntaxThrough) {
  // FTS5: quotes, *, :, ^, NEAR(, column filters; tsquery: & | ! ( ) : * < >; SQL: ' ; --.
  const auto words =
      octroi::text::search_words(R"(a" OR b* NEAR(c d) title:e ^f & g | !h <-> i' ; -- j\)");
  for (const auto& w : words)
    for (const char c : w)
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << w;
  EXPECT_EQ(words.size(), 8u);  // at most 8 words
}

TEST(SearchWords, CutsLongWordsOnACharacterBoundary) {
  std::string long_word;
  for (int i = 0; i < 40; ++i)
    long_word += "é";  // 2 bytes each
  const auto words = octroi::text::search_words("a" + long_word);
  ASSERT_EQ(words.size(), 1u);
  EXPECT_LE(words[0].size(), 64u);
  EXPECT_EQ(words[0].size() % 2, 1u);  // "a" then whole "é"s
}

}  // namespace
