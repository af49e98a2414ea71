#include "adapters/workbook/workbook.h"

#include "adapters/workbook/readers.h"

namespace octroi::workbook {

Result<Sheet> read_first_sheet(std::string_view bytes, Format format, const Limits& limits) {
  switch (format) {
    case Format::Xlsx:
      return read_xlsx(bytes, limits);
    case Format::Ods:
      return read_ods(bytes, limits);
    case Format::Xls:
      return read_xls(bytes, limits);
  }
  return refuse("workbook.unreadable", "file", "Format de classeur inconnu.");
}

Result<Sheet> for_each_row(std::string_view bytes, Format format, const RowFn& each,
                           const Limits& limits) {
  if (format == Format::Xlsx) return read_xlsx(bytes, limits, each);
  if (format == Format::Ods) return read_ods(bytes, limits, each);
  auto sheet = read_first_sheet(bytes, format, limits);
  if (!sheet.ok()) return sheet.refusal();
  Sheet head = std::move(sheet).value();
  std::vector<Row> rows = std::move(head.rows);
  head.rows.clear();
  for (auto& r : rows)
    if (auto bad = each(std::move(r))) return *bad;
  return head;
}

}  // namespace octroi::workbook
