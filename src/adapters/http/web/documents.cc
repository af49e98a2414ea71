// Official documents as files: a dossier's project sheet, agreement and notification (.odt or
// .pdf), a report's documents one by one or all in a .zip.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/documents/pdf_converter.h"
#include "adapters/documents/render.h"
#include "adapters/http/web/pages.h"
#include "app/document_batch.h"

namespace octroi::http::pages {
namespace {

// Documents, by the batch use case (app/document_batch.h): generated in one write transaction,
// each recorded in the audit trail with its template version and hashes, then delivered after
// the commit as one .odt, one .pdf (LibreOffice), or all of them in a .zip with their PDFs (one
// LibreOffice run for the batch).
HttpResponse documents(WebContext& w, const std::vector<DocumentRequest>& wanted,
                       DocumentFormat format, const std::string& zip_name, const Principal& who) {
  const Context ctx = w.context(who);
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
  documents::PdfConverter converter;
  auto files = deliver_documents(made.value(), format, converter, zip_name);
  if (!files.ok())
    return w.page("error", "Document", {{"heading", std::string("Document")}}, &who,
                  &files.refusal(), 503);
  HttpResponse r;
  r.content_type = format == DocumentFormat::Odt   ? "application/vnd.oasis.opendocument.text"
                   : format == DocumentFormat::Pdf ? "application/pdf"
                                                   : "application/zip";
  r.body = std::move(files->front().bytes);
  r.headers.push_back(
      {"Content-Disposition", "attachment; filename=\"" + files->front().name + "\""});
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
  return documents(w, {{kind, "", number, prefix + number}},
                   ext == "pdf" ? DocumentFormat::Pdf : DocumentFormat::Odt, "", who);
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
    return documents(w, wanted.value(), DocumentFormat::Zip, zip_name, who);
  const auto dot = file.rfind('.');
  const std::string stem = file.substr(0, dot), ext = file.substr(dot + 1);
  for (const auto& r : wanted.value())
    if (r.file == stem && (ext == "odt" || ext == "pdf"))
      return documents(w, {r}, ext == "pdf" ? DocumentFormat::Pdf : DocumentFormat::Odt, "", who);
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
