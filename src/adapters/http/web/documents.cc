// Official documents as files: a dossier's project sheet, agreement and notification (.odt or
// .pdf), a report's documents one by one or all in a .zip.
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/documents/odt_package.h"
#include "adapters/documents/pdf_converter.h"
#include "adapters/documents/render.h"
#include "adapters/http/web/pages.h"

namespace octroi::http::pages {
namespace {

// Documents, produced by generate_document (each recorded in the audit trail with its template
// version and hashes): one as .odt, one as .pdf (LibreOffice), or all of them in a .zip with
// their PDFs (one LibreOffice run for the batch).
enum class Format { Odt, Pdf, Zip };
HttpResponse documents(WebContext& w, const std::vector<DocumentRequest>& wanted, Format format,
                       const std::string& zip_name, const Principal& who) {
  const Context ctx = w.context(who);
  documents::FodtEngine engine;
  auto made = run_write(w.store, [&](Transaction& tx) -> Result<std::vector<GeneratedDocument>> {
    std::vector<GeneratedDocument> out;
    for (const auto& r : wanted) {
      auto g = generate_document(tx, ctx, engine, w.store.hasher(), r);
      if (!g.ok()) return g.refusal();
      out.push_back(std::move(g).value());
    }
    return out;
  });
  if (!made.ok()) {
    const auto& code = made.refusal().first().code;
    if (code == "application.unknown" || code == "report.unknown")
      return w.not_found(who, made.refusal());
    return w.page("error", "Document", {{"heading", std::string("Document")}}, &who,
                  &made.refusal(), 422);
  }
  HttpResponse r;
  if (format == Format::Odt) {
    r.content_type = "application/vnd.oasis.opendocument.text";
    r.body = std::move(made->front().odt);
    r.headers.push_back(
        {"Content-Disposition", "attachment; filename=\"" + made->front().request.file + ".odt\""});
    return r;
  }
  namespace fs = std::filesystem;
  std::string dir_template = (fs::temp_directory_path() / "octroi-docs-XXXXXX").string();
  if (!mkdtemp(dir_template.data()))
    throw std::runtime_error("cannot create a temporary directory");
  const fs::path dir(dir_template);
  std::vector<std::string> paths;
  for (const auto& g : made.value()) {
    const fs::path path = dir / (g.request.file + ".odt");
    std::ofstream(path, std::ios::binary) << g.odt;
    paths.push_back(path.string());
  }
  auto pdfs = documents::convert_to_pdf(paths, dir.string());
  if (!pdfs.ok()) {
    fs::remove_all(dir);
    return w.page("error", "Document", {{"heading", std::string("Document")}}, &who,
                  &pdfs.refusal(), 503);
  }
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  };
  if (format == Format::Pdf) {
    r.content_type = "application/pdf";
    r.body = slurp(pdfs->at(0));
    r.headers.push_back(
        {"Content-Disposition", "attachment; filename=\"" + made->front().request.file + ".pdf\""});
  } else {
    std::vector<std::pair<std::string, std::string>> entries;
    for (std::size_t i = 0; i < made->size(); ++i) {
      entries.emplace_back((*made)[i].request.file + ".pdf", slurp(pdfs->at(i)));
      entries.emplace_back((*made)[i].request.file + ".odt", std::move((*made)[i].odt));
    }
    r.content_type = "application/zip";
    r.body = documents::zip_archive(entries);
    r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + zip_name + ".zip\""});
  }
  fs::remove_all(dir);
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
                   ext == "pdf" ? Format::Pdf : Format::Odt, "", who);
}

// GET /rapports/{n}/documents.zip, or one of them: /rapports/{n}/{file}.{odt|pdf}
HttpResponse report_document(WebContext& w, const std::string& number, const std::string& file,
                             const Principal& who) {
  auto wanted = run_read(
      w.store, [&](Transaction& tx) { return report_documents(tx, who.authority, number); });
  if (!wanted.ok()) return w.not_found(who, wanted.refusal());
  std::string zip_name = "documents-" + number;
  std::replace(zip_name.begin(), zip_name.end(), ' ', '-');
  if (file == "documents.zip") return documents(w, wanted.value(), Format::Zip, zip_name, who);
  const auto dot = file.rfind('.');
  const std::string stem = file.substr(0, dot), ext = file.substr(dot + 1);
  for (const auto& r : wanted.value())
    if (r.file == stem && (ext == "odt" || ext == "pdf"))
      return documents(w, {r}, ext == "pdf" ? Format::Pdf : Format::Odt, "", who);
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
