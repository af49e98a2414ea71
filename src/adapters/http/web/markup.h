// Text as HTML or XML character data, or as a quoted attribute value: & < > " ' escaped, and the
// C0 controls XML 1.0 forbids (all but tab, line feed, carriage return) turned into spaces. For
// the markup the back office writes itself (the charts, the messages placed next to fields);
// templates are escaped by mstch.
#pragma once

#include <string>

namespace octroi::http::pages {

std::string escape_markup(const std::string& s);

}  // namespace octroi::http::pages
