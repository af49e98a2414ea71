// The default document templates (templates/documents/*.fodt, embedded in the binary) and the
// one call that turns a template and its data into an .odt.
#pragma once

#include <map>
#include <string>

#include "app/document_data.h"
#include "core/result.h"

namespace octroi::documents {

// By name: "fiche_projet" (the project sheet of annex 1), …
const std::map<std::string, std::string>& default_templates();

// Fills the default template `name` and packages it: the .odt bytes. Refuses an unknown template
// ("document.unknown_template") and whatever fill_flat_odt refuses.
Result<std::string> render_odt(const std::string& name, const DocRecord& data);

}  // namespace octroi::documents
