#include "domain/text.h"

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

}  // namespace octroi::text
