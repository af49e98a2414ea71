// After the decision, on the portal (app/portal.h): the agreement signed by a click, the
// payments claimed with their expense statement and paid or refused by an agent, the outcomes
// reported.
#include <algorithm>

#include "app/audit_json.h"
#include "app/portal.h"
#include "app/ports/applications.h"
#include "app/ports/awards.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace {

// The terms a signature pins: what the page shows above the button, in words.
std::vector<std::string> terms_of(const AwardView& v) {
  const auto& d = v.dossier;
  std::vector<std::string> t;
  t.push_back("Convention relative au dossier n° " + d.application.number + " (« " +
              d.application.project.title + " »).");
  t.push_back("Bénéficiaire : " + d.party.legal_name + ".");
  t.push_back("Dispositif : " + d.scheme.name +
              (v.agreement && !v.agreement->model_deliberation.empty()
                   ? ", convention type adoptée par la "
                     "délibération " +
                         v.agreement->model_deliberation
                   : std::string()) +
              ".");
  if (d.application.award)
    t.push_back("Subvention : " + fr::euros(d.application.award->amount) + " (" +
                fr::euros_in_words(d.application.award->amount) + "), accordée le " +
                fr::date_long(d.application.award->date) + ".");
  if (v.agreement)
    t.push_back("Dépenses éligibles du " + fr::date_long(v.agreement->eligibility_start) + " au " +
                fr::date_long(v.agreement->eligibility_end) + ".");
  const auto& rules = d.scheme.payment_rules;
  t.push_back(std::string("Versements : ") +
              (rules.advance_max ? "une avance de " + fr::percent_short(*rules.advance_max) +
                                       " de la subvention au plus, "
                                 : std::string()) +
              (rules.interim_max ? "des acomptes jusqu'à " + fr::percent_short(*rules.interim_max) +
                                       " avec l'état récapitulatif des dépenses, "
                                 : std::string()) +
              "le solde au prorata des dépenses éligibles réalisées.");
  for (const auto& c : v.conditions)
    t.push_back("Engagement : " + c.label +
                (c.due_on ? " (au plus tard le " + fr::date_long(*c.due_on) + ")" : "") + ".");
  return t;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines)
    out += l + "\n";
  return out;
}

Refusal no_claim(std::int64_t id) {
  return refuse("payment_claim.not_found", "claim",
                "Aucune demande de versement n° " + std::to_string(id) +
                    " n'attend de décision sur ce dossier.");
}

// The claim `id` of the dossier, waiting for a decision.
Result<PaymentClaimRecord> pending_claim(Transaction& tx, AuthorityId a, ApplicationId app,
                                         std::int64_t id) {
  for (auto& c : tx.portal().claims_of(a, app))
    if (c.id == id && c.state == "pending") return c;
  return no_claim(id);
}

PaymentInput payment_input_of(const PaymentClaimRecord& c) {
  PaymentInput in;
  in.kind = c.kind;
  if (c.amount) in.amount = c.amount->to_decimal_string();
  if (c.realised) in.realised = c.realised->to_decimal_string();
  for (const auto& l : c.lines)
    in.lines.push_back({l.label, l.amount.to_decimal_string(), l.eligible});
  return in;
}

std::string claim_json(const PaymentClaimRecord& c) {
  return "{\"claim\":" + std::to_string(c.id) + ",\"kind\":" + audit_json::quote(c.kind) +
         ",\"amount\":" + audit_json::quote(c.amount ? c.amount->to_decimal_string() : "") +
         ",\"realised\":" + audit_json::quote(c.realised ? c.realised->to_decimal_string() : "") +
         ",\"lines\":" + std::to_string(c.lines.size()) +
         ",\"state\":" + audit_json::quote(c.state) + "}";
}

}  // namespace

Result<PortalAward> portal_award(Transaction& tx, const ApplicantContext& ac,
                                 const std::string& number, Hasher& sha256) {
  auto app = applicant_dossier(tx, ac, number);
  if (!app.ok()) return app.refusal();
  auto v = show_award(tx, ac.authority, app->number);
  if (!v.ok()) return v.refusal();
  if (!v->dossier.application.award)
    return refuse("application.not_awarded", "number",
                  "Le dossier " + app->number + " n'a pas (encore) d'aide accordée.");
  PortalAward out;
  out.signatures = tx.portal().signatures_of(ac.authority, app->id);
  out.claims = tx.portal().claims_of(ac.authority, app->id);
  out.terms = terms_of(*v);
  out.terms_sha256 = sha256.sha256_hex(joined(out.terms));
  out.can_sign = v->agreement && !v->agreement->signed_by_beneficiary_on;
  const bool pending =
      std::any_of(out.claims.begin(), out.claims.end(),
                  [](const PaymentClaimRecord& c) { return c.state == "pending"; });
  out.can_claim = v->agreement && v->agreement->is_signed() && !pending &&
                  v->dossier.application.state() == ApplicationState::Awarded;
  out.award = std::move(v).value();
  return out;
}

Result<SignatureRecord> portal_sign_agreement(Transaction& tx, const ApplicantContext& ac,
                                              const std::string& number,
                                              const PortalSignatureInput& in, Hasher& sha256) {
  auto award = portal_award(tx, ac, number, sha256);
  if (!award.ok()) return award.refusal();
  const auto& app = award->award.dossier.application;
  if (!award->award.agreement)
    return refuse("agreement.missing", "number",
                  "Le dossier " + app.number + " n'a pas encore de convention à signer.");
  if (!in.consent)
    return refuse("agreement.consent", "consent",
                  "Cochez la case pour signer la convention au nom de " +
                      award->award.dossier.party.legal_name + ".");
  if (in.terms_sha256 != award->terms_sha256)
    return refuse("agreement.terms_changed", "terms",
                  "La convention a changé depuis l'affichage de la page : relisez-la avant de la "
                  "signer.");
  const auto account = tx.portal().get_applicant(ac.account_id);
  if (!account) return refuse("portal.not_found", "number", "Compte inconnu.");
  // The beneficiary's signature of the agreement, dated today, as the applicant's act (its
  // audit line names "portail:<e-mail>"); a second signature is refused there.
  SignatureInput si;
  si.signatory = "beneficiary";
  auto signed_ = sign_agreement(tx, context_of(ac), app.number, si);
  if (!signed_.ok()) return signed_.refusal();
  SignatureRecord r;
  r.authority = ac.authority;
  r.application = app.id;
  r.applicant_account_id = ac.account_id;
  r.email = account->email;
  r.display_name = account->display_name;
  r.signed_at = ac.clock->now();
  r.remote_addr = in.remote_addr.substr(0, 64);
  r.terms_sha256 = award->terms_sha256;
  r.terms = joined(award->terms);
  r.id = tx.portal().insert_signature(r);
  record_audit(
      tx, context_of(ac),
      {.action = "agreement.portal_signature",
       .entity = "agreement",
       .key = app.number,
       .after = "{\"method\":\"click\",\"account\":" + std::to_string(r.applicant_account_id) +
                ",\"email\":" + audit_json::quote(r.email) +
                ",\"name\":" + audit_json::quote(r.display_name) +
                ",\"from\":" + audit_json::quote(r.remote_addr) +
                ",\"terms_sha256\":" + audit_json::quote(r.terms_sha256) + "}",
       .at = r.signed_at});
  return r;
}

Result<PaymentClaimRecord> portal_claim_payment(Transaction& tx, const ApplicantContext& ac,
                                                const std::string& number, const ClaimInput& in) {
  auto app = applicant_dossier(tx, ac, number);
  if (!app.ok()) return app.refusal();
  for (const auto& c : tx.portal().claims_of(ac.authority, app->id))
    if (c.state == "pending")
      return refuse("payment_claim.pending", "kind",
                    "Une demande de versement du " + fr::date_long(paris_time(c.claimed_at).day) +
                        " attend déjà la décision du service.");
  PaymentInput pi;
  pi.kind = in.kind;
  pi.amount = in.amount;
  pi.realised = in.realised;
  pi.lines = in.lines;
  PaymentKind kind{};
  const bool known = parse_payment_kind(text::trim(in.kind), kind);
  if (known && kind == PaymentKind::Balance) pi.amount.clear();
  auto decision = preview_payment(tx, context_of(ac), app->number, pi);
  if (!decision.ok()) return decision.refusal();
  PaymentClaimRecord c;
  c.authority = ac.authority;
  c.application = app->id;
  c.kind = std::string(to_string(kind));
  // The request as preview_payment read it (it refused anything it could not read).
  if (c.kind != "balance") c.amount = Money::parse(pi.amount, "amount").value();
  Money eligible;
  for (const auto& l : in.lines) {
    const Money m = Money::parse(l.amount, "amount").value();
    c.lines.push_back({text::trim(l.label), m, l.eligible});
    if (l.eligible) eligible += m;
  }
  if (!text::trim(in.realised).empty())
    c.realised = Money::parse(in.realised, "realised").value();
  else if (!in.lines.empty())
    c.realised = eligible;
  c.applicant_account_id = ac.account_id;
  c.claimed_at = ac.clock->now();
  c.id = tx.portal().insert_claim(c);
  record_audit(tx, context_of(ac),
               {.action = "payment.claim",
                .entity = "application",
                .key = app->number,
                .after = claim_json(c),
                .at = c.claimed_at});
  return c;
}

Result<Done> portal_report_outcome(Transaction& tx, const ApplicantContext& ac,
                                   const std::string& number, const std::string& indicator,
                                   const std::string& value) {
  auto app = applicant_dossier(tx, ac, number);
  if (!app.ok()) return app.refusal();
  if (!app->award)
    return refuse("application.not_awarded", "number",
                  "Le dossier " + app->number + " n'a pas d'aide accordée.");
  return report_outcome(tx, context_of(ac), app->number, indicator, value, "");
}

Result<ConditionRecord> portal_declare_condition(Transaction& tx, const ApplicantContext& ac,
                                                 const std::string& number,
                                                 const std::string& condition_id) {
  auto app = applicant_dossier(tx, ac, number);
  if (!app.ok()) return app.refusal();
  // The applicant declares a condition met once; what an agent decided stays the agent's.
  for (const auto& c : tx.awards().conditions_of(ac.authority, app->id))
    if (std::to_string(c.id) == text::trim(condition_id) && c.status != "pending")
      return refuse("condition.decided", "condition",
                    "L'engagement « " + c.label + " » est déjà " +
                        (c.status == "met" ? "déclaré rempli." : "constaté non rempli."));
  return set_condition(tx, context_of(ac), app->number, condition_id, "met");
}

Result<PaymentResult> pay_claim(Transaction& tx, const Context& ctx, const std::string& number,
                                std::int64_t claim_id, const std::string& on) {
  const auto app = tx.applications().find_application(ctx.authority, text::trim(number));
  if (!app) return no_claim(claim_id);
  auto claim = pending_claim(tx, ctx.authority, app->id, claim_id);
  if (!claim.ok()) return claim.refusal();
  PaymentInput in = payment_input_of(*claim);
  in.on = on;
  auto paid = request_payment(tx, ctx, app->number, in);
  if (!paid.ok()) return paid.refusal();
  PaymentClaimRecord c = *claim;
  c.state = "paid";
  c.payment_id = paid->payment.id;
  c.decided_at = ctx.clock->now();
  c.decided_by = ctx.actor;
  if (!tx.portal().decide_claim(c)) return no_claim(claim_id);
  record_audit(tx, ctx,
               {.action = "payment.claim_paid",
                .entity = "application",
                .key = app->number,
                .before = claim_json(*claim),
                .after = claim_json(c),
                .at = *c.decided_at});
  notify_applicants(tx, ctx, *c.decided_at, paid->application, "claim_paid",
                    "un versement (" + std::string(french(paid->payment.kind)) + ") de " +
                        fr::euros(paid->payment.amount));
  return paid;
}

Result<PaymentClaimRecord> refuse_claim(Transaction& tx, const Context& ctx,
                                        const std::string& number, std::int64_t claim_id,
                                        const std::string& reason) {
  const auto app = tx.applications().find_application(ctx.authority, text::trim(number));
  if (!app) return no_claim(claim_id);
  auto claim = pending_claim(tx, ctx.authority, app->id, claim_id);
  if (!claim.ok()) return claim.refusal();
  if (auto p = text::check_required(reason, "reason", "Le motif du refus", 2000, text::Lines::Many))
    return Refusal({*p});
  PaymentClaimRecord c = *claim;
  c.state = "refused";
  c.reason = text::trim(reason);
  c.decided_at = ctx.clock->now();
  c.decided_by = ctx.actor;
  if (!tx.portal().decide_claim(c)) return no_claim(claim_id);
  record_audit(tx, ctx,
               {.action = "payment.claim_refused",
                .entity = "application",
                .key = app->number,
                .before = claim_json(*claim),
                .after = claim_json(c),
                .at = *c.decided_at});
  notify_applicants(tx, ctx, *c.decided_at, *app, "claim_refused", c.reason);
  return c;
}

std::vector<PaymentClaimRecord> payment_claims(Transaction& tx, AuthorityId a, ApplicationId app) {
  return tx.portal().claims_of(a, app);
}

}  // namespace octroi
