// What the applicants of a portal dossier are told by e-mail when an agent or a vote moves it
// (app/portal.h, notify_applicants): a request for corrections (with what is missing), the start of
// the instruction, the decision (an award with its amount, a refusal with the means of appeal).
#include "app/mail.h"
#include "app/portal.h"
#include "app/ports/authorities.h"
#include "app/ports/schemes.h"
#include "core/french.h"

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
  for (const auto& member : tx.portal().members_of(a, app.party))
    if (const auto r = tx.portal().get_applicant(member.account_id); r && r->active)
      queue_mail(tx, a, at, r->email, m->subject, m->body);
}

std::optional<PortalOrigin> portal_origin(Transaction& tx, AuthorityId a, ApplicationId app) {
  const auto account = tx.portal().portal_dossier_account(a, app);
  if (!account) return std::nullopt;
  PortalOrigin o;
  if (const auto r = tx.portal().get_applicant(*account)) o.email = r->email;
  o.receipts = tx.portal().receipts_of(a, app);
  return o;
}

}  // namespace octroi
