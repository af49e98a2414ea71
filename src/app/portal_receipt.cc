// The acknowledgement of receipt as a document (issue 19, item 3): the PDF of a submission's
// receipt, made once from the built-in template "recepisse" (templates/documents/recepisse.fodt:
// its mentions are the law's, CRPA L112-3 and R112-5, not an authority's wording) and kept as a
// file of the dossier, so that the applicant and the agents download the same bytes ever after.
#include <stdexcept>

#include "app/audit_json.h"
#include "app/document_batch.h"
#include "app/documents.h"
#include "app/files.h"
#include "app/portal.h"
#include "app/ports/authorities.h"
#include "app/ports/files.h"
#include "core/french.h"

namespace octroi {
namespace {

constexpr const char* kReceiptAuthor = "octroi";  // the files octroi makes itself

std::string receipt_piece(int round) {
  return "Accusé de réception — dépôt n° " + std::to_string(round);
}

std::optional<FileRecord> stored_receipt(Transaction& tx, AuthorityId a, ApplicationId app,
                                         int round) {
  for (const auto& f : tx.files().files_of(a, app))
    if (f.author_kind == "agent" && f.author == kReceiptAuthor && f.piece == receipt_piece(round))
      return f;
  return std::nullopt;
}

DocRecord receipt_data(Transaction& tx, const ApplicantContext& ac, const ApplicationView& v,
                       const ReceiptRecord& r) {
  Authority au;
  for (const auto& x : tx.authorities().list_authorities())
    if (x.id == ac.authority) au = x;
  const auto portal = tx.portal().scheme_portal(ac.authority, v.scheme.id);
  std::string depositor = ac.email;
  if (r.account_id)
    if (const auto who = tx.portal().get_applicant(*r.account_id))
      depositor = who->display_name + " (" + who->email + ")";
  DocRecord d;
  d.text = {{"collectivite", au.name},
            {"adresse_collectivite", au.address},
            {"dossier", v.application.number},
            {"depot", std::to_string(r.round)},
            {"objet", v.application.project.title},
            {"dispositif", v.scheme.name},
            {"demandeur", v.party.legal_name},
            {"deposant", depositor},
            {"date_reception", fr::moment(r.received_at)},
            {"date_rejet", fr::date_long(r.implicit_rejection_on)},
            {"service", v.scheme.service.empty() ? au.name : v.scheme.service},
            {"contact", portal ? portal->contact : ""}};
  d.flags = {{"adresse_collectivite_connue", !au.address.empty()},
             {"resoumission", r.round > 1},
             {"contact_connu", portal && !portal->contact.empty()}};
  return d;
}

}  // namespace

Result<FileContent> portal_receipt_pdf(Store& store, const ApplicantContext& ac,
                                       const std::string& number, DocumentEngine& engine,
                                       DocumentConverter& converter, Hasher& sha256) {
  struct Plan {
    Application app;
    ReceiptRecord receipt;
    std::optional<FileContent> stored;
    DocRecord data;
  };
  auto plan = run_read(store, [&](Transaction& tx) -> Result<Plan> {
    auto app = applicant_dossier(tx, ac, number);
    if (!app.ok()) return app.refusal();
    const auto receipts = tx.portal().receipts_of(ac.authority, app->id);
    if (receipts.empty())
      return refuse("portal.no_receipt", "number", "Ce dossier n'a pas encore été déposé.");
    Plan p{*app, receipts.back(), std::nullopt, {}};
    if (const auto f = stored_receipt(tx, ac.authority, app->id, p.receipt.round)) {
      auto content = dossier_file(tx, ac.authority, app->id, f->id);
      if (!content.ok()) return content.refusal();
      p.stored = std::move(content).value();
      return p;
    }
    auto view = portal_dossier(tx, ac, app->number);
    if (!view.ok()) return view.refusal();
    p.data = receipt_data(tx, ac, view->view, p.receipt);
    return p;
  });
  if (!plan.ok()) return plan.refusal();
  if (plan->stored) return *plan->stored;
  // Made outside any transaction: LibreOffice takes seconds.
  const auto fodt = engine.builtin_template("recepisse");
  if (!fodt) throw std::logic_error("the built-in template recepisse is missing");
  const std::string name =
      "accuse-reception-" + plan->app.number + "-" + std::to_string(plan->receipt.round);
  auto odt = engine.render_odt(*fodt, plan->data, "accusé de réception");
  if (!odt.ok()) return odt.refusal();
  auto pdf = converter.to_pdf({{name + ".odt", std::move(odt).value()}});
  if (!pdf.ok()) return pdf.refusal();
  std::string bytes = std::move(pdf->front().bytes);
  return run_write(store, [&](Transaction& tx) -> Result<FileContent> {
    // Another request may have made it meanwhile: the first one kept is the receipt.
    if (const auto f = stored_receipt(tx, ac.authority, plan->app.id, plan->receipt.round))
      return dossier_file(tx, ac.authority, plan->app.id, f->id);
    FileRecord f;
    f.authority = ac.authority;
    f.application = plan->app.id;
    f.sha256 = sha256.sha256_hex(bytes);
    f.name = name + ".pdf";
    f.mime = "application/pdf";
    f.size = static_cast<std::int64_t>(bytes.size());
    f.piece = receipt_piece(plan->receipt.round);
    f.author_kind = "agent";
    f.author = kReceiptAuthor;
    f.at = ac.clock->now();
    f.scan = "not_scanned";
    tx.files().put_content(ac.authority, f.sha256, bytes, f.at);
    f.id = tx.files().insert_file(f);
    record_audit(tx, context_of(ac),
                 {.action = "application.receipt_document",
                  .entity = "application",
                  .key = plan->app.number,
                  .after = "{\"round\":" + std::to_string(plan->receipt.round) +
                           ",\"file\":" + std::to_string(f.id) +
                           ",\"sha256\":" + audit_json::quote(f.sha256) + "}",
                  .at = f.at});
    return FileContent{f, std::move(bytes)};
  });
}

}  // namespace octroi
