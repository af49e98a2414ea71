// .xlsx (Office Open XML): the workbook, its relationships, the shared strings, the number
// formats of the styles, then the first visible sheet, cell by cell by value and type.
#include <algorithm>
#include <map>
#include <vector>

#include "adapters/workbook/readers.h"
#include "adapters/workbook/row_scanner.h"
#include "adapters/workbook/sheet_builder.h"
#include "adapters/workbook/xml_support.h"
#include "adapters/workbook/zip_entries.h"

namespace octroi::workbook {
namespace {

const std::string kWhat = "classeur .xlsx";

Refusal damaged(const std::string& why) {
  return refuse("workbook.unreadable", "file", "Le " + kWhat + " est endommagé : " + why + ".");
}

// The text of a shared or inline string: its <t>, or its runs' <t>, not the phonetic guides.
std::string string_text(const pugi::xml_node& si) {
  std::string out;
  for (const auto& c : si.children()) {
    if (xml::is(c, "t")) {
      out += c.text().get();
    } else if (xml::is(c, "r")) {
      for (const auto& t : c.children())
        if (xml::is(t, "t")) out += t.text().get();
    }
  }
  return unescape_xstring(out);
}

// "BC12" -> column 54 (0-based), row 12; false when malformed.
bool cell_ref(const char* r, long long& column, long long& row) {
  long long col = 0, number = 0;
  const char* p = r;
  for (; *p >= 'A' && *p <= 'Z'; ++p) {
    col = col * 26 + (*p - 'A' + 1);
    if (col > 1'000'000) return false;
  }
  if (p == r) return false;
  const char* digits = p;
  for (; *p >= '0' && *p <= '9'; ++p) {
    number = number * 10 + (*p - '0');
    if (number > 100'000'000) return false;
  }
  if (*p != '\0' || p == digits) return false;
  column = col - 1;
  row = number;
  return true;
}

struct Book {
  int sheets = 0;
  bool epoch_1904 = false;
  std::string sheet_name, sheet_path;
  std::vector<std::string> shared;
  std::vector<Shown> styles;  // by the cells' s attribute
  std::vector<int> padding;   // the same: zero_padding of their format
};

Result<pugi::xml_document*> load(ZipEntries& zip, pugi::xml_document& doc, const std::string& part,
                                 bool required) {
  auto text = zip.read(part);
  if (!text.ok()) return text.refusal();
  if (!text.value()) {
    if (required) return damaged("il lui manque « " + part + " »");
    return static_cast<pugi::xml_document*>(nullptr);
  }
  if (auto bad = xml::parse(doc, *text.value(), kWhat, part)) return *bad;
  return &doc;
}

std::optional<Refusal> read_book(ZipEntries& zip, Book& book) {
  pugi::xml_document wb;
  auto loaded = load(zip, wb, "xl/workbook.xml", true);
  if (!loaded.ok()) return loaded.refusal();
  const auto root = xml::child(wb, "workbook");
  const std::string mode = xml::attr(xml::child(root, "workbookPr"), "date1904");
  book.epoch_1904 = mode == "1" || mode == "true";
  // The first sheet whose tab is shown (else the first of all).
  std::string rid, first_rid, first_name;
  for (const auto& s : xml::child(root, "sheets").children()) {
    if (!xml::is(s, "sheet")) continue;
    ++book.sheets;
    if (first_rid.empty()) {
      first_rid = xml::attr(s, "id");
      first_name = xml::attr(s, "name");
    }
    const std::string state = xml::attr(s, "state");
    if (state != "hidden" && state != "veryHidden") {
      rid = xml::attr(s, "id");
      book.sheet_name = xml::attr(s, "name");
      break;
    }
  }
  if (rid.empty()) {
    rid = first_rid;
    book.sheet_name = first_name;
  }
  if (rid.empty()) return damaged("il n'a aucune feuille");
  pugi::xml_document rels;
  loaded = load(zip, rels, "xl/_rels/workbook.xml.rels", true);
  if (!loaded.ok()) return loaded.refusal();
  for (const auto& r : xml::child(rels, "Relationships").children())
    if (xml::is(r, "Relationship") && rid == xml::attr(r, "Id")) {
      const std::string target = xml::attr(r, "Target");
      book.sheet_path = target.rfind('/', 0) == 0 ? target.substr(1) : "xl/" + target;
    }
  if (book.sheet_path.empty()) return damaged("sa première feuille n'a pas de partie");

  pugi::xml_document sst;
  loaded = load(zip, sst, "xl/sharedStrings.xml", false);
  if (!loaded.ok()) return loaded.refusal();
  if (loaded.value())
    for (const auto& si : xml::child(sst, "sst").children())
      if (xml::is(si, "si")) book.shared.push_back(string_text(si));

  pugi::xml_document styles;
  loaded = load(zip, styles, "xl/styles.xml", false);
  if (!loaded.ok()) return loaded.refusal();
  if (loaded.value()) {
    const auto ss = xml::child(styles, "styleSheet");
    std::map<int, std::string> codes;
    for (const auto& f : xml::child(ss, "numFmts").children())
      if (xml::is(f, "numFmt"))
        codes[std::atoi(xml::attr(f, "numFmtId"))] = xml::attr(f, "formatCode");
    for (const auto& xf : xml::child(ss, "cellXfs").children()) {
      if (!xml::is(xf, "xf")) continue;
      const int id = std::atoi(xml::attr(xf, "numFmtId"));
      const auto code = codes.find(id);
      book.styles.push_back(shown_as(id, code == codes.end() ? "" : code->second));
      book.padding.push_back(code == codes.end() ? 0 : zero_padding(code->second));
    }
  }
  return std::nullopt;
}

// The value of cell `c` ("" kind Empty when it has none).
Result<Cell> cell_value(const pugi::xml_node& c, const Book& book, const char* ref) {
  const std::string type = xml::attr(c, "t");
  const std::string v = xml::child(c, "v").text().get();
  if (type == "inlineStr") return Cell{Cell::Kind::Text, string_text(xml::child(c, "is"))};
  if (v.empty() && xml::child(c, "f"))
    return damaged(std::string("la cellule ") + ref +
                   " tient une formule dont le résultat n'a pas été enregistré : ouvrez le "
                   "classeur dans un tableur et enregistrez-le");
  if (v.empty()) return Cell{};
  if (type == "s") {
    const long long index = std::atoll(v.c_str());
    if (index < 0 || static_cast<std::size_t>(index) >= book.shared.size())
      return damaged(std::string("la cellule ") + ref + " renvoie à un texte qui n'existe pas");
    return Cell{Cell::Kind::Text, book.shared[static_cast<std::size_t>(index)]};
  }
  if (type == "str") return Cell{Cell::Kind::Text, unescape_xstring(v)};
  if (type == "b") return Cell{Cell::Kind::Boolean, v == "1" || v == "true" ? "true" : "false"};
  if (type == "e") return Cell{Cell::Kind::Error, v};
  if (type == "d") {
    const std::string day = v.substr(0, 10), clock = v.size() >= 19 ? v.substr(11, 8) : "";
    if (clock.empty() || clock == "00:00:00") return Cell{Cell::Kind::Date, day};
    return Cell{Cell::Kind::DateTime, day + "T" + clock};
  }
  const auto number = plain_decimal(v);
  if (!number)
    return damaged(std::string("la cellule ") + ref + " tient « " + v +
                   " », qui n'est pas un nombre");
  const std::string style = xml::attr(c, "s");
  const std::size_t s = style.empty() ? 0 : static_cast<std::size_t>(std::atoll(style.c_str()));
  const Shown shown = s < book.styles.size() ? book.styles[s] : Shown::Number;
  if (shown == Shown::Date)
    if (auto d = serial_date(*number, book.epoch_1904)) return *d;
  if (shown == Shown::Time)
    if (auto t = serial_time(*number)) return *t;
  // A whole number under a format of zeros is an identifier as the sheet shows it (a postal
  // code, a SIRET): its leading zeros are part of it.
  if (const int width = s < book.padding.size() ? book.padding[s] : 0; width > 0) {
    const std::string plain = round_significant(*number);
    const std::string shown_value = padded_integer(plain, width);
    if (shown_value != plain) return Cell{Cell::Kind::Text, shown_value};
  }
  return Cell{Cell::Kind::Number, round_significant(*number)};
}

// Puts the cells of the <row> element `row` (`row_number`: the last row's number, then this
// one's).
std::optional<Refusal> put_row(const pugi::xml_node& row, const Book& book, SheetBuilder& out,
                               long long& row_number) {
  const std::string r = xml::attr(row, "r");
  if (r.size() > 9 || r.find_first_not_of("0123456789") != std::string::npos)
    return damaged("le numéro de ligne « " + r + " » est faux");
  row_number = r.empty() ? row_number + 1 : std::atoll(r.c_str());
  long long column = -1;
  for (const auto& c : row.children()) {
    if (!xml::is(c, "c")) continue;
    const char* ref = xml::attr(c, "r");
    long long ref_row = row_number;
    if (*ref == '\0') {
      ++column;
    } else if (!cell_ref(ref, column, ref_row) || ref_row != row_number) {
      return damaged(std::string("la référence de cellule « ") + ref + " » est fausse");
    }
    auto value = cell_value(c, book, ref);
    if (!value.ok()) return value.refusal();
    if (auto bad = out.put(row_number, column, std::move(value).value())) return *bad;
  }
  return std::nullopt;
}

}  // namespace

Result<Sheet> read_xlsx(std::string_view bytes, const Limits& limits, const RowFn& each) {
  auto zip = ZipEntries::open(bytes, limits.max_inflated_bytes, kWhat);
  if (!zip.ok()) return zip.refusal();
  Book book;
  if (auto bad = read_book(*zip.value(), book)) return *bad;
  SheetBuilder out = each ? SheetBuilder(limits, kWhat, each) : SheetBuilder(limits, kWhat);
  long long row_number = 0;
  RowScanner rows(
      {"sheetData", "row", {}, kWhat, book.sheet_path, "sa feuille n'a pas de lignes (sheetData)"},
      [&](const pugi::xml_node& run) -> std::optional<Refusal> {
        for (const auto& row : run.children())
          if (xml::is(row, "row"))
            if (auto bad = put_row(row, book, out, row_number)) return bad;
        return std::nullopt;
      });
  auto found = zip.value()->read_in_pieces(
      book.sheet_path, [&](std::string_view piece) { return rows.feed(piece); });
  if (!found.ok()) return found.refusal();
  if (!found.value()) return damaged("il lui manque « " + book.sheet_path + " »");
  if (auto bad = rows.finish()) return *bad;
  if (auto bad = out.flush()) return *bad;
  Sheet read = out.finish(book.sheet_name);
  read.sheets_in_workbook = std::max(book.sheets, 1);
  return read;
}

}  // namespace octroi::workbook
