// What the applicants of a portal dossier are told by e-mail when an agent or a vote moves it
// (app/portal.h, notify_applicants): a request for corrections (with what is missing), the start of
// the instruction, the decision (an award with its amount, a refusal with the means of appeal).
#include "app/audit_json.h"
#include "app/mail.h"
#include "app/portal.h"
#include "app/ports/applications.h"
#include "app/ports/authorities.h"
#include "app/ports/files.h"
#include "app/ports/schemes.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace {

struct Message {
  std::string subject, body;
};

std::optional<Message> message_for(const Application& app, const std::string& event,
                                   const std::string& reason, const std::string& authority,
                                   const PortalSettings& settings) {
  const std::string link = settings.base_url.empty()
                               ? "le portail des aides, rubrique « Mon espace »"
                               : settings.base_url + "/portail/dossiers/" + app.number;
  const std::string about = "votre demande n° " + app.number + " (« " + app.project.title + " »)";
  if (event == "declare_incomplete")
    return Message{"Votre dossier " + app.number + " est à compléter",
                   "Bonjour,\n\nLe service instructeur de " + authority +
                       " vous demande de "
                       "compléter " +
                       about + " :\n\n" + reason +
                       "\n\nComplétez-le puis déposez-le de nouveau depuis votre espace :\n" +
                       link +
                       "\n\nLe délai de décision ne court qu'à compter de la réception des pièces "
                       "manquantes (code des relations entre le public et l'administration, art. "
                       "L114-5).\n"};
  if (event == "start_instruction")
    return Message{"Votre dossier " + app.number + " est en instruction",
                   "Bonjour,\n\n" + authority + " a commencé l'instruction de " + about +
                       ".\n\nVous pouvez la suivre depuis votre espace :\n" + link + "\n"};
  if (event == "award")
    return Message{"Décision sur votre dossier " + app.number + " : aide accordée",
                   "Bonjour,\n\n" + authority + " vous accorde une aide de " +
                       (app.award ? fr::euros(app.award->amount) : std::string("?")) + " pour " +
                       about + " (" + reason +
                       ").\n\nLa convention et les modalités de versement sont dans votre "
                       "espace :\n" +
                       link + "\n"};
  if (event == "claim_paid")
    return Message{"Versement sur votre dossier " + app.number,
                   "Bonjour,\n\n" + authority + " a mis en paiement " + reason + " au titre de " +
                       about + ".\n\nLe détail des versements est dans votre espace :\n" + link +
                       "\n"};
  if (event == "claim_refused")
    return Message{"Votre demande de versement sur le dossier " + app.number,
                   "Bonjour,\n\n" + authority +
                       " n'a pas donné suite à votre demande de "
                       "versement au titre de " +
                       about + " :\n\n" + reason +
                       "\n\nVous pouvez en faire une nouvelle depuis votre espace :\n" + link +
                       "\n"};
  if (event == "refuse")
    return Message{"Décision sur votre dossier " + app.number + " : aide refusée",
                   "Bonjour,\n\n" + authority + " n'a pas retenu " + about + "." +
                       (reason.empty() ? "" : "\n\n" + reason) +
                       "\n\nCette décision peut être contestée devant le tribunal administratif "
                       "dans un délai de deux mois à compter de sa notification (code de justice "
                       "administrative, art. R421-1) ; un recours gracieux auprès de la "
                       "collectivité dans ce délai le conserve.\n"};
  return std::nullopt;
}

// The accounts told of a party's dossiers: its active members. A claim an agent has not
// confirmed gives no right, not even to hear of the dossiers.
std::vector<ApplicantRecord> applicants_to_tell(Transaction& tx, AuthorityId a, PartyId party) {
  std::vector<ApplicantRecord> out;
  for (const auto& member : tx.portal().members_of(a, party))
    if (auto r = tx.portal().get_applicant(member.account_id);
        r && r->active && member.role != "pending")
      out.push_back(std::move(*r));
  return out;
}

}  // namespace

void notify_applicants(Transaction& tx, const Context& ctx, Instant at, const Application& app,
                       const std::string& event, const std::string& reason) {
  const AuthorityId a = ctx.authority;
  const PortalSettings settings = ctx.portal ? *ctx.portal : PortalSettings{};
  if (!tx.portal().portal_dossier_account(a, app.id)) return;
  std::string authority = "la collectivité";
  for (const auto& au : tx.authorities().list_authorities())
    if (au.id == a) authority = au.name;
  const auto m = message_for(app, event, reason, authority, settings);
  if (!m) return;
  for (const auto& r : applicants_to_tell(tx, a, app.party))
    queue_mail(tx, a, at, r.email, m->subject, m->body, r.mail_digest);
}

std::optional<PortalOrigin> portal_origin(Transaction& tx, AuthorityId a, ApplicationId app) {
  const auto account = tx.portal().portal_dossier_account(a, app);
  if (!account) return std::nullopt;
  PortalOrigin o;
  if (const auto r = tx.portal().get_applicant(*account)) o.email = r->email;
  o.receipts = tx.portal().receipts_of(a, app);
  o.messages = tx.portal().messages_of(a, app);
  o.files = tx.files().files_of(a, app);
  return o;
}

Result<std::vector<MessageRecord>> dossier_messages(Transaction& tx, AuthorityId a,
                                                    const std::string& number) {
  const auto app = tx.applications().find_application(a, text::trim(number));
  if (!app)
    return refuse("application.unknown", "number",
                  "Aucun dossier n° « " + text::trim(number) + " » pour cette collectivité.");
  return tx.portal().messages_of(a, app->id);
}

Result<MessageRecord> post_agent_message(Transaction& tx, const Context& ctx,
                                         const std::string& number, const std::string& text) {
  const auto app = tx.applications().find_application(ctx.authority, text::trim(number));
  if (!app)
    return refuse("application.unknown", "number",
                  "Aucun dossier n° « " + text::trim(number) + " » pour cette collectivité.");
  const auto scheme = tx.schemes().get_scheme(ctx.authority, app->scheme);
  OCTROI_CHECK(scheme.has_value(), "a dossier's scheme exists (foreign key)");
  if (auto s = check_instructing_service(ctx, *scheme); !s.ok()) return s.refusal();
  if (!tx.portal().portal_dossier_account(ctx.authority, app->id))
    return refuse("message.not_portal", "number",
                  "Le dossier " + app->number +
                      " n'a pas été déposé sur le portail : aucun demandeur ne lira ce message.");
  if (auto p = text::check_required(text, "text", "Le message", 10000, text::Lines::Many))
    return Refusal({*p});
  MessageRecord m;
  m.authority = ctx.authority;
  m.application = app->id;
  m.author_kind = "agent";
  m.author = ctx.actor;
  m.at = ctx.clock->now();
  m.text = text;
  m.id = tx.portal().insert_message(m);
  record_audit(tx, ctx,
               {.action = "application.message",
                .entity = "application",
                .key = app->number,
                .after = "{\"from\":\"agent\",\"text\":" + audit_json::quote(text) + "}",
                .at = m.at});
  std::string authority = "la collectivité";
  for (const auto& au : tx.authorities().list_authorities())
    if (au.id == ctx.authority) authority = au.name;
  const PortalSettings settings = ctx.portal ? *ctx.portal : PortalSettings{};
  const std::string link = settings.base_url.empty()
                               ? "le portail des aides, rubrique « Mon espace »"
                               : settings.base_url + "/portail/dossiers/" + app->number;
  for (const auto& r : applicants_to_tell(tx, ctx.authority, app->party))
    queue_mail(tx, ctx.authority, m.at, r.email, "Nouveau message sur votre dossier " + app->number,
               "Bonjour,\n\nLe service instructeur de " + authority +
                   " vous écrit au sujet de votre demande n° " + app->number + " :\n\n" + text +
                   "\n\nRépondez depuis votre espace :\n" + link + "\n",
               r.mail_digest);
  return m;
}

}  // namespace octroi
