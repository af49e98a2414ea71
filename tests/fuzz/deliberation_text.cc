// The deliberation's text as pdftotext gives it (app/deliberation_import.h): its annex sheets.
#include "app/deliberation_import.h"
#include "fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz_bytes(data, size));
  const auto sheets = octroi::parse_project_sheets(text);
  if (!sheets.ok()) {
    OCTROI_FUZZ_CHECK(!sheets.refusal().problems.empty());
    return 0;
  }
  for (const auto& s : sheets.value())
    OCTROI_FUZZ_CHECK(s.line >= 1 && s.title.size() < octroi::kMaxSheetTitleBytes + 8);
  return 0;
}
