#include "adapters/opendata/import_file.h"

#include <filesystem>

#include "adapters/opendata/table_reader.h"
#include "adapters/workbook/workbook.h"

namespace octroi::opendata {
namespace {

// The sheet as the importer reads it: the header (the first row that is not empty, or the row
// below a title that names the columns: settle_header), each later row a line with the number
// the spreadsheet shows; every cell its value in canonical form
// (workbook::Cell), so that an amount, a date or an identifier is read as stored, never as
// displayed.
ImportTable table_of(const workbook::Sheet& sheet, const std::string& source,
                     workbook::Format format) {
  ImportTable t;
  t.source = source;
  t.encoding =
      "classeur " + std::string(workbook::extension(format)) + ", feuille « " + sheet.name + " »";
  t.delimiter = '\0';
  bool header = true;
  for (const auto& row : sheet.rows) {
    std::vector<std::string> cells;
    cells.reserve(row.cells.size());
    for (const auto& c : row.cells)
      cells.push_back(c.value);
    if (header) {
      t.header = std::move(cells);
      t.header_line = row.number;
      header = false;
      continue;
    }
    t.rows.push_back(std::move(cells));
    t.lines.push_back(row.number);
  }
  settle_header(t);  // below a title, when the sheet has one
  for (auto& cells : t.rows)
    if (cells.size() < t.header.size()) cells.resize(t.header.size());
  return t;
}

}  // namespace

Result<ImportTable> read_import_file(const std::string& bytes, const std::string& name) {
  const std::string base = std::filesystem::path(name).filename().string();
  const auto format = workbook::format_of_name(base);
  if (!format) return read_table(bytes, base);
  auto sheet = workbook::read_first_sheet(bytes, *format);
  if (!sheet.ok()) return sheet.refusal();
  return table_of(sheet.value(), base, *format);
}

}  // namespace octroi::opendata
