// Budget imputations and action codes (domain/budget/imputation.h), in both nomenclatures.
#include "domain/budget/imputation.h"
#include "fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz_bytes(data, size);
  for (auto n : {octroi::Nomenclature::M57, octroi::Nomenclature::M71}) {
    auto im = octroi::Imputation::parse(text, "imputation", n);
    if (!im.ok()) continue;
    // Its printed form reads back as itself.
    auto again = octroi::Imputation::parse(im->str(), "imputation", n);
    OCTROI_FUZZ_CHECK(again.ok() && again->str() == im->str());
  }
  static_cast<void>(octroi::parse_action_code(text, "163003", "action"));
  static_cast<void>(octroi::parse_action_code(text, "", "action"));
  return 0;
}
