// Logging in and out, and the account page (password change).
#include <string>

#include "adapters/http/web/pages.h"

namespace octroi::http {
const std::map<std::string, std::string>& static_files();  // generated (embed_files.cmake)
}  // namespace octroi::http

namespace octroi::http::pages {
namespace {

// The login form, with a token of its own in a cookie and in the form (double submit: a page of
// another site cannot read the cookie, so it cannot post a login in the user's name). The
// browser's token is kept while it is well-formed; a new one is set otherwise.
HttpResponse login_page(WebContext& w, const HttpRequest& r, const std::string& login,
                        const Refusal* refusal, int status, const std::string& flash = "") {
  std::string token = r.cookie("octroi_login");
  const bool fresh =
      token.size() != 64 || token.find_first_not_of("0123456789abcdef") != std::string::npos;
  if (fresh) token = w.tokens.token();
  auto out = w.page("login", "Connexion", {{"login", login}, {"login_csrf", token}}, nullptr,
                    refusal, status, flash);
  if (fresh)
    out.headers.push_back(
        {"Set-Cookie", "octroi_login=" + token +
                           "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600" +
                           (secure_cookie(w.options, r.remote_addr) ? "; Secure" : "")});
  return out;
}

HttpResponse login_form(WebContext& w, const HttpRequest& r) {
  return login_page(w, r, "", nullptr, 200,
                    param(r, "motdepasse").empty()
                        ? ""
                        : "Mot de passe changé : reconnectez-vous avec le nouveau.");
}

// The form's token and its cookie, equal (compared in constant time) and not empty.
bool login_token_valid(const HttpRequest& r) {
  const std::string field = param(r, "login_csrf"), cookie = r.cookie("octroi_login");
  if (field.size() != 64 || cookie.size() != field.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < field.size(); ++i)
    diff |= static_cast<unsigned char>(field[i] ^ cookie[i]);
  return diff == 0;
}

HttpResponse log_in(WebContext& w, const HttpRequest& r) {
  const std::string login = param(r, "login"), password = param(r, "password");
  if (!login_token_valid(r)) {
    const Refusal refused = refuse("auth.csrf", "csrf",
                                   "Le formulaire de connexion a expiré ou vient d'un autre site : "
                                   "reconnectez-vous depuis cette page.");
    return login_page(w, r, login, &refused, 403);
  }
  const auto now = w.clock.now().seconds();
  if (const std::int64_t wait = w.throttle.begin_login(login, r.remote_addr, now); wait > 0) {
    const Refusal refused = throttled(wait, "login");
    auto out = login_page(w, r, login, &refused, 429);
    out.headers.push_back({"Retry-After", std::to_string(wait)});
    return out;
  }
  auto opened = sign_in(w.store, w.clock, login, password, w.passwords, w.tokens, w.store.hasher(),
                        w.options.sessions);
  w.throttle.end_login(opened.ok(), login, r.remote_addr, now);
  if (!opened.ok()) return login_page(w, r, login, &opened.refusal(), 401);
  auto out = redirect(opened->user.must_change_password ? "/compte" : "/");
  out.headers.push_back({"Set-Cookie", session_cookie(w.options, r.remote_addr, opened->token)});
  return out;
}

HttpResponse log_out(WebContext& w, const HttpRequest& r) {
  static_cast<void>(run_write(w.store, [&](Transaction& tx) -> Result<int> {
    close_session(tx, r.cookie("octroi_session"), w.store.hasher());
    return 0;
  }));
  auto out = redirect("/login");
  out.headers.push_back({"Set-Cookie", kClearSessionCookie});
  return out;
}

HttpResponse account(WebContext& w, const Principal& who, const Refusal* refusal = nullptr) {
  return w.page("account", "Mon compte",
                {{"display_name", who.display_name},
                 {"role_label", std::string(role_label(who.role))},
                 {"service", who.service},
                 {"must_change", who.must_change_password},
                 {"csrf", who.csrf_token}},
                &who, refusal, refusal ? 422 : 200);
}

HttpResponse change_own_password(WebContext& w, const HttpRequest& r, const Principal& who) {
  // Guessing the current password from a stolen session is throttled like a login.
  const std::string key = LoginThrottle::password_key(who.user_id);
  const auto now = w.clock.now().seconds();
  if (const auto wait = w.throttle.wait_seconds(key, now); wait > 0) {
    const Refusal refused = throttled(wait, "current");
    auto out = account(w, who, &refused);
    out.status = 429;
    out.headers.push_back({"Retry-After", std::to_string(wait)});
    return out;
  }
  const Context ctx = w.context(who);
  auto changed = run_write(w.store, [&](Transaction& tx) {
    return change_password(tx, ctx, who, param(r, "current"), param(r, "next"), w.passwords);
  });
  if (!changed.ok() && changed.refusal().first().code == "user.password_wrong")
    w.throttle.failed(key, now);
  if (!changed.ok()) return account(w, who, &changed.refusal());
  w.throttle.succeeded(key);
  auto out = redirect("/login?motdepasse=1");
  out.headers.push_back({"Set-Cookie", kClearSessionCookie});
  return out;
}

}  // namespace

void add_login_account_pages(Router& router, WebContext& w) {
  // The pages' progressive-enhancement script, public like the login page that loads it.
  router.add({"GET", "/static/{name}", Access::anyone(), "Fichiers statiques (script)"},
             [](RouteCall& c) {
               const std::string name = c.param("name");
               const auto& files = static_files();
               const auto dot = name.rfind('.');
               const auto it = dot == std::string::npos || name.substr(dot) != ".js"
                                   ? files.end()
                                   : files.find(name.substr(0, dot));
               HttpResponse r;
               if (it == files.end()) {
                 r.status = 404;
                 r.content_type = "text/plain; charset=utf-8";
                 r.body = "Introuvable.";
                 return r;
               }
               r.content_type = "text/javascript; charset=utf-8";
               r.body = it->second;
               r.headers.push_back({"Cache-Control", "no-cache"});
               r.headers.push_back({"X-Content-Type-Options", "nosniff"});
               return r;
             });
  router.add({"GET", "/login", Access::anyone(), "Page de connexion"},
             [&w](RouteCall& c) { return login_form(w, c.request); });
  router.add({"POST", "/login", Access::anyone(), "Se connecter"},
             [&w](RouteCall& c) { return log_in(w, c.request); });
  router.add({"POST", "/logout", Access::signed_in(), "Se déconnecter"},
             [&w](RouteCall& c) { return log_out(w, c.request); });
  // signed_in(): also served to an account that must choose a new password (nothing else is).
  router.add({"GET", "/compte", Access::signed_in(), "Mon compte"},
             [&w](RouteCall& c) { return account(w, c.caller()); });
  router.add({"POST", "/compte", Access::signed_in(), "Changer son mot de passe"},
             [&w](RouteCall& c) { return change_own_password(w, c.request, c.caller()); });
}

}  // namespace octroi::http::pages
