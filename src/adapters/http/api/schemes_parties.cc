// Aid schemes and parties (tiers).
#include "adapters/http/api/routes.h"
#include "adapters/json/render_json.h"
#include "app/approvals.h"
#include "app/ports/parties.h"
#include "app/ports/schemes.h"

namespace octroi::http::api {
namespace {

const BodySpec kPartySpec{
    {"legal_name", Field::Text},    {"siren", Field::Text},       {"siret", Field::Text},
    {"rna", Field::Text},           {"naf", Field::Text},         {"legal_status", Field::Text},
    {"recovers_vat", Field::Flag},  {"civility", Field::Text},    {"first_name", Field::Text},
    {"last_name", Field::Text},     {"role", Field::Text},        {"address_line1", Field::Text},
    {"address_line2", Field::Text}, {"postal_code", Field::Text}, {"city", Field::Text},
    {"insee_code", Field::Text},    {"departement", Field::Text}};

PartyInput party_input(const Body& b) {
  PartyInput in;
  in.legal_name = b.text("legal_name");
  in.siren = b.text("siren");
  in.siret = b.text("siret");
  in.rna = b.text("rna");
  in.naf = b.text("naf");
  in.legal_status = b.text("legal_status");
  in.recovers_vat = b.flag("recovers_vat");
  in.civility = b.text("civility");
  in.first_name = b.text("first_name");
  in.last_name = b.text("last_name");
  in.role = b.text("role");
  in.address_line1 = b.text("address_line1");
  in.address_line2 = b.text("address_line2");
  in.postal_code = b.text("postal_code");
  in.city = b.text("city");
  in.insee_code = b.text("insee_code");
  in.departement = b.text("departement");
  return in;
}

const std::vector<FieldSpec> kLevelSpec{{"label", Field::Text, Required::Yes},
                                        {"role", Field::Text, Required::Yes},
                                        {"may_return", Field::Flag}};
const BodySpec kChainSpec{{"levels", Field::Objects, Required::Yes, &kLevelSpec, 0, 9}};

}  // namespace

void add_scheme_and_party_routes(ApiContext& api) {
  const Access read = Access::needs(Action::Read);
  api.add("GET", "/api/v1/schemes", read, "Dispositifs d'aide", [&api](RouteCall& c) {
    return ok_json(octroi::json::json_schemes(api.read(
        [&](Transaction& tx) { return tx.schemes().list_schemes(c.caller().authority); })));
  });
  api.add("GET", "/api/v1/schemes/{number}", read, "Un dispositif", [&api](RouteCall& c) {
    return api.reply_found(api.read([&](Transaction& tx) {
      return scheme_by_number(tx, c.caller().authority, c.param("number"));
    }),
                           "scheme.unknown",
                           [](const AidScheme& s) { return octroi::json::json_scheme(s); });
  });
  api.add(
      "PUT", "/api/v1/schemes/{number}/approval-chain", Access::needs(Action::ManageSchemes),
      "Remplacer le circuit de visa d'un dispositif (levels : [{label, role, may_return}], vide : "
      "aucun visa)",
      [&api](RouteCall& c) {
        auto body = parse_body(c.request, kChainSpec);
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<ApprovalLevelInput> levels;
        for (const auto& l : body->objects("levels"))
          levels.push_back(
              {l.text("label"), l.text("role"), l.flag_if_present("may_return").value_or(true)});
        return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
          return api.reply(set_approval_chain(tx, ctx, c.param("number"), levels),
                           [](const AidScheme& s) { return octroi::json::json_scheme(s); });
        });
      },
      true);
  api.add("GET", "/api/v1/parties", read, "Tiers", [&api](RouteCall& c) {
    return ok_json(octroi::json::json_parties(api.read(
        [&](Transaction& tx) { return tx.parties().list_parties(c.caller().authority); })));
  });
  api.add(
      "POST", "/api/v1/parties", Access::needs(Action::ManageParties), "Enregistrer un tiers",
      [&api](RouteCall& c) {
        auto body = parse_body(c.request, kPartySpec);
        if (!body.ok()) return problem_response(body.refusal());
        const PartyInput in = party_input(body.value());
        return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
          return api.reply(
              register_party(tx, ctx, in),
              [](const RegisteredParty& p) {
                return octroi::json::json_party(p.party, p.warnings);
              },
              201);
        });
      },
      true);
  api.add("GET", "/api/v1/parties/{id}", read,
          "Un tiers et tout ce qu'octroi en sait : dossiers, aides, versements, cumul de minimis",
          [&api](RouteCall& c) {
            return api.reply_found(api.read([&](Transaction& tx) {
              return show_party(tx, c.caller().authority, c.param("id"), api.clock.today());
            }),
                                   "party.unknown", [](const PartyView& v) {
                                     return octroi::json::json_party_view(v);
                                   });
          });
}

}  // namespace octroi::http::api
