// After the decision, in the two APIs (issue 19): the applicant reads the award, signs the
// agreement, claims payments and reports outcomes (/api/v1/portal/applications/{number}/award…);
// the agents list the claims and pay or refuse them
// (/api/v1/applications/{number}/payment-claims…).
#include <string>

#include "adapters/http/api/routes.h"
#include "app/portal.h"
#include "app/ports/applications.h"
#include "core/french.h"

namespace octroi::http::api {
namespace {

const std::vector<FieldSpec> kLineFields{{"label", Field::Text, Required::Yes},
                                         {"amount", Field::Text, Required::Yes},
                                         {"eligible", Field::Flag}};
const BodySpec kClaimSpec{{"kind", Field::Text, Required::Yes},
                          {"amount", Field::Text},
                          {"realised", Field::Text},
                          {"lines", Field::Objects, Required::No, &kLineFields, 0, 200}};
const BodySpec kSignatureSpec{{"consent", Field::Flag, Required::Yes},
                              {"terms_sha256", Field::Text, Required::Yes}};
const BodySpec kOutcomeSpec{{"indicator", Field::Text, Required::Yes},
                            {"value", Field::Text, Required::Yes}};
const BodySpec kRefusalSpec{{"reason", Field::Text, Required::Yes}};
const BodySpec kPayClaimSpec{{"on", Field::Text}};

ordered_json claims_json(const std::vector<PaymentClaimRecord>& claims) {
  ordered_json out = ordered_json::array();
  for (const auto& c : claims) {
    ordered_json lines = ordered_json::array();
    for (const auto& l : c.lines)
      lines.push_back(
          {{"label", l.label}, {"amount", l.amount.to_decimal_string()}, {"eligible", l.eligible}});
    out.push_back(
        {{"id", c.id},
         {"kind", c.kind},
         {"amount", c.amount ? ordered_json(c.amount->to_decimal_string()) : nullptr},
         {"realised", c.realised ? ordered_json(c.realised->to_decimal_string()) : nullptr},
         {"claimed_at", c.claimed_at.iso()},
         {"state", c.state},
         {"payment", c.payment_id ? ordered_json(*c.payment_id) : nullptr},
         {"decided_at", c.decided_at ? ordered_json(c.decided_at->iso()) : nullptr},
         {"reason", c.reason},
         {"lines", lines}});
  }
  return out;
}

ordered_json award_json(const PortalAward& a) {
  const auto& av = a.award;
  const auto& app = av.dossier.application;
  ordered_json payments = ordered_json::array(), conditions = ordered_json::array(),
               outcomes = ordered_json::array(), signatures = ordered_json::array();
  for (const auto& p : av.payments)
    payments.push_back({{"kind", std::string(to_string(p.kind))},
                        {"on", p.requested_on.iso()},
                        {"amount", p.amount.to_decimal_string()},
                        {"reference", p.reference}});
  for (const auto& c : av.conditions)
    conditions.push_back({{"id", c.id},
                          {"label", c.label},
                          {"status", c.status},
                          {"due_on", c.due_on ? ordered_json(c.due_on->iso()) : nullptr}});
  for (const auto& o : av.outcomes)
    outcomes.push_back(
        {{"indicator", o.indicator}, {"value", o.value}, {"reported_on", o.reported_on.iso()}});
  for (const auto& s : a.signatures)
    signatures.push_back({{"signatory", s.signatory},
                          {"method", s.method},
                          {"email", s.email},
                          {"name", s.display_name},
                          {"signed_at", s.signed_at.iso()},
                          {"terms_sha256", s.terms_sha256}});
  ordered_json agreement = nullptr;
  if (av.agreement) {
    const auto& g = *av.agreement;
    agreement = {
        {"eligibility_start", g.eligibility_start.iso()},
        {"eligibility_end", g.eligibility_end.iso()},
        {"signed_by_beneficiary_on",
         g.signed_by_beneficiary_on ? ordered_json(g.signed_by_beneficiary_on->iso()) : nullptr},
        {"signed_by_authority_on",
         g.signed_by_authority_on ? ordered_json(g.signed_by_authority_on->iso()) : nullptr}};
  }
  return {{"number", app.number},
          {"state", std::string(to_string(app.state()))},
          {"awarded", app.award->amount.to_decimal_string()},
          {"award_date", app.award->date.iso()},
          {"deliberation", app.award->deliberation},
          {"paid", av.paid.to_decimal_string()},
          {"remaining", av.remaining.to_decimal_string()},
          {"agreement", agreement},
          {"terms", a.terms},
          {"terms_sha256", a.terms_sha256},
          {"can_sign", a.can_sign},
          {"signatures", signatures},
          {"payments", payments},
          {"can_claim", a.can_claim},
          {"claims", claims_json(a.claims)},
          {"conditions", conditions},
          {"outcomes", outcomes}};
}

// A write of the applicant on one of their dossiers, answered by the award as it then is.
template <class UseCase>
HttpResponse award_write(ApiContext& api, RouteCall& c, const BodySpec& spec, UseCase use_case,
                         int status) {
  auto body = parse_body(c.request, spec);
  if (!body.ok()) return problem_response(body.refusal());
  const ApplicantContext ac = applicant_context(c.caller(), api.clock);
  auto done = run_write(api.store, [&](Transaction& tx) -> Result<PortalAward> {
    auto r = use_case(tx, ac, *body);
    if (!r.ok()) return r.refusal();
    return portal_award(tx, ac, c.param("number"), api.store.hasher());
  });
  if (!done.ok()) return path_problem(done.refusal(), "portal.not_found");
  return ok_json(dump(award_json(done.value())), status);
}

std::optional<std::int64_t> claim_number(const std::string& typed) {
  if (typed.empty() || typed.size() > 18 ||
      typed.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(typed);
}

void add_applicant_routes(ApiContext& api) {
  const std::string base = "/api/v1/portal/applications/{number}/award";
  api.add("GET", base, Access::needs(Action::Apply),
          "Portail : la décision, la convention, les versements et les résultats d'un dossier",
          [&api](RouteCall& c) {
            const ApplicantContext ac = applicant_context(c.caller(), api.clock);
            auto a = api.read([&](Transaction& tx) {
              return portal_award(tx, ac, c.param("number"), api.store.hasher());
            });
            if (!a.ok()) return path_problem(a.refusal(), "portal.not_found");
            return ok_json(dump(award_json(a.value())));
          });
  api.add("POST", base + "/signature", Access::needs(Action::Apply),
          "Portail : signer la convention (consentement et empreinte des termes lus)",
          [&api](RouteCall& c) {
            return award_write(
                api, c, kSignatureSpec,
                [&](Transaction& tx, const ApplicantContext& ac, const Body& b) {
                  PortalSignatureInput in;
                  in.consent = b.flag("consent");
                  in.terms_sha256 = b.text("terms_sha256");
                  in.remote_addr = c.request.remote_addr;
                  return portal_sign_agreement(tx, ac, c.param("number"), in, api.store.hasher());
                },
                201);
          });
  api.add("POST", base + "/payment-claims", Access::needs(Action::Apply),
          "Portail : demander un versement (avance, acompte, solde ; état des dépenses)",
          [&api](RouteCall& c) {
            return award_write(
                api, c, kClaimSpec,
                [&](Transaction& tx, const ApplicantContext& ac, const Body& b) {
                  ClaimInput in;
                  in.kind = b.text("kind");
                  in.amount = b.text("amount");
                  in.realised = b.text("realised");
                  for (const auto& l : b.objects("lines"))
                    in.lines.push_back({l.text("label"), l.text("amount"),
                                        l.flag_if_present("eligible").value_or(true)});
                  return portal_claim_payment(tx, ac, c.param("number"), in);
                },
                201);
          });
  api.add("POST", base + "/outcomes", Access::needs(Action::Apply),
          "Portail : déclarer un résultat (indicateur et valeur)", [&api](RouteCall& c) {
            return award_write(
                api, c, kOutcomeSpec,
                [&](Transaction& tx, const ApplicantContext& ac, const Body& b) {
                  return portal_report_outcome(tx, ac, c.param("number"), b.text("indicator"),
                                               b.text("value"));
                },
                201);
          });
}

void add_agent_routes(ApiContext& api) {
  const std::string base = "/api/v1/applications/{number}/payment-claims";
  api.add("GET", base, Access::needs(Action::Read),
          "Les demandes de versement faites sur le portail pour un dossier", [&api](RouteCall& c) {
            auto claims = api.read([&](Transaction& tx) -> Result<std::vector<PaymentClaimRecord>> {
              const auto app =
                  tx.applications().find_application(c.caller().authority, c.param("number"));
              if (!app)
                return refuse("application.unknown", "number",
                              "Aucun dossier n° « " + c.param("number") + " ».");
              return payment_claims(tx, c.caller().authority, app->id);
            });
            if (!claims.ok()) return path_problem(claims.refusal(), "application.unknown");
            return ok_json(dump(claims_json(claims.value())));
          });
  api.add("POST", base + "/{id}/payment", Access::needs(Action::ManagePayments),
          "Mandater une demande de versement (à la date on, aujourd'hui par défaut)",
          [&api](RouteCall& c) {
            auto body = parse_body(c.request, kPayClaimSpec);
            if (!body.ok()) return problem_response(body.refusal());
            const auto id = claim_number(c.param("id"));
            const Context ctx = api.context(c);
            auto paid = run_write(api.store, [&](Transaction& tx) {
              return pay_claim(tx, ctx, c.param("number"), id.value_or(0), body->text("on"));
            });
            if (!paid.ok()) return path_problem(paid.refusal(), "payment_claim.not_found");
            return ok_json(dump(ordered_json{{"payment", paid->payment.id},
                                             {"amount", paid->payment.amount.to_decimal_string()},
                                             {"reference", paid->payment.reference}}),
                           201);
          });
  api.add("POST", base + "/{id}/refusal", Access::needs(Action::ManagePayments),
          "Refuser une demande de versement (motif)", [&api](RouteCall& c) {
            auto body = parse_body(c.request, kRefusalSpec);
            if (!body.ok()) return problem_response(body.refusal());
            const auto id = claim_number(c.param("id"));
            const Context ctx = api.context(c);
            auto refused = run_write(api.store, [&](Transaction& tx) {
              return refuse_claim(tx, ctx, c.param("number"), id.value_or(0), body->text("reason"));
            });
            if (!refused.ok()) return path_problem(refused.refusal(), "payment_claim.not_found");
            return ok_json(dump(claims_json({refused.value()})[0]));
          });
}

}  // namespace

void add_portal_award_routes(ApiContext& api) {
  add_applicant_routes(api);
  add_agent_routes(api);
}

}  // namespace octroi::http::api
