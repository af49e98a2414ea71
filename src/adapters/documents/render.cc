#include "adapters/documents/render.h"

#include "adapters/documents/fodt.h"
#include "adapters/documents/odt_package.h"

namespace octroi::documents {

const std::map<std::string, std::string>& document_templates();  // generated (embed_files.cmake)

const std::map<std::string, std::string>& default_templates() {
  return document_templates();
}

Result<std::string> render_odt(const std::string& name, const DocRecord& data) {
  const auto& all = default_templates();
  const auto it = all.find(name);
  if (it == all.end())
    return refuse("document.unknown_template", "template", "Modèle inconnu « " + name + " ».");
  FodtEngine engine;
  return engine.render_odt(it->second, data, name);
}

std::optional<std::string> FodtEngine::builtin_template(std::string_view name) {
  const auto& all = default_templates();
  const auto it = all.find(std::string(name));
  if (it == all.end()) return std::nullopt;
  return it->second;
}

Status FodtEngine::check_template(const std::string& fodt, const std::string& label) {
  return check_flat_odt(fodt, label);
}

Result<std::string> FodtEngine::render_odt(const std::string& fodt, const DocRecord& data,
                                           const std::string& label) {
  auto filled = fill_flat_odt(fodt, data, label);
  if (!filled.ok()) return filled.refusal();
  return package_odt(filled.value());
}

}  // namespace octroi::documents
