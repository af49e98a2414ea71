// Jobs (app/jobs.h): document batches that need LibreOffice, exports and imports, asked for by
// a POST that answers 202 with the job's URL at once; the job is then read until it is done, and
// its file fetched.
#include "app/jobs.h"
#include "adapters/http/api/routes.h"
#include "app/open_data.h"

namespace octroi::http::api {
namespace {

// Documents (report or application, document, files, format) or an export (export, and for
// "scdl" threshold, from, until).
const BodySpec kJobSpec{
    {"report", Field::Text},    {"application", Field::Text}, {"document", Field::Text},
    {"files", Field::Texts},    {"format", Field::Text},      {"export", Field::Text},
    {"threshold", Field::Text}, {"from", Field::Text},        {"until", Field::Text}};

ordered_json job_json(const JobRecord& j) {
  const std::string url = "/api/v1/jobs/" + std::to_string(j.id);
  return ordered_json{
      {"id", j.id},
      {"url", url},
      {"title", j.title},
      {"state", std::string(job_state_name(j.state))},
      {"steps_done", j.steps_done},
      {"steps_total", j.steps_total},
      {"stage", j.stage},
      {"failure", j.state == JobState::Failed ? json(j.failure) : json(nullptr)},
      {"file", j.state == JobState::Done
                   ? json(ordered_json{
                         {"name", j.result_name}, {"type", j.result_type}, {"url", url + "/file"}})
                   : json(nullptr)},
      {"created_at", j.created_at.iso()},
      {"finished_at", j.finished_at ? json(j.finished_at->iso()) : json(nullptr)}};
}

// 202 with the job and its URL in Location, or the refusal.
HttpResponse accepted(const Result<JobRecord>& job) {
  if (!job.ok()) return problem_response(job.refusal());
  HttpResponse r = ok_json(dump(job_json(job.value())), 202);
  r.headers.push_back({"Location", "/api/v1/jobs/" + std::to_string(job->id)});
  return r;
}

std::optional<DocumentFormat> format_of(const std::string& s) {
  if (s == "odt") return DocumentFormat::Odt;
  if (s == "pdf") return DocumentFormat::Pdf;
  if (s == "zip") return DocumentFormat::Zip;
  return std::nullopt;
}

std::optional<DocumentKind> dossier_kind(const std::string& s) {
  if (s == "project-sheet") return DocumentKind::ProjectSheet;
  if (s == "agreement") return DocumentKind::Agreement;
  if (s == "notification") return DocumentKind::Notification;
  return std::nullopt;
}

// The batch a body asks for: a report's documents (all, or those named in "files"), or one
// document of a dossier; refused naming the field.
Result<std::vector<DocumentRequest>> wanted_of(Transaction& tx, const Context& ctx,
                                               const Body& body, std::string& title) {
  const std::string report = body.text("report"), application = body.text("application");
  if (report.empty() == application.empty())
    return refuse("request.type", "report",
                  "Donnez soit « report » (les documents d'un rapport), soit « application » "
                  "(un document d'un dossier).");
  if (!report.empty()) {
    title = "Documents du rapport " + report;
    return choose_report_documents(tx, ctx.authority, report, body.texts("files"));
  }
  const auto kind = dossier_kind(body.text("document"));
  if (!kind)
    return refuse("request.type", "document",
                  "Document d'un dossier inconnu « " + body.text("document") +
                      " » : project-sheet, agreement ou notification.");
  const DocumentRequest r{*kind, "", application, ""};
  if (auto c = check_document_request(tx, ctx, r); !c.ok()) return c.refusal();
  title = std::string(french(*kind)) + " du dossier " + application;
  return std::vector<DocumentRequest>{r};
}

// An export: "scdl" (options threshold, from, until, as GET /api/v1/open-data/scdl takes them),
// or a list as a workbook ("dossiers", "budget", "conventions"). Checked at once (the options,
// the SIRET), made by a worker.
HttpResponse submit_export(ApiContext& api, RouteCall& c, const Body& body) {
  const std::string what = body.text("export");
  ExportRequest request{{"what", what}};
  std::string title;
  if (what == "scdl") {
    auto options = scdl_options({body.text("threshold"), body.text("from"), body.text("until"),
                                 "threshold", "from", "until"});
    if (!options.ok()) return problem_response(options.refusal());
    request["seuil"] = body.text("threshold");
    request["du"] = body.text("from");
    request["au"] = body.text("until");
    title = "Publication SCDL des aides attribuées (.csv)";
  } else if (what == "dossiers" || what == "budget" || what == "conventions") {
    title = "Export « " + what + " » (.xlsx)";
  } else {
    return problem_response(
        refuse("request.type", "export",
               "Export inconnu « " + what + " » : scdl, dossiers, budget ou conventions."));
  }
  HttpResponse out = api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    if (what == "scdl")
      if (auto p = scdl_publishable(tx, ctx.authority); !p.ok())
        return problem_response(p.refusal());
    return accepted(submit_export_job(tx, ctx, request, title));
  });
  if (out.status == 202) api.jobs.wake();
  return out;
}

HttpResponse submit(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kJobSpec);
  if (!body.ok()) return problem_response(body.refusal());
  if (body->has("export")) return submit_export(api, c, body.value());
  const auto format = format_of(body->text("format"));
  if (!format)
    return problem_response(
        refuse("request.type", "format",
               "Format inconnu « " + body->text("format") + " » : odt, pdf ou zip."));
  HttpResponse out = api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    std::string title;
    auto wanted = wanted_of(tx, ctx, body.value(), title);
    if (!wanted.ok()) return problem_response(wanted.refusal());
    std::string zip_name = title;
    for (auto& ch : zip_name)
      if (ch == ' ') ch = '-';
    title += " (." + body->text("format") + ")";
    return accepted(submit_document_job(tx, ctx, wanted.value(), *format, zip_name, title));
  });
  if (out.status == 202) api.jobs.wake();
  return out;
}

// An import: the request's body is the file, named by ?file= (its type by its extension);
// ?dry_run=true reads and reports without keeping anything.
HttpResponse submit_import(ApiContext& api, RouteCall& c) {
  const std::string dry = query_text(c.request, "dry_run");
  if (!dry.empty() && dry != "true" && dry != "false")
    return problem_response(
        refuse("request.type", "dry_run", "« dry_run » vaut true ou false, pas « " + dry + " »."));
  const ImportJobRequest request{query_text(c.request, "file"), c.request.body, dry == "true"};
  HttpResponse out = api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    return accepted(submit_import_job(tx, ctx, request));
  });
  if (out.status == 202) api.jobs.wake();
  return out;
}

HttpResponse file(ApiContext& api, RouteCall& c) {
  const Context ctx = api.context(c);
  auto f = api.read([&](Transaction& tx) { return job_file(tx, ctx, c.param("id")); });
  if (!f.ok()) return problem_response(f.refusal());
  HttpResponse r;
  r.content_type = f->type;
  r.body = std::move(f->bytes);
  r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + f->name + "\""});
  return r;
}

}  // namespace

void add_job_routes(ApiContext& api) {
  using enum Action;
  api.add(
      "POST", "/api/v1/jobs", Access::needs(Read),
      "Demander un travail d'arrière-plan : des documents (PDF, dossier de séance .zip) ou un "
      "export (publication SCDL, listes .xlsx) ; répond 202 avec l'adresse du travail",
      [&api](RouteCall& c) { return submit(api, c); }, true);
  api.add(
      "POST", "/api/v1/imports", Access::needs(ManageParties),
      "Importer un fichier de subventions (le corps de la requête ; file : son nom, .csv, .tsv, "
      ".txt, .xlsx, .xls ou .ods ; dry_run=true : essai, rien n'est gardé) : répond 202 avec "
      "l'adresse du travail, dont le fichier est le rapport ligne par ligne (CSV)",
      [&api](RouteCall& c) { return submit_import(api, c); }, true);
  api.add("GET", "/api/v1/jobs", Access::needs(Read), "Mes travaux, du plus récent au plus ancien",
          [&api](RouteCall& c) {
            const Context ctx = api.context(c);
            const auto jobs = api.read([&](Transaction& tx) { return my_jobs(tx, ctx); });
            ordered_json items = ordered_json::array();
            for (const auto& j : jobs)
              items.push_back(job_json(j));
            return ok_json(dump(ordered_json{{"items", items}}));
          });
  api.add("GET", "/api/v1/jobs/{id}", Access::needs(Read),
          "Un travail : état, avancement, fichier quand il est terminé", [&api](RouteCall& c) {
            const Context ctx = api.context(c);
            return api.reply_found(
                api.read([&](Transaction& tx) { return job_of(tx, ctx, c.param("id")); }),
                "job.unknown", [](const JobRecord& j) { return dump(job_json(j)); });
          });
  api.add("GET", "/api/v1/jobs/{id}/file", Access::needs(Read), "Le fichier d'un travail terminé",
          [&api](RouteCall& c) { return file(api, c); });
}

}  // namespace octroi::http::api
