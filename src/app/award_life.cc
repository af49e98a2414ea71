// The life of an award after the vote: agreement and commitment, payments, clawback, lapse,
// conditions and outcomes (state aid: state_aid.cc).
#include <algorithm>
#include <cstdio>
#include <map>

#include "app/audit_json.h"
#include "app/award_support.h"
#include "app/input.h"
#include "app/ports/applications.h"
#include "app/ports/awards.h"
#include "app/ports/ledger.h"
#include "app/ports/parties.h"
#include "app/ports/schemes.h"
#include "app/posting.h"
#include "app/use_cases.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace award_detail {

Result<Loaded> load(Transaction& tx, AuthorityId a, const std::string& number) {
  auto app = tx.applications().find_application(a, text::trim(number));
  if (!app)
    return refuse("application.unknown", "number",
                  "Aucun dossier n° « " + number + " » pour cette collectivité.");
  OCTROI_DEBUG_CHECK(app->assert_invariants());
  auto scheme = tx.schemes().get_scheme(a, app->scheme);
  OCTROI_CHECK(scheme.has_value(), "a dossier's scheme exists (foreign key)");
  return Loaded{std::move(*app), std::move(*scheme)};
}

}  // namespace award_detail

namespace {

using award_detail::load;
using award_detail::Loaded;

Status must_be_awarded(const Application& app, const std::string& what) {
  if (app.state() == ApplicationState::Awarded && app.award) return done();
  return refuse("application.not_awarded", "number",
                what + " : le dossier " + app.number + " n'est pas attribué (il est " +
                    std::string(french(app.state())) + ").");
}

Result<BudgetLine> award_line(Transaction& tx, AuthorityId a, const Application& app) {
  // The vote posts an award's allocation in the transaction that awards it, and no use case
  // awards otherwise: an awarded dossier without one is a broken store, not a user's mistake.
  auto id = tx.awards().allocation_line(a, app.id);
  OCTROI_CHECK(id.has_value(), "an awarded dossier has the allocation its vote posted");
  auto line = tx.ledger().get_budget_line(a, *id);
  OCTROI_CHECK(line.has_value(), "an entry's line exists (foreign key)");
  return *line;
}

Money sum_paid(const std::vector<PaymentRecord>& payments) {
  Money paid;
  for (const auto& p : payments)
    paid += p.amount;
  return paid;
}

// What this dossier has committed and not decommitted on its line.
Money committed_for(Transaction& tx, AuthorityId a, const BudgetLine& line, ApplicationId app) {
  Money committed;
  for (const auto& e : tx.ledger().ledger_journal(a, line.id)) {
    if (!e.application || *e.application != app) continue;
    if (e.kind == MovementKind::Commitment) committed += e.amount;
    if (e.kind == MovementKind::Decommitment) committed -= e.amount;
  }
  return committed;
}

std::string agreement_json(const Agreement& ag) {
  using audit_json::quote;
  auto d = [](const std::optional<Date>& x) { return x ? quote(x->iso()) : std::string("null"); };
  return "{\"model\":" + quote(ag.model_deliberation) +
         ",\"eligibility_start\":" + quote(ag.eligibility_start.iso()) +
         ",\"eligibility_end\":" + quote(ag.eligibility_end.iso()) +
         ",\"signed_by_beneficiary_on\":" + d(ag.signed_by_beneficiary_on) +
         ",\"signed_by_authority_on\":" + d(ag.signed_by_authority_on) + "}";
}

Result<Date> date_or_today(InputProblems& pb, const Context& ctx, const std::string& text,
                           const std::string& field) {
  if (text::trim(text).empty()) return ctx.clock->today();
  auto d = pb.date(text, field);
  if (!d) return pb.refusal();
  return *d;
}

}  // namespace

// ---- agreements ---------------------------------------------------------------------------------

Result<Agreement> create_agreement(Transaction& tx, const Context& ctx, const std::string& number,
                                   const AgreementInput& in) {
  auto l = load(tx, ctx.authority, number);
  if (!l.ok()) return l.refusal();
  const Application& app = l->app;
  if (auto r = must_be_awarded(app, "Convention"); !r.ok()) return r.refusal();
  if (tx.awards().find_agreement(ctx.authority, app.id))
    return refuse("agreement.exists", "number",
                  "Le dossier " + app.number + " a déjà une convention.");
  InputProblems pb;
  Agreement ag;
  ag.authority = ctx.authority;
  ag.application = app.id;
  ag.model_deliberation = l->scheme.model_agreement;
  ag.early_start = app.early_start.requested ? app.early_start.date : std::nullopt;
  ag.eligibility_start = ag.early_start.value_or(app.award->date);
  if (auto s = pb.optional_date(in.eligibility_start, "eligibility_start"))
    ag.eligibility_start = *s;
  ag.eligibility_end = ag.eligibility_start.add_years(3);
  if (auto e = pb.optional_date(in.eligibility_end, "eligibility_end")) ag.eligibility_end = *e;
  if (!pb.empty()) return pb.refusal();
  if (auto v = ag.validate(); !v.ok()) return v.refusal();
  tx.awards().insert_agreement(ag);
  record_audit(tx, ctx,
               {.action = "agreement.create",
                .entity = "agreement",
                .key = app.number,
                .after = agreement_json(ag)});
  return ag;
}

Result<Agreement> sign_agreement(Transaction& tx, const Context& ctx, const std::string& number,
                                 const SignatureInput& in) {
  auto l = load(tx, ctx.authority, number);
  if (!l.ok()) return l.refusal();
  const Application& app = l->app;
  if (auto r = must_be_awarded(app, "Signature"); !r.ok()) return r.refusal();
  auto ag = tx.awards().find_agreement(ctx.authority, app.id);
  if (!ag)
    return refuse("agreement.missing", "number",
                  "Le dossier " + app.number + " n'a pas de convention à signer.");
  InputProblems pb;
  Signatory who{};
  if (!parse_signatory(text::trim(in.signatory), who))
    pb.add({"agreement.signatory", "signatory",
            "Signataire inconnu « " + in.signatory + " » : beneficiary ou authority."});
  auto on = date_or_today(pb, ctx, in.on, "on");
  if (!pb.empty() || !on.ok()) return pb.refusal();
  const std::string before = agreement_json(*ag);
  if (auto r = sign(*ag, who, on.value(), app.award->date); !r.ok()) return r.refusal();
  if (ag->is_signed()) {
    // Both signatures: the legal commitment of the award on its line.
    auto line = award_line(tx, ctx.authority, app);
    if (!line.ok()) return line.refusal();
    auto posted = post_movement(tx, ctx, line.value(),
                                {MovementKind::Commitment, app.award->amount, app.number,
                                 "Engagement juridique : convention signée", app.id, on.value()});
    if (!posted.ok()) return posted.refusal();
  }
  tx.awards().update_agreement(*ag);
  record_audit(tx, ctx,
               {.action = "agreement.sign",
                .entity = "agreement",
                .key = app.number,
                .before = before,
                .after = agreement_json(*ag)});
  return *ag;
}

// ---- payments ---------------------------------------------------------------------------------

namespace {

// A payment request as typed, once read: its kind, the amount asked, the record to be paid and
// the realised eligible spending.
struct PaymentRequest {
  PaymentKind kind;
  Money requested;
  PaymentRecord rec;
  std::optional<Money> realised;
};

// Reads the request's kind, amount, statement of expenses and date, reporting all their
// problems at once.
Result<PaymentRequest> read_payment_request(const Context& ctx, const Application& app,
                                            const PaymentInput& in) {
  InputProblems pb;
  PaymentKind kind{};
  if (!parse_payment_kind(text::trim(in.kind), kind))
    pb.add({"payment.kind", "kind",
            "Type de versement inconnu « " + in.kind + " » : advance, interim ou balance."});
  Money requested;
  if (kind != PaymentKind::Balance)
    if (auto m = pb.money(in.amount, "amount")) requested = *m;
  PaymentRecord rec;
  rec.application = app.id;
  rec.kind = kind;
  Money from_lines;
  for (std::size_t i = 0; i < in.lines.size(); ++i) {
    const std::string path = "lines[" + std::to_string(i + 1) + "]";
    auto amount = pb.money(in.lines[i].amount, path + ".amount");
    if (auto p = text::check_required(in.lines[i].label, path + ".label",
                                      "Le libellé de la dépense", 300))
      pb.add(*p);
    if (amount && !amount->is_positive())
      pb.add({"payment.line_amount", path + ".amount", "Le montant d'une dépense est positif."});
    if (!amount) continue;
    rec.lines.push_back({text::trim(in.lines[i].label), *amount, in.lines[i].eligible});
    if (in.lines[i].eligible) from_lines += *amount;
  }
  std::optional<Money> realised = pb.optional_money(in.realised, "realised");
  if (realised && realised->is_negative()) {
    pb.add({"payment.realised", "realised",
            "Le montant des dépenses éligibles réalisées ne peut être négatif."});
    realised.reset();
  }
  if (!realised && !in.lines.empty()) realised = from_lines;
  if (realised && !in.lines.empty() && *realised != from_lines)
    pb.add({"payment.statement", "realised",
            "Le total éligible de l'état récapitulatif (" + fr::euros(from_lines) +
                ") diffère du montant réalisé déclaré (" + fr::euros(*realised) + ")."});
  auto on = date_or_today(pb, ctx, in.on, "on");
  if (!pb.empty() || !on.ok()) return pb.refusal();
  rec.requested_on = on.value();
  rec.realised_eligible = realised;
  return PaymentRequest{kind, requested, rec, realised};
}

// A payment follows the signature of the agreement and the payments before it: a back-dated
// request could otherwise spend another year's CP or defeat the lapse rules.
Status check_payment_date(const std::optional<Agreement>& ag,
                          const std::vector<PaymentRecord>& previous, const PaymentRecord& rec) {
  Date not_before = std::max(*ag->signed_by_beneficiary_on, *ag->signed_by_authority_on);
  for (const auto& p : previous)
    if (not_before < p.requested_on) not_before = p.requested_on;
  if (rec.requested_on < not_before)
    return refuse("payment.date", "on",
                  "La date du versement (" + fr::date_long(rec.requested_on) +
                      ") précède la signature de la convention ou un versement antérieur (" +
                      fr::date_long(not_before) + ").");
  return done();
}

// What the scheme's payment rules allow for this request, refused in the fields the user typed.
Result<PaymentDecision> decide_on_request(const AidScheme& scheme,
                                          const PaymentSituation& situation, PaymentKind kind,
                                          Money requested, const std::optional<Money>& realised) {
  auto decision = decide_payment(scheme.payment_rules, situation, kind, requested, realised);
  if (!decision.ok()) {
    // The domain names its own parameters; the user typed the request's fields.
    Refusal r = decision.refusal();
    for (auto& p : r.problems) {
      if (p.field == "requested") p.field = "amount";
      if (p.field == "realised_eligible") p.field = "realised";
    }
    return r;
  }
  return decision;
}

// Names the payment, then posts its payment order on the award's line and the CP it consumes
// on the line of the year it is paid in.
Status post_payment_order(Transaction& tx, const Context& ctx, const Application& app,
                          const PaymentInput& in, const std::vector<PaymentRecord>& previous,
                          const Result<BudgetLine>& line, const Result<PaymentDecision>& decision,
                          PaymentKind kind, PaymentRecord& rec) {
  // "<number>-V<n>", the first n no payment of the award holds as its reference.
  std::string generated;
  for (std::size_t n = previous.size() + 1; generated.empty(); ++n) {
    const std::string candidate = app.number + "-V" + std::to_string(n);
    if (std::none_of(previous.begin(), previous.end(),
                     [&](const PaymentRecord& p) { return p.reference == candidate; }))
      generated = candidate;
  }
  rec.reference = text::trim(in.reference).empty() ? generated : text::trim(in.reference);
  rec.amount = decision->payable;
  if (rec.amount.is_positive()) {
    auto posted = post_movement(
        tx, ctx, line.value(),
        {MovementKind::PaymentOrder, rec.amount, rec.reference,
         std::string("Mandat : ") + std::string(french(kind)) + " du dossier " + app.number, app.id,
         rec.requested_on});
    if (!posted.ok()) return posted.refusal();
    rec.entry = posted->entry;
    // The payment order consumes the CP of the year it is paid in, on that year's line of the
    // same action.
    auto cp_line =
        tx.ledger().find_budget_line(ctx.authority, rec.requested_on.year(), line->action);
    if (!cp_line)
      return refuse("budget.no_cp_line", "on",
                    "Aucune ligne " + std::to_string(rec.requested_on.year()) + "/" + line->action +
                        " pour imputer les crédits de paiement de ce versement daté du " +
                        fr::date_long(rec.requested_on) +
                        (rec.requested_on == ctx.clock->today() ? " (aujourd'hui)" : "") +
                        " : donnez la date du versement, ou créez la ligne et votez ses CP.");
    auto cp = post_movement(tx, ctx, *cp_line,
                            {MovementKind::CpConsumption, rec.amount, rec.reference,
                             "CP du mandat " + rec.reference, app.id, rec.requested_on});
    if (!cp.ok()) return cp.refusal();
  }
  return done();
}

// At the balance, what will not be paid is decommitted and released.
// Released: the award less what is kept, that is what is earned or, when more was paid,
// what was paid (the excess comes back by a recovery order, not through the ledger).
Status release_unearned(Transaction& tx, const Context& ctx, const Application& app,
                        const Result<BudgetLine>& line, const PaymentSituation& situation,
                        const Result<PaymentDecision>& decision, const PaymentRecord& rec) {
  const Money paid_now = situation.paid + rec.amount;
  const Money unearned = app.award->amount - max(decision->earned, paid_now);
  if (unearned.is_positive()) {
    const Money committed = committed_for(tx, ctx.authority, line.value(), app.id);
    const Money to_decommit = committed - paid_now;
    if (to_decommit.is_positive()) {
      auto r = post_movement(tx, ctx, line.value(),
                             {MovementKind::Decommitment, to_decommit, rec.reference,
                              "Dégagement du reliquat non dû au solde", app.id, rec.requested_on});
      if (!r.ok()) return r.refusal();
    }
    auto r =
        post_movement(tx, ctx, line.value(),
                      {MovementKind::Release, unearned, rec.reference,
                       "Désaffectation du reliquat non dû au solde", app.id, rec.requested_on});
    if (!r.ok()) return r.refusal();
  }
  return done();
}

// At the balance, what was paid beyond what is earned is ordered for recovery.
void order_overpaid_recovery(Transaction& tx, const Context& ctx, Instant at,
                             const Application& app, const Result<PaymentDecision>& decision,
                             const PaymentRecord& rec) {
  if (decision->overpaid.is_positive()) {
    const ClawbackRecord c{0,
                           app.id,
                           decision->overpaid,
                           "Trop-perçu constaté au solde",
                           rec.requested_on,
                           rec.reference,
                           std::nullopt,
                           std::nullopt};
    tx.awards().insert_clawback(ctx.authority, c);
    record_audit(tx, ctx,
                 {.action = "clawback.order",
                  .entity = "application",
                  .key = app.number,
                  .after = "{\"amount\":" + audit_json::quote(c.amount.to_decimal_string()) +
                           ",\"reason\":" + audit_json::quote(c.reason) + "}",
                  .at = at});
  }
}

// At the balance, the dossier is closed.
Status close_settled(Transaction& tx, const Context& ctx, Instant at, const AidScheme& scheme,
                     const PaymentRecord& rec, Application& app) {
  const Application before = app;
  EventContext ec;
  ec.on = rec.requested_on;
  if (auto r = apply_event(app, scheme, ApplicationEvent::Close, ec); !r.ok()) return r.refusal();
  tx.applications().update_application(app);
  tx.applications().append_application_event(
      ctx.authority, app.id,
      {at, ctx.actor, "close", "awarded", "closed", "Solde versé : " + fr::euros(rec.amount)});
  const auto [was, now] = audit_json::changes(before, app);
  record_audit(tx, ctx,
               {.action = "application.close",
                .entity = "application",
                .key = app.number,
                .before = was,
                .after = now,
                .at = at});
  return done();
}

// What a payment request would pay, checked against everything but the ledger: the dossier
// awarded and not settled, the agreement signed, the request well-formed, its reference and date,
// and the scheme's ceilings.
struct PaymentPlan {
  Application app;
  AidScheme scheme;
  PaymentKind kind;
  PaymentRecord rec;
  std::vector<PaymentRecord> previous;
  PaymentSituation situation;
  Result<PaymentDecision> decision;
};
Result<PaymentPlan> plan_payment(Transaction& tx, const Context& ctx, const std::string& number,
                                 const PaymentInput& in) {
  auto l = load(tx, ctx.authority, number);
  if (!l.ok()) return l.refusal();
  Application app = l->app;
  const AidScheme& scheme = l->scheme;
  if (app.state() == ApplicationState::Closed)
    return refuse("payment.settled", "number", "Le dossier " + app.number + " est soldé.");
  if (auto r = must_be_awarded(app, "Versement"); !r.ok()) return r.refusal();
  auto ag = tx.awards().find_agreement(ctx.authority, app.id);
  if (!ag || !ag->is_signed())
    return refuse("payment.no_agreement", "number",
                  "Le versement est subordonné à la signature de la convention du dossier " +
                      app.number + ".");
  auto request = read_payment_request(ctx, app, in);
  if (!request.ok()) return request.refusal();
  auto [kind, requested, rec, realised] = std::move(request).value();

  auto previous = tx.awards().payments_of(ctx.authority, app.id);
  // A payment's reference is unique per award (issue 16, finding 4): the same request sent twice
  // with its reference is refused the second time, never paid twice.
  const std::string reference = text::trim(in.reference);
  for (const auto& p : previous)
    if (!reference.empty() && p.reference == reference)
      return refuse("payment.reference_taken", "reference",
                    "Le versement « " + reference + " » du dossier " + app.number +
                        " est déjà enregistré (" + fr::euros(p.amount) + ", le " +
                        fr::date_long(p.requested_on) + ") : il n'est pas versé deux fois.");
  if (auto r = check_payment_date(ag, previous, rec); !r.ok()) return r.refusal();
  PaymentSituation situation{app.award->amount, app.plan.eligible_base(), sum_paid(previous),
                             false};
  for (const auto& p : previous)
    if (p.kind == PaymentKind::Balance) situation.balance_paid = true;
  auto decision = decide_on_request(scheme, situation, kind, requested, realised);
  if (!decision.ok()) return decision.refusal();
  return PaymentPlan{app, scheme, kind, rec, std::move(previous), situation, decision};
}

}  // namespace

Result<PaymentDecision> preview_payment(Transaction& tx, const Context& ctx,
                                        const std::string& number, const PaymentInput& in) {
  auto plan = plan_payment(tx, ctx, number, in);
  if (!plan.ok()) return plan.refusal();
  return plan->decision;
}

Result<PaymentResult> request_payment(Transaction& tx, const Context& ctx,
                                      const std::string& number, const PaymentInput& in) {
  auto plan = plan_payment(tx, ctx, number, in);
  if (!plan.ok()) return plan.refusal();
  Application app = plan->app;
  const AidScheme& scheme = plan->scheme;
  const PaymentKind kind = plan->kind;
  PaymentRecord rec = plan->rec;
  const auto& previous = plan->previous;
  const PaymentSituation& situation = plan->situation;
  const Result<PaymentDecision>& decision = plan->decision;
  auto line = award_line(tx, ctx.authority, app);
  if (!line.ok()) return line.refusal();

  if (auto r = post_payment_order(tx, ctx, app, in, previous, line, decision, kind, rec); !r.ok())
    return r.refusal();
  rec.id = tx.awards().insert_payment(ctx.authority, rec);
  const Instant at = ctx.clock->now();
  record_audit(tx, ctx,
               {.action = "payment." + std::string(to_string(kind)),
                .entity = "application",
                .key = app.number,
                .after = "{\"kind\":" + audit_json::quote(std::string(to_string(kind))) +
                         ",\"amount\":" + audit_json::quote(rec.amount.to_decimal_string()) +
                         ",\"reference\":" + audit_json::quote(rec.reference) + "}",
                .at = at});

  if (kind == PaymentKind::Balance) {
    // What will not be paid is decommitted and released; what was paid beyond what is earned
    // is to be recovered; the dossier is closed.
    if (auto r = release_unearned(tx, ctx, app, line, situation, decision, rec); !r.ok())
      return r.refusal();
    order_overpaid_recovery(tx, ctx, at, app, decision, rec);
    if (auto r = close_settled(tx, ctx, at, scheme, rec, app); !r.ok()) return r.refusal();
  }
  return PaymentResult{rec, decision.value(), app};
}

// ---- clawback ---------------------------------------------------------------------------------

Result<ClawbackRecord> order_clawback(Transaction& tx, const Context& ctx,
                                      const std::string& number, const ClawbackInput& in) {
  auto l = load(tx, ctx.authority, number);
  if (!l.ok()) return l.refusal();
  const Application& app = l->app;
  if (!app.award)
    return refuse("application.not_awarded", "number",
                  "Le dossier " + app.number + " n'a pas de subvention attribuée.");
  InputProblems pb;
  if (auto p = text::check_required(in.reason, "reason", "Le motif du reversement", 500,
                                    text::Lines::Many))
    pb.add(*p);
  if (auto p = text::check_required(in.reference, "reference", "La référence de l'acte", 100))
    pb.add(*p);
  auto on = date_or_today(pb, ctx, in.on, "on");
  std::optional<Money> amount = in.pro_rata_years ? std::nullopt : pb.money(in.amount, "amount");
  if (!pb.empty() || !on.ok()) return pb.refusal();
  const Money paid = sum_paid(tx.awards().payments_of(ctx.authority, app.id));
  if (!paid.is_positive())
    return refuse("clawback.nothing_paid", "number",
                  "Rien n'a été versé sur le dossier " + app.number + " : rien à reverser.");
  Money ordered;
  for (const auto& earlier : tx.awards().clawbacks_of(ctx.authority, app.id))
    ordered += earlier.amount;
  const Money recoverable = paid - ordered;  // what was paid and not already asked back
  ClawbackRecord c{0,
                   app.id,
                   Money(),
                   text::trim(in.reason),
                   on.value(),
                   text::trim(in.reference),
                   std::nullopt,
                   std::nullopt};
  if (in.pro_rata_years) {
    if (!l->scheme.obligation_years)
      return refuse("clawback.no_duration", "pro_rata",
                    "Le dispositif ne fixe pas la durée des obligations du bénéficiaire : "
                    "indiquez le montant à reverser.");
    c.years_total = *l->scheme.obligation_years;
    c.years_remaining = years_remaining(app.award->date, *c.years_total, on.value());
    c.amount = min(clawback_pro_rata(paid, *c.years_total, *c.years_remaining), recoverable);
    if (!c.amount.is_positive())
      return refuse("clawback.nothing", "pro_rata",
                    "La durée des obligations est écoulée : rien à reverser au prorata.");
  } else {
    c.amount = *amount;
    if (!c.amount.is_positive() || c.amount > recoverable)
      return refuse("clawback.amount", "amount",
                    "Le reversement doit être positif et au plus égal aux sommes versées non "
                    "encore reversées (" +
                        fr::euros(recoverable) + " : " + fr::euros(paid) + " versés, " +
                        fr::euros(ordered) + " déjà demandés).");
  }
  tx.awards().insert_clawback(ctx.authority, c);
  std::string detail = "{\"amount\":" + audit_json::quote(c.amount.to_decimal_string()) +
                       ",\"reason\":" + audit_json::quote(c.reason) + "}";
  record_audit(
      tx, ctx,
      {.action = "clawback.order", .entity = "application", .key = app.number, .after = detail});
  return c;
}

// ---- lapse --------------------------------------------------------------------------------------

Result<std::vector<LapseSweepItem>> lapse_sweep(Transaction& tx, const Context& ctx,
                                                const std::string& as_of_text, bool dry_run) {
  InputProblems pb;
  auto as_of = pb.date(as_of_text, "as_of");
  if (!as_of) return pb.refusal();
  std::vector<LapseSweepItem> out;
  ApplicationFilter f;
  f.state = ApplicationState::Awarded;
  f.limit = 1000;
  std::vector<Application> awarded;
  for (f.offset = 0;; f.offset += f.limit) {
    auto page = tx.applications().list_applications(ctx.authority, f);
    const bool last = static_cast<std::int64_t>(page.size()) < f.limit;
    for (auto& a : page)
      awarded.push_back(std::move(a));
    if (last) break;
  }
  std::map<std::int64_t, AidScheme> schemes;
  for (auto& app : awarded) {
    if (!schemes.count(app.scheme.value))
      schemes.emplace(app.scheme.value, *tx.schemes().get_scheme(ctx.authority, app.scheme));
    const AidScheme& scheme = schemes.at(app.scheme.value);
    if (!scheme.lapse_rules.first_request_years && !scheme.lapse_rules.balance_years) continue;
    const auto payments = tx.awards().payments_of(ctx.authority, app.id);
    LapseSituation s{app.award->date, std::nullopt, false, app.award->amount, sum_paid(payments)};
    for (const auto& p : payments)
      if (!s.first_request_on || p.requested_on < *s.first_request_on)
        s.first_request_on = p.requested_on;
    const LapseDecision d = evaluate_lapse(scheme.lapse_rules, s, *as_of);
    if (!d.lapses) continue;
    out.push_back({app.number, d});
    if (dry_run) continue;
    auto line = award_line(tx, ctx.authority, app);
    if (!line.ok()) return line.refusal();
    const std::string reference = "Caducité au " + as_of->iso();
    const Money to_decommit = committed_for(tx, ctx.authority, line.value(), app.id) - s.paid;
    if (to_decommit.is_positive()) {
      auto r = post_movement(tx, ctx, line.value(),
                             {MovementKind::Decommitment, to_decommit, reference,
                              "Dégagement pour caducité du dossier " + app.number, app.id, *as_of});
      if (!r.ok()) return r.refusal();
    }
    if (d.to_release.is_positive()) {
      auto r =
          post_movement(tx, ctx, line.value(),
                        {MovementKind::LapseRelease, d.to_release, reference,
                         "Désaffectation pour caducité du dossier " + app.number, app.id, *as_of});
      if (!r.ok()) return r.refusal();
    }
    const Application before = app;
    EventContext ec;
    ec.on = *as_of;
    ec.reason = d.reason;
    if (auto r = apply_event(app, scheme, ApplicationEvent::Lapse, ec); !r.ok()) return r.refusal();
    tx.applications().update_application(app);
    const Instant at = ctx.clock->now();
    tx.applications().append_application_event(
        ctx.authority, app.id, {at, ctx.actor, "lapse", "awarded", "lapsed", d.reason});
    const auto [was, now] = audit_json::changes(before, app);
    record_audit(tx, ctx,
                 {.action = "application.lapse",
                  .entity = "application",
                  .key = app.number,
                  .before = was,
                  .after = now,
                  .at = at});
  }
  return out;
}

// ---- conditions and outcomes ------------------------------------------------------------------

Result<ConditionRecord> add_condition(Transaction& tx, const Context& ctx,
                                      const std::string& number, const std::string& label,
                                      const std::string& due_on) {
  auto l = load(tx, ctx.authority, number);
  if (!l.ok()) return l.refusal();
  InputProblems pb;
  if (auto p = text::check_required(label, "label", "Le libellé de la condition", 500)) pb.add(*p);
  auto due = pb.optional_date(due_on, "due_on");
  if (!pb.empty()) return pb.refusal();
  ConditionRecord c{0, l->app.id, text::trim(label), "pending", due};
  c.id = tx.awards().insert_condition(ctx.authority, c);
  record_audit(tx, ctx,
               {.action = "condition.add",
                .entity = "application",
                .key = l->app.number,
                .after = "{\"condition\":" + audit_json::quote(c.label) + "}"});
  return c;
}

Result<ConditionRecord> set_condition(Transaction& tx, const Context& ctx,
                                      const std::string& number, const std::string& condition_id,
                                      const std::string& status) {
  auto l = load(tx, ctx.authority, number);
  if (!l.ok()) return l.refusal();
  if (status != "pending" && status != "met" && status != "not_met")
    return refuse("condition.status", "status",
                  "État inconnu « " + status + " » : pending, met ou not_met.");
  for (auto c : tx.awards().conditions_of(ctx.authority, l->app.id)) {
    if (std::to_string(c.id) != text::trim(condition_id)) continue;
    const std::string before = c.status;
    c.status = status;
    tx.awards().update_condition(ctx.authority, c);
    record_audit(tx, ctx,
                 {.action = "condition.set",
                  .entity = "application",
                  .key = l->app.number,
                  .before = "{\"status\":" + audit_json::quote(before) + "}",
                  .after = "{\"status\":" + audit_json::quote(status) + "}"});
    return c;
  }
  return refuse(
      "condition.unknown", "condition",
      "Aucune condition n° « " + condition_id + " » sur le dossier " + l->app.number + ".");
}

Result<Done> report_outcome(Transaction& tx, const Context& ctx, const std::string& number,
                            const std::string& indicator, const std::string& value,
                            const std::string& on) {
  auto l = load(tx, ctx.authority, number);
  if (!l.ok()) return l.refusal();
  InputProblems pb;
  if (auto p = text::check_required(indicator, "indicator", "L'indicateur", 200)) pb.add(*p);
  // At most 12 digits: an indicator counts jobs, interns, visits — never near the int64 range, so
  // sums over a scheme cannot overflow.
  std::int64_t v = 0;
  const std::string t = text::trim(value);
  bool digits = !t.empty() && t.size() <= 12;
  for (char ch : t)
    digits = digits && ch >= '0' && ch <= '9';
  if (!digits)
    pb.add({"outcome.value", "value",
            "La valeur d'un indicateur est un entier positif ou nul, de 12 chiffres au plus."});
  else
    v = std::stoll(t);
  auto when = date_or_today(pb, ctx, on, "on");
  if (!pb.empty() || !when.ok()) return pb.refusal();
  tx.awards().insert_outcome(ctx.authority, {l->app.id, text::trim(indicator), v, when.value()});
  record_audit(tx, ctx,
               {.action = "outcome.report",
                .entity = "application",
                .key = l->app.number,
                .after = "{\"indicator\":" + audit_json::quote(text::trim(indicator)) +
                         ",\"value\":" + std::to_string(v) + "}"});
  return done();
}

Result<std::vector<std::pair<std::string, std::int64_t>>> outcomes_summary(
    Transaction& tx, AuthorityId a, const std::string& scheme_number) {
  auto scheme = scheme_by_number(tx, a, scheme_number);
  if (!scheme.ok()) return scheme.refusal();
  std::map<std::string, std::int64_t> sums;
  for (const auto& o : tx.awards().outcomes_of_scheme(a, scheme->id))
    sums[o.indicator] += o.value;
  return std::vector<std::pair<std::string, std::int64_t>>(sums.begin(), sums.end());
}

Result<AwardView> show_award(Transaction& tx, AuthorityId a, const std::string& number) {
  auto dossier = show_application(tx, a, number);
  if (!dossier.ok()) return dossier.refusal();
  AwardView v;
  v.dossier = std::move(dossier).value();
  const ApplicationId id = v.dossier.application.id;
  v.agreement = tx.awards().find_agreement(a, id);
  v.payments = tx.awards().payments_of(a, id);
  v.paid = sum_paid(v.payments);
  const auto& app = v.dossier.application;
  if (app.state() == ApplicationState::Awarded && app.award && app.award->amount > v.paid)
    v.remaining = app.award->amount - v.paid;
  v.clawbacks = tx.awards().clawbacks_of(a, id);
  v.amendments = tx.awards().amendments_of(a, id);
  v.state_aid_checks = tx.awards().state_aid_checks(a, id);
  v.conditions = tx.awards().conditions_of(a, id);
  v.outcomes = tx.awards().outcomes_of(a, id);
  return v;
}

Status for_each_award(Transaction& tx, AuthorityId a, const std::function<void(AwardView&&)>& f) {
  for (const ApplicationState state :
       {ApplicationState::Awarded, ApplicationState::Closed, ApplicationState::Lapsed}) {
    ApplicationFilter page;
    page.state = state;
    page.limit = 1000;
    for (;;) {  // keyset paging: each page starts after the last number of the one before
      const auto apps = tx.applications().list_applications(a, page);
      for (const auto& app : apps) {
        auto v = show_award(tx, a, app.number);
        if (!v.ok()) return v.refusal();
        f(std::move(v).value());
      }
      if (static_cast<std::int64_t>(apps.size()) < page.limit) break;
      page.after_number = apps.back().number;
    }
  }
  return done();
}

Result<AwardsOverview> list_awards(Transaction& tx, AuthorityId a) {
  AwardsOverview out;
  for (const ApplicationState state :
       {ApplicationState::Awarded, ApplicationState::Closed, ApplicationState::Lapsed}) {
    ApplicationFilter f;
    f.state = state;
    f.limit = 1000;
    for (const auto& app : tx.applications().list_applications(a, f)) {
      auto v = show_award(tx, a, app.number);
      if (!v.ok()) return v.refusal();
      out.awards.push_back(std::move(v).value());
    }
  }
  std::sort(out.awards.begin(), out.awards.end(), [](const AwardView& x, const AwardView& y) {
    return x.dossier.application.number < y.dossier.application.number;
  });
  for (const auto& v : out.awards) {
    if (v.dossier.application.award) out.total_awarded += v.dossier.application.award->amount;
    out.total_paid += v.paid;
    out.total_remaining += v.remaining;
  }
  return out;
}

}  // namespace octroi
