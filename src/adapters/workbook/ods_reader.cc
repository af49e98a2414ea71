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

// A tag of content.xml: where it starts and ends, its local name, whether it closes an element
// or is empty (<x/>). Comments, CDATA sections, processing instructions and declarations are
// not tags (`skip`).
struct Tag {
  std::size_t start = 0, end = 0;
  std::string local;
  bool closing = false, empty = false, skip = false;
};

// The tag at or after `from`; nullopt when the text does not hold it whole yet (or has none).
std::optional<Tag> next_tag(const std::string& text, std::size_t from) {
  const std::size_t lt = text.find('<', from);
  if (lt == std::string::npos) return std::nullopt;
  Tag t;
  t.start = lt;
  for (const auto& [open, close] : {std::pair<std::string_view, std::string_view>{"<!--", "-->"},
                                    {"<![CDATA[", "]]>"},
                                    {"<?", "?>"},
                                    {"<!", ">"}}) {
    if (text.compare(lt, open.size(), open) != 0) {
      if (text.size() - lt < open.size() && open.substr(0, text.size() - lt) == text.substr(lt))
        return std::nullopt;  // perhaps such an opening, cut
      continue;
    }
    const std::size_t end = text.find(close, lt + open.size());
    if (end == std::string::npos) return std::nullopt;
    t.end = end + close.size();
    t.skip = true;
    return t;
  }
  const std::size_t gt = text.find('>', lt);
  if (gt == std::string::npos) return std::nullopt;
  t.end = gt + 1;
  t.closing = text[lt + 1] == '/';
  t.empty = text[gt - 1] == '/';
  const std::size_t name_at = lt + (t.closing ? 2 : 1);
  const std::size_t name_end = text.find_first_of(" \t\r\n/>", name_at);
  const std::string name = text.substr(name_at, name_end - name_at);
  t.local = xml::local_name(name.c_str());
  return t;
}

// content.xml read as it inflates, never as one tree: the first table's rows, a run of whole
// rows at a time (the groups that hold rows are transparent: their rows are read in order; the
// table's other children, its columns, shapes or forms, are skipped whole); then the number of
// tables. A content.xml that ends inside the first table is refused.
class TableRuns {
 public:
  explicit TableRuns(SheetBuilder& out) : walk_{out} {}

  std::optional<Refusal> feed(std::string_view piece) {
    text_.append(piece);
    for (;;) {
      const auto tag = next_tag(text_, pos_);
      if (!tag) break;
      pos_ = tag->end;
      if (tag->skip) continue;
      if (auto bad = step(*tag)) return bad;
    }
    return trim();
  }

  std::optional<Refusal> finish() {
    if (state_ == State::Before) return damaged("il n'a aucune feuille");
    if (state_ != State::After) return damaged("sa feuille s'arrête au milieu de ses lignes");
    return run();
  }

  const std::string& name() const { return name_; }
  int tables() const { return tables_; }

 private:
  enum class State { Before, Table, Row, Other, After };

  std::optional<Refusal> step(const Tag& t) {
    switch (state_) {
      case State::Before:
        if (t.local == "table" && !t.closing) {
          ++tables_;
          name_ = attribute(t, "name");
          state_ = t.empty ? State::After : State::Table;
        }
        return std::nullopt;
      case State::Table:
        if (t.local == "table" && t.closing) {
          state_ = State::After;
          return run();
        }
        if (t.local == "table-row-group" || t.local == "table-header-rows" ||
            t.local == "table-rows")
          return std::nullopt;  // transparent
        if (t.local == "table-row" && !t.closing) {
          row_start_ = t.start;
          if (t.empty) return add_row(t.end);
          state_ = State::Row;
          return std::nullopt;
        }
        if (!t.closing && !t.empty) {  // another child of the table: skipped whole
          state_ = State::Other;
          depth_ = 1;
        }
        return std::nullopt;
      case State::Row:
        if (t.local == "table-row" && t.closing) {
          state_ = State::Table;
          return add_row(t.end);
        }
        return std::nullopt;
      case State::Other:
        if (t.closing)
          --depth_;
        else if (!t.empty)
          ++depth_;
        if (depth_ == 0) state_ = State::Table;
        return std::nullopt;
      case State::After:
        if (t.local == "table" && !t.closing) ++tables_;
        return std::nullopt;
    }
    return std::nullopt;
  }

  std::optional<Refusal> add_row(std::size_t end) {
    rows_.append(text_, row_start_, end - row_start_);
    if (rows_.size() >= (std::size_t{256} << 10)) return run();
    return std::nullopt;
  }

  // The rows gathered, parsed and put.
  std::optional<Refusal> run() {
    if (rows_.empty()) return std::nullopt;
    std::string xml = "<d>" + rows_ + "</d>";
    rows_.clear();
    pugi::xml_document doc;
    if (auto bad = xml::parse(doc, xml, kWhat, "content.xml")) return bad;
    for (const auto& row : doc.child("d").children())
      if (xml::is(row, "table-row"))
        if (auto bad = walk_.one_row(row)) return bad;
    return std::nullopt;
  }

  // What has been read is dropped, except the row being read.
  std::optional<Refusal> trim() {
    const std::size_t keep = state_ == State::Row ? row_start_ : pos_;
    if (keep > 0) {
      text_.erase(0, keep);
      pos_ -= keep;
      if (state_ == State::Row) row_start_ = 0;
    }
    return std::nullopt;
  }

  // The attribute `local` of a start tag (its text as written, entities left as they are but
  // for the five of XML).
  std::string attribute(const Tag& t, const char* local) const {
    pugi::xml_document one;
    std::string tag = text_.substr(t.start, t.end - t.start);
    if (!t.empty) tag.insert(tag.size() - 1, "/");
    if (!one.load_buffer(tag.data(), tag.size())) return "";
    return xml::attr(one.first_child(), local);
  }

  Walk walk_;
  std::string text_, rows_, name_;
  std::size_t pos_ = 0, row_start_ = 0;
  State state_ = State::Before;
  int depth_ = 0, tables_ = 0;
};

}  // namespace

Result<Sheet> read_ods(std::string_view bytes, const Limits& limits, const RowFn& each) {
  auto zip = ZipEntries::open(bytes, limits.max_inflated_bytes, kWhat);
  if (!zip.ok()) return zip.refusal();
  SheetBuilder out = each ? SheetBuilder(limits, kWhat, each) : SheetBuilder(limits, kWhat);
  TableRuns runs(out);
  auto found = zip.value()->read_in_pieces(
      "content.xml", [&](std::string_view piece) { return runs.feed(piece); });
  if (!found.ok()) return found.refusal();
  if (!found.value()) return damaged("il lui manque « content.xml »");
  if (auto bad = runs.finish()) return *bad;
  if (auto bad = out.flush()) return *bad;
  Sheet read = out.finish(runs.name());
  read.sheets_in_workbook = std::max(runs.tables(), 1);
  return read;
}

}  // namespace octroi::workbook
