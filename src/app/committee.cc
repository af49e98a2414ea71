#include <algorithm>
#include <cstdio>
#include <map>

#include "app/audit_json.h"
#include "app/input.h"
#include "app/portal.h"
#include "app/ports/applications.h"
#include "app/ports/awards.h"
#include "app/ports/committee.h"
#include "app/ports/ledger.h"
#include "app/ports/parties.h"
#include "app/ports/schemes.h"
#include "app/posting.h"
#include "app/use_cases.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace {

std::string report_json(const Report& r) {
  using audit_json::quote;
  std::string articles = "[";
  for (const auto& a : r.articles) {
    if (articles.size() > 1) articles += ",";
    articles += "{\"position\":" + std::to_string(a.position) +
                ",\"kind\":" + quote(std::string(to_string(a.kind))) +
                ",\"title\":" + quote(a.title) +
                ",\"amount\":" + quote(a.amount.to_decimal_string()) + "}";
  }
  return "{\"number\":" + quote(r.number) + ",\"title\":" + quote(r.title) +
         ",\"state\":" + quote(std::string(to_string(r.state))) + ",\"articles\":" + articles +
         "]}";
}

Result<Report> load_report(Transaction& tx, AuthorityId a, const std::string& number) {
  auto r = tx.committee().find_report(a, text::trim(number));
  if (!r) return refuse("report.unknown", "report", "Aucun rapport n° « " + number + " ».");
  return *r;
}

// A report that may still change: refused once adopted ("report.adopted").
Result<Report> load_draft_report(Transaction& tx, AuthorityId a, const std::string& number) {
  auto r = load_report(tx, a, number);
  if (r.ok() && r->state != ReportState::Draft)
    return refuse("report.adopted", "report",
                  "Le rapport " + r->number + " est adopté : il ne peut plus être modifié.");
  return r;
}

std::optional<std::int64_t> parse_id(const std::string& text) {
  long long v = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%lld%c", &v, &extra) != 1 || v <= 0) return std::nullopt;
  return v;
}

}  // namespace

namespace {

// Everything plan_vote needs of the report's dossiers, lines, schemes and parties, as they are.
VoteInputs vote_inputs(Transaction& tx, AuthorityId a, const Report& r) {
  VoteInputs in;
  for (const auto& art : r.articles) {
    if (!in.lines.count(art.line)) {
      auto line = tx.ledger().get_budget_line(a, art.line);
      OCTROI_CHECK(line.has_value(), "an article's line exists (foreign key)");
      in.lines.emplace(art.line, *line);
      in.balances.emplace(art.line, tx.ledger().line_balances(a, art.line));
      OCTROI_DEBUG_CHECK(in.balances.at(art.line).assert_invariants(line->key()));
    }
    if (art.scheme)
      if (auto s = tx.schemes().get_scheme(a, *art.scheme)) in.schemes.emplace(s->id, *s);
    std::vector<ApplicationId> ids = art.applications;
    if (art.transfer_application) ids.push_back(*art.transfer_application);
    for (const auto& id : ids)
      if (auto app = tx.applications().get_application(a, id)) {
        OCTROI_DEBUG_CHECK(app->assert_invariants());
        in.applications.emplace(id, *app);
      }
    if (art.party)
      if (auto p = tx.parties().get_party(a, *art.party)) in.parties.emplace(p->id, *p);
  }
  // What amendments need to know of the dossiers they change: paid, committed, eligibility end.
  for (const auto& [id, app] : in.applications) {
    if (!app.award) continue;
    Money paid;
    for (const auto& p : tx.awards().payments_of(a, id))
      paid += p.amount;
    in.paid.emplace(id, paid);
    if (auto line = tx.awards().allocation_line(a, id)) {
      in.allocation_lines.emplace(id, *line);
      if (!in.lines.count(*line))
        if (auto l = tx.ledger().get_budget_line(a, *line)) {
          in.lines.emplace(*line, *l);
          in.balances.emplace(*line, tx.ledger().line_balances(a, *line));
          OCTROI_DEBUG_CHECK(in.balances.at(*line).assert_invariants(l->key()));
        }
    }
    if (auto ag = tx.awards().find_agreement(a, id)) {
      in.eligibility_end.emplace(id, ag->eligibility_end);
      if (ag->is_signed()) {
        Money committed;
        if (auto line = tx.awards().allocation_line(a, id))
          for (const auto& e : tx.ledger().ledger_journal(a, *line)) {
            if (!e.application || *e.application != id) continue;
            if (e.kind == MovementKind::Commitment) committed += e.amount;
            if (e.kind == MovementKind::Decommitment) committed -= e.amount;
          }
        in.committed.emplace(id, committed);
      }
    }
  }
  return in;
}

}  // namespace

Result<Report> create_report(Transaction& tx, const Context& ctx, const ReportInput& in) {
  InputProblems pb;
  Body body{};
  if (!parse_body(text::trim(in.body), body))
    pb.add({"report.body", "body",
            "Instance inconnue « " + in.body + " » : commission permanente (cp) ou conseil (cr)."});
  auto date = pb.date(in.session_date, "session_date");
  Report r;
  r.authority = ctx.authority;
  r.number = text::trim(in.number);
  r.title = text::trim(in.title);
  if (!pb.empty()) return pb.refusal();
  if (auto v = r.validate(); !v.ok()) return v.refusal();
  if (tx.committee().find_report(ctx.authority, r.number))
    return refuse("report.exists", "number", "Le rapport " + r.number + " existe déjà.");
  auto session = tx.committee().find_session(ctx.authority, body, *date);
  if (!session) {
    Session s{SessionId{}, ctx.authority, body, *date};
    s.id = tx.committee().insert_session(s);
    session = s;
  }
  r.session = session->id;
  r.id = tx.committee().insert_report(r);
  record_audit(
      tx, ctx,
      {.action = "report.create", .entity = "report", .key = r.number, .after = report_json(r)});
  return r;
}

Result<Report> add_article(Transaction& tx, const Context& ctx, const std::string& number,
                           const ArticleInput& in) {
  auto loaded = load_draft_report(tx, ctx.authority, number);
  if (!loaded.ok()) return loaded;
  Report r = std::move(loaded).value();
  const std::string before = report_json(r);
  InputProblems pb;
  Article a;
  a.position = static_cast<int>(r.articles.size()) + 1;
  if (!parse_article_kind(text::trim(in.kind), a.kind))
    pb.add({"article.kind", "kind",
            "Type d'article inconnu « " + in.kind +
                " » : scheme_awards, tranche, direct ou transfer."});
  a.title = text::trim(in.title);
  if (auto line = pb.take(budget_line_by_key(tx, ctx.authority, in.line))) a.line = line->id;
  // A scheme_awards article without an amount is the sum of its dossiers' decided amounts.
  const bool sum_of_dossiers = a.kind == ArticleKind::SchemeAwards && text::trim(in.amount).empty();
  if (!sum_of_dossiers)
    if (auto amount = pb.money(in.amount, "amount")) a.amount = *amount;
  if (!in.scheme.empty())
    if (auto s = pb.take(scheme_by_number(tx, ctx.authority, text::trim(in.scheme))))
      a.scheme = s->id;
  for (std::size_t i = 0; i < in.applications.size(); ++i) {
    auto app = tx.applications().find_application(ctx.authority, text::trim(in.applications[i]));
    if (!app) {
      pb.add({"application.unknown", "applications[" + std::to_string(i + 1) + "]",
              "Aucun dossier n° « " + in.applications[i] + " »."});
      continue;
    }
    if (sum_of_dossiers) {
      if (!app->proposed_award || app->state() != ApplicationState::Proposed)
        pb.add({"report.application_state", "applications[" + std::to_string(i + 1) + "]",
                "Le dossier " + app->number + " n'est pas proposé en commission (il est " +
                    std::string(french(app->state())) + ") : il n'a pas de montant décidé."});
      else
        a.amount += *app->proposed_award;
    }
    a.applications.push_back(app->id);
  }
  if (!in.party.empty()) {
    auto id = parse_id(text::trim(in.party));
    if (!id || !tx.parties().get_party(ctx.authority, PartyId{*id}))
      pb.add({"party.unknown", "party", "Aucun tiers n° « " + in.party + " »."});
    else
      a.party = PartyId{*id};
  }
  a.planned_total = pb.optional_money(in.planned_total, "planned_total");
  if (!in.tranche_rate.empty())
    if (auto rate = pb.take(Rate::parse_percent(in.tranche_rate, "tranche_rate")))
      a.tranche_rate = *rate;
  a.new_end = pb.optional_date(in.new_end, "new_end");
  if (!in.application.empty()) {
    auto app = tx.applications().find_application(ctx.authority, text::trim(in.application));
    if (!app)
      pb.add(
          {"application.unknown", "application", "Aucun dossier n° « " + in.application + " »."});
    else
      a.transfer_application = app->id;
  }
  if (!pb.empty()) return pb.refusal();
  if (auto v = a.validate("article"); !v.ok()) return v.refusal();
  a.id = tx.committee().insert_article(ctx.authority, r.id, a);
  r.articles.push_back(a);
  record_audit(tx, ctx,
               {.action = "report.add_article",
                .entity = "report",
                .key = r.number,
                .before = before,
                .after = report_json(r)});
  return r;
}

std::string reduce_to_room_offer(Money room, bool proposing) {
  if (!room.is_positive()) return "";
  if (proposing)
    return " Proposez au plus la marge (" + fr::euros(room) + "), avec le motif de la réduction.";
  return " Réduisez d'abord le montant proposé à la marge (" + fr::euros(room) +
         "), avec son motif (action « réduction du montant proposé »).";
}

void follow_decided_amount(Transaction& tx, const Context& ctx, const Application& app,
                           Money decrease) {
  for (Report r : tx.committee().list_reports(ctx.authority)) {
    if (r.state != ReportState::Draft) continue;
    const std::string before = report_json(r);
    bool changed = false;
    for (auto& a : r.articles) {
      if (a.kind != ArticleKind::SchemeAwards) continue;
      if (std::find(a.applications.begin(), a.applications.end(), app.id) == a.applications.end())
        continue;
      // The article was the sum when the dossier was added; if it was typed wrong, the vote
      // still refuses it (report.sum_mismatch) rather than this making it zero or negative.
      if (a.amount <= decrease) continue;
      a.amount -= decrease;
      tx.committee().update_article_amount(ctx.authority, a.id, a.amount);
      changed = true;
    }
    if (changed)
      record_audit(tx, ctx,
                   {.action = "report.follow_amount",
                    .entity = "report",
                    .key = r.number,
                    .before = before,
                    .after = report_json(r)});
  }
}

Result<Report> remove_article(Transaction& tx, const Context& ctx, const std::string& number,
                              const std::string& position_text) {
  auto loaded = load_draft_report(tx, ctx.authority, number);
  if (!loaded.ok()) return loaded;
  Report r = std::move(loaded).value();
  const auto position = parse_id(text::trim(position_text));
  if (!position || *position > static_cast<std::int64_t>(r.articles.size()))
    return refuse("article.unknown", "position",
                  "Le rapport " + r.number + " n'a pas d'article n° « " + position_text + " ».");
  const std::string before = report_json(r);
  tx.committee().delete_article(ctx.authority, r.id, static_cast<int>(*position));
  auto after = load_report(tx, ctx.authority, number);
  OCTROI_CHECK(after.ok(), "the report is still there");
  record_audit(tx, ctx,
               {.action = "report.remove_article",
                .entity = "report",
                .key = r.number,
                .before = before,
                .after = report_json(after.value())});
  return after;
}

Result<Application> decide_lower_amount(Transaction& tx, const Context& ctx,
                                        const std::string& number, const std::string& dossier,
                                        const std::string& amount, const std::string& reason) {
  auto loaded = load_draft_report(tx, ctx.authority, number);
  if (!loaded.ok()) return loaded.refusal();
  const auto app = tx.applications().find_application(ctx.authority, text::trim(dossier));
  bool in_report = false;
  if (app)
    for (const auto& ar : loaded->articles)
      for (const auto& id : ar.applications)
        in_report = in_report || id == app->id;
  if (!in_report)
    return refuse("report.not_in_report", "dossier",
                  "Le dossier « " + text::trim(dossier) +
                      " » n'est dans aucun article du rapport " + loaded->number + ".");
  // A dossier still awaiting its visas is lowered by the level awaited, not by the committee.
  if (app->state() != ApplicationState::Proposed)
    return refuse("report.not_proposed", "dossier",
                  "Le dossier " + app->number + " est " + std::string(french(app->state())) +
                      " : la commission abaisse le montant d'un dossier proposé.");
  EventInput in;
  in.event = "reduce";
  in.amount = amount;
  in.reason = reason;
  return apply_application_event(tx, ctx, app->number, in);
}

Result<ReportView> show_report(Transaction& tx, AuthorityId a, const std::string& number) {
  auto loaded = load_report(tx, a, number);
  if (!loaded.ok()) return loaded.refusal();
  ReportView v;
  v.report = std::move(loaded).value();
  auto session = tx.committee().get_session(a, v.report.session);
  OCTROI_CHECK(session.has_value(), "a report's session exists (foreign key)");
  v.session = *session;
  for (const auto& ar : v.report.articles) {
    ArticleView av;
    av.article = ar;
    auto line = tx.ledger().get_budget_line(a, ar.line);
    OCTROI_CHECK(line.has_value(), "an article's line exists (foreign key)");
    av.line = *line;
    if (ar.scheme)
      if (auto s = tx.schemes().get_scheme(a, *ar.scheme)) av.scheme_number = s->number;
    std::vector<ApplicationId> ids = ar.applications;
    if (ar.transfer_application) ids.push_back(*ar.transfer_application);
    for (const auto& id : ids)
      if (auto app = tx.applications().get_application(a, id)) {
        auto view = show_application(tx, a, app->number);
        if (view.ok()) av.applications.push_back(std::move(view).value());
      }
    if (ar.party) av.party = tx.parties().get_party(a, *ar.party);
    v.articles.push_back(std::move(av));
  }
  if (v.report.state != ReportState::Draft) return v;
  // The AE/AP check: the vote played on what the lines hold now, nothing recorded.
  const VoteInputs in = vote_inputs(tx, a, v.report);
  std::map<BudgetLineId, Money> needed;
  auto plan = plan_vote(v.report, v.session, in);
  if (plan.ok()) {
    for (const auto& p : plan->allocations)
      needed[p.line] += p.amount;
  } else {
    v.vote_refusal = plan.refusal();
    for (const auto& ar : v.report.articles)  // what the articles ask, as written
      if (ar.kind != ArticleKind::Transfer && ar.kind != ArticleKind::Extension)
        needed[ar.line] += ar.amount;
  }
  for (const auto& [line, amount] : needed) {
    const LineBalances& b = in.balances.at(line);
    v.checks.push_back({in.lines.at(line), amount, b.available(), amount <= b.available()});
  }
  std::sort(v.checks.begin(), v.checks.end(),
            [](const LineCheck& x, const LineCheck& y) { return x.line.key() < y.line.key(); });
  return v;
}

Result<std::vector<Report>> list_reports(Transaction& tx, AuthorityId a) {
  return tx.committee().list_reports(a);
}

Result<std::vector<Session>> list_sessions(Transaction& tx, AuthorityId a) {
  return tx.committee().list_sessions(a);
}

namespace {

// De minimis cumulation, checked again at the vote with the session's date as grant date,
// counting the awards of this same vote as they are granted.
Status check_de_minimis_at_vote(Transaction& tx, const Context& ctx, const Report& r,
                                const std::optional<Session>& session, const VoteInputs& in,
                                const AdoptionResult& out) {
  std::vector<AidRecord> aids = tx.awards().de_minimis_aids(ctx.authority);
  const auto links = tx.awards().party_links(ctx.authority);
  std::vector<StateAidCheckRecord> checks;
  for (const auto& app : out.plan.awarded) {
    if (!is_de_minimis(app.aid_regime)) continue;
    auto check =
        check_de_minimis(app.aid_regime, app.party, app.award->amount, session->date, aids, links);
    if (!check.ok()) return check.refusal();
    if (!check->ok)
      return refuse("stateaid.ceiling", "articles",
                    "Dossier " + app.number +
                        " : plafond de minimis dépassé pour l'entreprise unique du bénéficiaire (" +
                        fr::euros(check->used) + " déjà reçus, " + fr::euros(app.award->amount) +
                        " attribués, plafond " + fr::euros(check->ceiling) + ")." +
                        reduce_to_room_offer(check->room, false));
    checks.push_back({app.id, StateAidStage::Vote, app.aid_regime, session->date, app.award->amount,
                      check->used, check->ceiling, check->room, true});
    aids.push_back(
        {app.party, app.award->amount, session->date, app.aid_regime, r.number, app.id.value});
  }
  // An amendment raising a de minimis award grants the difference on the session's date.
  for (const auto& d : out.plan.amendments) {
    const Application& app = in.applications.at(d.application);
    if (d.kind != ArticleKind::AmountChange || d.new_amount <= d.old_amount) continue;
    if (!is_de_minimis(app.aid_regime)) continue;
    const Money increase = d.new_amount - d.old_amount;
    auto check = check_de_minimis(app.aid_regime, app.party, increase, session->date, aids, links);
    if (!check.ok()) return check.refusal();
    if (!check->ok)
      return refuse("stateaid.ceiling", "articles",
                    "Dossier " + app.number +
                        " : l'avenant dépasse le plafond de minimis de l'entreprise unique du "
                        "bénéficiaire (" +
                        fr::euros(check->used) + " déjà reçus, " + fr::euros(increase) +
                        " de plus, plafond " + fr::euros(check->ceiling) + ").");
    checks.push_back({app.id, StateAidStage::Vote, app.aid_regime, session->date, increase,
                      check->used, check->ceiling, check->room, true});
    aids.push_back({app.party, increase, session->date, app.aid_regime, r.number, 0});
  }
  for (const auto& c : checks)
    tx.awards().insert_state_aid_check(ctx.authority, c);
  return done();
}

// Posts the allocations of the vote on their lines.
void post_allocations(Transaction& tx, const Context& ctx, const Report& r, const Date& on,
                      [[maybe_unused]] const VoteInputs& in, const AdoptionResult& out,
                      Instant at) {
  std::vector<LedgerEntry> entries;
  entries.reserve(out.plan.allocations.size());
  for (const auto& p : out.plan.allocations) {
    LedgerEntry& e = entries.emplace_back();
    e.authority = ctx.authority;
    e.line = p.line;
    e.kind = MovementKind::Allocation;
    e.amount = p.amount;
    e.reference = r.number;
    e.label = "Article " + std::to_string(p.article_position) + " – " + p.label;
    e.application = p.application;
    e.party = p.party;
    e.article = p.article;
    e.on = on;  // the session's date
    e.at = at;
    e.actor = ctx.actor;
  }
  tx.ledger().post_ledger_entries(entries);
  for ([[maybe_unused]] const auto& p : out.plan.allocations)
    OCTROI_DEBUG_CHECK(check_posted(tx, ctx.authority, in.lines.at(p.line)));
}

// Saves the dossiers the vote awards, with their history and audit.
void award_dossiers(Transaction& tx, const Context& ctx, const Report& r, const VoteInputs& in,
                    const AdoptionResult& out, Instant at) {
  for (const auto& app : out.plan.awarded) {
    const auto [was, now] = audit_json::changes(in.applications.at(app.id), app);
    tx.applications().update_application(app);
    tx.applications().append_application_event(ctx.authority, app.id,
                                               {at, ctx.actor, "award", "proposed", "awarded",
                                                "Attribution par délibération n° " + r.number});
    record_audit(tx, ctx,
                 {.action = "application.award",
                  .entity = "application",
                  .key = app.number,
                  .before = was,
                  .after = now,
                  .at = at});
    notify_applicants(tx, ctx, at, app, "award", "délibération n° " + r.number);
  }
}

// Transfers the awards the vote moves to another beneficiary.
void make_transfers(Transaction& tx, const Context& ctx, const Report& r,
                    const std::optional<Session>& session, const VoteInputs& in,
                    const AdoptionResult& out, Instant at) {
  for (const auto& t : out.plan.transfers) {
    Application app = in.applications.at(t.application);
    const Application before = app;
    app.party = t.to;
    const auto was_now = audit_json::changes(before, app);
    tx.applications().update_application(app);
    tx.applications().append_beneficiary(ctx.authority, app.id, {t.to, session->date, r.number});
    tx.awards().insert_amendment(
        ctx.authority,
        {app.id, static_cast<int>(tx.awards().amendments_of(ctx.authority, app.id).size()) + 1,
         "transfer", r.number, session->date, was_now.first, was_now.second});
    const Party& to = in.parties.at(t.to);
    tx.applications().append_application_event(
        ctx.authority, app.id,
        {at, ctx.actor, "transfer", "awarded", "awarded",
         "Transfert du reliquat de " + fr::euros(t.amount) + " à " + to.legal_name +
             " par délibération n° " + r.number +
             " ; les délais de caducité courent toujours "
             "à compter de l'attribution initiale"});
    record_audit(tx, ctx,
                 {.action = "application.transfer",
                  .entity = "application",
                  .key = app.number,
                  .before = was_now.first,
                  .after = was_now.second,
                  .at = at});
  }
}

// Applies the amendments of the vote: amount changes posted on the ledger, extensions of the
// eligibility period, each recorded as the dossier's amendment.
void make_amendments(Transaction& tx, const Context& ctx, const Report& r,
                     const std::optional<Session>& session, const VoteInputs& in,
                     const AdoptionResult& out, Instant at) {
  for (const auto& d : out.plan.amendments) {
    Application app = in.applications.at(d.application);
    const Application before_app = app;
    auto post = [&](MovementKind kind, Money amount, const std::string& label) {
      LedgerEntry e;
      e.authority = ctx.authority;
      e.line = d.line;
      e.kind = kind;
      e.amount = amount;
      e.reference = r.number;
      e.label = label;
      e.application = app.id;
      e.article = d.article;
      e.on = session->date;
      e.at = at;
      e.actor = ctx.actor;
      tx.ledger().post_ledger_entry(e);
      OCTROI_DEBUG_CHECK(check_posted(tx, ctx.authority, in.lines.at(d.line)));
    };
    std::string what;
    if (d.kind == ArticleKind::AmountChange) {
      if (d.commit.is_positive())
        post(MovementKind::Commitment, d.commit, app.number + " – avenant");
      if (d.decommit.is_positive())
        post(MovementKind::Decommitment, d.decommit, app.number + " – avenant");
      if (d.release.is_positive())
        post(MovementKind::Release, d.release, app.number + " – avenant");
      app.award->amount = d.new_amount;
      what = "amount";
    } else {
      if (auto ag = tx.awards().find_agreement(ctx.authority, app.id)) {
        ag->eligibility_end = *d.new_end;
        tx.awards().update_agreement(*ag);
      }
      if (app.project.end < *d.new_end) app.project.end = *d.new_end;
      what = "extension";
    }
    tx.applications().update_application(app);
    const auto [was, now] = audit_json::changes(before_app, app);
    const std::string change =
        d.kind == ArticleKind::AmountChange
            ? "Avenant : montant " + fr::euros(d.old_amount) + " → " + fr::euros(d.new_amount)
            : "Avenant : fin d'éligibilité " + fr::date_long(*d.old_end) + " → " +
                  fr::date_long(*d.new_end);
    const int n = static_cast<int>(tx.awards().amendments_of(ctx.authority, app.id).size()) + 1;
    tx.awards().insert_amendment(
        ctx.authority,
        {app.id, n, what, r.number, session->date,
         d.kind == ArticleKind::AmountChange
             ? "{\"amount\":" + audit_json::quote(d.old_amount.to_decimal_string()) + "}"
             : "{\"eligibility_end\":" + audit_json::quote(d.old_end->iso()) + "}",
         d.kind == ArticleKind::AmountChange
             ? "{\"amount\":" + audit_json::quote(d.new_amount.to_decimal_string()) + "}"
             : "{\"eligibility_end\":" + audit_json::quote(d.new_end->iso()) + "}"});
    tx.applications().append_application_event(ctx.authority, app.id,
                                               {at, ctx.actor, "amendment", "awarded", "awarded",
                                                change + " par délibération n° " + r.number});
    record_audit(tx, ctx,
                 {.action = "application.amendment",
                  .entity = "application",
                  .key = app.number,
                  .before = was,
                  .after = now,
                  .at = at});
  }
}

}  // namespace

Result<AdoptionResult> adopt_report(Transaction& tx, const Context& ctx,
                                    const std::string& number) {
  auto loaded = load_report(tx, ctx.authority, number);
  if (!loaded.ok()) return loaded.refusal();
  AdoptionResult out;
  out.report = std::move(loaded).value();
  if (out.report.state == ReportState::Adopted) {
    out.already_adopted = true;  // the same vote recorded twice changes nothing
    return out;
  }
  const Report& r = out.report;
  auto session = tx.committee().get_session(ctx.authority, r.session);
  OCTROI_CHECK(session.has_value(), "a report's session exists (foreign key)");
  const VoteInputs in = vote_inputs(tx, ctx.authority, r);
  auto plan = plan_vote(r, *session, in);
  if (!plan.ok()) return plan.refusal();
  out.plan = std::move(plan).value();

  if (auto c = check_de_minimis_at_vote(tx, ctx, r, session, in, out); !c.ok()) return c.refusal();

  const Instant at = ctx.clock->now();
  post_allocations(tx, ctx, r, session->date, in, out, at);
  award_dossiers(tx, ctx, r, in, out, at);
  make_transfers(tx, ctx, r, session, in, out, at);
  make_amendments(tx, ctx, r, session, in, out, at);
  const std::string before = report_json(r);
  tx.committee().mark_report_adopted(ctx.authority, r.id, session->date);
  out.report.state = ReportState::Adopted;
  out.report.adopted_on = session->date;
  record_audit(tx, ctx,
               {.action = "report.adopt",
                .entity = "report",
                .key = r.number,
                .before = before,
                .after = report_json(out.report),
                .at = at});
  return out;
}

}  // namespace octroi
