// Awards: an award's life (agreement, signatures, payments) and the list of every award.
#include "adapters/http/api/routes.h"
#include "adapters/json/render_json.h"
#include "domain/text.h"

namespace octroi::http::api {
namespace {

const BodySpec kAgreementSpec{{"eligibility_start", Field::Text}, {"eligibility_end", Field::Text}};
const BodySpec kSignatureSpec{{"signatory", Field::Text}, {"on", Field::Text}};
const BodySpec kPaymentSpec{{"kind", Field::Text},
                            {"amount", Field::Text},
                            {"realised", Field::Text},
                            {"on", Field::Text},
                            {"reference", Field::Text}};

HttpResponse agreement(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kAgreementSpec);
  if (!body.ok()) return problem_response(body.refusal());
  AgreementInput in;
  in.eligibility_start = body->text("eligibility_start");
  in.eligibility_end = body->text("eligibility_end");
  return api.award_write(c, true, [&](Transaction& tx, const Context& ctx) -> Status {
    auto r = create_agreement(tx, ctx, c.param("number"), in);
    if (!r.ok()) return r.refusal();
    return done();
  });
}

HttpResponse signature(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kSignatureSpec);
  if (!body.ok()) return problem_response(body.refusal());
  SignatureInput in;
  in.signatory = body->text("signatory");
  in.on = body->text("on");
  return api.award_write(c, false, [&](Transaction& tx, const Context& ctx) -> Status {
    auto r = sign_agreement(tx, ctx, c.param("number"), in);
    if (!r.ok()) return r.refusal();
    return done();
  });
}

HttpResponse payment(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kPaymentSpec);
  if (!body.ok()) return problem_response(body.refusal());
  PaymentInput in;
  in.kind = body->text("kind");
  in.amount = body->text("amount");
  in.realised = body->text("realised");
  in.on = body->text("on");
  in.reference = body->text("reference");
  // Issue 16, finding 4: a payment request sent twice must not pay twice. Either its
  // Idempotency-Key (a replay answers with the first result) or its reference (unique per award)
  // tells a repetition from a new payment.
  if (c.request.header("idempotency-key").empty() && text::trim(in.reference).empty())
    return problem_response(refuse(
        "payment.key_required", "idempotency-key",
        "Un versement se demande avec une clé d'idempotence (en-tête Idempotency-Key) ou avec "
        "sa référence : sans elles, une requête répétée verserait deux fois."));
  return api.award_write(c, true, [&](Transaction& tx, const Context& ctx) -> Status {
    auto r = request_payment(tx, ctx, c.param("number"), in);
    if (!r.ok()) return r.refusal();
    return done();
  });
}

}  // namespace

void add_award_routes(ApiContext& api) {
  using enum Action;
  api.add("GET", "/api/v1/applications/{number}/award", Access::needs(Read),
          "L'aide attribuée : convention, versements, reversements, avenants, aides d'État",
          [&api](RouteCall& c) {
            return api.reply(api.read([&](Transaction& tx) {
              return show_award(tx, c.caller().authority, c.param("number"));
            }),
                             [](const AwardView& v) { return octroi::json::json_award(v); });
          });
  api.add(
      "POST", "/api/v1/applications/{number}/agreement", Access::needs(ManagePayments),
      "Établir la convention d'un dossier attribué (modèle du dispositif)",
      [&api](RouteCall& c) { return agreement(api, c); }, true);
  api.add("POST", "/api/v1/applications/{number}/agreement/signatures",
          Access::needs(ManagePayments), "Enregistrer une signature (la seconde engage l'aide)",
          [&api](RouteCall& c) { return signature(api, c); });
  api.add(
      "POST", "/api/v1/applications/{number}/payments", Access::needs(ManagePayments),
      "Verser une avance, un acompte ou le solde (dans les plafonds du dispositif)",
      [&api](RouteCall& c) { return payment(api, c); }, true);
  api.add("GET", "/api/v1/awards", Access::needs(Read),
          "Aides attribuées : convention, versé, reste à verser", [&api](RouteCall& c) {
            return api.reply(
                api.read([&](Transaction& tx) { return list_awards(tx, c.caller().authority); }),
                [](const AwardsOverview& v) { return octroi::json::json_awards(v); });
          });
}

}  // namespace octroi::http::api
