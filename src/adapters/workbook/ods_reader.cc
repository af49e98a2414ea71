// .ods (OpenDocument spreadsheet): content.xml's first table, row by row and cell by cell, by
// office:value-type and its value attribute (office:value, office:date-value…), with the rows and
// columns that repeat counted as the spreadsheet shows them.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <tuple>
#include <vector>

#include "adapters/workbook/readers.h"
#include "adapters/workbook/row_scanner.h"
#include "adapters/workbook/sheet_builder.h"
#include "adapters/workbook/xml_support.h"
#include "adapters/workbook/zip_entries.h"
#include "core/date.h"

namespace octroi::workbook {
namespace {

const std::string kWhat = "classeur .ods";

Refusal damaged(const std::string& why) {
  return refuse("workbook.unreadable", "file", "Le " + kWhat + " est endommagé : " + why + ".");
}

// The text of a paragraph, its spaces (text:s), tabs and line breaks as typed; an annotation's
// text is not the cell's.
// False when spans nest deeper than any document does (kMaxDepth): refused, not recursed into.
constexpr int kMaxDepth = 64;
bool paragraph_text(const pugi::xml_node& n, std::string& out, int depth = 0) {
  if (depth > kMaxDepth) return false;
  for (const auto& c : n.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      out += c.value();
    } else if (xml::is(c, "s")) {
      const long long count = *xml::attr(c, "c") ? std::atoll(xml::attr(c, "c")) : 1;
      out.append(static_cast<std::size_t>(count > 0 && count < 10'000 ? count : 1), ' ');
    } else if (xml::is(c, "tab")) {
      out += '\t';
    } else if (xml::is(c, "line-break")) {
      out += '\n';
    } else if (!xml::is(c, "annotation") && !xml::is(c, "note")) {
      if (!paragraph_text(c, out, depth + 1)) return false;
    }
  }
  return true;
}

std::optional<std::string> cell_text(const pugi::xml_node& cell) {
  std::string out;
  bool first = true;
  for (const auto& p : cell.children()) {
    if (!xml::is(p, "p") && !xml::is(p, "h")) continue;
    if (!first) out += '\n';
    first = false;
    if (!paragraph_text(p, out)) return std::nullopt;
  }
  return out;
}

// "PT10H30M05.5S" -> "10:30:06"; nullopt when malformed.
std::optional<std::string> duration_clock(const std::string& d) {
  if (d.rfind("PT", 0) != 0) return std::nullopt;
  long long h = 0, m = 0;
  std::string seconds = "0";
  std::string number;
  for (std::size_t i = 2; i < d.size(); ++i) {
    const char c = d[i];
    if ((c >= '0' && c <= '9') || c == '.') {
      number += c;
      if (number.size() > 12) return std::nullopt;
    } else if (c == 'H' && !number.empty()) {
      h = std::atoll(number.c_str());
      number.clear();
    } else if (c == 'M' && !number.empty()) {
      m = std::atoll(number.c_str());
      number.clear();
    } else if (c == 'S' && !number.empty()) {
      seconds = number;
      number.clear();
    } else {
      return std::nullopt;
    }
  }
  const auto plain = plain_decimal(seconds);
  if (!plain) return std::nullopt;
  const auto dot = plain->find('.');
  long long s = std::atoll(plain->substr(0, dot).c_str());
  if (dot != std::string::npos && (*plain)[dot + 1] >= '5') ++s;  // to the nearest second
  const long long total = h * 3600 + m * 60 + s;
  char out[32];
  std::snprintf(out, sizeof out, "%02lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
  return std::string(out);
}

Result<Cell> cell_value(const pugi::xml_node& cell, long long row, long long column) {
  const std::string type = cell.attribute("office:value-type").value();
  const auto where = [&] {
    return "ligne " + std::to_string(row) + ", colonne " + std::to_string(column + 1);
  };
  const auto text = cell_text(cell);
  if (!text) return damaged(where() + " : un texte imbriqué plus que tout document");
  if (std::string(cell.attribute("calcext:value-type").value()) == "error")
    return Cell{Cell::Kind::Error, *text};
  if (type == "float" || type == "percentage" || type == "currency") {
    const std::string v = cell.attribute("office:value").value();
    const auto number = plain_decimal(v);
    if (!number) return damaged(where() + " : « " + v + " » n'est pas un nombre");
    // A whole number shown with leading zeros (a format of zeros: a postal code, a SIRET) is an
    // identifier as the sheet shows it: only when the shown text is exactly the value so padded.
    const std::string plain = round_significant(*number);
    if (type == "float" && text->size() > plain.size() &&
        padded_integer(plain, static_cast<int>(text->size())) == *text)
      return Cell{Cell::Kind::Text, *text};
    return Cell{Cell::Kind::Number, plain};
  }
  if (type == "date") {
    const std::string v = cell.attribute("office:date-value").value();
    const Refusal bad = damaged(where() + " : « " + v + " » n'est pas une date");
    if (v.size() < 10 || !Date::parse(v.substr(0, 10), "date").ok()) return bad;
    const std::string clock = v.size() >= 19 && v[10] == 'T' ? v.substr(11, 8) : "";
    if (clock.empty() || clock == "00:00:00") return Cell{Cell::Kind::Date, v.substr(0, 10)};
    return Cell{Cell::Kind::DateTime, v.substr(0, 10) + "T" + clock};
  }
  if (type == "time") {
    const std::string v = cell.attribute("office:time-value").value();
    const auto clock = duration_clock(v);
    if (!clock) return damaged(where() + " : « " + v + " » n'est pas une heure");
    return Cell{Cell::Kind::Time, *clock};
  }
  if (type == "boolean") {
    const std::string v = cell.attribute("office:boolean-value").value();
    return Cell{Cell::Kind::Boolean, v == "true" || v == "1" ? "true" : "false"};
  }
  if (text->empty() && type.empty()) return Cell{};
  return Cell{Cell::Kind::Text, *text};
}

// A repetition count, at most 2^21 (more rows or columns than any sheet has: the limits then
// refuse the sheet), so that counting rows and columns cannot overflow.
long long repeat_of(const pugi::xml_node& n, const char* name) {
  const std::string v = n.attribute(name).value();
  if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos) return 1;
  const long long r = std::atoll(v.c_str());
  return r < 1 ? 1 : std::min(r, 1LL << 21);
}

struct Walk {
  SheetBuilder& out;
  long long row = 0;  // the last row's number

  std::optional<Refusal> one_row(const pugi::xml_node& r) {
    const long long times = repeat_of(r, "table:number-rows-repeated");
    // The cells of one occurrence (column, cell, times), read once.
    std::vector<std::tuple<long long, Cell, long long>> cells;
    long long column = 0;
    for (const auto& c : r.children()) {
      if (!xml::is(c, "table-cell") && !xml::is(c, "covered-table-cell")) continue;
      const long long across = repeat_of(c, "table:number-columns-repeated");
      auto value = cell_value(c, row + 1, column);
      if (!value.ok()) return value.refusal();
      if (value->kind != Cell::Kind::Empty)
        cells.emplace_back(column, std::move(value).value(), across);
      column += across;
    }
    if (cells.empty()) {  // empty rows, however many, take no room
      row = std::min(row + times, 1LL << 40);
      return std::nullopt;
    }
    for (long long t = 0; t < times; ++t) {
      ++row;
      for (const auto& [at, cell, across] : cells)
        for (long long k = 0; k < across; ++k)
          if (auto bad = out.put(row, at + k, cell)) return bad;
    }
    return std::nullopt;
  }
};

}  // namespace

Result<Sheet> read_ods(std::string_view bytes, const Limits& limits, const RowFn& each) {
  auto zip = ZipEntries::open(bytes, limits.max_inflated_bytes, kWhat);
  if (!zip.ok()) return zip.refusal();
  SheetBuilder out = each ? SheetBuilder(limits, kWhat, each) : SheetBuilder(limits, kWhat);
  Walk walk{out};
  RowScanner rows({"table",
                   "table-row",
                   {"table-row-group", "table-header-rows", "table-rows"},
                   kWhat,
                   "content.xml",
                   "il n'a aucune feuille"},
                  [&](const pugi::xml_node& run) -> std::optional<Refusal> {
                    for (const auto& row : run.children())
                      if (xml::is(row, "table-row"))
                        if (auto bad = walk.one_row(row)) return bad;
                    return std::nullopt;
                  });
  auto found = zip.value()->read_in_pieces(
      "content.xml", [&](std::string_view piece) { return rows.feed(piece); });
  if (!found.ok()) return found.refusal();
  if (!found.value()) return damaged("il lui manque « content.xml »");
  if (auto bad = rows.finish()) return *bad;
  if (auto bad = out.flush()) return *bad;
  Sheet read = out.finish(rows.container_attribute("name"));
  read.sheets_in_workbook = std::max(rows.containers(), 1);
  return read;
}

}  // namespace octroi::workbook
