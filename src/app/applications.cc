#include <algorithm>
#include <cctype>
#include <cstdio>

#include "app/approvals.h"
#include "app/audit_json.h"
#include "app/input.h"
#include "app/portal.h"
#include "app/ports/accounts.h"
#include "app/ports/applications.h"
#include "app/ports/audit.h"
#include "app/ports/parties.h"
#include "app/ports/schemes.h"
#include "app/use_cases.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace {

std::string position_path(PlanChange::Side side, std::size_t position) {
  return std::string(side == PlanChange::Side::Expense ? "plan.expenses[" : "plan.resources[") +
         std::to_string(position) + "]";
}

std::optional<ResourceKind> resource_kind(InputProblems& pb, const std::string& text,
                                          const std::string& field) {
  ResourceKind k{};
  if (parse_resource_kind(text, k)) return k;
  pb.add({"plan.resource_kind", field,
          "Nature de recette inconnue « " + text +
              " » : self_funding, authority, other_public, loan, private ou other."});
  return std::nullopt;
}

Result<Application> load(Transaction& tx, AuthorityId a, const std::string& number) {
  auto app = tx.applications().find_application(a, number);
  if (!app)
    return refuse("application.unknown", "number",
                  "Aucun dossier n° « " + number + " » pour cette collectivité.");
  OCTROI_DEBUG_CHECK(app->assert_invariants());
  return *app;
}

// Appends the dossier's history step and its audit line: the whole dossier when it is created,
// the fields that changed otherwise.
void record(Transaction& tx, const Context& ctx, const Application& app, const std::string& event,
            ApplicationState from, const std::string& reason, const std::string& action,
            const Application* before) {
  const Instant at = ctx.clock->now();
  tx.applications().append_application_event(ctx.authority, app.id,
                                             {at, ctx.actor, event, std::string(to_string(from)),
                                              std::string(to_string(app.state())), reason});
  if (before) {
    const auto [was, now] = audit_json::changes(*before, app);
    record_audit(tx, ctx,
                 {.action = action,
                  .entity = "application",
                  .key = app.number,
                  .before = was,
                  .after = now,
                  .at = at});
  } else {
    record_audit(tx, ctx,
                 {.action = action,
                  .entity = "application",
                  .key = app.number,
                  .after = audit_json::of(app),
                  .at = at});
  }
}

// The act that performs an act-only event of the workflow table, as users launch it.
std::string_view act_doing(ApplicationEvent event) {
  switch (event) {
    case ApplicationEvent::Award:
      return "l'adoption d'un rapport (octroi report adopt)";
    case ApplicationEvent::Close:
      return "le versement du solde (octroi payment request --kind balance)";
    case ApplicationEvent::Lapse:
      return "la caducité (octroi lapse --as-of)";
    default:
      break;
  }
  OCTROI_CHECK(false, "every act-only event of the workflow table names its act");
  return "";
}

}  // namespace

namespace {

// The project, the dates, the early start, the year, the amount asked and the plan of `in`, into
// `app` (what a dossier's creator types, and a draft's editor changes); each problem into `pb`.
void fill_from_input(Application& app, const ApplicationInput& in, InputProblems& pb) {
  app.project.title = text::trim(in.title);
  app.project.description = in.description;
  app.project.place = text::trim(in.place);
  const auto start = pb.date(in.start, "project.start");
  const auto end = pb.date(in.end, "project.end");
  if (start) app.project.start = *start;
  if (end) app.project.end = *end;
  app.early_start.requested = in.early_start;
  app.early_start.date = pb.optional_date(in.early_start_date, "early_start.date");
  app.early_start.justification = text::trim(in.early_start_justification);
  int year = 0;
  if (std::sscanf(in.reference_year.c_str(), "%d", &year) != 1 ||
      std::to_string(year) != text::trim(in.reference_year))
    pb.add({"application.reference_year", "reference_year",
            "L'exercice de référence doit être une année (par exemple 2023)."});
  app.reference_year = year;
  if (!text::trim(in.requested).empty())
    if (auto m = pb.money(in.requested, "requested")) app.requested_amount = *m;
  for (std::size_t i = 0; i < in.expenses.size(); ++i) {
    const auto& e = in.expenses[i];
    const std::string path = position_path(PlanChange::Side::Expense, i + 1);
    auto amount = pb.money(e.amount, path + ".amount");
    app.plan.expenses.push_back({text::trim(e.label), amount.value_or(Money()), e.eligible});
  }
  for (std::size_t i = 0; i < in.resources.size(); ++i) {
    const auto& r = in.resources[i];
    const std::string path = position_path(PlanChange::Side::Resource, i + 1);
    auto amount = pb.money(r.amount, path + ".amount");
    auto kind = resource_kind(pb, r.kind, path + ".kind");
    app.plan.resources.push_back({text::trim(r.label), amount.value_or(Money()),
                                  kind.value_or(ResourceKind::Other), text::trim(r.status)});
  }
}

}  // namespace

Status check_instructing_service(const Context& ctx, const AidScheme& scheme) {
  if (!ctx.service || (!scheme.service.empty() && *ctx.service == scheme.service)) return Done{};
  return refuse("auth.service", "scheme",
                scheme.service.empty()
                    ? "Le dispositif " + scheme.number +
                          " n'a pas de service instructeur : seul un administrateur agit sur ses "
                          "dossiers."
                    : "Les dossiers du dispositif " + scheme.number + " sont instruits par « " +
                          scheme.service + " », pas par votre service (« " + *ctx.service + " »).");
}

Result<Application> create_application(Transaction& tx, const Context& ctx,
                                       const ApplicationInput& in) {
  InputProblems pb;
  Application app;
  app.authority = ctx.authority;
  auto scheme = tx.schemes().find_scheme(ctx.authority, text::trim(in.scheme_number));
  if (!scheme)
    pb.add({"scheme.unknown", "scheme",
            "Aucun dispositif n° « " + in.scheme_number + " » pour cette collectivité."});
  auto party = tx.parties().get_party(ctx.authority, PartyId{in.party_id});
  if (!party)
    pb.add({"party.unknown", "party",
            "Aucun tiers n° " + std::to_string(in.party_id) + " pour cette collectivité."});
  app.number = text::trim(in.number);
  if (!app.number.empty() && !Application::is_valid_number(app.number))
    pb.add({"application.number", "number",
            "Numéro de dossier invalide « " + app.number + " » : EX suivi de 6 chiffres."});
  fill_from_input(app, in, pb);
  if (!pb.empty()) return pb.refusal();
  if (auto s = check_instructing_service(ctx, *scheme); !s.ok()) return s.refusal();
  app.scheme = scheme->id;
  app.party = party->id;
  app.basis = party->recovers_vat ? AmountBasis::ExclTax : AmountBasis::InclTax;
  if (auto v = app.validate(false); !v.ok()) return v.refusal();
  if (app.number.empty()) {
    char buf[32];
    std::snprintf(
        buf, sizeof buf, "EX%06lld",
        static_cast<long long>(tx.applications().max_application_number(ctx.authority) + 1));
    app.number = buf;
    if (!Application::is_valid_number(app.number))
      return refuse("application.numbers_exhausted", "number",
                    "Plus aucun numéro de dossier disponible (EX999999 atteint).");
  } else if (tx.applications().find_application(ctx.authority, app.number)) {
    return refuse("application.exists", "number", "Le dossier n° " + app.number + " existe déjà.");
  }
  app.id = tx.applications().insert_application(app);
  tx.applications().append_beneficiary(ctx.authority, app.id, {app.party, ctx.clock->today(), ""});
  record(tx, ctx, app, "create", app.state(), "", "application.create", nullptr);
  return app;
}

Result<Application> edit_draft(Transaction& tx, const Context& ctx, const std::string& number,
                               const ApplicationInput& in) {
  auto loaded = load(tx, ctx.authority, text::trim(number));
  if (!loaded.ok()) return loaded;
  Application app = std::move(loaded).value();
  auto scheme = tx.schemes().get_scheme(ctx.authority, app.scheme);
  OCTROI_CHECK(scheme.has_value(), "a dossier's scheme exists (foreign key)");
  if (auto s = check_instructing_service(ctx, *scheme); !s.ok()) return s.refusal();
  if (app.state() != ApplicationState::Draft && app.state() != ApplicationState::Incomplete)
    return refuse("application.not_editable", "number",
                  "Le dossier " + app.number + " ne peut plus être modifié : il est " +
                      std::string(french(app.state())) + ".");
  const Application before = app;
  InputProblems pb;
  app.plan = {};
  app.requested_amount.reset();
  fill_from_input(app, in, pb);
  if (!pb.empty()) return pb.refusal();
  if (auto v = app.validate(false); !v.ok()) return v.refusal();
  tx.applications().update_application(app);
  tx.applications().replace_plan(app);
  record(tx, ctx, app, "edit", app.state(), "", "application.edit", &before);
  return app;
}

Result<Application> edit_plan(Transaction& tx, const Context& ctx, const std::string& number,
                              const std::vector<PlanChange>& changes) {
  auto loaded = load(tx, ctx.authority, number);
  if (!loaded.ok()) return loaded;
  Application app = std::move(loaded).value();
  {
    auto scheme = tx.schemes().get_scheme(ctx.authority, app.scheme);
    OCTROI_CHECK(scheme.has_value(), "a dossier's scheme exists (foreign key)");
    if (auto s = check_instructing_service(ctx, *scheme); !s.ok()) return s.refusal();
  }
  if (!plan_editable(app.state()))
    return refuse("application.not_editable", "plan",
                  "Le plan de financement du dossier " + app.number +
                      " ne peut plus être modifié : le dossier est " +
                      std::string(french(app.state())) + ".");
  if (changes.empty())
    return refuse("plan.no_change", "plan", "Aucune modification du plan n'a été demandée.");
  const Application before = app;
  InputProblems pb;
  // Removals are applied last, from the highest position down, so that the positions the user
  // typed keep meaning the lines they saw.
  std::vector<std::pair<PlanChange::Side, std::size_t>> removals;
  for (const auto& c : changes) {
    const bool expense = c.side == PlanChange::Side::Expense;
    const std::size_t count = expense ? app.plan.expenses.size() : app.plan.resources.size();
    if (c.op == PlanChange::Op::Add) {
      const std::string path = position_path(c.side, count + 1);
      if (!c.label || !c.amount) {
        pb.add(
            {"plan.line_incomplete", path, "Une nouvelle ligne demande un libellé et un montant."});
        continue;
      }
      auto amount = pb.money(*c.amount, path + ".amount");
      if (expense) {
        app.plan.expenses.push_back(
            {text::trim(*c.label), amount.value_or(Money()), c.eligible.value_or(true)});
      } else {
        auto kind = resource_kind(pb, c.kind.value_or("other"), path + ".kind");
        app.plan.resources.push_back({text::trim(*c.label), amount.value_or(Money()),
                                      kind.value_or(ResourceKind::Other),
                                      text::trim(c.status.value_or(""))});
      }
      continue;
    }
    const std::string path = position_path(c.side, c.position);
    if (c.position < 1 || c.position > count) {
      pb.add({"plan.no_such_line", path,
              "Il n'y a pas de ligne " + std::to_string(c.position) + " parmi les " +
                  (expense ? "dépenses" : "recettes") + " (" + std::to_string(count) +
                  " ligne(s))."});
      continue;
    }
    if (c.op == PlanChange::Op::Remove) {
      removals.emplace_back(c.side, c.position);
      continue;
    }
    std::optional<Money> amount;
    if (c.amount) amount = pb.money(*c.amount, path + ".amount");
    if (expense) {
      auto& line = app.plan.expenses[c.position - 1];
      if (c.label) line.label = text::trim(*c.label);
      if (amount) line.amount = *amount;
      if (c.eligible) line.eligible = *c.eligible;
    } else {
      auto& line = app.plan.resources[c.position - 1];
      if (c.label) line.label = text::trim(*c.label);
      if (amount) line.amount = *amount;
      if (c.kind)
        if (auto k = resource_kind(pb, *c.kind, path + ".kind")) line.kind = *k;
      if (c.status) line.status = text::trim(*c.status);
    }
  }
  if (!pb.empty()) return pb.refusal();
  std::sort(removals.begin(), removals.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  removals.erase(std::unique(removals.begin(), removals.end()), removals.end());
  for (const auto& [side, pos] : removals) {
    if (side == PlanChange::Side::Expense) {
      app.plan.expenses.erase(app.plan.expenses.begin() + static_cast<std::ptrdiff_t>(pos - 1));
    } else {
      app.plan.resources.erase(app.plan.resources.begin() + static_cast<std::ptrdiff_t>(pos - 1));
    }
  }
  if (auto v = app.validate(plan_must_stay_complete(app.state())); !v.ok()) return v.refusal();
  // Changes that leave the plan as it was ("10580" for 10 580,00 €) write nothing: no new plan,
  // no history step, no audit line.
  if (audit_json::of(before) == audit_json::of(app)) return app;
  tx.applications().replace_plan(app);
  record(tx, ctx, app, "plan_edit", app.state(), "", "application.plan_edit", &before);
  return app;
}

Result<Application> apply_application_event(Transaction& tx, const Context& ctx,
                                            const std::string& number, const EventInput& in) {
  auto loaded = load(tx, ctx.authority, number);
  if (!loaded.ok()) return loaded;
  Application app = std::move(loaded).value();
  InputProblems pb;
  ApplicationEvent event{};
  if (!parse_event(in.event, event))
    pb.add({"workflow.unknown_event", "event", "Action inconnue « " + in.event + " »."});
  EventContext ec;
  ec.on = ctx.clock->today();
  if (auto on = pb.optional_date(in.on, "on")) ec.on = *on;
  ec.reason = text::trim(in.reason);
  ec.deliberation = text::trim(in.deliberation);
  ec.deliberation_date = pb.optional_date(in.deliberation_date, "deliberation_date");
  ec.amount = pb.optional_money(in.amount, "amount");
  if (auto p = text::check_optional(ec.reason, "reason", "Le motif", 2000, text::Lines::Many))
    pb.add(*p);
  if (!pb.empty()) return pb.refusal();
  auto scheme = tx.schemes().get_scheme(ctx.authority, app.scheme);
  OCTROI_CHECK(scheme.has_value(), "a dossier's scheme exists (foreign key)");
  if (auto s = check_instructing_service(ctx, *scheme); !s.ok()) return s.refusal();
  const Application before = app;
  const ApplicationState from = app.state();
  // Awarding, closing and lapsing move money on the ledger: the workflow table marks them as
  // done by an act (Origin::Act), which decides them and posts its movements, never by a bare
  // change of state asked by a user.
  if (const auto t = find_transition(app.state(), event); t && t->origin == Origin::Act)
    return refuse("workflow.by_act", "event",
                  "Action « " + std::string(french(event)) + " » : elle se fait par " +
                      std::string(act_doing(event)) +
                      ", qui enregistre aussi ses mouvements budgétaires.");
  // The approval chain (app/approvals.h): the visas given so far, and who may give the next.
  const ApprovalState chain = approval_state(tx, ctx.authority, app, *scheme);
  ec.visas_given = chain.given;
  if (auto s = check_approval_actor(ctx, app, event, chain); !s.ok()) return s.refusal();
  if (auto r = apply_event(app, *scheme, event, ec); !r.ok()) return r.refusal();
  // A visa or a return is recorded while the dossier still awaits it, a request once it does.
  if (event != ApplicationEvent::RequestApproval)
    record_approval_row(tx, ctx, app, event, chain, ec.on, ec.reason);
  // Saved before the de minimis check, which reads the dossier back with the amount proposed; a
  // refusal below rolls the whole transaction back.
  tx.applications().update_application(app);
  if (event == ApplicationEvent::RequestApproval)
    record_approval_row(tx, ctx, app, event, chain, ec.on, ec.reason);
  const bool decides_amount =
      (event == ApplicationEvent::Propose && from != ApplicationState::AwaitingApproval) ||
      event == ApplicationEvent::RequestApproval;
  if (decides_amount && is_de_minimis(scheme->aid_regime)) {
    // De minimis cumulation, checked at instruction (and again at the vote).
    auto check = check_state_aid(tx, ctx, app.number, "instruction", ec.on);
    if (!check.ok()) return check.refusal();
    if (!check->ok)
      return refuse("stateaid.ceiling", "amount",
                    "Plafond de minimis dépassé pour l'entreprise unique du bénéficiaire : " +
                        fr::euros(check->used) + " déjà reçus, " + fr::euros(check->amount) +
                        " proposés, plafond " + fr::euros(check->ceiling) + " (marge " +
                        fr::euros(check->room) + ")." + reduce_to_room_offer(check->room, true));
  }
  record(tx, ctx, app, in.event, from, ec.reason, "application." + in.event, &before);
  notify_applicants(tx, ctx, ctx.clock->now(), app, in.event, ec.reason);
  if (event == ApplicationEvent::Reduce)
    follow_decided_amount(tx, ctx, app, *before.proposed_award - *app.proposed_award);
  // The last level's visa proposes the dossier to the committee, in the same transaction.
  if (event == ApplicationEvent::Approve &&
      chain.given + 1 == static_cast<int>(scheme->approval_chain.size())) {
    const Application visaed = app;
    EventContext last = ec;
    last.visas_given = chain.given + 1;
    last.reason.clear();
    if (auto r = apply_event(app, *scheme, ApplicationEvent::Propose, last); !r.ok())
      return r.refusal();
    tx.applications().update_application(app);
    record(tx, ctx, app, "propose", ApplicationState::AwaitingApproval, "tous les visas donnés",
           "application.propose", &visaed);
  }
  return app;
}

namespace {

ApplicationView make_view(Transaction& tx, AuthorityId a, Application app) {
  auto scheme = tx.schemes().get_scheme(a, app.scheme);
  auto party = tx.parties().get_party(a, app.party);
  OCTROI_CHECK(scheme && party, "a dossier's scheme and party exist (foreign keys)");
  ApplicationView v{std::move(app), std::move(*scheme), std::move(*party), {}, {}, {}, {}, 0, {}};
  v.plan = v.application.plan.summary();
  v.plan.requested = v.application.requested();  // the applicant's own figure, when given
  auto award = v.application.compute_award(v.scheme);
  if (award.ok()) {
    v.award = std::move(award).value();
  } else {
    v.award_refusal = award.refusal();
  }
  return v;
}

}  // namespace

Result<ApplicationView> show_application(Transaction& tx, AuthorityId a,
                                         const std::string& number) {
  auto loaded = load(tx, a, text::trim(number));
  if (!loaded.ok()) return loaded.refusal();
  ApplicationView v = make_view(tx, a, std::move(loaded).value());
  v.history =
      tx.applications().application_history(a, v.application.id, ApplicationView::kHistoryShown);
  v.history_total = tx.applications().count_application_history(a, v.application.id);
  for (const auto& b : tx.applications().beneficiary_history(a, v.application.id))
    if (auto p = tx.parties().get_party(a, b.party)) v.beneficiaries.emplace_back(b, *p);
  return v;
}

Result<std::vector<ApplicationView>> list_applications(Transaction& tx, AuthorityId a,
                                                       const ApplicationFilter& f) {
  if (f.limit < 1 || f.limit > 1000)
    return refuse("list.limit", "limit", "La taille de page doit être comprise entre 1 et 1 000.");
  if (f.offset < 0) return refuse("list.offset", "offset", "Le décalage ne peut être négatif.");
  std::vector<ApplicationView> out;
  for (auto& app : tx.applications().list_applications(a, f))
    out.push_back(make_view(tx, a, std::move(app)));
  return out;
}

namespace {

// The store's filter for a search typed by a user, or the refusal naming each bad field.
// The workspace's queue, scope and assignee (app/workspace.h) as filters.
void queue_filter(Transaction& tx, AuthorityId a, const ApplicationSearch& in, ApplicationFilter& f,
                  InputProblems& pb) {
  using S = ApplicationState;
  if (const std::string queue = text::trim(in.queue); queue == "a_traiter")
    f.states = {S::Submitted, S::Incomplete, S::UnderInstruction};
  else if (queue == "traites")
    f.states = {S::Proposed, S::Awarded};
  else if (queue == "au_visa")
    f.states = {S::AwaitingApproval};
  else if (queue == "archives")
    f.states = {S::Refused, S::Withdrawn, S::Closed, S::Lapsed};
  else if (!queue.empty())
    pb.add({"search.queue", "queue",
            "File inconnue « " + queue + " » : a_traiter, au_visa, traites ou archives."});
  const std::string scope = text::trim(in.scope);
  if ((scope == "me" || scope == "followed") && in.viewer == 0)
    pb.add({"search.scope", "scope",
            "« " + scope + " » désigne les dossiers d'un compte : connectez-vous avec le vôtre."});
  else if (scope == "me")
    f.assignee = in.viewer;
  else if (scope == "followed")
    f.followed_by = in.viewer;
  else if (scope == "service" && in.viewer_service.empty())
    pb.add({"search.scope", "scope",
            "« service » désigne les dossiers du service d'un instructeur : votre compte n'en a "
            "pas."});
  else if (scope == "service")
    f.service = in.viewer_service;
  else if (!scope.empty() && scope != "all")
    pb.add({"search.scope", "scope",
            "Portée inconnue « " + scope + " » : me, service, followed ou all."});
  std::string number;
  for (const char c : in.numbers + " ") {
    if (c == ' ' || c == ',' || c == ';' || c == '\t' || c == '\n' || c == '\r') {
      if (!number.empty()) f.numbers.push_back(number);
      number.clear();
    } else {
      number += c;
    }
  }
  if (f.numbers.size() > 200 || in.numbers.size() > 4000)
    pb.add({"search.numbers", "numbers",
            "Au plus 200 numéros de dossier à la fois (4 000 caractères)."});
  if ((scope == "me" || scope == "followed") && !text::trim(in.assignee).empty())
    pb.add({"search.assignee", "assignee",
            "« Instruit par » ne se combine pas avec « " +
                std::string(scope == "me" ? "Mes dossiers" : "Suivis") +
                " » : choisissez l'un ou l'autre."});
  if (const std::string who = text::trim(in.assignee); who == "none") {
    f.unassigned = true;
  } else if (!who.empty()) {
    const auto u = tx.accounts().find_user(who);
    if (u && u->authority == a)
      f.assignee = u->id;
    else
      pb.add(
          {"assign.unknown", "assignee", "Aucun compte « " + who + " » dans cette collectivité."});
  }
}

Result<ApplicationFilter> filter_of(Transaction& tx, AuthorityId a, const ApplicationSearch& in) {
  InputProblems pb;
  ApplicationFilter f;
  f.limit = in.limit;
  f.offset = in.offset;
  if (const std::string state = text::trim(in.state); !state.empty()) {
    ApplicationState st{};
    if (parse_state(state, st))
      f.state = st;
    else
      pb.add({"search.state", "state", "État de dossier inconnu « " + state + " »."});
  }
  if (const std::string scheme = text::trim(in.scheme); !scheme.empty()) {
    if (auto s = tx.schemes().find_scheme(a, scheme))
      f.scheme = s->id;
    else
      pb.add({"scheme.unknown", "scheme",
              "Aucun dispositif n° « " + scheme + " » pour cette collectivité."});
  }
  if (const std::string party = text::trim(in.party); !party.empty()) {
    if (party.size() <= 12 && party.find_first_not_of("0123456789") == std::string::npos)
      f.party = PartyId{std::stoll(party)};
    else
      pb.add({"search.party", "party", "Le tiers se désigne par son numéro (ex. 12)."});
  }
  f.departement = text::trim(in.departement);
  if (!f.departement.empty()) {
    const std::string& d = f.departement;
    const bool digits = !d.empty() && d.find_first_not_of("0123456789") == std::string::npos;
    const int n = digits && d.size() <= 3 ? std::stoi(d) : 0;
    const bool corsica = d == "2A" || d == "2B" || d == "2a" || d == "2b";
    // Metropolitan 01–95 (20 became 2A and 2B), overseas 971–976.
    if (!((d.size() == 2 && digits && n >= 1 && n <= 95 && n != 20) ||
          (d.size() == 3 && digits && n >= 971 && n <= 976) || corsica))
      pb.add({"search.departement", "departement",
              "Département « " + d + " » : deux chiffres (75), 2A, 2B ou trois chiffres (971)."});
    if (corsica) f.departement[1] = static_cast<char>(std::toupper(f.departement[1]));
  }
  if (const std::string session = text::trim(in.session); !session.empty()) {
    if (auto d = Date::parse(session, "session"); d.ok())
      f.session_date = d.value();
    else
      pb.add(
          {"search.session", "session",
           "La séance se désigne par sa date (AAAA-MM-JJ ou JJ/MM/AAAA) : « " + session + " »."});
  }
  if (!text::is_valid_utf8(in.text) || text::length(in.text) > 200)
    pb.add({"search.text", "q", "La recherche tient en 200 caractères au plus."});
  else
    f.words = text::search_words(in.text);
  static const std::pair<const char*, ApplicationSort> kSorts[] = {
      {"number", ApplicationSort::Number},
      {"beneficiary", ApplicationSort::Beneficiary},
      {"title", ApplicationSort::Title},
      {"state", ApplicationSort::State},
      {"submitted_on", ApplicationSort::SubmittedOn},
      {"amount", ApplicationSort::Amount}};
  if (const std::string sort = text::trim(in.sort); !sort.empty()) {
    bool known = false;
    for (const auto& [name, value] : kSorts)
      if (sort == name) {
        f.sort = value;
        known = true;
      }
    if (!known)
      pb.add({"search.sort", "sort",
              "Tri inconnu « " + sort +
                  " » : number, beneficiary, title, state, submitted_on ou amount."});
  }
  if (const std::string order = text::trim(in.order); order == "desc")
    f.descending = true;
  else if (!order.empty() && order != "asc")
    pb.add({"search.order", "order", "Ordre inconnu « " + order + " » : asc ou desc."});
  queue_filter(tx, a, in, f, pb);
  if (!pb.empty()) return pb.refusal();
  return f;
}

}  // namespace

Result<std::vector<ApplicationView>> search_applications(Transaction& tx, AuthorityId a,
                                                         const ApplicationSearch& in) {
  auto f = filter_of(tx, a, in);
  if (!f.ok()) return f.refusal();
  return list_applications(tx, a, f.value());
}

Result<std::int64_t> count_search_applications(Transaction& tx, AuthorityId a,
                                               const ApplicationSearch& in) {
  auto f = filter_of(tx, a, in);
  if (!f.ok()) return f.refusal();
  return tx.applications().count_applications(a, f.value());
}

Result<std::vector<AuditEntry>> dossier_audit(Transaction& tx, AuthorityId a,
                                              const std::string& number) {
  auto app = load(tx, a, text::trim(number));
  if (!app.ok()) return app.refusal();
  auto out = tx.audit().audit_of(a, "application", app->number);
  auto agreement = tx.audit().audit_of(a, "agreement", app->number);
  out.insert(out.end(), agreement.begin(), agreement.end());
  std::sort(out.begin(), out.end(),
            [](const AuditEntry& x, const AuditEntry& y) { return x.seq < y.seq; });
  return out;
}

Result<std::vector<std::pair<ApplicationState, std::int64_t>>> dossier_counts(Transaction& tx,
                                                                              AuthorityId a) {
  std::vector<std::pair<ApplicationState, std::int64_t>> out;
  const auto counted = tx.applications().count_applications_by_state(a);
  for (const ApplicationState s : all_states()) {
    std::int64_t n = 0;
    for (const auto& [state, count] : counted)
      if (state == s) n = count;
    out.emplace_back(s, n);
  }
  return out;
}

}  // namespace octroi
