// The caller's own account: who am I, the password, and the session (login, logout).
#include "adapters/http/api/routes.h"

namespace octroi::http::api {
namespace {

const BodySpec kLoginSpec{{"login", Field::Text}, {"password", Field::Text}};
const BodySpec kPasswordSpec{{"current", Field::Text}, {"next", Field::Text}};

HttpResponse login(ApiContext& api, const HttpRequest& r) {
  auto body = parse_body(r, kLoginSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const std::string login = body->text("login");
  const std::string password = body->text("password");
  const auto now = api.clock.now().seconds();
  if (const std::int64_t wait = api.throttle.begin_login(login, r.remote_addr, now); wait > 0) {
    auto out = problem_response(throttled(wait, "login"));
    out.headers.push_back({"Retry-After", std::to_string(wait)});
    return out;
  }
  auto opened = sign_in(api.store, api.clock, login, password, api.passwords, api.tokens,
                        api.store.hasher(), api.options.sessions);
  api.throttle.end_login(opened.ok(), login, r.remote_addr, now);
  if (!opened.ok()) return problem_response(opened.refusal());
  const auto& o = opened.value();
  HttpResponse out =
      ok_json(dump(ordered_json{{"login", o.user.login},
                                {"display_name", o.user.display_name},
                                {"role", o.user.role},
                                {"csrf_token", o.session.csrf_token},
                                {"expires_at", o.session.expires_at.iso()},
                                {"must_change_password", o.user.must_change_password}}),
              201);
  out.headers.push_back({"Set-Cookie", session_cookie(api.options, r.remote_addr, o.token)});
  return out;
}

HttpResponse cookie_cleared() {
  HttpResponse out;
  out.status = 204;
  out.content_type.clear();
  out.headers.push_back(
      {"Set-Cookie", "octroi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"});
  return out;
}

HttpResponse logout(ApiContext& api, const HttpRequest& r) {
  const std::string token = r.cookie("octroi_session");
  if (!token.empty())
    static_cast<void>(run_write(api.store, [&](Transaction& tx) -> Result<int> {
      close_session(tx, token, api.store.hasher());
      return 0;
    }));
  return cookie_cleared();
}

HttpResponse change_own_password(ApiContext& api, RouteCall& c) {
  const Principal& who = c.caller();
  if (who.user_id == 0)
    return problem_response(
        refuse("auth.no_user", "authorization", "Un jeton d'API n'a pas de mot de passe."));
  auto body = parse_body(c.request, kPasswordSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const std::string current = body->text("current");
  const std::string next = body->text("next");
  // Guessing the current password from a stolen session is throttled like a login.
  const std::string key = LoginThrottle::password_key(who.user_id);
  const auto now = api.clock.now().seconds();
  if (const auto wait = api.throttle.wait_seconds(key, now); wait > 0) {
    auto out = problem_response(throttled(wait, "current"));
    out.headers.push_back({"Retry-After", std::to_string(wait)});
    return out;
  }
  // The throttle writes in transactions of its own: counted once the write has returned.
  bool wrong = false, changed = false;
  auto out = api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto r = change_password(tx, ctx, who, current, next, api.passwords);
    wrong = !r.ok() && r.refusal().first().code == "user.password_wrong";
    changed = r.ok();
    if (!r.ok()) return problem_response(r.refusal());
    return cookie_cleared();
  });
  if (wrong) api.throttle.failed(key, now);
  if (changed) api.throttle.succeeded(key);
  return out;
}

}  // namespace

void add_me_and_session_routes(ApiContext& api) {
  api.add("POST", "/api/v1/session", Access::anyone(), "Se connecter (cookie de session)",
          [&api](RouteCall& c) { return login(api, c.request); });
  api.add("DELETE", "/api/v1/session", Access::anyone(), "Se déconnecter",
          [&api](RouteCall& c) { return logout(api, c.request); });
  // Open to any signed-in caller, even one who must first choose a new password (the router
  // serves nothing else to them): what they are asked, and how to do it.
  api.add("GET", "/api/v1/me", Access::signed_in(),
          "Qui suis-je : compte, rôle, collectivité, changement de mot de passe exigé",
          [](RouteCall& c) {
            const Principal& who = c.caller();
            return ok_json(dump(ordered_json{{"actor", who.actor},
                                             {"display_name", who.display_name},
                                             {"role", std::string(to_string(who.role))},
                                             {"role_label", std::string(role_label(who.role))},
                                             {"service", who.service},
                                             {"csrf_token", who.csrf_token},
                                             {"must_change_password", who.must_change_password}}));
          });
  api.add("POST", "/api/v1/me/password", Access::signed_in(),
          "Changer son mot de passe (toutes ses sessions prennent fin)",
          [&api](RouteCall& c) { return change_own_password(api, c); });
}

}  // namespace octroi::http::api
