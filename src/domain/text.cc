#include "domain/text.h"

#include <algorithm>
#include <cstdio>

namespace octroi::text {

std::string trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && blank(s.back()))
    s.remove_suffix(1);
  return std::string(s);
}

std::size_t length(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

namespace {

// The code point at `i` (valid UTF-8 assumed) and its length in bytes.
char32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    len = 1;
    return c;
  }
  len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  char32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < len; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    if (c < 0x80) {
      len = 1;
    } else if ((c >> 5) == 0x6) {
      len = 2;
    } else if ((c >> 4) == 0xE) {
      len = 3;
    } else if ((c >> 3) == 0x1E) {
      len = 4;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    std::size_t decoded = 0;
    const char32_t cp = decode(s, i, decoded);
    const char32_t least = len == 1 ? 0 : len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string forbidden_character(std::string_view s, Lines lines) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const char32_t cp = decode(s, i, len);
    i += len;
    const bool line_break = cp == '\n' || cp == '\r' || cp == '\t';
    const bool control = (cp < 0x20 && !(line_break && lines == Lines::Many)) || cp == 0x7F ||
                         (cp >= 0x80 && cp <= 0x9F);
    const bool bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    if (control || bidi || cp == 0xFFFE || cp == 0xFFFF) {
      char out[12];
      std::snprintf(out, sizeof out, "U+%04X", static_cast<unsigned>(cp));
      return out;
    }
  }
  return "";
}

bool is_slug(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

std::optional<Problem> check_optional(std::string_view value, const std::string& field,
                                      const std::string& what, std::size_t max_chars, Lines lines) {
  if (!is_valid_utf8(value))
    return Problem{"text.encoding", field,
                   what + " contient des caractères invalides (UTF-8 attendu)."};
  if (const std::string c = forbidden_character(value, lines); !c.empty())
    return Problem{"text.control", field,
                   what + " contient un caractère de contrôle ou de direction (" + c +
                       (lines == Lines::One ? ") ; un saut de ligne n'y a pas sa place." : ").")};
  if (length(value) > max_chars)
    return Problem{"text.too_long", field,
                   what + " est trop long (" + std::to_string(max_chars) + " caractères au plus)."};
  return std::nullopt;
}

std::optional<Problem> check_required(std::string_view value, const std::string& field,
                                      const std::string& what, std::size_t max_chars, Lines lines) {
  if (trim(value).empty()) return Problem{"text.required", field, what + " est obligatoire."};
  return check_optional(value, field, what, max_chars, lines);
}

std::vector<std::string> search_words(std::string_view s, std::size_t max_words) {
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && out.size() < max_words) {
      std::size_t end = std::min<std::size_t>(word.size(), 64);
      while (end < word.size() && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80)
        --end;  // never cut a character in two
      out.push_back(word.substr(0, end));
    }
    word.clear();
  };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
        word += static_cast<char>(c);
      else if (c >= 'A' && c <= 'Z')
        word += static_cast<char>(c - 'A' + 'a');
      else
        flush();
      ++i;
      continue;
    }
    const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    const std::string_view seq = s.substr(i, n);
    // Spaces, quotes, apostrophes, dashes and the ellipsis French text uses: separators.
    static constexpr std::string_view separators[] = {
        "\u00A0", "\u00AB", "\u00BB", "\u2009", "\u202F", "\u2013", "\u2014",
        "\u2018", "\u2019", "\u201C", "\u201D", "\u2026", "\u00B0", "\u20AC"};
    bool separator = false;
    for (auto sep : separators)
      separator = separator || seq == sep;
    if (separator)
      flush();
    else if (seq == "\u0153" || seq == "\u0152")  // œ Œ: the index unties ligatures too
      word += "oe";
    else if (seq == "\u00E6" || seq == "\u00C6")  // æ Æ
      word += "ae";
    else
      word += seq;
    i += n;
  }
  flush();
  return out;
}

}  // namespace octroi::text
