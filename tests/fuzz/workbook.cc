// The workbook readers (adapters/workbook): any bytes as an .xlsx, an .ods or an .xls (the first
// byte chooses), read within small limits so that each run stays short.
#include "adapters/workbook/workbook.h"
#include "fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  using namespace octroi::workbook;
  const Format format = data[0] % 3 == 0   ? Format::Xlsx
                        : data[0] % 3 == 1 ? Format::Ods
                                           : Format::Xls;
  const std::string bytes(fuzz_bytes(data + 1, size - 1));
  Limits limits;
  limits.max_inflated_bytes = 8u * 1024 * 1024;
  limits.max_cells = 100'000;
  const auto sheet = read_first_sheet(bytes, format, limits);
  if (!sheet.ok()) {
    OCTROI_FUZZ_CHECK(!sheet.refusal().problems.empty());
    return 0;
  }
  int previous = 0;
  for (const auto& row : sheet.value().rows) {
    OCTROI_FUZZ_CHECK(row.number > previous);
    OCTROI_FUZZ_CHECK(!row.cells.empty() && row.cells.back().kind != Cell::Kind::Empty);
    OCTROI_FUZZ_CHECK(row.cells.size() <= limits.max_columns);
    previous = row.number;
    for (const auto& c : row.cells)
      if (c.kind == Cell::Kind::Number) OCTROI_FUZZ_CHECK(plain_decimal(c.value) == c.value);
  }
  return 0;
}
