#include "adapters/opendata/import_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "adapters/opendata/table_reader.h"
#include "adapters/workbook/workbook.h"
#include "domain/text.h"

namespace octroi::opendata {
namespace {

// The sheet as the importer reads it: the header (the first row that is not empty, or the row
// below a title that names the columns: settle_header), each later row a line with the number
// the spreadsheet shows; every cell its value in canonical form
// (workbook::Cell), so that an amount, a date or an identifier is read as stored, never as
// displayed.
Result<ImportTable> table_of(workbook::Sheet&& sheet, const std::string& source,
                             workbook::Format format) {
  ImportTable t;
  t.source = source;
  t.encoding =
      "classeur " + std::string(workbook::extension(format)) + ", feuille « " + sheet.name + " »";
  // The other sheets are not read: said where the report names the file.
  if (sheet.sheets_in_workbook > 1)
    t.encoding += " (1re de " + std::to_string(sheet.sheets_in_workbook) +
                  " feuilles ; les autres ne sont pas lues)";
  t.delimiter = '\0';
  bool header = true;
  std::size_t widest = 0;
  for (auto& row : sheet.rows) {
    std::vector<std::string> cells;
    cells.reserve(row.cells.size());
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
      // A workbook whose part declares an encoding the XML reader does not convert.
      if (!text::is_valid_utf8(row.cells[i].value))
        return refuse("workbook.unreadable", "file",
                      "« " + source + " », ligne " + std::to_string(row.number) + ", colonne " +
                          std::to_string(i + 1) + " : un texte qui n'est pas de l'UTF-8.");
      cells.push_back(std::move(row.cells[i].value));  // moved: the sheet is not held twice
    }
    std::vector<workbook::Cell>().swap(row.cells);
    if (header) {
      t.header = std::move(cells);
      t.header_line = row.number;
      header = false;
      continue;
    }
    widest = std::max(widest, cells.size());
    t.rows.push_back(std::move(cells));
    t.lines.push_back(row.number);
  }
  settle_header(t);  // below a title, when the sheet has one
  // Cells right of the header are columns too (without a name): kept, never dropped.
  for (const auto& cells : t.rows)
    widest = std::max(widest, cells.size());
  if (t.header.size() < widest) t.header.resize(widest);
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
  return table_of(std::move(sheet).value(), base, *format);
}

Result<ImportTable> open_import_file(const std::string& path, const std::string& name) {
  const std::string base = std::filesystem::path(name).filename().string();
  if (!workbook::format_of_name(base)) return open_table(path, base);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImportInterrupted("le fichier « " + base + " » ne peut pas être ouvert.");
  return read_import_file(std::string((std::istreambuf_iterator<char>(in)), {}), base);
}

}  // namespace octroi::opendata
