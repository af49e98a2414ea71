#include "adapters/opendata/import_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include "adapters/opendata/table_reader.h"
#include "adapters/workbook/workbook.h"
#include "app/import_columns.h"
#include "domain/text.h"

namespace octroi::opendata {
namespace {

// A workbook's first sheet as the importer reads it: the header (the first row that is not
// empty, or the row below a title that names the columns: find_header_row), each later row a
// line with the number the spreadsheet shows; every cell its value in canonical form
// (workbook::Cell), so that an amount, a date or an identifier is read as stored, never as
// displayed. Cells right of the header are columns too (without a name): kept, never dropped.
struct CheckedSheet {
  ImportTable head;    // without rows
  int header_row = 0;  // the header's number in the sheet
};

Result<std::vector<std::string>> values_of(workbook::Row&& row, const std::string& source) {
  std::vector<std::string> cells;
  cells.reserve(row.cells.size());
  for (std::size_t i = 0; i < row.cells.size(); ++i) {
    // A workbook whose part declares an encoding the XML reader does not convert.
    if (!text::is_valid_utf8(row.cells[i].value))
      return refuse("workbook.unreadable", "file",
                    "« " + source + " », ligne " + std::to_string(row.number) + ", colonne " +
                        std::to_string(i + 1) + " : un texte qui n'est pas de l'UTF-8.");
    cells.push_back(std::move(row.cells[i].value));
  }
  return cells;
}

// The first reading: every cell checked, the header found, the widest row measured, the rows
// counted; none kept (an .xlsx sheet is never held whole).
Result<CheckedSheet> check_sheet(std::string_view bytes, workbook::Format format,
                                 const std::string& source) {
  CheckedSheet c;
  std::vector<std::vector<std::string>> first;
  std::vector<int> numbers;
  bool settled = false;
  std::size_t widest = 0, rows = 0;
  const auto settle = [&] {
    const std::size_t h = find_header_row(first);
    c.head.header = first[h];
    c.head.header_line = c.header_row = numbers[h];
    for (std::size_t k = h + 1; k < first.size(); ++k, ++rows)
      widest = std::max(widest, first[k].size());
    first.clear();
    settled = true;
  };
  auto sheet =
      workbook::for_each_row(bytes, format, [&](workbook::Row&& row) -> std::optional<Refusal> {
        const int number = row.number;
        auto cells = values_of(std::move(row), source);
        if (!cells.ok()) return cells.refusal();
        if (settled) {
          widest = std::max(widest, cells->size());
          ++rows;
          return std::nullopt;
        }
        first.push_back(std::move(cells).value());
        numbers.push_back(number);
        if (first.size() == kHeaderSearchRows) settle();
        return std::nullopt;
      });
  if (!sheet.ok()) return sheet.refusal();
  if (!settled && !first.empty()) settle();
  c.head.source = source;
  c.head.encoding =
      "classeur " + std::string(workbook::extension(format)) + ", feuille « " + sheet->name + " »";
  // The other sheets are not read: said where the report names the file.
  if (sheet->sheets_in_workbook > 1)
    c.head.encoding += " (1re de " + std::to_string(sheet->sheets_in_workbook) +
                       " feuilles ; les autres ne sont pas lues)";
  c.head.delimiter = '\0';
  if (c.head.header.size() < widest) c.head.header.resize(widest);
  c.head.row_count = rows;
  return c;
}

// The second reading: each row after the header, as wide as the header, with its number. The
// workbook must read as it did the first time, else the import stops.
void each_sheet_row(std::string_view bytes, workbook::Format format, const CheckedSheet& c,
                    const ImportTable::RowFn& f) {
  const std::size_t width = c.head.header.size();
  auto read =
      workbook::for_each_row(bytes, format, [&](workbook::Row&& row) -> std::optional<Refusal> {
        if (row.number <= c.header_row) return std::nullopt;
        const int number = row.number;
        auto cells = values_of(std::move(row), c.head.source);
        if (!cells.ok()) return cells.refusal();
        if (cells->size() < width) cells->resize(width);
        f(cells.value(), number);
        return std::nullopt;
      });
  if (!read.ok())
    throw ImportInterrupted("le classeur « " + c.head.source +
                            " » ne s'est pas relu comme à sa première lecture.");
}

}  // namespace

Result<ImportTable> read_import_file(const std::string& bytes, const std::string& name) {
  const std::string base = std::filesystem::path(name).filename().string();
  const auto format = workbook::format_of_name(base);
  if (!format) return read_table(bytes, base);
  auto checked = check_sheet(bytes, *format, base);
  if (!checked.ok()) return checked.refusal();
  ImportTable t = checked->head;
  t.rows.reserve(t.row_count);
  each_sheet_row(bytes, *format, checked.value(), [&](const std::vector<std::string>& row, int n) {
    t.rows.push_back(row);
    t.lines.push_back(n);
  });
  return t;
}

Result<ImportTable> open_import_file(const std::string& path, const std::string& name) {
  const std::string base = std::filesystem::path(name).filename().string();
  const auto format = workbook::format_of_name(base);
  if (!format) return open_table(path, base);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImportInterrupted("le fichier « " + base + " » ne peut pas être ouvert.");
  // The workbook's bytes (compressed, for .xlsx and .ods) are held; its sheet is read twice.
  auto bytes = std::make_shared<const std::string>(std::istreambuf_iterator<char>(in),
                                                   std::istreambuf_iterator<char>());
  auto checked = check_sheet(*bytes, *format, base);
  if (!checked.ok()) return checked.refusal();
  ImportTable t = checked->head;
  auto c = std::make_shared<const CheckedSheet>(std::move(checked).value());
  const workbook::Format f = *format;
  t.stream_rows = [bytes, c, f](const ImportTable::RowFn& each) {
    each_sheet_row(*bytes, f, *c, each);
  };
  return t;
}

}  // namespace octroi::opendata
