// Identifiers as typed or imported (core/identifiers.h): SIREN, SIRET, RNA, NAF, département,
// INSEE code, postal code, and the classification of a company number.
#include "core/identifiers.h"
#include "fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz_bytes(data, size);
  if (auto s = octroi::ids::siren(text, "siren"); s.ok()) {
    OCTROI_FUZZ_CHECK(s->size() == 9 && octroi::ids::luhn_valid(*s));
    OCTROI_FUZZ_CHECK(octroi::ids::siren(*s, "siren").ok());
  }
  if (auto s = octroi::ids::siret(text, "siret"); s.ok()) {
    OCTROI_FUZZ_CHECK(s->size() == 14);
    OCTROI_FUZZ_CHECK(octroi::ids::siret(*s, "siret").ok());
  }
  static_cast<void>(octroi::ids::rna(text, "rna"));
  static_cast<void>(octroi::ids::naf(text, "naf"));
  static_cast<void>(octroi::ids::departement(text, "departement"));
  static_cast<void>(octroi::ids::insee_commune(text, "insee"));
  static_cast<void>(octroi::ids::postal_code(text, "postal_code"));
  static_cast<void>(octroi::ids::classify_company_number(text, "siret"));
  static_cast<void>(octroi::ids::normalize_number(text));
  return 0;
}
