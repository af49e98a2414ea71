// API tokens of the authority: list, issue (the value is shown once), revoke.
#include "adapters/http/api/routes.h"
#include "adapters/json/render_json.h"

namespace octroi::http::api {
namespace {

const BodySpec kTokenSpec{{"label", Field::Text}, {"role", Field::Text}, {"service", Field::Text}};

HttpResponse issue(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kTokenSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const std::string label = body->text("label");
  const std::string role = body->text("role");
  const std::string service = body->text("service");
  // Never kept for an Idempotency-Key replay: the token is shown once.
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto issued = issue_api_token(tx, ctx, label, role, api.tokens, api.store.hasher(), service);
    if (!issued.ok()) return problem_response(issued.refusal());
    ordered_json j = json::parse(octroi::json::json_tokens({issued->record}))[0];
    j["token"] = issued->token;
    return ok_json(dump(j), 201);
  });
}

}  // namespace

void add_account_and_token_routes(ApiContext& api) {
  const Access admin = Access::needs(Action::ManageUsers);
  api.add(
      "GET", "/api/v1/tokens", admin, "Jetons d'API de la collectivité (jamais leur valeur)",
      [&api](RouteCall& c) {
        return api.reply(
            api.read([&](Transaction& tx) { return list_api_tokens(tx, c.caller().authority); }),
            [](const std::vector<ApiTokenRecord>& v) { return octroi::json::json_tokens(v); });
      });
  api.add("POST", "/api/v1/tokens", admin,
          "Émettre un jeton d'API (rôle, service d'un instructeur) : sa valeur n'est montrée "
          "qu'une fois",
          [&api](RouteCall& c) { return issue(api, c); });
  api.add("DELETE", "/api/v1/tokens/{id}", admin, "Révoquer un jeton d'API (définitif)",
          [&api](RouteCall& c) {
            return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
              return api.reply(
                  revoke_api_token(tx, ctx, c.param("id")),
                  [](const ApiTokenRecord& t) { return octroi::json::json_tokens({t}); });
            });
          });
}

}  // namespace octroi::http::api
