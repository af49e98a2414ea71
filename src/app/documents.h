// Official documents (issue 7): the data each template is filled with, the templates an
// authority adopted (versions stored as data), and the one use case that produces a document and
// records it in the audit trail. Filling and packaging are an adapter's (DocumentEngine,
// adapters/documents); PDF conversion is left to the caller (CLI, web), which batches it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/audit_chain.h"
#include "app/context.h"
#include "app/document_data.h"
#include "app/ports.h"
#include "app/ports/templates.h"
#include "core/enum_names.h"
#include "core/result.h"
#include "domain/application/application.h"
#include "domain/committee/report.h"

namespace octroi {

// What octroi produces, each from one template.
enum class DocumentKind {
  Report,             // "rapport": the exposé des motifs of a committee report
  Deliberation,       // "deliberation": the (draft) deliberation of a report
  ProjectSheet,       // "fiche_projet": the project sheet of a dossier (annex 1)
  Agreement,          // "convention": the agreement of an award, following the scheme's model
  TransferAmendment,  // "avenant_transfert": the avenant de transfert (annex 2)
  Notification,       // "notification": the letter telling the beneficiary of the award
};
const std::vector<DocumentKind>& all_document_kinds();
std::string_view template_name(DocumentKind k);  // "rapport", "deliberation"…
std::optional<DocumentKind> parse_template_name(std::string_view name);
std::string_view french(DocumentKind k);  // "exposé des motifs", "projet de délibération"…
// The code of a kind is its template's name.
inline constexpr auto kDocumentKindNames = name_table<DocumentKind>({
    {DocumentKind::Report, "rapport", "rapport (exposé des motifs)"},
    {DocumentKind::Deliberation, "deliberation", "projet de délibération"},
    {DocumentKind::ProjectSheet, "fiche_projet", "fiche projet"},
    {DocumentKind::Agreement, "convention", "convention"},
    {DocumentKind::TransferAmendment, "avenant_transfert", "avenant de transfert"},
    {DocumentKind::Notification, "notification", "lettre de notification"},
});

// Fills and packages templates; implemented by adapters/documents (pugixml, libzip).
class DocumentEngine {
 public:
  virtual ~DocumentEngine() = default;
  // octroi's built-in template `name` (templates/documents/NAME.fodt), if there is one.
  virtual std::optional<std::string> builtin_template(std::string_view name) = 0;
  // Refuses what is not a flat ODT text document octroi can fill (document.xml,
  // document.not_text, a section left open…), naming `label` in the message.
  virtual Status check_template(const std::string& fodt, const std::string& label) = 0;
  // The .odt bytes of `fodt` filled with `data`; refuses a field or section the data lacks
  // (document.missing_field, document.mismatch).
  virtual Result<std::string> render_odt(const std::string& fodt, const DocRecord& data,
                                         const std::string& label) = 0;
};

// ---- The data each template is filled with -------------------------------------------------

// The project sheet of a dossier (annex 1 of a report: "DOSSIER N° EX070162 – …"), every figure
// formatted the French way from the dossier as it stands: scheme, imputation, the amount (awarded,
// else proposed, else computed), the organisation, the project, the early start and its
// motivation, the financing plan with each line's share, and the session whose report names the
// dossier (the footer), if any. Fields: see templates/documents/fiche_projet.fodt.
Result<DocRecord> project_sheet_data(Transaction& tx, AuthorityId a, const std::string& number);

// The draft deliberation of a report (projet de délibération): the VU clauses the data gives
// (the code, each scheme's framework deliberation, the state-aid regulations the awards fall
// under, the budget, the report itself), then one record per article with its kind as a flag
// (tranche, awards, direct, transfer, amount_change, extension) and its figures: amount,
// "autorisation d'engagement" or "de programme", the imputation phrase, and per kind the
// beneficiaries with their département and amount, the transferor and transferee, the old and new
// amount or end. Fields: see templates/documents/deliberation.fodt.
Result<DocRecord> deliberation_data(Transaction& tx, AuthorityId a, const std::string& report);

// The report itself (exposé des motifs): one section per article, its figures stated from the
// data (the number of awards and the communes with their département, the amount of AE/AP, the
// tranche's share of the planned total, the transfer's origin and balance), then the executive's
// signature. Fields: see templates/documents/rapport.fodt.
Result<DocRecord> report_data(Transaction& tx, AuthorityId a, const std::string& report);

// The avenant de transfert (annex 2) of the transfer article of `report` about dossier `number`:
// the authority, the transferor (cédant) and the transferee (cessionnaire) with their SIRET, APE
// code, address and representative, the award being transferred (the deliberation that granted
// it, rate, eligible base, amount, in figures and in words), what was already paid and the
// balance transferred, the eligibility period, the place of signature. Refuses a dossier the
// report does not transfer ("document.no_transfer"). Fields: see avenant_transfert.fodt.
Result<DocRecord> transfer_amendment_data(Transaction& tx, AuthorityId a, const std::string& report,
                                          const std::string& number);

// The agreement (convention) of an awarded dossier, following its scheme's model: the parties,
// the award (amount in figures and in words, rate, eligible base), the eligibility period, the
// payment rules (advance, interim payments, balance), the lapse rules, the obligations, the
// signatures if recorded. Refuses a dossier without an award ("document.no_award").
// Fields: see templates/documents/convention.fodt.
Result<DocRecord> agreement_data(Transaction& tx, AuthorityId a, const std::string& number);

// The letter notifying the beneficiary of the award: addressee, the deliberation, amount in
// figures and in words, the project, what to do next (sign the agreement, the lapse delays).
// Refuses a dossier without an award ("document.no_award"). Fields: see notification.fodt.
// `on` is the letter's date.
Result<DocRecord> notification_data(Transaction& tx, AuthorityId a, const std::string& number,
                                    const Date& on);

// ---- Templates as data ---------------------------------------------------------------------

// A new version of a template, as an administrator uploads it: every field as typed.
struct TemplateUpload {
  std::string name;           // "convention"…
  std::string content;        // the .fodt XML
  std::string adopted_by;     // the act that adopted the model: "CP 2022-111"
  std::string applies_from;   // a date (ISO or 25/01/2023)
  std::string applies_until;  // "" for open-ended
  std::string note;           // e.g. "modifiée par CR 2022-078"
};
// Stores version N+1 of the template and audits it ("template.upload"). Refuses, naming the field
// in French: an unknown name ("template.name", field name), an empty adopting act or one over 200
// characters ("text.required"/"text.too_long", adopted_by), a missing or bad date
// ("template.applies_from" or the date's own code, applies_from/applies_until), an end before the
// start ("template.applies_until"), a content that is empty, over 5 MB or not UTF-8
// ("template.content") or that the engine refuses (its code: "document.xml", "document.not_text",
// "document.template"; and "document.missing_field"/"document.mismatch" when the template, tried
// on the authority's own data, cannot be filled), all on field content; a note over 2 000
// characters.
Result<TemplateRecord> upload_template(Transaction& tx, const Context& ctx, DocumentEngine& engine,
                                       Hasher& hasher, const TemplateUpload& upload);

// Every template name with its stored versions (content left empty) and whether octroi has a
// built-in one.
struct TemplateFamily {
  DocumentKind kind;
  std::vector<TemplateRecord> versions;  // oldest first
};
std::vector<TemplateFamily> list_templates(Transaction& tx, AuthorityId a);

// One version with its content; version 0 is the built-in template. Refuses an unknown name or
// version ("template.unknown").
Result<TemplateRecord> find_template(Transaction& tx, AuthorityId a, DocumentEngine& engine,
                                     Hasher& hasher, const std::string& name, int version);

// The template that fills a document of `kind` dated `on`: the newest stored version in force on
// that day (applies_from <= on <= applies_until), and among them, when `preferred_act` is given
// (an agreement: its scheme's model_agreement), the newest adopted by that act if there is one
// (its adopted_by names the act as a whole: "CP 2022-111" is not "CP 2022-1110"); else the
// built-in template (version 0).
Result<TemplateRecord> choose_template(Transaction& tx, AuthorityId a, DocumentEngine& engine,
                                       Hasher& hasher, DocumentKind kind, const Date& on,
                                       const std::string& preferred_act = "");

// ---- Producing documents -------------------------------------------------------------------

struct DocumentRequest {
  DocumentKind kind = DocumentKind::ProjectSheet;
  std::string report;  // Report, Deliberation, TransferAmendment
  std::string number;  // ProjectSheet, Agreement, TransferAmendment, Notification
  std::string file;    // the file name without extension ("annexe-1-EX070162"); "" for default
};

// The documents of a whole report, in the order of the session's file: the report (exposé),
// the deliberation, then per article its annex: a project sheet per dossier awarded (annex 1);
// for a transfer, the avenant then the updated sheet (annex 2).
Result<std::vector<DocumentRequest>> report_documents(Transaction& tx, AuthorityId a,
                                                      const std::string& report);

// Whether `request` can be generated now, as generate_document would refuse it (an unknown
// dossier or report, a dossier without award for its agreement…), without generating it: a job
// is only promised for documents that exist.
Status check_document_request(Transaction& tx, const Context& ctx, const DocumentRequest& request);

struct GeneratedDocument {
  DocumentRequest request;      // its file name filled in
  std::string odt;              // the document's bytes
  TemplateRecord used;          // the template version (content left empty)
  std::string data_sha256;      // of the data's canonical form (canonical_json)
  std::string document_sha256;  // of the .odt bytes
};
// Builds the data, chooses the template (dated by the session for a report's documents, by the
// agreement or the award for an award's, else today), fills it and records "document.generate"
// in the audit trail with the template's name, version, act and hash, and the hashes of the data
// and of the document. Refuses what the data use case or the filling refuses.
Result<GeneratedDocument> generate_document(Transaction& tx, const Context& ctx,
                                            DocumentEngine& engine, Hasher& hasher,
                                            const DocumentRequest& request);

// The canonical form of a document's data (sorted keys, JSON), whose hash the audit records:
// the same data always gives the same bytes.
std::string canonical_json(const DocRecord& d);

}  // namespace octroi
