#include "adapters/http/web/markup.h"

namespace octroi::http::pages {

// The text as XML character data or a quoted attribute value. C0 controls other than tab, line
// feed and carriage return are not allowed in XML 1.0: they become spaces.
std::string escape_markup(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default: {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 && c != '\t' && c != '\n' && c != '\r') ? ' ' : c;
      }
    }
  }
  return out;
}

}  // namespace octroi::http::pages
