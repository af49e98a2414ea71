// The files of dossiers in the two APIs (app/files.h): the agents read them
// (/api/v1/applications/{number}/files…), the applicants attach, read and withdraw the files of
// their own dossiers (/api/v1/portal/applications/{number}/files…; multipart/form-data with the
// parts `file` and `piece`). Another's dossier, or a file of another dossier, answers 404.
#include <string>

#include "adapters/http/api/routes.h"
#include "adapters/http/file_tools.h"
#include "app/files.h"
#include "app/portal.h"
#include "app/ports/applications.h"

namespace octroi::http::api {
namespace {

// A file number of a path ("file.not_found" for one that is not a number).
Result<std::int64_t> file_number(const std::string& typed) {
  if (typed.empty() || typed.size() > 18 ||
      typed.find_first_not_of("0123456789") != std::string::npos)
    return refuse("file.not_found", "id", "Ce dossier n'a pas de fichier n° « " + typed + " ».");
  return std::stoll(typed);
}

HttpResponse download(Result<FileContent> f) {
  if (!f.ok()) return path_problem(f.refusal(), f.refusal().first().code);
  return file_download(f->file, std::move(f->bytes));
}

void add_agent_file_routes(ApiContext& api) {
  api.add("GET", "/api/v1/applications/{number}/files", Access::needs(Action::Read),
          "Les fichiers qu'ont joints les demandeurs d'un dossier", [&api](RouteCall& c) {
            auto files = api.read([&](Transaction& tx) -> Result<std::vector<FileRecord>> {
              const auto app =
                  tx.applications().find_application(c.caller().authority, c.param("number"));
              if (!app)
                return refuse("application.unknown", "number",
                              "Aucun dossier n° « " + c.param("number") + " ».");
              return dossier_files(tx, c.caller().authority, app->id);
            });
            if (!files.ok()) return path_problem(files.refusal(), "application.unknown");
            return ok_json(dump(files_json(files.value())));
          });
  api.add("GET", "/api/v1/applications/{number}/files/{id}", Access::needs(Action::Read),
          "Télécharger un fichier d'un dossier", [&api](RouteCall& c) {
            return download(api.read([&](Transaction& tx) -> Result<FileContent> {
              const auto id = file_number(c.param("id"));
              if (!id.ok()) return id.refusal();
              const auto app =
                  tx.applications().find_application(c.caller().authority, c.param("number"));
              if (!app)
                return refuse("application.unknown", "number",
                              "Aucun dossier n° « " + c.param("number") + " ».");
              return dossier_file(tx, c.caller().authority, app->id, *id);
            }));
          });
}

void add_applicant_file_routes(ApiContext& api) {
  api.add("POST", "/api/v1/portal/applications/{number}/files", Access::needs(Action::Apply),
          "Portail : joindre un fichier (multipart : file, piece) à un de mes dossiers",
          [&api](RouteCall& c) {
            const ApplicantContext ac = applicant_context(c.caller(), api.clock);
            auto f = portal_attach_file(api.store, ac, c.param("number"),
                                        upload_of(c.request, "file", "piece"), api.files);
            if (!f.ok()) return path_problem(f.refusal(), "portal.not_found");
            return ok_json(dump(files_json({f.value()})[0]), 201);
          });
  api.add("GET", "/api/v1/portal/applications/{number}/files/{id}", Access::needs(Action::Apply),
          "Portail : télécharger un fichier d'un de mes dossiers", [&api](RouteCall& c) {
            const ApplicantContext ac = applicant_context(c.caller(), api.clock);
            return download(api.read([&](Transaction& tx) -> Result<FileContent> {
              const auto id = file_number(c.param("id"));
              if (!id.ok()) return id.refusal();
              auto app = applicant_dossier(tx, ac, c.param("number"));
              if (!app.ok()) return app.refusal();
              return dossier_file(tx, ac.authority, app->id, *id);
            }));
          });
  api.add("DELETE", "/api/v1/portal/applications/{number}/files/{id}", Access::needs(Action::Apply),
          "Portail : retirer un fichier d'un de mes dossiers (brouillon ou à compléter)",
          [&api](RouteCall& c) {
            const ApplicantContext ac = applicant_context(c.caller(), api.clock);
            const auto id = file_number(c.param("id"));
            if (!id.ok()) return path_problem(id.refusal(), "file.not_found");
            auto f = run_write(api.store, [&](Transaction& tx) {
              return portal_remove_file(tx, ac, c.param("number"), *id);
            });
            if (!f.ok()) {
              const auto& code = f.refusal().first().code;
              return path_problem(
                  f.refusal(), code == "file.not_found" ? code : std::string("portal.not_found"));
            }
            return ok_json(dump(files_json({f.value()})[0]));
          });
}

}  // namespace

void add_file_routes(ApiContext& api) {
  add_agent_file_routes(api);
  add_applicant_file_routes(api);
}

}  // namespace octroi::http::api
