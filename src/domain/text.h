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
// Valid UTF-8: no stray or missing continuation byte, no overlong form, no surrogate, nothing
// above U+10FFFF.
bool is_valid_utf8(std::string_view s);

// Whether a free text may span several lines (a note, a description, a reason) or not (a label,
// a name, a title, a reference).
enum class Lines { One, Many };

// The first character a text may not hold, as "U+000B", or "" if none (issue 16): a control
// character (C0 but tab, line feed and carriage return in a text of several lines; DEL; C1),
// a bidirectional override, embedding or isolate (U+202A–U+202E, U+2066–U+2069: they make a
// name read otherwise than it is), or a noncharacter U+FFFE/U+FFFF. REQUIRES: valid UTF-8.
std::string forbidden_character(std::string_view utf8, Lines lines);
bool is_slug(std::string_view s);  // [a-z0-9-]+
// The one rule of every free-text field (issue 16): a refusal for a required text that is
// empty, too long, not valid UTF-8 ("text.encoding") or holding a character forbidden_character
// names ("text.control"); nullopt if fine. `what` is the French name of the field with its
// article: "Le titre du projet".
std::optional<Problem> check_required(std::string_view value, const std::string& field,
                                      const std::string& what, std::size_t max_chars,
                                      Lines lines = Lines::One);
// Same for an optional text (empty is fine).
std::optional<Problem> check_optional(std::string_view value, const std::string& field,
                                      const std::string& what, std::size_t max_chars,
                                      Lines lines = Lines::One);

// The words of a search as typed: runs of letters and digits (ASCII lowered; other letters kept
// as they are, the index folds their case and accents; the ligatures œ and æ untied as oe and
// ae, as the index stores them), split on spaces, punctuation,
// apostrophes (’ too), quotes and dashes. At most `max_words` words of at most 64 bytes each;
// never a character of a query syntax. Requires valid UTF-8.
std::vector<std::string> search_words(std::string_view utf8, std::size_t max_words = 8);

}  // namespace octroi::text
