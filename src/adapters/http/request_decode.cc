#include "adapters/http/request_decode.h"

#include <cctype>

namespace octroi::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// One part (between two delimiters): its headers, a blank line, its content.
bool parse_part(std::string_view part, std::map<std::string, std::string>& fields,
                std::map<std::string, std::string>& files) {
  std::string_view headers, content;
  if (part.substr(0, 2) == "\r\n") {
    content = part.substr(2);
  } else {
    const auto blank = part.find("\r\n\r\n");
    if (blank == std::string_view::npos) return false;
    headers = part.substr(0, blank);
    content = part.substr(blank + 4);
  }
  std::string name, filename;
  bool named = false;
  while (!headers.empty()) {
    const auto eol = headers.find("\r\n");
    const std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    if (!iequals(trim(line.substr(0, colon)), "content-disposition")) continue;
    const std::string_view value = trim(line.substr(colon + 1));
    if (value.find(';') == std::string_view::npos) return false;
    name = header_parameter(value, "name");
    filename = header_parameter(value, "filename");
    named = !name.empty();
  }
  if (!named) return false;
  if (!filename.empty()) fields.emplace(name + ".filename", filename);
  auto& into = filename.empty() ? fields : files;
  into.emplace(std::move(name), std::string(content));
  return true;
}

}  // namespace

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && c == '+') ? ' ' : c;
  }
  return out;
}

void parse_query(std::string_view text, std::map<std::string, std::string>& out) {
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true);
    out.emplace(std::move(key), std::move(value));
  }
}

std::string header_parameter(std::string_view value, std::string_view name) {
  std::size_t at = value.find(';');
  while (at != std::string_view::npos) {
    std::string_view rest = value.substr(at + 1);
    // A quoted value may contain ';': find the end of this parameter accordingly.
    std::size_t end = 0;
    bool quoted = false;
    for (; end < rest.size(); ++end) {
      if (rest[end] == '"' && (end == 0 || rest[end - 1] != '\\')) quoted = !quoted;
      if (rest[end] == ';' && !quoted) break;
    }
    const std::string_view param = trim(rest.substr(0, end));
    const auto eq = param.find('=');
    if (eq != std::string_view::npos && iequals(trim(param.substr(0, eq)), name)) {
      std::string_view v = trim(param.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
        std::string out;
        for (std::size_t i = 1; i + 1 < v.size(); ++i) {
          if (v[i] == '\\' && i + 2 < v.size()) ++i;
          out += v[i];
        }
        return out;
      }
      return std::string(v);
    }
    at = end < rest.size() ? at + 1 + end : std::string_view::npos;
  }
  return "";
}

bool parse_multipart(std::string_view content_type, std::string_view body,
                     std::map<std::string, std::string>& fields,
                     std::map<std::string, std::string>& files) {
  const std::string boundary = header_parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70) return false;
  const std::string delimiter = "--" + boundary;
  std::size_t p = 0;
  if (body.substr(0, delimiter.size()) != delimiter) {
    p = body.find("\r\n" + delimiter);  // after a preamble
    if (p == std::string_view::npos) return false;
    p += 2;
  }
  while (true) {
    std::size_t q = p + delimiter.size();
    if (body.substr(q, 2) == "--") return true;  // the closing delimiter (an epilogue may follow)
    while (q < body.size() && (body[q] == ' ' || body[q] == '\t'))
      ++q;
    if (body.substr(q, 2) != "\r\n") return false;
    const std::size_t start = q + 2;
    const std::size_t next = body.find("\r\n" + delimiter, start);
    if (next == std::string_view::npos) return false;  // truncated: no closing delimiter
    if (!parse_part(body.substr(start, next - start), fields, files)) return false;
    p = next + 2;
  }
}

}  // namespace octroi::http
