// The portal's catalogue and the applicants' dossiers (app/portal.h).
#include <algorithm>

#include "app/audit_json.h"
#include "app/files.h"
#include "app/import_columns.h"
#include "app/input.h"
#include "app/mail.h"
#include "app/portal.h"
#include "app/ports/applications.h"
#include "app/ports/authorities.h"
#include "app/ports/files.h"
#include "app/ports/parties.h"
#include "app/ports/schemes.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace {

Refusal not_found(const std::string& number) {
  return refuse("portal.not_found", "number",
                "Aucun de vos dossiers ne porte le n° « " + number + " ».");
}

bool matches(const CatalogueEntry& e, const std::vector<std::string>& words) {
  const std::string hay = header_key(e.scheme.number + " " + e.scheme.name + " " +
                                     e.portal.eligibility + " " + e.portal.documents);
  return std::all_of(words.begin(), words.end(), [&](const std::string& w) {
    const std::string k = header_key(w);
    return k.empty() || hay.find(k) != std::string::npos;
  });
}

CatalogueEntry entry_of(const AidScheme& s, const SchemePortalRecord& p, Date today) {
  return CatalogueEntry{s, p, s.is_open_on(today), s.rule.describe()};
}

PortalDossier dossier_of(Transaction& tx, AuthorityId a, ApplicationView v) {
  PortalDossier d;
  d.receipts = tx.portal().receipts_of(a, v.application.id);
  d.state_label = applicant_state_label(v.application.state());
  d.messages = tx.portal().messages_of(a, v.application.id);
  d.files = tx.files().files_of(a, v.application.id);
  if (const auto p = tx.portal().scheme_portal(a, v.scheme.id)) {
    d.contact = p->contact;
    d.pieces = split_lines(p->documents);
    d.missing = missing_pieces(*p, d.files);
    d.settings = *p;
  }
  d.editable = v.application.state() == ApplicationState::Draft ||
               v.application.state() == ApplicationState::Incomplete;
  d.view = std::move(v);
  return d;
}

std::string authority_contact(const Authority& au) {
  return au.name + (au.address.empty() ? "" : ", " + au.address);
}

// The receipt's e-mail (CRPA R112-5): when it was received, the day of an implicit rejection,
// who handles it, and the means of appeal.
void mail_receipt(Transaction& tx, const ApplicantContext& ac, const ApplicationView& v,
                  const ReceiptRecord& r, const PortalSettings& settings) {
  Authority au;
  for (const auto& x : tx.authorities().list_authorities())
    if (x.id == ac.authority) au = x;
  const std::string service = v.scheme.service.empty() ? au.name : v.scheme.service;
  const auto portal = tx.portal().scheme_portal(ac.authority, v.scheme.id);
  const std::string contact = portal ? portal->contact : "";
  queue_mail(
      tx, ac.authority, r.received_at, ac.email,
      "Accusé de réception de votre demande " + v.application.number,
      "Bonjour,\n\n" + au.name + " a reçu le " + fr::moment(r.received_at) + " votre demande n° " +
          v.application.number + " (« " + v.application.project.title +
          " »), au titre du dispositif « " + v.scheme.name + " ».\n\n" +
          "Service chargé du dossier : " + service + " — " + authority_contact(au) +
          (contact.empty() ? "" : " — " + contact) + ".\n\n" +
          "Une demande de subvention a un caractère financier : sans réponse de notre part au " +
          fr::date_long(r.implicit_rejection_on) +
          ", elle sera réputée rejetée (code des relations entre le public et l'administration, "
          "art. L231-4). Ce rejet implicite, comme une décision expresse, peut être contesté "
          "devant le tribunal administratif dans un délai de deux mois (code de justice "
          "administrative, art. R421-1 et R421-2) ; un recours gracieux auprès de la "
          "collectivité dans ce délai le conserve.\n\n" +
          "S'il manque des pièces, nous vous le dirons avec le délai pour les fournir ; le délai "
          "de décision ne court alors qu'à leur réception (art. L114-5).\n\n" +
          "Votre accusé de réception est téléchargeable depuis votre espace :\n" +
          settings.base_url + "/portail/dossiers/" + v.application.number + "/recepisse\n");
}

}  // namespace

// The applicant's dossier of this number, or "not found" (another's, or none).
Result<Application> applicant_dossier(Transaction& tx, const ApplicantContext& ac,
                                      const std::string& typed) {
  const std::string number = text::trim(typed);
  if (!Application::is_valid_number(number)) return not_found(number);
  auto app = tx.applications().find_application(ac.authority, number);
  if (!app || !tx.portal().dossier_of_account(ac.authority, ac.account_id, app->id))
    return not_found(number);
  return *app;
}

Date implicit_rejection_day(Date received) {
  return received.add_months(2);
}

std::string applicant_state_label(ApplicationState s) {
  switch (s) {
    case ApplicationState::Draft:
      return "brouillon";
    case ApplicationState::Submitted:
      return "déposé";
    case ApplicationState::Incomplete:
      return "à compléter";
    case ApplicationState::UnderInstruction:
    case ApplicationState::AwaitingApproval:
    case ApplicationState::Proposed:
      return "en instruction";
    case ApplicationState::Awarded:
      return "accordé";
    case ApplicationState::Refused:
      return "refusé";
    case ApplicationState::Withdrawn:
      return "retiré";
    case ApplicationState::Closed:
      return "soldé";
    case ApplicationState::Lapsed:
      return "caduc";
  }
  return "";
}

std::vector<CatalogueEntry> portal_catalogue(Transaction& tx, AuthorityId a, Date today,
                                             const std::string& query) {
  const auto words = text::search_words(query);
  std::vector<CatalogueEntry> out;
  for (const auto& s : tx.schemes().list_schemes(a)) {
    const auto p = tx.portal().scheme_portal(a, s.id);
    if (!p || !p->published) continue;
    auto e = entry_of(s, *p, today);
    if (matches(e, words)) out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const CatalogueEntry& x, const CatalogueEntry& y) {
    return x.open > y.open;
  });
  return out;
}

Result<CatalogueEntry> portal_scheme(Transaction& tx, AuthorityId a, Date today,
                                     const std::string& number) {
  const auto s = tx.schemes().find_scheme(a, text::trim(number));
  const auto p = s ? tx.portal().scheme_portal(a, s->id) : std::nullopt;
  if (!p || !p->published)
    return refuse(
        "portal.scheme_unknown", "scheme",
        "Aucun dispositif n° « " + text::trim(number) + " » n'est ouvert sur le portail.");
  return entry_of(*s, *p, today);
}

Result<SchemePortalRecord> set_scheme_portal(Transaction& tx, const Context& ctx,
                                             const std::string& scheme_number,
                                             const SchemePortalInput& in) {
  const auto s = tx.schemes().find_scheme(ctx.authority, text::trim(scheme_number));
  if (!s)
    return refuse("scheme.unknown", "scheme",
                  "Aucun dispositif n° « " + scheme_number + " » pour cette collectivité.");
  InputProblems pb;
  if (auto p = text::check_optional(in.eligibility, "eligibility", "L'éligibilité", 4000,
                                    text::Lines::Many))
    pb.add(*p);
  if (auto p = text::check_optional(in.documents, "documents", "La liste des pièces", 4000,
                                    text::Lines::Many))
    pb.add(*p);
  for (const auto& line : split_lines(in.documents))
    if (text::length(line) > 500) {
      pb.add({"portal.documents", "documents",
              "Chaque pièce demandée tient sur une ligne de 500 caractères au plus."});
      break;
    }
  if (auto p = text::check_optional(in.file_types, "file_types", "La liste des types de fichiers",
                                    1000, text::Lines::Many))
    pb.add(*p);
  if (auto p = text::check_optional(in.contact, "contact", "Le contact du service", 1000))
    pb.add(*p);
  SchemePortalRecord r;
  r.scheme = s->id;
  r.authority = ctx.authority;
  r.published = in.published;
  r.eligibility = text::trim(in.eligibility);
  r.documents = text::trim(in.documents);
  r.file_types = text::trim(in.file_types);
  r.contact = text::trim(in.contact);
  const std::string size = text::trim(in.max_file_bytes);
  if (!size.empty()) {
    std::int64_t mib = 0;
    const bool digits = size.size() <= 3 && size.find_first_not_of("0123456789") == size.npos;
    if (digits) mib = std::stoll(size);
    // The bound of app/files.h: what the transport and the database take.
    if (!digits || mib < 1 || mib > kMaxFileBytes / (1024 * 1024))
      pb.add({"portal.max_file_size", "max_file_bytes",
              "La taille maximale d'un fichier est un nombre de Mio, de 1 à 32."});
    else
      r.max_file_bytes = mib * 1024 * 1024;
  }
  for (const auto& line : split_lines(r.file_types))
    if (line.find('/') == std::string::npos || line.find(' ') != std::string::npos)
      pb.add({"portal.file_type", "file_types",
              "« " + line + " » n'est pas un type de fichier (type MIME comme application/pdf)."});
  if (!pb.empty()) return pb.refusal();
  const auto before = tx.portal().scheme_portal(ctx.authority, s->id);
  tx.portal().put_scheme_portal(r);
  const auto json = [](const SchemePortalRecord& x) {
    return std::string("{\"published\":") + (x.published ? "true" : "false") +
           ",\"eligibility\":" + audit_json::quote(x.eligibility) +
           ",\"documents\":" + audit_json::quote(x.documents) +
           ",\"file_types\":" + audit_json::quote(x.file_types) +
           ",\"contact\":" + audit_json::quote(x.contact) +
           ",\"max_file_bytes\":" + std::to_string(x.max_file_bytes) + "}";
  };
  record_audit(tx, ctx,
               {.action = "scheme.portal",
                .entity = "scheme",
                .key = s->number,
                .before = before ? json(*before) : "",
                .after = json(r)});
  return r;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string line = text::trim(text.substr(at, end - at));
    if (!line.empty()) out.push_back(line);
    at = end + 1;
  }
  return out;
}

std::vector<PortalDossier> portal_dossiers(Transaction& tx, const ApplicantContext& ac) {
  std::vector<PortalDossier> out;
  for (const auto id : tx.portal().dossiers_of_account(ac.authority, ac.account_id, 500)) {
    const auto app = tx.applications().get_application(ac.authority, id);
    if (!app) continue;
    auto v = show_application(tx, ac.authority, app->number);
    if (v.ok()) out.push_back(dossier_of(tx, ac.authority, std::move(v).value()));
  }
  return out;
}

Result<PortalDossier> portal_dossier(Transaction& tx, const ApplicantContext& ac,
                                     const std::string& number) {
  auto app = applicant_dossier(tx, ac, number);
  if (!app.ok()) return app.refusal();
  auto v = show_application(tx, ac.authority, app->number);
  if (!v.ok()) return v.refusal();
  return dossier_of(tx, ac.authority, std::move(v).value());
}

Result<PortalDossier> portal_create_dossier(Transaction& tx, const ApplicantContext& ac,
                                            ApplicationInput in) {
  const auto scheme = portal_scheme(tx, ac.authority, ac.clock->today(), in.scheme_number);
  if (!scheme.ok()) return scheme.refusal();
  if (!scheme->open)
    return refuse(
        "portal.scheme_closed", "scheme",
        "Le dispositif « " + scheme->scheme.name + " » ne reçoit pas de demande aujourd'hui.");
  bool member = false;
  for (const auto& m : tx.portal().memberships_of(ac.authority, ac.account_id))
    member = member || (m.party.value == in.party_id && m.role != "pending");
  if (!member)
    return refuse("portal.organisation", "party",
                  "Choisissez l'une de vos organisations (rejoignez-la d'abord depuis « Mes "
                  "organisations »).");
  in.number.clear();  // the authority numbers its dossiers
  const Context ctx = context_of(ac);
  auto app = create_application(tx, ctx, in);
  if (!app.ok()) return app.refusal();
  tx.portal().insert_portal_dossier(ac.authority, app->id, ac.account_id, ac.clock->now());
  return portal_dossier(tx, ac, app->number);
}

Result<PortalDossier> portal_edit_dossier(Transaction& tx, const ApplicantContext& ac,
                                          const std::string& number, ApplicationInput in) {
  auto app = applicant_dossier(tx, ac, number);
  if (!app.ok()) return app.refusal();
  auto edited = edit_draft(tx, context_of(ac), app->number, in);
  if (!edited.ok()) return edited.refusal();
  return portal_dossier(tx, ac, app->number);
}

Result<PortalDossier> portal_submit(Transaction& tx, const ApplicantContext& ac,
                                    const std::string& number, const PortalSettings& settings) {
  auto app = applicant_dossier(tx, ac, number);
  if (!app.ok()) return app.refusal();
  const ApplicationState state = app->state();
  // A second click on "Déposer" (or a replayed form) finds the dossier submitted: it answers
  // the receipt already given, and submits nothing twice.
  if (state == ApplicationState::Submitted) {
    auto d = portal_dossier(tx, ac, app->number);
    if (d.ok() && !d->receipts.empty()) return d;
  }
  if (state != ApplicationState::Draft && state != ApplicationState::Incomplete)
    return refuse("application.not_editable", "number",
                  "Le dossier " + app->number + " ne peut plus être déposé : il est " +
                      applicant_state_label(state) + ".");
  if (const auto p = tx.portal().scheme_portal(ac.authority, app->scheme)) {
    const auto missing = missing_pieces(*p, tx.files().files_of(ac.authority, app->id));
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing)
        list += (list.empty() ? "« " : ", « ") + m + " »";
      return refuse("portal.missing_files", "files",
                    "Joignez avant de déposer la demande : " + list + ".");
    }
  }
  EventInput e;
  e.event = state == ApplicationState::Draft ? "submit" : "complete";
  auto moved = apply_application_event(tx, context_of(ac), app->number, e);
  if (!moved.ok()) return moved.refusal();
  ReceiptRecord r;
  r.application = app->id;
  r.authority = ac.authority;
  r.round = static_cast<int>(tx.portal().receipts_of(ac.authority, app->id).size()) + 1;
  r.received_at = ac.clock->now();
  r.implicit_rejection_on = implicit_rejection_day(paris_time(r.received_at).day);
  r.account_id = ac.account_id;
  tx.portal().insert_receipt(r);
  auto d = portal_dossier(tx, ac, app->number);
  if (d.ok()) mail_receipt(tx, ac, d->view, r, settings);
  return d;
}

Result<MessageRecord> portal_post_message(Transaction& tx, const ApplicantContext& ac,
                                          const std::string& number, const std::string& text) {
  auto app = applicant_dossier(tx, ac, number);
  if (!app.ok()) return app.refusal();
  if (auto p = text::check_required(text, "text", "Le message", 10000, text::Lines::Many))
    return Refusal({*p});
  MessageRecord m;
  m.authority = ac.authority;
  m.application = app->id;
  m.author_kind = "applicant";
  m.author = ac.email;
  m.applicant_account_id = ac.account_id;
  m.at = ac.clock->now();
  m.text = text;
  m.id = tx.portal().insert_message(m);
  record_audit(tx, context_of(ac),
               {.action = "application.message",
                .entity = "application",
                .key = app->number,
                .after = "{\"from\":\"applicant\",\"text\":" + audit_json::quote(text) + "}",
                .at = m.at});
  return m;
}

}  // namespace octroi
