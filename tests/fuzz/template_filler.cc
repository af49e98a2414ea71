// The template reader and filler (adapters/documents/fodt.h): any bytes as a flat ODT template,
// checked, then filled with a small record (fields, a flag, a list).
#include "adapters/documents/fodt.h"
#include "fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view xml = fuzz_bytes(data, size);
  static_cast<void>(octroi::documents::check_flat_odt(xml, "fuzz"));
  octroi::DocRecord d;
  d.text["numero"] = "EX070162";
  d.text["titre"] = "Chèque numérique\n\x0B suite";
  d.flags["anticipe"] = true;
  octroi::DocRecord line;
  line.text["libelle"] = "Frais de formation";
  d.lists["lignes"] = {line, line};
  auto out = octroi::documents::fill_flat_odt(xml, d, "fuzz");
  if (out.ok()) OCTROI_FUZZ_CHECK(out->find("&#11;") == std::string::npos);
  return 0;
}
