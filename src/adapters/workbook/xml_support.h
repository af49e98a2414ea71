// Internal to adapters/workbook: pugixml helpers that match elements and attributes by their
// local name (workbooks are written with and without namespace prefixes).
#pragma once

#include <pugixml.hpp>

#include <cstring>
#include <optional>
#include <string>

#include "core/result.h"

namespace octroi::workbook::xml {

inline const char* local_name(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon ? colon + 1 : name;
}
inline bool is(const pugi::xml_node& n, const char* name) {
  return n.type() == pugi::node_element && std::strcmp(local_name(n.name()), name) == 0;
}
inline pugi::xml_node child(const pugi::xml_node& n, const char* name) {
  for (const auto& c : n.children())
    if (is(c, name)) return c;
  return {};
}
// The attribute whose local name is `name` ("" when absent).
inline const char* attr(const pugi::xml_node& n, const char* name) {
  for (const auto& a : n.attributes())
    if (std::strcmp(local_name(a.name()), name) == 0) return a.value();
  return "";
}

// Parses `text` into `doc`; the refusal names the part of the workbook that is not XML.
inline std::optional<Refusal> parse(pugi::xml_document& doc, const std::string& text,
                                    const std::string& what, const std::string& part) {
  const auto ok =
      doc.load_buffer(text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (ok) return std::nullopt;
  return refuse("workbook.unreadable", "file",
                "Le " + what + " est endommagé : « " + part + " » n'est pas du XML (" +
                    ok.description() + ", octet " + std::to_string(ok.offset) + ").");
}

}  // namespace octroi::workbook::xml
