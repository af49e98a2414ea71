// Official documents: their kinds, the templates an authority adopted (versions stored as data,
// the one in force chosen by date and act), and the generation of a document, filled with the
// data built in documents_data.cc and recorded in the audit trail.
#include <algorithm>
#include <cctype>
#include <functional>

#include "app/audit_json.h"
#include "app/ports/applications.h"
#include "app/ports/committee.h"
#include "app/ports/templates.h"
#include "app/use_cases.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {

// ---- Kinds, templates, generation -----------------------------------------------------------

const std::vector<DocumentKind>& all_document_kinds() {
  static const std::vector<DocumentKind> kinds = [] {
    std::vector<DocumentKind> v;
    for (const auto& r : kDocumentKindNames.rows())
      v.push_back(r.value);
    return v;
  }();
  return kinds;
}

std::string_view template_name(DocumentKind k) {
  return kDocumentKindNames.code(k);
}

std::optional<DocumentKind> parse_template_name(std::string_view name) {
  return kDocumentKindNames.parse(name);
}

std::string_view french(DocumentKind k) {
  return kDocumentKindNames.label(k);
}

namespace {

// "rapport, deliberation, … et notification".
std::string template_names() {
  const auto& kinds = all_document_kinds();
  std::string out;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (i > 0) out += i + 1 == kinds.size() ? " et " : ", ";
    out += template_name(kinds[i]);
  }
  return out;
}

Result<TemplateRecord> builtin(DocumentEngine& engine, Hasher& hasher, AuthorityId a,
                               DocumentKind kind) {
  auto content = engine.builtin_template(template_name(kind));
  if (!content)
    return refuse("template.unknown", "name",
                  "octroi n'a pas de modèle intégré « " + std::string(template_name(kind)) + " ».");
  TemplateRecord t;
  t.authority = a;
  t.name = template_name(kind);
  t.version = 0;
  t.adopted_by = "modèle intégré à octroi";
  t.applies_from = Date(1, 1, 1);
  t.content = std::move(*content);
  t.sha256 = hasher.sha256_hex(t.content);
  return t;
}

// Whether `text` ("CP 2022-111", "CP 2022-111 modifiée par CR 2022-078") names the act `act` as a
// whole: "CP 2022-111" is not named by "CP 2022-1110".
bool names_act(const std::string& text, const std::string& act) {
  if (act.empty()) return false;
  const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (auto at = text.find(act); at != std::string::npos; at = text.find(act, at + 1)) {
    const std::size_t end = at + act.size();
    if ((at == 0 || !alnum(text[at - 1])) && (end == text.size() || !alnum(text[end]))) return true;
  }
  return false;
}

bool in_force(const TemplateRecord& t, const Date& on) {
  return t.applies_from <= on && (!t.applies_until || on <= *t.applies_until);
}

}  // namespace

namespace {

// A document of `kind` the authority's data can fill, to try a new template on before storing
// it: the newest report, its transfer or its first dossier, an awarded dossier. None when the
// data has nothing of the kind yet.
std::optional<DocumentRequest> sample_request(Transaction& tx, AuthorityId a, DocumentKind kind) {
  if (kind == DocumentKind::Agreement || kind == DocumentKind::Notification) {
    for (const auto state : {ApplicationState::Awarded, ApplicationState::Closed}) {
      ApplicationFilter f;
      f.state = state;
      f.limit = 1;
      const auto apps = tx.applications().list_applications(a, f);
      if (!apps.empty()) return DocumentRequest{kind, "", apps.front().number, ""};
    }
    return std::nullopt;
  }
  auto reports = tx.committee().list_reports(a);
  std::reverse(reports.begin(), reports.end());
  for (const auto& r : reports) {
    if (kind == DocumentKind::Report || kind == DocumentKind::Deliberation)
      return DocumentRequest{kind, r.number, "", ""};
    for (const auto& ar : r.articles) {
      if (kind == DocumentKind::TransferAmendment && ar.kind == ArticleKind::Transfer &&
          ar.transfer_application)
        if (auto app = tx.applications().get_application(a, *ar.transfer_application))
          return DocumentRequest{kind, r.number, app->number, ""};
      if (kind == DocumentKind::ProjectSheet && ar.kind == ArticleKind::SchemeAwards &&
          !ar.applications.empty())
        if (auto app = tx.applications().get_application(a, ar.applications.front()))
          return DocumentRequest{kind, r.number, app->number, ""};
    }
  }
  return std::nullopt;
}

Result<std::pair<DocRecord, Date>> data_of(Transaction& tx, const Context& ctx,
                                           const DocumentRequest& r, std::string& preferred_act);

std::string describe(const DocumentRequest& r) {
  std::string out(french(r.kind));
  if (!r.number.empty()) out += " du dossier " + r.number;
  if (!r.report.empty()) out += " (rapport " + r.report + ")";
  return out;
}

}  // namespace

Result<TemplateRecord> upload_template(Transaction& tx, const Context& ctx, DocumentEngine& engine,
                                       Hasher& hasher, const TemplateUpload& in) {
  std::vector<Problem> problems;
  const auto kind = parse_template_name(text::trim(in.name));
  if (!kind)
    problems.push_back(
        {"template.name", "name",
         "Modèle inconnu « " + in.name + " » : les modèles sont " + template_names() + "."});
  const std::string act = text::trim(in.adopted_by);
  if (auto p = text::check_required(act, "adopted_by",
                                    "L'acte qui a adopté le modèle (ex. « CP 2022-111 »)", 200))
    problems.push_back(*p);
  std::optional<Date> from, until;
  if (text::trim(in.applies_from).empty()) {
    problems.push_back({"template.applies_from", "applies_from",
                        "La date d'entrée en vigueur du modèle est obligatoire."});
  } else {
    auto d = Date::parse(text::trim(in.applies_from), "applies_from");
    if (d.ok())
      from = d.value();
    else
      for (const auto& p : d.refusal().problems)
        problems.push_back(p);
  }
  if (!text::trim(in.applies_until).empty()) {
    auto d = Date::parse(text::trim(in.applies_until), "applies_until");
    if (!d.ok())
      for (const auto& p : d.refusal().problems)
        problems.push_back(p);
    else if (from && d.value() < *from)
      problems.push_back({"template.applies_until", "applies_until",
                          "La fin d'application du modèle (" + fr::date_long(d.value()) +
                              ") précède son entrée en vigueur (" + fr::date_long(*from) + ")."});
    else
      until = d.value();
  }
  if (auto p = text::check_optional(in.note, "note", "La note", 2000, text::Lines::Many))
    problems.push_back(*p);
  if (in.content.empty()) {
    problems.push_back({"template.content", "content", "Le fichier du modèle (.fodt) est vide."});
  } else if (in.content.size() > 5000000) {
    problems.push_back({"template.content", "content",
                        "Le fichier du modèle dépasse 5 Mo : enregistrez-le en .fodt sans images "
                        "intégrées."});
  } else if (!text::is_valid_utf8(in.content)) {
    problems.push_back({"template.content", "content",
                        "Le fichier du modèle n'est pas du texte UTF-8 : enregistrez-le dans "
                        "LibreOffice au format « Texte OpenDocument à plat (.fodt) »."});
  } else if (auto s = engine.check_template(in.content, in.name); !s.ok()) {
    for (auto p : s.refusal().problems) {
      p.field = "content";
      problems.push_back(std::move(p));
    }
  }
  if (!problems.empty()) return Refusal(std::move(problems));
  // Tried on the authority's own data before it is stored: a field the data does not have is
  // refused now, not on the morning of the committee.
  if (const auto sample = sample_request(tx, ctx.authority, *kind)) {
    std::string preferred_act;
    auto data = data_of(tx, ctx, *sample, preferred_act);
    if (data.ok()) {
      auto tried = engine.render_odt(in.content, data->first, text::trim(in.name));
      if (!tried.ok())
        return refuse(tried.refusal().first().code, "content",
                      tried.refusal().first().message + " (essai sur " + describe(*sample) + ")");
    }
  }

  TemplateRecord t;
  t.authority = ctx.authority;
  t.name = template_name(*kind);
  int last = 0;
  for (const auto& v : tx.templates().list_templates(ctx.authority, t.name, false))
    last = std::max(last, v.version);
  t.version = last + 1;
  t.adopted_by = act;
  t.applies_from = *from;
  t.applies_until = until;
  t.content = in.content;
  t.sha256 = hasher.sha256_hex(in.content);
  t.uploaded_by = ctx.actor;
  t.uploaded_at = ctx.clock->now();
  t.note = in.note;
  t.id = tx.templates().insert_template(t);
  record_audit(
      tx, ctx,
      {.action = "template.upload",
       .entity = "template",
       .key = t.name + " v" + std::to_string(t.version),
       .after =
           "{\"name\":" + audit_json::quote(t.name) + ",\"version\":" + std::to_string(t.version) +
           ",\"adopted_by\":" + audit_json::quote(t.adopted_by) +
           ",\"applies_from\":" + audit_json::quote(t.applies_from.iso()) + ",\"applies_until\":" +
           (t.applies_until ? audit_json::quote(t.applies_until->iso()) : "null") + ",\"sha256\":" +
           audit_json::quote(t.sha256) + ",\"note\":" + audit_json::quote(t.note) + "}",
       .at = t.uploaded_at});
  return t;
}

std::vector<TemplateFamily> list_templates(Transaction& tx, AuthorityId a) {
  std::vector<TemplateFamily> out;
  const auto stored = tx.templates().list_templates(a, "", false);
  for (const auto k : all_document_kinds()) {
    TemplateFamily f{k, {}};
    for (const auto& t : stored)
      if (t.name == template_name(k)) f.versions.push_back(t);
    out.push_back(std::move(f));
  }
  return out;
}

Result<TemplateRecord> find_template(Transaction& tx, AuthorityId a, DocumentEngine& engine,
                                     Hasher& hasher, const std::string& name, int version) {
  const auto kind = parse_template_name(name);
  if (!kind)
    return refuse("template.unknown", "name",
                  "Modèle inconnu « " + name + " » : les modèles sont " + template_names() + ".");
  if (version == 0) return builtin(engine, hasher, a, *kind);
  for (auto& t : tx.templates().list_templates(a, name, true))
    if (t.version == version) return std::move(t);
  return refuse("template.unknown", "version",
                "Le modèle « " + name + " » n'a pas de version " + std::to_string(version) + ".");
}

Result<TemplateRecord> choose_template(Transaction& tx, AuthorityId a, DocumentEngine& engine,
                                       Hasher& hasher, DocumentKind kind, const Date& on,
                                       const std::string& preferred_act) {
  std::optional<TemplateRecord> newest, adopted;
  for (auto& t : tx.templates().list_templates(a, std::string(template_name(kind)), true)) {
    if (!in_force(t, on)) continue;
    if (names_act(t.adopted_by, preferred_act)) adopted = t;
    newest = std::move(t);  // ascending versions: the last one in force is the newest
  }
  if (adopted) return std::move(*adopted);
  if (newest) return std::move(*newest);
  return builtin(engine, hasher, a, kind);
}

Result<std::vector<DocumentRequest>> report_documents(Transaction& tx, AuthorityId a,
                                                      const std::string& report) {
  auto shown = show_report(tx, a, report);
  if (!shown.ok()) return shown.refusal();
  std::vector<DocumentRequest> out;
  out.push_back({DocumentKind::Report, shown->report.number, "", "rapport"});
  out.push_back({DocumentKind::Deliberation, shown->report.number, "", "deliberation"});
  for (const auto& av : shown->articles)
    for (const auto& dossier : av.applications) {
      const std::string& n = dossier.application.number;
      if (av.article.kind == ArticleKind::Transfer)  // annex 2: the avenant, then the sheet
        out.push_back(
            {DocumentKind::TransferAmendment, shown->report.number, n, "annexe-2-avenant-" + n});
      out.push_back(
          {DocumentKind::ProjectSheet, shown->report.number, n,
           std::string(av.article.kind == ArticleKind::SchemeAwards ? "annexe-1-" : "annexe-2-") +
               n});
    }
  return out;
}

namespace {

void canonical(const DocRecord& d, std::string& out) {
  out += "{\"flags\":{";
  bool first = true;
  for (const auto& [k, v] : d.flags) {
    out += (first ? "" : ",") + audit_json::quote(k) + ":" + (v ? "true" : "false");
    first = false;
  }
  out += "},\"lists\":{";
  first = true;
  for (const auto& [k, items] : d.lists) {
    out += (first ? "" : ",") + audit_json::quote(k) + ":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ",";
      canonical(items[i], out);
    }
    out += "]";
    first = false;
  }
  out += "},\"text\":{";
  first = true;
  for (const auto& [k, v] : d.text) {
    out += (first ? "" : ",") + audit_json::quote(k) + ":" + audit_json::quote(v);
    first = false;
  }
  out += "}}";
}

// The data of a request, and the date that chooses its template.
Result<std::pair<DocRecord, Date>> data_of(Transaction& tx, const Context& ctx,
                                           const DocumentRequest& r, std::string& preferred_act) {
  const AuthorityId a = ctx.authority;
  Date on = ctx.clock->today();
  if (!r.report.empty()) {
    auto report = tx.committee().find_report(a, r.report);
    if (!report)
      return refuse("report.unknown", "report",
                    "Aucun rapport n° « " + r.report + " » pour cette collectivité.");
    auto session = tx.committee().get_session(a, report->session);
    OCTROI_CHECK(session.has_value(), "a report's session exists (foreign key)");
    on = session->date;
  }
  Result<DocRecord> data = refuse("document.request", "kind", "Document inconnu.");
  switch (r.kind) {
    case DocumentKind::Report:
      data = report_data(tx, a, r.report);
      break;
    case DocumentKind::Deliberation:
      data = deliberation_data(tx, a, r.report);
      break;
    case DocumentKind::ProjectSheet:
      data = project_sheet_data(tx, a, r.number);
      break;
    case DocumentKind::TransferAmendment:
      data = transfer_amendment_data(tx, a, r.report, r.number);
      break;
    case DocumentKind::Agreement: {
      data = agreement_data(tx, a, r.number);
      if (data.ok()) {
        auto app = tx.applications().find_application(a, r.number);
        OCTROI_CHECK(app && app->award, "agreement_data accepted an awarded dossier");
        on = app->award->date;
        preferred_act = data->text.at("modele");
      }
      break;
    }
    case DocumentKind::Notification:
      data = notification_data(tx, a, r.number, on);
      break;
  }
  if (!data.ok()) return data.refusal();
  return std::pair<DocRecord, Date>{std::move(data).value(), on};
}

std::string default_file(const DocumentRequest& r) {
  std::string stem(template_name(r.kind));
  std::replace(stem.begin(), stem.end(), '_', '-');
  std::string key = r.number.empty() ? r.report : r.number;
  for (auto& c : key)
    if (c == ' ') c = '-';
  return key.empty() ? stem : stem + "-" + key;
}

}  // namespace

Status check_document_request(Transaction& tx, const Context& ctx, const DocumentRequest& request) {
  std::string preferred_act;
  auto data = data_of(tx, ctx, request, preferred_act);
  if (!data.ok()) return data.refusal();
  return done();
}

std::string canonical_json(const DocRecord& d) {
  std::string out;
  canonical(d, out);
  return out;
}

Result<GeneratedDocument> generate_document(Transaction& tx, const Context& ctx,
                                            DocumentEngine& engine, Hasher& hasher,
                                            const DocumentRequest& request) {
  std::string preferred_act;
  auto data = data_of(tx, ctx, request, preferred_act);
  if (!data.ok()) return data.refusal();
  auto chosen =
      choose_template(tx, ctx.authority, engine, hasher, request.kind, data->second, preferred_act);
  if (!chosen.ok()) return chosen.refusal();
  TemplateRecord used = std::move(chosen).value();
  const std::string label = used.name + (used.version == 0 ? std::string(" (intégré)")
                                                           : " v" + std::to_string(used.version));
  auto odt = engine.render_odt(used.content, data->first, label);
  if (!odt.ok()) return odt.refusal();
  GeneratedDocument g;
  g.request = request;
  if (g.request.file.empty()) g.request.file = default_file(request);
  g.odt = std::move(odt).value();
  used.content.clear();
  g.used = std::move(used);
  g.data_sha256 = hasher.sha256_hex(canonical_json(data->first));
  g.document_sha256 = hasher.sha256_hex(g.odt);
  record_audit(
      tx, ctx,
      {.action = "document.generate",
       .entity = "document",
       .key = g.request.file,
       .after = "{\"kind\":" + audit_json::quote(std::string(template_name(request.kind))) +
                ",\"report\":" + audit_json::quote(request.report) +
                ",\"number\":" + audit_json::quote(request.number) +
                ",\"template\":" + audit_json::quote(g.used.name) +
                ",\"template_version\":" + std::to_string(g.used.version) +
                ",\"template_adopted_by\":" + audit_json::quote(g.used.adopted_by) +
                ",\"template_sha256\":" + audit_json::quote(g.used.sha256) +
                ",\"data_sha256\":" + audit_json::quote(g.data_sha256) +
                ",\"document_sha256\":" + audit_json::quote(g.document_sha256) + "}"});
  return g;
}

}  // namespace octroi
