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

}  // namespace octroi::workbook
