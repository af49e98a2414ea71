// Small text helpers shared by the domain's validations (trimming, length checks counted in
// characters, not bytes).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace octroi::text {

std::string trim(std::string_view s);
// Number of Unicode code points of a UTF-8 string (bytes that are not continuation bytes).
std::size_t length(std::string_view utf8);
bool is_valid_utf8(std::string_view s);
bool is_slug(std::string_view s);  // [a-z0-9-]+
// A refusal for a required text that is empty, too long or not valid UTF-8; nullopt if fine.
// `what` is the French name of the field with its article: "Le titre du projet".
std::optional<Problem> check_required(std::string_view value, const std::string& field,
                                      const std::string& what, std::size_t max_chars);
// Same for an optional text (empty is fine).
std::optional<Problem> check_optional(std::string_view value, const std::string& field,
                                      const std::string& what, std::size_t max_chars);

// The words of a search as typed: runs of letters and digits (ASCII lowered; other letters kept
// as they are, the index folds their case and accents; the ligatures œ and æ untied as oe and
// ae, as the index stores them), split on spaces, punctuation,
// apostrophes (’ too), quotes and dashes. At most `max_words` words of at most 64 bytes each;
// never a character of a query syntax. Requires valid UTF-8.
std::vector<std::string> search_words(std::string_view utf8, std::size_t max_words = 8);

}  // namespace octroi::text
