// The reader of imported tables (adapters/opendata/table_reader.h): encodings, separators,
// quotes, line breaks in cells.
#include "adapters/opendata/table_reader.h"
#include "domain/text.h"
#include "fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto t = octroi::opendata::read_table(fuzz_bytes(data, size), "fuzz.csv");
  if (!t.ok()) return 0;
  // What it gives is UTF-8, one line number per row.
  OCTROI_FUZZ_CHECK(t->rows.size() == t->lines.size());
  for (const auto& h : t->header)
    OCTROI_FUZZ_CHECK(octroi::text::is_valid_utf8(h));
  for (const auto& row : t->rows)
    for (const auto& cell : row)
      OCTROI_FUZZ_CHECK(octroi::text::is_valid_utf8(cell));
  return 0;
}
