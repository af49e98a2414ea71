// The portal's files (issue 19): the pieces of a dossier as the applicant attaches, downloads
// and withdraws them; the agents' download of the same files (app/files.h).
#include <algorithm>
#include <string>

#include "adapters/documents/pdf_converter.h"
#include "adapters/documents/render.h"
#include "adapters/http/file_tools.h"
#include "adapters/http/web/pages.h"
#include "app/files.h"
#include "app/portal.h"
#include "app/ports/applications.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

std::string size_words(std::int64_t bytes) {
  if (bytes < 1024) return fr::integer(bytes) + "\u00a0octets";
  if (bytes < 1024 * 1024) return fr::integer((bytes + 1023) / 1024) + "\u00a0Kio";
  return fr::integer((bytes + 1024 * 1024 - 1) / (1024 * 1024)) + "\u00a0Mio";
}

// The file number of a path, or nullopt for one that is not a number.
std::optional<std::int64_t> file_id(const std::string& typed) {
  if (typed.empty() || typed.size() > 18 ||
      typed.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(typed);
}

HttpResponse no_file(WebContext& w, const Principal& who, bool portal) {
  const Refusal none = refuse("file.not_found", "file", "Ce dossier n'a pas ce fichier.");
  if (portal)
    return w.portal_page("error", "Introuvable", {{"heading", std::string("Introuvable")}}, &who,
                         &none, 404);
  return w.not_found(who, none);
}

HttpResponse attach(WebContext& w, const HttpRequest& r, const Principal& who,
                    const std::string& number) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  auto done = portal_attach_file(w.store, ac, number, upload_of(r, "file", "piece"), w.files);
  if (!done.ok()) {
    if (done.refusal().first().code == "portal.not_found")
      return portal_dossier_page(w, r, who, number);
    return portal_dossier_page(w, r, who, number, &done.refusal());
  }
  return redirect("/portail/dossiers/" + url_encode(number) + "?fichier=1#h-pieces");
}

HttpResponse withdraw(WebContext& w, const HttpRequest& r, const Principal& who,
                      const std::string& number, const std::string& typed) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  const auto id = file_id(typed);
  if (!id) return no_file(w, who, true);
  auto done =
      run_write(w.store, [&](Transaction& tx) { return portal_remove_file(tx, ac, number, *id); });
  if (!done.ok()) return portal_dossier_page(w, r, who, number, &done.refusal());
  return redirect("/portail/dossiers/" + url_encode(number) + "?retrait=1#h-pieces");
}

HttpResponse applicant_download(WebContext& w, const Principal& who, const std::string& number,
                                const std::string& typed) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  const auto id = file_id(typed);
  if (!id) return no_file(w, who, true);
  auto f = run_read(w.store, [&](Transaction& tx) -> Result<FileContent> {
    auto app = applicant_dossier(tx, ac, number);
    if (!app.ok()) return app.refusal();
    return dossier_file(tx, ac.authority, app->id, *id);
  });
  if (!f.ok()) return no_file(w, who, true);
  return file_download(f->file, std::move(f->bytes));
}

// GET /portail/dossiers/{n}/recepisse.pdf: made at the first download (LibreOffice), kept.
HttpResponse receipt_pdf(WebContext& w, const Principal& who, const std::string& number) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  documents::FodtEngine engine;
  documents::PdfConverter converter;
  auto f = portal_receipt_pdf(w.store, ac, number, engine, converter, w.store.hasher());
  if (!f.ok()) {
    const auto& code = f.refusal().first().code;
    const bool missing = code == "portal.not_found" || code == "portal.no_receipt";
    return w.portal_page(
        "error", missing ? "Introuvable" : "Accusé de réception",
        {{"heading", std::string(missing ? "Introuvable" : "Accusé de réception")}}, &who,
        &f.refusal(), missing ? 404 : 503);
  }
  return file_download(f->file, std::move(f->bytes));
}

HttpResponse agent_download(WebContext& w, const Principal& who, const std::string& number,
                            const std::string& typed) {
  const auto id = file_id(typed);
  if (!id) return no_file(w, who, false);
  auto f = run_read(w.store, [&](Transaction& tx) -> Result<FileContent> {
    const auto app = tx.applications().find_application(who.authority, number);
    if (!app) return refuse("application.unknown", "number", "Dossier inconnu.");
    return dossier_file(tx, who.authority, app->id, *id);
  });
  if (!f.ok()) return no_file(w, who, false);
  return file_download(f->file, std::move(f->bytes));
}

}  // namespace

mstch::node message_file(const std::vector<FileRecord>& files, std::int64_t message) {
  for (const auto& f : files)
    if (f.message == message) return mstch::map{{"id", std::to_string(f.id)}, {"name", f.name}};
  return false;
}

void add_files_context(mstch::map& ctx, const PortalDossier& d, const std::string& number) {
  mstch::array pieces, options, files;
  // A scheme without portal settings any more: the defaults files are checked against.
  const SchemePortalRecord settings = d.settings.value_or(SchemePortalRecord{});
  const auto required_ones = required_pieces(settings);
  for (const auto& p : d.pieces) {
    const bool missing = std::find(d.missing.begin(), d.missing.end(), p) != d.missing.end();
    const bool required =
        std::find(required_ones.begin(), required_ones.end(), p) != required_ones.end();
    pieces.push_back(mstch::map{{"name", p}, {"missing", missing}, {"required", required}});
    options.push_back(mstch::map{{"name", p}});
  }
  for (const auto& f : d.files) {
    if (f.removed_at) continue;
    files.push_back(
        mstch::map{{"id", std::to_string(f.id)},
                   {"name", f.name},
                   {"piece", f.piece},
                   {"type", f.mime},
                   {"size", size_words(f.size)},
                   {"at", when(f.at)},
                   {"with_message", f.message.has_value()},
                   {"href", "/portail/dossiers/" + number + "/fichiers/" + std::to_string(f.id)}});
  }
  std::string types;
  for (const auto& t : accepted_types(settings))
    types += (types.empty() ? "" : ", ") + file_type_name(t);
  ctx["pieces"] = pieces;
  ctx["has_pieces"] = !pieces.empty();
  ctx["piece_options"] = options;
  ctx["files"] = files;
  ctx["has_files"] = !files.empty();
  ctx["file_types"] = types;
  ctx["max_size"] = size_words(std::min(settings.max_file_bytes, kMaxFileBytes));
}

void add_portal_file_pages(Router& router, WebContext& w) {
  router.add({"POST", "/portail/dossiers/{number}/fichiers", Access::needs(Action::Apply),
              "Portail : joindre un fichier au dossier"},
             [&w](RouteCall& c) { return attach(w, c.request, c.caller(), c.param("number")); });
  router.add({"GET", "/portail/dossiers/{number}/fichiers/{id}", Access::needs(Action::Apply),
              "Portail : télécharger un fichier du dossier"},
             [&w](RouteCall& c) {
               return applicant_download(w, c.caller(), c.param("number"), c.param("id"));
             });
  router.add({"POST", "/portail/dossiers/{number}/fichiers/{id}/retrait",
              Access::needs(Action::Apply), "Portail : retirer un fichier du dossier"},
             [&w](RouteCall& c) {
               return withdraw(w, c.request, c.caller(), c.param("number"), c.param("id"));
             });
  router.add({"GET", "/portail/dossiers/{number}/recepisse.pdf", Access::needs(Action::Apply),
              "Portail : l'accusé de réception en PDF"},
             [&w](RouteCall& c) { return receipt_pdf(w, c.caller(), c.param("number")); });
  router.add({"GET", "/dossiers/{number}/fichiers/{id}", Access::needs(Action::Read),
              "Télécharger un fichier du demandeur"},
             [&w](RouteCall& c) {
               return agent_download(w, c.caller(), c.param("number"), c.param("id"));
             });
}

}  // namespace octroi::http::pages
