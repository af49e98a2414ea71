// After the decision, on the portal (issue 19): the applicant reads the decision and the
// agreement, signs it by a click, asks for payments with their expense statement, follows them,
// reports outcomes and declares the conditions met (app/portal.h).
#include <string>

#include "adapters/http/web/pages.h"
#include "app/portal.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

constexpr int kStatementLines = 5;  // expense lines offered by the claim form

std::string claim_state(const PaymentClaimRecord& c) {
  if (c.state == "paid") return "mise en paiement";
  if (c.state == "refused") return "refusée";
  return "en attente de la décision du service";
}

HttpResponse award_page(WebContext& w, const HttpRequest& r, const Principal& who,
                        const std::string& number, const Refusal* refusal = nullptr) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  auto a = run_read(
      w.store, [&](Transaction& tx) { return portal_award(tx, ac, number, w.store.hasher()); });
  if (!a.ok())
    return w.portal_page("error", "Introuvable", {{"heading", std::string("Introuvable")}}, &who,
                         &a.refusal(), 404);
  const auto& av = a->award;
  const auto& app = av.dossier.application;
  mstch::array terms, payments, conditions, outcomes, signatures, lines;
  for (const auto& t : a->terms)
    terms.push_back(mstch::map{{"text", t}});
  for (const auto& s : a->signatures)
    signatures.push_back(
        mstch::map{{"name", s.display_name}, {"email", s.email}, {"at", when(s.signed_at)}});
  for (const auto& p : av.payments)
    payments.push_back(mstch::map{{"date", fr::date_long(p.requested_on)},
                                  {"kind", std::string(french(p.kind))},
                                  {"amount", fr::euros(p.amount)},
                                  {"reference", p.reference}});
  for (const auto& c : av.conditions)
    conditions.push_back(mstch::map{{"id", std::to_string(c.id)},
                                    {"label", c.label},
                                    {"due", c.due_on ? fr::date_long(*c.due_on) : std::string()},
                                    {"state", std::string(c.status == "met"       ? "rempli"
                                                          : c.status == "not_met" ? "non rempli"
                                                                                  : "à remplir")},
                                    {"pending", c.status == "pending"}});
  for (const auto& o : av.outcomes)
    outcomes.push_back(mstch::map{{"indicator", o.indicator},
                                  {"value", fr::integer(o.value)},
                                  {"on", fr::date_long(o.reported_on)}});
  for (int i = 1; i <= kStatementLines; ++i) {
    const std::string n = std::to_string(i);
    lines.push_back(mstch::map{
        {"n", n},
        {"label", param(r, "line-" + n + "-label")},
        {"amount", param(r, "line-" + n)},
        {"eligible", refusal == nullptr || !param(r, "line-" + n + "-eligible").empty()}});
  }
  const auto& rules = av.dossier.scheme.payment_rules;
  mstch::map ctx{
      {"number", app.number},
      {"title", app.project.title},
      {"party", av.dossier.party.legal_name},
      {"state", applicant_state_label(app.state())},
      {"awarded", fr::euros(app.award->amount)},
      {"award_date", fr::date_long(app.award->date)},
      {"deliberation", app.award->deliberation},
      {"paid", fr::euros(av.paid)},
      {"remaining", fr::euros(av.remaining)},
      {"has_agreement", av.agreement.has_value()},
      {"terms", terms},
      {"terms_sha256", a->terms_sha256},
      {"beneficiary_signed", av.agreement && av.agreement->signed_by_beneficiary_on
                                 ? "le " + fr::date_long(*av.agreement->signed_by_beneficiary_on)
                                 : std::string("attendue")},
      {"authority_signed", av.agreement && av.agreement->signed_by_authority_on
                               ? "le " + fr::date_long(*av.agreement->signed_by_authority_on)
                               : std::string("attendue")},
      {"signatures", signatures},
      {"can_sign", a->can_sign},
      {"payments", payments},
      {"claims", claim_rows(a->claims, false, who.csrf_token, "", "")},
      {"has_claims", !a->claims.empty()},
      {"can_claim", a->can_claim},
      {"advance", rules.advance_max.has_value()},
      {"interim", rules.interim_max.has_value()},
      {"advance_max", rules.advance_max ? fr::percent_short(*rules.advance_max) : ""},
      {"lines", lines},
      {"kind", param(r, "kind")},
      {"amount", param(r, "amount")},
      {"realised", param(r, "realised")},
      {"conditions", conditions},
      {"has_conditions", !conditions.empty()},
      {"outcomes", outcomes},
      {"indicator", param(r, "indicator")},
      {"value", param(r, "value")},
      {"csrf", who.csrf_token}};
  return w.portal_page("portal_award", "Aide accordée — " + app.number, ctx, &who, refusal,
                       refusal ? 422 : 200,
                       flash_of(r, {{"signee", "Convention signée : le service en est informé."},
                                    {"demande", "Demande de versement envoyée au service."},
                                    {"resultat", "Résultat enregistré."},
                                    {"engagement", "Engagement déclaré rempli."}}));
}

// A form of the award page: its use case in one write; refused, the page with the refusal.
template <class UseCase>
HttpResponse award_form(WebContext& w, RouteCall& c, const std::string& flag, UseCase use_case) {
  const std::string& number = c.param("number");
  const ApplicantContext ac = applicant_context(c.caller(), w.clock);
  auto done = run_write(w.store, [&](Transaction& tx) -> Result<Done> {
    auto r = use_case(tx, ac, number);
    if (!r.ok()) return r.refusal();
    return octroi::done();
  });
  if (!done.ok()) {
    if (done.refusal().first().code == "portal.not_found")
      return award_page(w, c.request, c.caller(), number);
    return award_page(w, c.request, c.caller(), number, &done.refusal());
  }
  return redirect("/portail/dossiers/" + url_encode(number) + "/aide?" + flag + "=1");
}

ClaimInput claim_of(const HttpRequest& r) {
  ClaimInput in;
  in.kind = param(r, "kind");
  in.amount = param(r, "amount");
  in.realised = param(r, "realised");
  for (int i = 1; i <= kStatementLines; ++i) {
    const std::string n = std::to_string(i);
    const std::string label = param(r, "line-" + n + "-label");
    const std::string amount = param(r, "line-" + n);
    if (label.empty() && amount.empty()) continue;
    in.lines.push_back({label, amount, !param(r, "line-" + n + "-eligible").empty()});
  }
  return in;
}

}  // namespace

mstch::array claim_rows(const std::vector<PaymentClaimRecord>& claims, bool decide,
                        const std::string& csrf, const std::string& action_prefix,
                        const std::string& today) {
  mstch::array out;
  for (const auto& c : claims) {
    mstch::array lines;
    for (const auto& l : c.lines)
      lines.push_back(mstch::map{
          {"label", l.label}, {"amount", fr::euros(l.amount)}, {"eligible", l.eligible}});
    PaymentKind k{};
    const bool known = parse_payment_kind(c.kind, k);
    out.push_back(mstch::map{{"id", std::to_string(c.id)},
                             {"date", fr::date_long(paris_time(c.claimed_at).day)},
                             {"kind", known ? std::string(french(k)) : c.kind},
                             {"amount", c.amount ? fr::euros(*c.amount) : std::string()},
                             {"realised", c.realised ? fr::euros(*c.realised) : std::string()},
                             {"state", claim_state(c)},
                             {"reason", c.reason},
                             {"lines", lines},
                             {"has_lines", !lines.empty()},
                             {"decide", decide && c.state == "pending"},
                             {"action", action_prefix + std::to_string(c.id)},
                             {"today", today},
                             {"csrf", csrf}});
  }
  return out;
}

void add_portal_award_pages(Router& router, WebContext& w) {
  router.add(
      {"GET", "/portail/dossiers/{number}/aide", Access::needs(Action::Apply),
       "Portail : la décision, la convention et les versements d'un dossier"},
      [&w](RouteCall& c) { return award_page(w, c.request, c.caller(), c.param("number")); });
  router.add({"POST", "/portail/dossiers/{number}/aide/signature", Access::needs(Action::Apply),
              "Portail : signer la convention"},
             [&w](RouteCall& c) {
               return award_form(
                   w, c, "signee",
                   [&](Transaction& tx, const ApplicantContext& ac, const std::string& number) {
                     PortalSignatureInput in;
                     in.consent = param(c.request, "consent") == "1";
                     in.terms_sha256 = param(c.request, "terms");
                     in.remote_addr = c.request.remote_addr;
                     return portal_sign_agreement(tx, ac, number, in, w.store.hasher());
                   });
             });
  router.add({"POST", "/portail/dossiers/{number}/aide/demandes", Access::needs(Action::Apply),
              "Portail : demander un versement"},
             [&w](RouteCall& c) {
               return award_form(
                   w, c, "demande",
                   [&](Transaction& tx, const ApplicantContext& ac, const std::string& number) {
                     return portal_claim_payment(tx, ac, number, claim_of(c.request));
                   });
             });
  router.add({"POST", "/portail/dossiers/{number}/aide/resultats", Access::needs(Action::Apply),
              "Portail : déclarer un résultat"},
             [&w](RouteCall& c) {
               return award_form(
                   w, c, "resultat",
                   [&](Transaction& tx, const ApplicantContext& ac, const std::string& number) {
                     return portal_report_outcome(tx, ac, number, param(c.request, "indicator"),
                                                  param(c.request, "value"));
                   });
             });
  router.add({"POST", "/portail/dossiers/{number}/aide/engagements/{id}",
              Access::needs(Action::Apply), "Portail : déclarer un engagement rempli"},
             [&w](RouteCall& c) {
               return award_form(
                   w, c, "engagement",
                   [&](Transaction& tx, const ApplicantContext& ac, const std::string& number) {
                     return portal_declare_condition(tx, ac, number, c.param("id"));
                   });
             });
}

}  // namespace octroi::http::pages
