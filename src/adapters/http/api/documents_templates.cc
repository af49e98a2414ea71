// Generated documents (.odt, each generation audited) and their templates' versions (issue 7).
#include "adapters/documents/render.h"
#include "adapters/http/api/routes.h"
#include "app/document_batch.h"

namespace octroi::http::api {
namespace {

const BodySpec kTemplateSpec{{"name", Field::Text},          {"content", Field::Text},
                             {"adopted_by", Field::Text},    {"applies_from", Field::Text},
                             {"applies_until", Field::Text}, {"note", Field::Text}};

ordered_json template_json(const TemplateRecord& v) {
  return ordered_json{
      {"name", v.name},
      {"version", v.version},
      {"adopted_by", v.adopted_by},
      {"applies_from", v.applies_from.iso()},
      {"applies_until", v.applies_until ? json(v.applies_until->iso()) : json(nullptr)},
      {"note", v.note},
      {"sha256", v.sha256},
      {"uploaded_by", v.uploaded_by},
      {"uploaded_at", v.uploaded_at.iso()}};
}

// One generated document as .odt, its generation audited (the batch use case, for one).
HttpResponse document(ApiContext& api, RouteCall& c, const DocumentRequest& request) {
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    documents::FodtEngine engine;
    auto made = generate_documents(tx, ctx, engine, api.store.hasher(), {request});
    if (!made.ok()) return problem_response(made.refusal());
    auto* g = &made->front();
    HttpResponse r;
    r.content_type = "application/vnd.oasis.opendocument.text";
    r.body = std::move(g->odt);
    r.headers.push_back(
        {"Content-Disposition", "attachment; filename=\"" + g->request.file + ".odt\""});
    r.headers.push_back(
        {"X-Octroi-Template", g->used.name + " v" + std::to_string(g->used.version)});
    r.headers.push_back({"X-Octroi-Document-Sha256", g->document_sha256});
    return r;
  });
}

HttpResponse every_template(ApiContext& api, RouteCall& c) {
  const auto families =
      api.read([&](Transaction& tx) { return list_templates(tx, c.caller().authority); });
  ordered_json items = ordered_json::array();
  for (const auto& f : families) {
    ordered_json versions = ordered_json::array();
    for (const auto& v : f.versions)
      versions.push_back(template_json(v));
    items.push_back({{"name", std::string(template_name(f.kind))},
                     {"label", std::string(french(f.kind))},
                     {"versions", versions}});
  }
  return ok_json(dump(ordered_json{{"items", items}}));
}

HttpResponse upload(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kTemplateSpec);
  if (!body.ok()) return problem_response(body.refusal());
  TemplateUpload in;
  in.name = body->text("name");
  in.content = body->text("content");
  in.adopted_by = body->text("adopted_by");
  in.applies_from = body->text("applies_from");
  in.applies_until = body->text("applies_until");
  in.note = body->text("note");
  return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    documents::FodtEngine engine;
    auto stored = upload_template(tx, ctx, engine, api.store.hasher(), in);
    if (!stored.ok()) return problem_response(stored.refusal());
    return ok_json(dump(template_json(stored.value())), 201);
  });
}

HttpResponse dossier_document(ApiContext& api, RouteCall& c) {
  const std::string& kind = c.param("kind");
  const std::optional<DocumentKind> k =
      kind == "project-sheet"  ? std::optional(DocumentKind::ProjectSheet)
      : kind == "agreement"    ? std::optional(DocumentKind::Agreement)
      : kind == "notification" ? std::optional(DocumentKind::Notification)
                               : std::nullopt;
  if (!k)
    return problem_response(
        refuse("request.not_found", "kind",
               "Document inconnu « " + kind + " » : project-sheet, agreement ou notification."));
  return document(api, c, {*k, "", c.param("number"), ""});
}

std::string report_documents_json(const std::vector<DocumentRequest>& v) {
  ordered_json items = ordered_json::array();
  for (const auto& d : v)
    items.push_back({{"file", d.file},
                     {"kind", std::string(template_name(d.kind))},
                     {"label", std::string(french(d.kind))},
                     {"application", d.number}});
  return dump(ordered_json{{"items", items}});
}

HttpResponse report_document(ApiContext& api, RouteCall& c) {
  auto wanted = api.read([&](Transaction& tx) {
    return report_documents(tx, c.caller().authority, c.param("number"));
  });
  if (!wanted.ok()) return problem_response(wanted.refusal());
  for (const auto& d : wanted.value())
    if (d.file == c.param("file")) return document(api, c, d);
  return problem_response(refuse("request.not_found", "file",
                                 "Le rapport n'a pas de document « " + c.param("file") + " »."));
}

}  // namespace

void add_document_and_template_routes(ApiContext& api) {
  using enum Action;
  api.add("GET", "/api/v1/templates", Access::needs(Read),
          "Modèles de documents : pour chacun, ses versions (acte d'adoption, dates, SHA-256)",
          [&api](RouteCall& c) { return every_template(api, c); });
  api.add(
      "POST", "/api/v1/templates", Access::needs(ManageSchemes),
      "Déposer une nouvelle version d'un modèle (.fodt), essayée sur les données avant d'être "
      "enregistrée",
      [&api](RouteCall& c) { return upload(api, c); }, true);
  api.add("GET", "/api/v1/applications/{number}/documents/{kind}", Access::needs(Read),
          "Un document du dossier en .odt (kind : project-sheet, agreement, notification), "
          "inscrit au journal d'audit",
          [&api](RouteCall& c) { return dossier_document(api, c); });
  api.add("GET", "/api/v1/reports/{number}/documents", Access::needs(Read),
          "Les documents d'un rapport, dans l'ordre du dossier de séance (fichier, nature, "
          "dossier)",
          [&api](RouteCall& c) {
            return api.reply(api.read([&](Transaction& tx) {
              return report_documents(tx, c.caller().authority, c.param("number"));
            }),
                             report_documents_json);
          });
  api.add("GET", "/api/v1/reports/{number}/documents/{file}", Access::needs(Read),
          "Un document d'un rapport en .odt (rapport, deliberation, annexe-1-EX…), inscrit au "
          "journal d'audit",
          [&api](RouteCall& c) { return report_document(api, c); });
}

}  // namespace octroi::http::api
