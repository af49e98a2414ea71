// Approval chains: who gives which visa, and the rows a dossier's chain leaves (app/approvals.h).
#include "app/approvals.h"

#include "app/audit_chain.h"
#include "app/audit_json.h"
#include "app/input.h"
#include "app/ports/applications.h"
#include "app/ports/schemes.h"
#include "app/use_cases.h"
#include "domain/text.h"

namespace octroi {
namespace {

constexpr std::size_t kMaxLevels = 9;

// The roles that move dossiers (Action::MoveDossier), hence may hold a level.
bool moves_dossiers(Role r) {
  return permits(r, Action::MoveDossier);
}

std::string role_name(const std::string& code) {
  if (auto r = parse_role(code)) return std::string(role_label(*r));
  return code;
}

std::string level_name(const ApprovalLevel& l) {
  return "« " + l.label + " » (niveau " + std::to_string(l.level) + ")";
}

std::string chain_json(const std::vector<ApprovalLevel>& chain) {
  std::string out = "[";
  for (const auto& l : chain)
    out += std::string(out.size() > 1 ? "," : "") + "{\"level\":" + std::to_string(l.level) +
           ",\"label\":" + audit_json::quote(l.label) + ",\"role\":" + audit_json::quote(l.role) +
           ",\"may_return\":" + (l.may_return ? "true" : "false") + "}";
  return out + "]";
}

}  // namespace

ApprovalState approval_state(Transaction& tx, AuthorityId a, const Application& app,
                             const AidScheme& scheme) {
  ApprovalState st;
  st.chain = scheme.approval_chain;
  st.rows = tx.workspace().visas_of(a, app.id);
  for (const auto& r : st.rows)
    if (r.round > st.round) st.round = r.round;
  for (const auto& r : st.rows) {
    if (r.round != st.round) continue;
    if (r.decision == "approved") ++st.given;
    if (r.decision == "returned") st.returned = true;
  }
  if (app.state() == ApplicationState::AwaitingApproval &&
      st.given < static_cast<int>(st.chain.size()))
    st.awaited = st.chain[static_cast<std::size_t>(st.given)];
  return st;
}

Result<ApprovalState> approval_of(Transaction& tx, AuthorityId a, const std::string& number) {
  auto app = tx.applications().find_application(a, text::trim(number));
  if (!app)
    return refuse("application.unknown", "number",
                  "Aucun dossier n° « " + text::trim(number) + " » pour cette collectivité.");
  auto scheme = tx.schemes().get_scheme(a, app->scheme);
  OCTROI_CHECK(scheme.has_value(), "a dossier's scheme exists (foreign key)");
  return approval_state(tx, a, *app, *scheme);
}

Status check_approval_actor(const Context& ctx, const Application& app, ApplicationEvent event,
                            const ApprovalState& st) {
  using E = ApplicationEvent;
  if (app.state() != ApplicationState::AwaitingApproval || !st.awaited) return done();
  if (event != E::Approve && event != E::SendBack && event != E::Reduce && event != E::Refuse)
    return done();
  const ApprovalLevel& level = *st.awaited;
  const auto role = parse_role(level.role);
  const bool admin = !ctx.role || *ctx.role == Role::Administrator;
  if (!admin && (!role || *ctx.role != *role))
    return refuse("approval.role", "event",
                  "Le dossier " + app.number + " attend le visa " + level_name(level) +
                      ", donné par un compte « " + role_name(level.role) + " » ; le vôtre est « " +
                      std::string(role_label(*ctx.role)) + " ».");
  if (event == E::SendBack && !level.may_return)
    return refuse("approval.no_return", "event",
                  "Le niveau " + level_name(level) +
                      " ne renvoie pas un dossier à l'instruction : il le vise, le réduit ou le "
                      "refuse.");
  // One agent acts once in a round (a visa, a return, a reduction, a refusal): by their account
  // whatever the channel, or by their name without one.
  for (const auto& r : st.rows)
    if (r.round == st.round && (r.actor == ctx.actor || (ctx.account && r.user_id == ctx.account)))
      return refuse("approval.same_agent", "event",
                    r.decision == "requested"
                        ? "Vous avez demandé ce visa : un autre agent le donne."
                        : "Vous avez déjà visé ce dossier à ce tour (niveau " +
                              std::to_string(r.level) + ") : un autre agent donne le suivant.");
  return done();
}

void record_approval_row(Transaction& tx, const Context& ctx, const Application& app,
                         ApplicationEvent event, const ApprovalState& st, const Date& on,
                         const std::string& comment) {
  VisaRecord v;
  v.application = app.id;
  v.actor = ctx.actor;
  v.user_id = ctx.account;
  v.on = on;
  v.at = ctx.clock->now();
  v.comment = text::trim(comment);
  switch (event) {
    case ApplicationEvent::RequestApproval:
      v.round = st.round + 1;
      v.level = 0;
      v.decision = "requested";
      break;
    case ApplicationEvent::Approve:
    case ApplicationEvent::SendBack:
      v.round = st.round;
      v.level = st.given + 1;
      v.decision = event == ApplicationEvent::Approve ? "approved" : "returned";
      break;
    default:
      return;
  }
  tx.workspace().insert_visa(ctx.authority, v);
}

Result<AidScheme> set_approval_chain(Transaction& tx, const Context& ctx,
                                     const std::string& scheme_number,
                                     const std::vector<ApprovalLevelInput>& levels) {
  auto scheme = scheme_by_number(tx, ctx.authority, text::trim(scheme_number));
  if (!scheme.ok()) return scheme;
  InputProblems pb;
  if (levels.size() > kMaxLevels)
    pb.add({"approval.too_many", "levels",
            "Un circuit de visa compte au plus " + std::to_string(kMaxLevels) + " niveaux."});
  std::vector<ApprovalLevel> chain;
  for (std::size_t i = 0; i < levels.size() && i < kMaxLevels; ++i) {
    const std::string at = "levels[" + std::to_string(i) + "]";
    ApprovalLevel l;
    l.level = static_cast<int>(i) + 1;
    l.label = text::trim(levels[i].label);
    if (auto p = text::check_required(l.label, at + ".label",
                                      "Le libellé du niveau " + std::to_string(l.level), 120))
      pb.add(*p);
    const auto role = parse_role(text::trim(levels[i].role));
    if (!role || !moves_dossiers(*role))
      pb.add({"approval.role_unknown", at + ".role",
              "Niveau " + std::to_string(l.level) + " : rôle « " + levels[i].role +
                  " » inconnu ou qui ne fait pas avancer les dossiers (approver, administrator "
                  "ou instructor)."});
    else
      l.role = std::string(to_string(*role));
    l.may_return = levels[i].may_return;
    chain.push_back(std::move(l));
  }
  if (!pb.empty()) return pb.refusal();
  ApplicationFilter waiting;
  waiting.state = ApplicationState::AwaitingApproval;
  waiting.scheme = scheme->id;
  if (tx.applications().count_applications(ctx.authority, waiting) > 0)
    return refuse("approval.busy", "levels",
                  "Des dossiers du dispositif " + scheme->number +
                      " attendent un visa : le circuit change quand ils l'ont reçu ou ont été "
                      "renvoyés à l'instruction.");
  const std::string before = chain_json(scheme->approval_chain);
  tx.schemes().replace_approval_chain(ctx.authority, scheme->id, chain);
  record_audit(tx, ctx,
               {.action = "scheme.approval_chain",
                .entity = "scheme",
                .key = scheme->number,
                .before = "{\"approval_chain\":" + before + "}",
                .after = "{\"approval_chain\":" + chain_json(chain) + "}"});
  AidScheme s = std::move(scheme).value();
  s.approval_chain = std::move(chain);
  return s;
}

std::string describe_chain(const std::vector<ApprovalLevel>& chain) {
  if (chain.empty()) return "aucun";
  std::string out;
  for (const auto& l : chain)
    out += (out.empty() ? "" : ", puis ") + l.label + " (" + role_name(l.role) + ")";
  return out;
}

}  // namespace octroi
