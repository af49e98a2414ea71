#include "domain/text.h"

#include <algorithm>

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
    i += len;
  }
  return true;
}

bool is_slug(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

std::optional<Problem> check_optional(std::string_view value, const std::string& field,
                                      const std::string& what, std::size_t max_chars) {
  if (!is_valid_utf8(value))
    return Problem{"text.encoding", field,
                   what + " contient des caractères invalides (UTF-8 attendu)."};
  if (length(value) > max_chars)
    return Problem{"text.too_long", field,
                   what + " est trop long (" + std::to_string(max_chars) + " caractères au plus)."};
  return std::nullopt;
}

std::optional<Problem> check_required(std::string_view value, const std::string& field,
                                      const std::string& what, std::size_t max_chars) {
  if (trim(value).empty()) return Problem{"text.required", field, what + " est obligatoire."};
  return check_optional(value, field, what, max_chars);
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
