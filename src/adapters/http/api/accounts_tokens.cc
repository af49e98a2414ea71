// The authority's accounts (list, create, deactivate, reactivate, password reset, password change
// required) and API tokens (list, issue: the value is shown once, revoke). Administrators only.
#include "adapters/http/api/routes.h"
#include "adapters/json/render_json.h"
#include "app/account_life.h"

namespace octroi::http::api {
namespace {

const BodySpec kTokenSpec{{"label", Field::Text},
                          {"role", Field::Text},
                          {"service", Field::Text},
                          {"owner", Field::Text},
                          {"expires_on", Field::Text}};
const BodySpec kUserSpec{{"login", Field::Text},
                         {"display_name", Field::Text},
                         {"role", Field::Text},
                         {"service", Field::Text},
                         {"password", Field::Text}};
const BodySpec kResetSpec{{"password", Field::Text}};
const BodySpec kNoBody{};

// What gives access (an account, a password, a token) is granted by a person signed in, never by
// an API token: a leaked token cannot mint credentials that would outlive its revocation.
std::optional<HttpResponse> needs_person(const RouteCall& c) {
  if (c.caller().user_id != 0) return std::nullopt;
  return problem_response(refuse("auth.person_required", "authorization",
                                 "Créer un compte, le réactiver, réinitialiser un mot de passe ou "
                                 "émettre un jeton se fait connecté en personne, pas avec un "
                                 "jeton d'API."));
}

HttpResponse issue(ApiContext& api, RouteCall& c) {
  if (auto refused = needs_person(c)) return *refused;
  auto body = parse_body(c.request, kTokenSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const TokenRequest in{body->text("label"), body->text("owner"), body->text("role"),
                        body->text("service"), body->text("expires_on")};
  // Never kept for an Idempotency-Key replay: the token is shown once.
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto issued =
        issue_api_token(tx, ctx, in, c.caller().account_id, api.tokens, api.store.hasher());
    if (!issued.ok()) return problem_response(issued.refusal());
    ordered_json j = json::parse(octroi::json::json_tokens({issued->record}))[0];
    j["token"] = issued->token;
    return ok_json(dump(j), 201);
  });
}

// One account, as an object.
ordered_json user_object(const UserRecord& u) {
  return ordered_json::parse(octroi::json::json_users({u}))[0];
}
std::string one_user(const UserRecord& u) {
  return dump(user_object(u));
}

HttpResponse create(ApiContext& api, RouteCall& c) {
  if (auto refused = needs_person(c)) return *refused;
  auto body = parse_body(c.request, kUserSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const UserInput in{body->text("login"), body->text("display_name"), body->text("role"),
                     body->text("service"), body->text("password")};
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    return api.reply(create_user(tx, ctx, in, api.passwords), one_user, 201);
  });
}

// An act on the account the path names: "user.unknown" is then a 404. No body at all reads as {}.
template <class Act, class Render>
HttpResponse on_user(ApiContext& api, RouteCall& c, const BodySpec& spec, Act act, Render render) {
  auto body =
      c.request.body.empty() ? Result<Body>(Body(json::object())) : parse_body(c.request, spec);
  if (!body.ok()) return problem_response(body.refusal());
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto r = act(tx, ctx, c.param("login"), body.value());
    if (!r.ok()) return path_problem(r.refusal(), "user.unknown");
    return ok_json(render(r.value()));
  });
}

void add_user_routes(ApiContext& api, const Access& admin) {
  api.add("GET", "/api/v1/users", admin,
          "Comptes des agents de la collectivité (jamais leur mot de passe)", [&api](RouteCall& c) {
            return api.reply(
                api.read([&](Transaction& tx) { return list_users(tx, c.caller().authority); }),
                [](const std::vector<UserRecord>& v) { return octroi::json::json_users(v); });
          });
  api.add("POST", "/api/v1/users", admin,
          "Créer le compte d'un agent (identifiant, nom, rôle, service, mot de passe)",
          [&api](RouteCall& c) { return create(api, c); });
  api.add("POST", "/api/v1/users/{login}/deactivate", admin,
          "Désactiver un compte : ses sessions prennent fin, ses jetons sont révoqués",
          [&api](RouteCall& c) {
            return on_user(
                api, c, kNoBody,
                [&](Transaction& tx, const Context& ctx, const std::string& login, const Body&) {
                  return deactivate_user(tx, ctx, login, c.caller().account_id);
                },
                [](const Deactivated& d) {
                  ordered_json j = user_object(d.user);
                  j["tokens_revoked"] = d.tokens_revoked;
                  return dump(j);
                });
          });
  api.add("POST", "/api/v1/users/{login}/reactivate", admin, "Réactiver un compte désactivé",
          [&api](RouteCall& c) {
            if (auto refused = needs_person(c)) return *refused;
            return on_user(
                api, c, kNoBody,
                [&](Transaction& tx, const Context& ctx, const std::string& login, const Body&) {
                  return reactivate_user(tx, ctx, login);
                },
                one_user);
          });
  api.add("POST", "/api/v1/users/{login}/password-reset", admin,
          "Réinitialiser le mot de passe d'un autre agent (donné, ou tiré au hasard et montré "
          "une fois) : il le change à sa prochaine connexion",
          [&api](RouteCall& c) {
            if (auto refused = needs_person(c)) return *refused;
            return on_user(
                api, c, kResetSpec,
                [&](Transaction& tx, const Context& ctx, const std::string& login, const Body& b) {
                  return reset_password(tx, ctx, login, b.text("password"), c.caller().account_id,
                                        api.passwords, api.tokens);
                },
                [](const PasswordReset& r) {
                  ordered_json j = user_object(r.user);
                  j["temporary_password"] = r.temporary_password.empty()
                                                ? ordered_json(nullptr)
                                                : ordered_json(r.temporary_password);
                  return dump(j);
                });
          });
  api.add("POST", "/api/v1/users/{login}/password-change", admin,
          "Imposer à un agent de changer de mot de passe avant toute autre action",
          [&api](RouteCall& c) {
            return on_user(
                api, c, kNoBody,
                [&](Transaction& tx, const Context& ctx, const std::string& login, const Body&) {
                  return require_password_change(tx, ctx, login, c.caller().account_id);
                },
                one_user);
          });
}

}  // namespace

void add_account_and_token_routes(ApiContext& api) {
  const Access admin = Access::needs(Action::ManageUsers);
  add_user_routes(api, admin);
  api.add(
      "GET", "/api/v1/tokens", admin,
      "Jetons d'API de la collectivité (jamais leur valeur), avec leur titulaire et leur "
      "expiration",
      [&api](RouteCall& c) {
        return api.reply(
            api.read([&](Transaction& tx) { return list_api_tokens(tx, c.caller().authority); }),
            [](const std::vector<ApiTokenRecord>& v) { return octroi::json::json_tokens(v); });
      });
  api.add("POST", "/api/v1/tokens", admin,
          "Émettre un jeton d'API pour un compte (son rôle ou la lecture seule, son service, une "
          "date d'expiration) : sa valeur n'est montrée qu'une fois",
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
