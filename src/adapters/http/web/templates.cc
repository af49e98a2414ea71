// The templates of documents (/modeles): their versions, each downloadable, and (administrators)
// a new version.
#include <map>
#include <string>

#include "adapters/documents/render.h"
#include "adapters/http/web/pages.h"
#include "app/documents.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

// The upload form's fields but the file (`content`, a part of the multipart body).
constexpr FormField<TemplateUpload> kTemplateForm[] = {
    {"name", &TemplateUpload::name},
    {"adopted_by", &TemplateUpload::adopted_by},
    {"applies_from", &TemplateUpload::applies_from},
    {"applies_until", &TemplateUpload::applies_until},
    {"note", &TemplateUpload::note},
};

// The templates of documents: versions, downloads, and (administrators) a new version.
HttpResponse templates(WebContext& w, const Principal& who, const Refusal* refusal = nullptr,
                       const std::map<std::string, std::string>* typed = nullptr,
                       const std::string& flash = "") {
  const auto families =
      run_read(w.store, [&](Transaction& tx) { return list_templates(tx, who.authority); });
  mstch::array rows, names;
  for (const auto& f : families) {
    mstch::array versions;
    for (const auto& v : f.versions)
      versions.push_back(mstch::map{
          {"version", std::to_string(v.version)},
          {"adopted_by", v.adopted_by},
          {"from", fr::date_long(v.applies_from)},
          {"until", v.applies_until ? fr::date_long(*v.applies_until) : std::string("—")},
          {"note", v.note},
          {"uploaded", when(v.uploaded_at)},
          {"sha", v.sha256.substr(0, 16)}});
    const std::string name(template_name(f.kind));
    rows.push_back(
        mstch::map{{"name", name}, {"label", std::string(french(f.kind))}, {"versions", versions}});
    const bool selected = typed && typed->count("name") && typed->at("name") == name;
    names.push_back(
        mstch::map{{"name", name}, {"label", std::string(french(f.kind))}, {"selected", selected}});
  }
  auto typed_value = [&](const char* k) {
    if (!typed) return std::string();
    const auto it = typed->find(k);
    return it == typed->end() ? std::string() : it->second;
  };
  const int status = refusal ? 422 : 200;
  return w.page("templates", "Modèles de documents",
                {{"families", rows},
                 {"names", names},
                 {"csrf", who.csrf_token},
                 {"can_upload", permits(who.role, Action::ManageSchemes)},
                 {"adopted_by", typed_value("adopted_by")},
                 {"applies_from", typed_value("applies_from")},
                 {"applies_until", typed_value("applies_until")},
                 {"note", typed_value("note")}},
                &who, refusal, status, flash);
}

HttpResponse upload_template_form(WebContext& w, const HttpRequest& r, const Principal& who) {
  TemplateUpload u = read_form(r, kTemplateForm);
  const auto file = r.files.find("content");
  if (file != r.files.end()) u.content = file->second;
  const Context ctx = w.context(who);
  documents::FodtEngine engine;
  auto stored = run_write(w.store, [&](Transaction& tx) {
    return upload_template(tx, ctx, engine, w.store.hasher(), u);
  });
  if (!stored.ok()) {
    const auto typed = form_values(r, kTemplateForm);
    return templates(w, who, &stored.refusal(), &typed);
  }
  return redirect("/modeles?depose=" + stored->name);
}

// GET /modeles/{name}/{version}.fodt
HttpResponse template_file(WebContext& w, const std::string& name, const std::string& file,
                           const Principal& who) {
  const std::string digits = file.size() > 5 && file.substr(file.size() - 5) == ".fodt"
                                 ? file.substr(0, file.size() - 5)
                                 : std::string();
  if (digits.empty() || digits.size() > 6 ||
      digits.find_first_not_of("0123456789") != std::string::npos)
    return w.not_found(who, no_such_page());
  documents::FodtEngine engine;
  auto t = run_read(w.store, [&](Transaction& tx) {
    return find_template(tx, who.authority, engine, w.store.hasher(), name, std::stoi(digits));
  });
  if (!t.ok()) return w.not_found(who, t.refusal());
  HttpResponse r;
  r.content_type = "application/vnd.oasis.opendocument.text-flat-xml";
  r.body = std::move(t->content);
  r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + name + "-v" +
                                                  std::to_string(t->version) + ".fodt\""});
  return r;
}

}  // namespace

void add_template_pages(Router& router, WebContext& w) {
  router.add({"GET", "/modeles", Access::needs(Action::Read), "Les modèles de documents"},
             [&w](RouteCall& c) {
               const std::string uploaded = param(c.request, "depose");
               return templates(w, c.caller(), nullptr, nullptr,
                                uploaded.empty()
                                    ? ""
                                    : "Nouvelle version du modèle « " + uploaded + " » déposée.");
             });
  router.add({"POST", "/modeles", Access::needs(Action::ManageSchemes),
              "Déposer une nouvelle version d'un modèle"},
             [&w](RouteCall& c) { return upload_template_form(w, c.request, c.caller()); });
  router.add({"GET", "/modeles/{name}/{file}", Access::needs(Action::Read),
              "Une version d'un modèle ({version}.fodt)"},
             [&w](RouteCall& c) {
               return template_file(w, c.param("name"), c.param("file"), c.caller());
             });
}

}  // namespace octroi::http::pages
