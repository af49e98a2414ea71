#include "app/workspace.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "app/audit_json.h"
#include "app/input.h"
#include "app/ports/applications.h"
#include "app/ports/schemes.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace {

constexpr std::size_t kBulkMax = 200;
constexpr std::size_t kSavedFiltersMax = 50;  // per account

Result<Application> dossier(Transaction& tx, AuthorityId a, const std::string& number) {
  auto app = tx.applications().find_application(a, text::trim(number));
  if (!app)
    return refuse("application.unknown", "number",
                  "Aucun dossier n° « " + text::trim(number) + " » pour cette collectivité.");
  return *app;
}

bool may_instruct(const UserRecord& u) {
  const auto role = parse_role(u.role);
  return u.active && role && permits(*role, Action::MoveDossier);
}

AssignmentView view_of(Transaction& tx, AuthorityId a, const Application& app) {
  AssignmentView v{app.number, "", ""};
  if (const auto r = tx.workspace().assignment_of(a, app.id))
    if (const auto u = tx.accounts().get_user(a, r->user_id)) {
      v.login = u->login;
      v.display_name = u->display_name;
    }
  return v;
}

std::string assignee_json(const AssignmentView& v) {
  return "{\"assignee\":" + audit_json::quote(v.login) + "}";
}

// The account `login` may instruct `app` of `scheme`: active, of the authority, a role that moves
// dossiers, and for an instructor the scheme's service.
Result<UserRecord> assignee(Transaction& tx, AuthorityId a, const std::string& login,
                            const AidScheme& scheme) {
  auto u = tx.accounts().find_user(login);
  if (!u || u->authority != a)
    return refuse("assign.unknown", "assignee",
                  "Aucun compte « " + login + " » dans cette collectivité.");
  if (!may_instruct(*u))
    return refuse("assign.role", "assignee",
                  "Le compte « " + login + " » ne peut pas instruire de dossier" +
                      (u->active ? " (rôle « " + u->role + " »)." : " : il est désactivé."));
  if (u->role == "instructor") {
    Context as;
    as.service = u->service;
    if (auto ok = check_instructing_service(as, scheme); !ok.ok())
      return refuse("assign.service", "assignee",
                    u->display_name + " (service « " + u->service +
                        " ») n'instruit pas les dossiers du dispositif " + scheme.number + ".");
  }
  return *u;
}

}  // namespace

void release_assignments(Transaction& tx, const Context& ctx, const UserRecord& u) {
  for (const ApplicationId id : tx.workspace().assigned_to(ctx.authority, u.id)) {
    const auto app = tx.applications().get_application(ctx.authority, id);
    if (!app) throw StoreError("assigned dossier not found");
    tx.workspace().set_assignment(ctx.authority, id, std::nullopt);
    record_audit(tx, ctx,
                 {.action = "application.assign",
                  .entity = "application",
                  .key = app->number,
                  .before = "{\"assignee\":" + audit_json::quote(u.login) + "}",
                  .after = "{\"assignee\":\"\",\"reason\":\"compte désactivé\"}"});
  }
}

Result<AssignmentView> assignment_of(Transaction& tx, AuthorityId a, const std::string& number) {
  auto app = dossier(tx, a, number);
  if (!app.ok()) return app.refusal();
  return view_of(tx, a, app.value());
}

Result<AssignmentView> assign_application(Transaction& tx, const Context& ctx, const Caller& who,
                                          const std::string& number, const std::string& login) {
  auto app = dossier(tx, ctx.authority, number);
  if (!app.ok()) return app.refusal();
  auto scheme = tx.schemes().get_scheme(ctx.authority, app->scheme);
  if (!scheme) throw StoreError("scheme of " + app->number + " not found");
  if (auto ok = check_instructing_service(ctx, *scheme); !ok.ok()) return ok.refusal();
  const AssignmentView before = view_of(tx, ctx.authority, app.value());
  const std::string wanted = text::trim(login);
  std::optional<UserRecord> to;
  if (!wanted.empty()) {
    auto u = assignee(tx, ctx.authority, wanted, *scheme);
    if (!u.ok()) return u.refusal();
    to = u.value();
  }
  // An instructor takes a dossier nobody instructs, or gives back their own; nothing else (a
  // colleague's dossier goes to them through the chef de service).
  if (who.role == Role::Instructor) {
    const auto current = tx.workspace().assignment_of(ctx.authority, app->id);
    const bool free_or_mine = !current || current->user_id == who.user_id;
    const bool taking = to && to->id == who.user_id && free_or_mine;
    const bool giving_back = !to && current && current->user_id == who.user_id;
    if (!taking && !giving_back)
      return refuse("assign.self_only", "assignee",
                    "Un instructeur prend un dossier que personne n'instruit, ou rend le sien ; "
                    "le chef de service attribue les autres.");
  }
  if (to && before.login == to->login) return before;
  if (!to && before.login.empty()) return before;
  std::optional<AssignmentRecord> rec;
  if (to) rec = AssignmentRecord{app->id, to->id, ctx.clock->now(), ctx.actor};
  tx.workspace().set_assignment(ctx.authority, app->id, rec);
  AssignmentView after{app->number, to ? to->login : "", to ? to->display_name : ""};
  record_audit(tx, ctx,
               {.action = "application.assign",
                .entity = "application",
                .key = app->number,
                .before = assignee_json(before),
                .after = assignee_json(after)});
  return after;
}

Status follow_application(Transaction& tx, const Context& ctx, const Caller& who,
                          const std::string& number, bool on) {
  if (who.user_id == 0)
    return refuse("follow.account", "account",
                  "Seul un compte nominatif suit des dossiers (pas un jeton sans titulaire).");
  auto app = dossier(tx, ctx.authority, number);
  if (!app.ok()) return app.refusal();
  if (tx.workspace().follows(ctx.authority, app->id, who.user_id) == on) return Done{};
  tx.workspace().set_follow(ctx.authority, app->id, who.user_id, on, ctx.clock->now());
  record_audit(tx, ctx,
               {.action = on ? "application.follow" : "application.unfollow",
                .entity = "application",
                .key = app->number,
                .before = on ? "" : "{\"user\":" + std::to_string(who.user_id) + "}",
                .after = on ? "{\"user\":" + std::to_string(who.user_id) + "}" : ""});
  return Done{};
}

bool follows_application(Transaction& tx, AuthorityId a, const Caller& who,
                         const std::string& number) {
  if (who.user_id == 0) return false;
  const auto app = tx.applications().find_application(a, text::trim(number));
  return app && tx.workspace().follows(a, app->id, who.user_id);
}

namespace {

// The dossiers named, each once, at most kBulkMax.
Result<std::vector<std::string>> bulk_numbers(const std::vector<std::string>& numbers) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& n : numbers) {
    const std::string t = text::trim(n);
    if (!t.empty() && seen.insert(t).second) out.push_back(t);
  }
  if (out.empty())
    return refuse("bulk.empty", "numbers", "Cochez au moins un dossier de la liste.");
  if (out.size() > kBulkMax)
    return refuse("bulk.too_many", "numbers",
                  "Au plus " + std::to_string(kBulkMax) + " dossiers à la fois (" +
                      std::to_string(out.size()) + " cochés).");
  return out;
}

// The problems of dossier `number`, each message prefixed by it.
void add_named(InputProblems& pb, const std::string& number, const Refusal& r) {
  for (auto p : r.problems) {
    p.message = number + " : " + p.message;
    pb.add(std::move(p));
  }
}

}  // namespace

Result<std::vector<Application>> bulk_event(Transaction& tx, const Context& ctx,
                                            const std::vector<std::string>& numbers,
                                            const EventInput& in) {
  auto list = bulk_numbers(numbers);
  if (!list.ok()) return list.refusal();
  InputProblems pb;
  std::vector<Application> out;
  for (const auto& n : list.value()) {
    auto moved = apply_application_event(tx, ctx, n, in);
    if (moved.ok())
      out.push_back(std::move(moved).value());
    else
      add_named(pb, n, moved.refusal());
  }
  if (!pb.empty()) return pb.refusal();  // nothing is kept: the transaction rolls back
  return out;
}

Result<std::vector<AssignmentView>> bulk_assign(Transaction& tx, const Context& ctx,
                                                const Caller& who,
                                                const std::vector<std::string>& numbers,
                                                const std::string& login) {
  auto list = bulk_numbers(numbers);
  if (!list.ok()) return list.refusal();
  InputProblems pb;
  std::vector<AssignmentView> out;
  for (const auto& n : list.value()) {
    auto done = assign_application(tx, ctx, who, n, login);
    if (done.ok())
      out.push_back(std::move(done).value());
    else
      add_named(pb, n, done.refusal());
  }
  if (!pb.empty()) return pb.refusal();
  return out;
}

namespace {

// The parameters a saved search may hold: those of the dossier list, never its page.
const std::set<std::string>& list_parameters() {
  static const std::set<std::string> known = {"q",    "state", "scheme", "departement", "session",
                                              "sort", "order", "queue",  "scope",       "assignee"};
  return known;
}

}  // namespace

Result<SavedFilterRecord> save_filter(Transaction& tx, const Context& ctx, const Caller& who,
                                      const std::string& name, const std::string& query) {
  if (who.user_id == 0)
    return refuse("filter.account", "account",
                  "Seul un compte nominatif enregistre des recherches.");
  InputProblems pb;
  const std::string n = text::trim(name);
  if (n.empty() || !text::is_valid_utf8(n) || text::length(n) > 80 ||
      n.find_first_of("\t\r\n") != std::string::npos)
    pb.add({"filter.name", "name", "Nommez la recherche (une ligne, 80 caractères au plus)."});
  std::string q = text::trim(query);
  if (!q.empty() && q[0] == '?') q.erase(0, 1);
  if (q.size() > 2000 || !text::is_valid_utf8(q))
    pb.add({"filter.query", "query", "La recherche enregistrée tient en 2 000 caractères."});
  else
    for (std::size_t at = 0; at < q.size();) {
      const std::size_t amp = std::min(q.find('&', at), q.size());
      const std::string pair = q.substr(at, amp - at);
      const std::string key = pair.substr(0, pair.find('='));
      const bool control = std::any_of(pair.begin(), pair.end(),
                                       [](char c) { return static_cast<unsigned char>(c) < 0x20; });
      if (!pair.empty() && (control || !list_parameters().count(key))) {
        pb.add({"filter.query", "query",
                "La recherche enregistrée ne peut contenir « " + key +
                    " » : seuls les filtres et l'ordre de la liste des dossiers."});
        break;
      }
      at = amp + 1;
    }
  const auto mine = tx.workspace().saved_filters(ctx.authority, who.user_id);
  for (const auto& f : mine)
    if (f.name == n)
      pb.add({"filter.exists", "name", "Vous avez déjà une recherche « " + n + " »."});
  if (mine.size() >= kSavedFiltersMax)
    pb.add({"filter.too_many", "name",
            "Vous avez déjà " + std::to_string(kSavedFiltersMax) +
                " recherches enregistrées : supprimez-en une d'abord."});
  if (!pb.empty()) return pb.refusal();
  SavedFilterRecord f;
  f.user_id = who.user_id;
  f.name = n;
  f.query = q;
  f.created_at = ctx.clock->now();
  f.id = tx.workspace().insert_saved_filter(ctx.authority, f);
  record_audit(tx, ctx,
               {.action = "filter.save",
                .entity = "saved_filter",
                .key = std::to_string(f.id),
                .after = "{\"name\":" + audit_json::quote(f.name) +
                         ",\"query\":" + audit_json::quote(f.query) + "}"});
  return f;
}

Status delete_filter(Transaction& tx, const Context& ctx, const Caller& who,
                     const std::string& id_text) {
  const std::string t = text::trim(id_text);
  std::optional<SavedFilterRecord> gone;
  if (!t.empty() && t.size() <= 12 && t.find_first_not_of("0123456789") == std::string::npos)
    for (const auto& f : tx.workspace().saved_filters(ctx.authority, who.user_id))
      if (f.id == std::stoll(t)) gone = f;
  if (!gone || !tx.workspace().delete_saved_filter(ctx.authority, who.user_id, gone->id))
    return refuse("filter.unknown", "id",
                  "Vous n'avez pas de recherche enregistrée n° « " + t + " ».");
  record_audit(tx, ctx,
               {.action = "filter.delete",
                .entity = "saved_filter",
                .key = t,
                .before = "{\"name\":" + audit_json::quote(gone->name) +
                          ",\"query\":" + audit_json::quote(gone->query) + "}"});
  return Done{};
}

std::vector<SavedFilterRecord> saved_filters_of(Transaction& tx, AuthorityId a, const Caller& who) {
  if (who.user_id == 0) return {};
  return tx.workspace().saved_filters(a, who.user_id);
}

std::vector<std::string> opinion_services(Transaction& tx, AuthorityId a, const AidScheme& scheme) {
  std::set<std::string> all;
  for (const auto& s : tx.schemes().list_schemes(a))
    if (!s.service.empty()) all.insert(s.service);
  for (const auto& u : tx.accounts().list_users(a))
    if (u.active && !u.service.empty()) all.insert(u.service);
  all.erase(scheme.service);
  return {all.begin(), all.end()};
}

std::string opinion_label(const std::string& opinion) {
  if (opinion == "favorable") return "favorable";
  if (opinion == "reserved") return "réservé";
  if (opinion == "unfavorable") return "défavorable";
  return "en attente";
}

namespace {

std::string opinion_json(const OpinionRecord& o) {
  return "{\"id\":" + std::to_string(o.id) + ",\"service\":" + audit_json::quote(o.service) +
         ",\"question\":" + audit_json::quote(o.question) +
         (o.opinion.empty() ? std::string()
                            : ",\"opinion\":" + audit_json::quote(o.opinion) +
                                  ",\"answer\":" + audit_json::quote(o.answer)) +
         "}";
}

}  // namespace

Result<OpinionRecord> request_opinion(Transaction& tx, const Context& ctx,
                                      const std::string& number, const std::string& service,
                                      const std::string& question) {
  auto app = dossier(tx, ctx.authority, number);
  if (!app.ok()) return app.refusal();
  auto scheme = tx.schemes().get_scheme(ctx.authority, app->scheme);
  if (!scheme) throw StoreError("scheme of " + app->number + " not found");
  if (auto ok = check_instructing_service(ctx, *scheme); !ok.ok()) return ok.refusal();
  InputProblems pb;
  const std::string s = text::trim(service);
  const auto services = opinion_services(tx, ctx.authority, *scheme);
  if (std::find(services.begin(), services.end(), s) == services.end())
    pb.add({"opinion.service", "service",
            s.empty() ? std::string("Choisissez le service dont vous demandez l'avis.")
                      : "« " + s +
                            " » n'est pas un autre service de la collectivité : l'avis se demande "
                            "à un service qui instruit des dispositifs ou compte des agents."});
  const std::string q = text::trim(question);
  if (q.empty() || !text::is_valid_utf8(q) || text::length(q) > 5000)
    pb.add({"opinion.question", "question",
            "Posez la question du service instructeur (5 000 caractères au plus)."});
  if (!pb.empty()) return pb.refusal();
  OpinionRecord o;
  o.application = app->id;
  o.service = s;
  o.question = q;
  o.requested_by = ctx.actor;
  o.requested_at = ctx.clock->now();
  o.id = tx.workspace().insert_opinion(ctx.authority, o);
  record_audit(tx, ctx,
               {.action = "opinion.request",
                .entity = "application",
                .key = app->number,
                .after = opinion_json(o),
                .at = o.requested_at});
  return o;
}

Result<OpinionRecord> give_opinion(Transaction& tx, const Context& ctx, const Caller& who,
                                   const std::string& id_text, const std::string& opinion,
                                   const std::string& answer) {
  const std::string t = text::trim(id_text);
  std::optional<OpinionRecord> o;
  if (!t.empty() && t.size() <= 12 && t.find_first_not_of("0123456789") == std::string::npos)
    o = tx.workspace().get_opinion(ctx.authority, std::stoll(t));
  if (!o) return refuse("opinion.unknown", "id", "Aucune demande d'avis n° « " + t + " ».");
  // The service asked answers (an administrator may, for it); nobody else.
  if (who.role != Role::Administrator && (!ctx.service || *ctx.service != o->service))
    return refuse("opinion.service_only", "opinion",
                  "Seul le service « " + o->service + " » donne cet avis.");
  if (!o->opinion.empty())
    return refuse("opinion.answered", "opinion",
                  "L'avis a déjà été donné le " + fr::date_long(paris_time(*o->answered_at).day) +
                      " : il ne se modifie pas.");
  InputProblems pb;
  const std::string kind = text::trim(opinion);
  if (kind != "favorable" && kind != "reserved" && kind != "unfavorable")
    pb.add({"opinion.kind", "opinion", "Choisissez l'avis : favorable, réservé ou défavorable."});
  const std::string a = text::trim(answer);
  if (!text::is_valid_utf8(a) || text::length(a) > 5000 ||
      ((kind == "reserved" || kind == "unfavorable") && a.empty()))
    pb.add({"opinion.answer", "answer",
            "Motivez un avis réservé ou défavorable (5 000 caractères au plus)."});
  if (!pb.empty()) return pb.refusal();
  const OpinionRecord before = *o;
  o->opinion = kind;
  o->answer = a;
  o->answered_by = ctx.actor;
  o->answered_at = ctx.clock->now();
  if (!tx.workspace().answer_opinion(ctx.authority, *o))
    return refuse("opinion.answered", "opinion", "L'avis a déjà été donné : il ne se modifie pas.");
  const auto app = tx.applications().get_application(ctx.authority, o->application);
  record_audit(tx, ctx,
               {.action = "opinion.answer",
                .entity = "application",
                .key = app ? app->number : std::string(),
                .before = opinion_json(before),
                .after = opinion_json(*o),
                .at = o->answered_at});
  return *o;
}

Result<std::vector<OpinionRecord>> opinions_of(Transaction& tx, AuthorityId a,
                                               const std::string& number) {
  auto app = dossier(tx, a, number);
  if (!app.ok()) return app.refusal();
  return tx.workspace().opinions_of(a, app->id);
}

std::vector<SchemeTotal> totals_by_scheme(Transaction& tx, AuthorityId a) {
  std::vector<SchemeTotal> out;
  for (const auto& t : tx.applications().totals_by_scheme(a))
    if (auto s = tx.schemes().get_scheme(a, t.scheme))
      out.push_back(SchemeTotal{std::move(*s), t.dossiers, t.awarded, t.proposed});
  std::sort(out.begin(), out.end(), [](const SchemeTotal& x, const SchemeTotal& y) {
    return x.scheme.number < y.scheme.number;
  });
  return out;
}

WorkCounts work_counts(Transaction& tx, AuthorityId a, const Caller& who,
                       const std::string& service) {
  using S = ApplicationState;
  const std::vector<S> to_do = {S::Submitted, S::Incomplete, S::UnderInstruction};
  WorkCounts out;
  if (who.user_id != 0) {
    ApplicationFilter mine;
    mine.states = to_do;
    mine.assignee = who.user_id;
    out.mine = tx.applications().count_applications(a, mine);
    ApplicationFilter followed;
    followed.followed_by = who.user_id;
    out.followed = tx.applications().count_applications(a, followed);
  }
  ApplicationFilter pool;
  pool.states = to_do;
  pool.unassigned = true;
  pool.service = service;
  out.service_unassigned = tx.applications().count_applications(a, pool);
  ApplicationFilter visa;
  visa.state = S::AwaitingApproval;
  if (!service.empty()) visa.service = service;  // an instructor's: their service's
  out.awaiting_visa = tx.applications().count_applications(a, visa);
  return out;
}

std::vector<UserRecord> assignable_accounts(Transaction& tx, AuthorityId a) {
  std::vector<UserRecord> out;
  for (auto& u : tx.accounts().list_users(a))
    if (may_instruct(u)) out.push_back(std::move(u));
  std::sort(out.begin(), out.end(), [](const UserRecord& x, const UserRecord& y) {
    return x.display_name < y.display_name;
  });
  return out;
}

}  // namespace octroi
