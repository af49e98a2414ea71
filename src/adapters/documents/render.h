// The default document templates (templates/documents/*.fodt, embedded in the binary) and the
// DocumentEngine the use cases fill templates with (app/documents.h): pugixml fills, libzip
// packages.
#pragma once

#include <map>
#include <string>

#include "app/documents.h"
#include "core/result.h"

namespace octroi::documents {

// By name: "fiche_projet" (the project sheet of annex 1), "deliberation", "rapport",
// "convention", "avenant_transfert", "notification".
const std::map<std::string, std::string>& default_templates();

// Fills the default template `name` and packages it: the .odt bytes. Refuses an unknown template
// ("document.unknown_template") and whatever fill_flat_odt refuses. For tests and benchmarks: the
// use cases go through generate_document, which chooses the authority's template version.
Result<std::string> render_odt(const std::string& name, const DocRecord& data);

class FodtEngine final : public DocumentEngine {
 public:
  std::optional<std::string> builtin_template(std::string_view name) override;
  Status check_template(const std::string& fodt, const std::string& label) override;
  Result<std::string> render_odt(const std::string& fodt, const DocRecord& data,
                                 const std::string& label) override;
};

}  // namespace octroi::documents
