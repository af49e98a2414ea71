// Official documents as files: a dossier's project sheet, agreement and notification (.odt or
// .pdf), a report's documents one by one or all in a .zip.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/documents/render.h"
#include "adapters/http/web/pages.h"
#include "app/document_batch.h"
#include "app/jobs.h"

namespace octroi::http::pages {
namespace {

// Documents, by the batch use case (app/document_batch.h). An .odt is generated in one write
// transaction (recorded in the audit trail with its template version and hashes) and answered
// at once. A .pdf or the session's .zip needs LibreOffice (seconds): it becomes a job
// (app/jobs.h), and the answer is a redirection to the job's page, which shows its progress and
// offers the file when done (web/jobs.cc).
HttpResponse documents(WebContext& w, const std::vector<DocumentRequest>& wanted,
                       DocumentFormat format, const std::string& zip_name, const Principal& who,
                       const std::string& title) {
  const Context ctx = w.context(who);
  if (format != DocumentFormat::Odt) {
    // The documents must exist before a job is promised: refused now, not in the job.
    auto checked = run_read(w.store, [&](Transaction& tx) {
      for (const auto& d : wanted)
        if (auto c = check_document_request(tx, ctx, d); !c.ok()) return c;
      return done();
    });
    if (!checked.ok()) {
      const auto& code = checked.refusal().first().code;
      if (code == "application.unknown" || code == "report.unknown")
        return w.not_found(who, checked.refusal());
      return w.page("error", "Document", {{"heading", std::string("Document")}}, &who,
                    &checked.refusal(), 422);
    }
    auto job = run_write(w.store, [&](Transaction& tx) {
      return submit_document_job(tx, ctx, wanted, format, zip_name, title);
    });
    if (!job.ok())
      return w.page("error", "Document", {{"heading", std::string("Document")}}, &who,
                    &job.refusal(), 422);
    w.jobs.wake();
    return redirect("/travaux/" + std::to_string(job->id));
  }
  documents::FodtEngine engine;
  auto made = run_write(w.store, [&](Transaction& tx) {
    return generate_documents(tx, ctx, engine, w.store.hasher(), wanted);
  });
  if (!made.ok()) {
    const auto& code = made.refusal().first().code;
    if (code == "application.unknown" || code == "report.unknown")
      return w.not_found(who, made.refusal());
    return w.page("error", "Document", {{"heading", std::string("Document")}}, &who,
                  &made.refusal(), 422);
  }
  HttpResponse r;
  r.content_type = "application/vnd.oasis.opendocument.text";
  r.body = std::move(made->front().odt);
  r.headers.push_back(
      {"Content-Disposition", "attachment; filename=\"" + made->front().request.file + ".odt\""});
  return r;
}

// GET /dossiers/{n}/{fiche|convention|notification}.{odt|pdf} (one route each)
HttpResponse dossier_document(WebContext& w, const std::string& number, const std::string& file,
                              const Principal& who) {
  const auto dot = file.rfind('.');
  const std::string stem = file.substr(0, dot), ext = file.substr(dot + 1);
  const DocumentKind kind = stem == "fiche"        ? DocumentKind::ProjectSheet
                            : stem == "convention" ? DocumentKind::Agreement
                                                   : DocumentKind::Notification;
  const std::string prefix = stem == "fiche" ? "fiche-projet-" : stem + "-";
  const std::string label = stem == "fiche"        ? "Fiche projet"
                            : stem == "convention" ? "Convention"
                                                   : "Lettre de notification";
  return documents(w, {{kind, "", number, prefix + number}},
                   ext == "pdf" ? DocumentFormat::Pdf : DocumentFormat::Odt, "", who,
                   label + " du dossier " + number + " (." + ext + ")");
}

// GET /rapports/{n}/documents.zip, or one of them: /rapports/{n}/{file}.{odt|pdf}
HttpResponse report_document(WebContext& w, const std::string& number, const std::string& file,
                             const Principal& who) {
  auto wanted = run_read(
      w.store, [&](Transaction& tx) { return report_documents(tx, who.authority, number); });
  if (!wanted.ok()) return w.not_found(who, wanted.refusal());
  std::string zip_name = "documents-" + number;
  std::replace(zip_name.begin(), zip_name.end(), ' ', '-');
  if (file == "documents.zip")
    return documents(w, wanted.value(), DocumentFormat::Zip, zip_name, who,
                     "Dossier de séance du rapport " + number + " (.zip)");
  const auto dot = file.rfind('.');
  const std::string stem = file.substr(0, dot), ext = file.substr(dot + 1);
  for (const auto& r : wanted.value())
    if (r.file == stem && (ext == "odt" || ext == "pdf"))
      return documents(w, {r}, ext == "pdf" ? DocumentFormat::Pdf : DocumentFormat::Odt, "", who,
                       "« " + file + " » du rapport " + number);
  return w.not_found(who,
                     refuse("request.not_found", "path",
                            "Le rapport " + number + " n'a pas de document « " + file + " »."));
}

}  // namespace

void add_document_pages(Router& router, WebContext& w) {
  for (const auto& [stem, label] : {std::pair<std::string, std::string>{"fiche", "La fiche projet"},
                                    {"convention", "La convention"},
                                    {"notification", "La notification"}})
    for (const std::string ext : {"odt", "pdf"}) {
      const std::string file = stem + "." + ext;
      router.add({"GET", "/dossiers/{number}/" + file, Access::needs(Action::Read),
                  label + " du dossier (." + ext + ")"},
                 [&w, file](RouteCall& c) {
                   return dossier_document(w, c.param("number"), file, c.caller());
                 });
    }
  router.add({"GET", "/rapports/{number}/{file}", Access::needs(Action::Read),
              "Un document du rapport (.odt, .pdf), ou tous (documents.zip)"},
             [&w](RouteCall& c) {
               return report_document(w, c.param("number"), c.param("file"), c.caller());
             });
}

}  // namespace octroi::http::pages
