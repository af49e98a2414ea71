// The applicant portal's account pages (issue 19): sign-up, the e-mail verification, login and
// logout, the forgotten password, the organisations and their invitations, the personal-data
// notice. The public forms carry a token of their own (double submit: a cookie and a field, as the
// agents' login form); the applicant's forms carry their session's CSRF token (the portal's gate).
#include <string>

#include "adapters/http/web/pages.h"
#include "app/portal.h"

namespace octroi::http::pages {
namespace {

constexpr const char* kFormCookie = "octroi_portail_form";

bool hex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The public form's token: the browser's while well-formed, else a new one set as a cookie.
struct FormToken {
  std::string value;
  bool fresh = false;
};
FormToken form_token(WebContext& w, const HttpRequest& r) {
  FormToken t{r.cookie(kFormCookie), false};
  if (!hex64(t.value)) t = {w.tokens.token(), true};
  return t;
}

bool form_token_valid(const HttpRequest& r) {
  const std::string field = param(r, "form_csrf"), cookie = r.cookie(kFormCookie);
  if (!hex64(field) || cookie.size() != field.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < field.size(); ++i)
    diff |= static_cast<unsigned char>(field[i] ^ cookie[i]);
  return diff == 0;
}

// A public page of the portal with its form token (and its cookie when new).
HttpResponse public_form(WebContext& w, const HttpRequest& r, const std::string& tpl_name,
                         const std::string& title, mstch::map ctx, const Refusal* refusal = nullptr,
                         int status = 200, const std::string& flash = "") {
  const FormToken t = form_token(w, r);
  ctx["form_csrf"] = t.value;
  auto caller = applicant_of(w, r);
  auto out = w.portal_page(tpl_name, title, ctx, caller.ok() ? &caller.value() : nullptr, refusal,
                           status, flash);
  if (t.fresh)
    out.headers.push_back(
        {"Set-Cookie", std::string(kFormCookie) + "=" + t.value +
                           "; Path=/portail; HttpOnly; SameSite=Strict; Max-Age=7200" +
                           (secure_cookie(w.options, r.remote_addr) ? "; Secure" : "")});
  return out;
}

const Refusal& stale_form() {
  static const Refusal r = refuse("auth.csrf", "form_csrf",
                                  "Le formulaire a expiré ou vient d'un autre site : "
                                  "recommencez depuis cette page.");
  return r;
}

// A page saying what happens next ("a message was sent…").
HttpResponse notice(WebContext& w, const HttpRequest& r, const std::string& title,
                    const std::string& text) {
  auto caller = applicant_of(w, r);
  return w.portal_page("portal_notice", title, {{"heading", title}, {"text", text}},
                       caller.ok() ? &caller.value() : nullptr);
}

HttpResponse unavailable(WebContext& w, const Refusal& why) {
  return w.portal_page("error", "Portail indisponible",
                       {{"heading", std::string("Portail indisponible")}}, nullptr, &why, 503);
}

std::string cookie_of(WebContext& w, const HttpRequest& r, const std::string& token) {
  return std::string(kPortalCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" +
         (secure_cookie(w.options, r.remote_addr) ? "; Secure" : "");
}

// ---- sign-up, verification -------------------------------------------------------------------

HttpResponse sign_up_page(WebContext& w, const HttpRequest& r) {
  if (!form_token_valid(r))
    return public_form(w, r, "portal_signup", "Créer un compte",
                       {{"email", param(r, "email")}, {"display_name", param(r, "display_name")}},
                       &stale_form(), 403);
  auto a = portal_authority_of(w);
  if (!a.ok()) return unavailable(w, a.refusal());
  // Each sign-up costs an argon2id hash and sends an e-mail: a few per address and quarter hour.
  const std::string key = "portail-inscription:" + r.remote_addr;
  const auto now = w.clock.now().seconds();
  if (const auto wait = w.throttle.wait_seconds(key, now); wait > 0) {
    const Refusal refused = throttled(wait, "email");
    auto out = public_form(w, r, "portal_signup", "Créer un compte", {{"email", param(r, "email")}},
                           &refused, 429);
    out.headers.push_back({"Retry-After", std::to_string(wait)});
    return out;
  }
  w.throttle.failed(key, now);
  const SignUpInput in{param(r, "email"), param(r, "display_name"), param(r, "password")};
  auto done = sign_up(w.store, w.clock, a->id, in, w.passwords, w.tokens, w.store.hasher(),
                      w.options.portal);
  if (!done.ok())
    return public_form(w, r, "portal_signup", "Créer un compte",
                       {{"email", in.email}, {"display_name", in.display_name}}, &done.refusal(),
                       422);
  // The same page whether the address had an account or not.
  return notice(w, r, "Vérifiez votre messagerie",
                "Un courriel vient d'être envoyé à " + done->email +
                    ". Ouvrez le lien qu'il contient pour activer votre compte (il est valable "
                    "48 heures).");
}

HttpResponse verify_page(WebContext& w, const HttpRequest& r) {
  if (!form_token_valid(r))
    return public_form(w, r, "portal_verify", "Confirmer votre adresse",
                       {{"code", param(r, "code")}}, &stale_form(), 403);
  auto a = portal_authority_of(w);
  if (!a.ok()) return unavailable(w, a.refusal());
  auto done = run_write(w.store, [&](Transaction& tx) {
    return verify_applicant_email(tx, w.clock, a->id, param(r, "code"), w.store.hasher());
  });
  if (!done.ok())
    return public_form(w, r, "portal_verify", "Confirmer votre adresse",
                       {{"code", param(r, "code")}}, &done.refusal(), 422);
  return redirect("/portail/connexion?verifie=1");
}

// ---- login, logout, forgotten password -------------------------------------------------------

HttpResponse login_form_page(WebContext& w, const HttpRequest& r) {
  return public_form(w, r, "portal_login", "Se connecter", {{"email", param(r, "email")}}, nullptr,
                     200,
                     flash_of(r, {{"verifie", "Adresse confirmée : vous pouvez vous connecter."},
                                  {"motdepasse", "Mot de passe changé : connectez-vous."}}));
}

HttpResponse log_in_page(WebContext& w, const HttpRequest& r) {
  const std::string email = param(r, "email");
  if (!form_token_valid(r))
    return public_form(w, r, "portal_login", "Se connecter", {{"email", email}}, &stale_form(),
                       403);
  auto a = portal_authority_of(w);
  if (!a.ok()) return unavailable(w, a.refusal());
  // The portal's attempts are counted apart from the agents' (their own login and address keys).
  const std::string key = "portail:" + normal_email(email), address = "portail:" + r.remote_addr;
  const auto now = w.clock.now().seconds();
  if (const std::int64_t wait = w.throttle.begin_login(key, address, now); wait > 0) {
    const Refusal refused = throttled(wait, "email");
    auto out = public_form(w, r, "portal_login", "Se connecter", {{"email", email}}, &refused, 429);
    out.headers.push_back({"Retry-After", std::to_string(wait)});
    return out;
  }
  auto opened = applicant_sign_in(w.store, w.clock, a->id, email, param(r, "password"), w.passwords,
                                  w.tokens, w.store.hasher(), w.options.sessions);
  // The right password of an unverified account is no failed guess.
  w.throttle.end_login(opened.ok() || opened.refusal().first().code == "portal.unverified", key,
                       address, now);
  if (!opened.ok())
    return public_form(w, r, "portal_login", "Se connecter", {{"email", email}}, &opened.refusal(),
                       401);
  auto out = redirect("/portail/espace");
  out.headers.push_back({"Set-Cookie", cookie_of(w, r, opened->token)});
  return out;
}

HttpResponse log_out_page(WebContext& w, const HttpRequest& r) {
  static_cast<void>(run_write(w.store, [&](Transaction& tx) -> Result<int> {
    close_applicant_session(tx, r.cookie(kPortalCookie), w.store.hasher());
    return 0;
  }));
  auto out = redirect("/portail");
  out.headers.push_back({"Set-Cookie", std::string(kPortalCookie) +
                                           "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"});
  return out;
}

HttpResponse forgot_page(WebContext& w, const HttpRequest& r) {
  if (!form_token_valid(r))
    return public_form(w, r, "portal_forgot", "Mot de passe oublié", {{"email", param(r, "email")}},
                       &stale_form(), 403);
  auto a = portal_authority_of(w);
  if (!a.ok()) return unavailable(w, a.refusal());
  const std::string key = "portail-motdepasse:" + r.remote_addr;
  const auto now = w.clock.now().seconds();
  if (const auto wait = w.throttle.wait_seconds(key, now); wait > 0) {
    const Refusal refused = throttled(wait, "email");
    auto out = public_form(w, r, "portal_forgot", "Mot de passe oublié",
                           {{"email", param(r, "email")}}, &refused, 429);
    out.headers.push_back({"Retry-After", std::to_string(wait)});
    return out;
  }
  w.throttle.failed(key, now);
  auto done = run_write(w.store, [&](Transaction& tx) {
    return request_password_reset(tx, w.clock, a->id, param(r, "email"), w.tokens, w.store.hasher(),
                                  w.options.portal);
  });
  if (!done.ok())
    return public_form(w, r, "portal_forgot", "Mot de passe oublié", {{"email", param(r, "email")}},
                       &done.refusal(), 422);
  return notice(w, r, "Vérifiez votre messagerie",
                "Si un compte existe pour " + normal_email(param(r, "email")) +
                    ", un courriel vient de lui être envoyé avec un lien pour choisir un nouveau "
                    "mot de passe (valable une heure).");
}

HttpResponse reset_page(WebContext& w, const HttpRequest& r) {
  if (!form_token_valid(r))
    return public_form(w, r, "portal_reset", "Nouveau mot de passe", {{"code", param(r, "code")}},
                       &stale_form(), 403);
  auto a = portal_authority_of(w);
  if (!a.ok()) return unavailable(w, a.refusal());
  auto done = reset_applicant_password(w.store, w.clock, a->id, param(r, "code"),
                                       param(r, "password"), w.passwords, w.store.hasher());
  if (!done.ok())
    return public_form(w, r, "portal_reset", "Nouveau mot de passe", {{"code", param(r, "code")}},
                       &done.refusal(), 422);
  return redirect("/portail/connexion?motdepasse=1");
}

// ---- organisations -------------------------------------------------------------------------

constexpr FormField<PartyInput> kOrganisationForm[] = {
    {"legal_name", &PartyInput::legal_name},
    {"siret", &PartyInput::siret},
    {"rna", &PartyInput::rna},
    {"legal_status", &PartyInput::legal_status},
    {"civility", &PartyInput::civility},
    {"first_name", &PartyInput::first_name},
    {"last_name", &PartyInput::last_name},
    {"role", &PartyInput::role},
    {"address_line1", &PartyInput::address_line1},
    {"postal_code", &PartyInput::postal_code},
    {"city", &PartyInput::city},
};

HttpResponse join_page(WebContext& w, const HttpRequest& r, const Principal& who) {
  PartyInput in = read_form(r, kOrganisationForm);
  in.recovers_vat = param(r, "recovers_vat") == "1";
  const ApplicantContext ac = applicant_context(who, w.clock);
  auto joined = run_write(w.store, [&](Transaction& tx) { return join_organisation(tx, ac, in); });
  if (!joined.ok()) return space_page(w, r, who, &joined.refusal(), 422);
  return redirect("/portail/espace?organisation=1");
}

HttpResponse invite_page(WebContext& w, const HttpRequest& r, const Principal& who,
                         const std::string& id) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  std::int64_t party = 0;
  if (id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos || id.empty())
    return space_page(w, r, who, nullptr, 404);
  party = std::stoll(id);
  auto invited = run_write(w.store, [&](Transaction& tx) {
    return invite_member(tx, ac, party, param(r, "email"), w.tokens, w.store.hasher(),
                         w.options.portal);
  });
  if (!invited.ok()) return space_page(w, r, who, &invited.refusal(), 422);
  return redirect("/portail/espace?invitation=1");
}

// POST /portail/organisations/{id}/membres/retrait: the owner removes a member, or a member
// leaves.
HttpResponse removal_page(WebContext& w, const HttpRequest& r, const Principal& who,
                          const std::string& id) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  if (id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos || id.empty())
    return space_page(w, r, who, nullptr, 404);
  auto removed = run_write(w.store, [&](Transaction& tx) {
    return remove_member(tx, ac, std::stoll(id), param(r, "email"));
  });
  if (!removed.ok()) return space_page(w, r, who, &removed.refusal(), 422);
  return redirect("/portail/espace?retrait=1");
}

HttpResponse accept_page(WebContext& w, const HttpRequest& r, const Principal& who) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  auto joined = run_write(w.store, [&](Transaction& tx) {
    return accept_invitation(tx, ac, param(r, "code"), w.store.hasher());
  });
  if (!joined.ok())
    return w.portal_page("portal_invitation", "Rejoindre une organisation",
                         {{"code", param(r, "code")}, {"csrf", who.csrf_token}}, &who,
                         &joined.refusal(), 422);
  return redirect("/portail/espace?organisation=1");
}

}  // namespace

Result<Authority> portal_authority_of(WebContext& w) {
  return run_read(
      w.store, [&](Transaction& tx) { return portal_authority(tx, w.options.portal_authority); });
}

void add_portal_account_pages(Router& router, WebContext& w) {
  const auto form = [&w](const char* tpl_name, const char* title, std::vector<std::string> keep) {
    return [&w, tpl_name, title, keep](RouteCall& c) {
      mstch::map ctx;
      for (const auto& k : keep)
        ctx[k] = param(c.request, k);
      return public_form(w, c.request, tpl_name, title, ctx);
    };
  };
  router.add({"GET", "/portail/inscription", Access::anyone(), "Portail : créer un compte"},
             form("portal_signup", "Créer un compte", {"email"}));
  router.add({"POST", "/portail/inscription", Access::anyone(), "Portail : créer un compte"},
             [&w](RouteCall& c) { return sign_up_page(w, c.request); });
  router.add({"GET", "/portail/verifier", Access::anyone(), "Portail : confirmer son adresse"},
             form("portal_verify", "Confirmer votre adresse", {"code"}));
  router.add({"POST", "/portail/verifier", Access::anyone(), "Portail : confirmer son adresse"},
             [&w](RouteCall& c) { return verify_page(w, c.request); });
  router.add({"GET", "/portail/connexion", Access::anyone(), "Portail : se connecter"},
             [&w](RouteCall& c) { return login_form_page(w, c.request); });
  router.add({"POST", "/portail/connexion", Access::anyone(), "Portail : se connecter"},
             [&w](RouteCall& c) { return log_in_page(w, c.request); });
  router.add(
      {"POST", "/portail/deconnexion", Access::needs(Action::Apply), "Portail : se déconnecter"},
      [&w](RouteCall& c) { return log_out_page(w, c.request); });
  router.add({"GET", "/portail/mot-de-passe", Access::anyone(), "Portail : mot de passe oublié"},
             form("portal_forgot", "Mot de passe oublié", {"email"}));
  router.add({"POST", "/portail/mot-de-passe", Access::anyone(), "Portail : mot de passe oublié"},
             [&w](RouteCall& c) { return forgot_page(w, c.request); });
  router.add({"GET", "/portail/reinitialiser", Access::anyone(),
              "Portail : choisir un nouveau mot de passe"},
             form("portal_reset", "Nouveau mot de passe", {"code"}));
  router.add({"POST", "/portail/reinitialiser", Access::anyone(),
              "Portail : choisir un nouveau mot de passe"},
             [&w](RouteCall& c) { return reset_page(w, c.request); });
  router.add({"GET", "/portail/donnees-personnelles", Access::anyone(),
              "Portail : information sur les données personnelles"},
             [&w](RouteCall& c) {
               auto caller = applicant_of(w, c.request);
               auto a = portal_authority_of(w);
               return w.portal_page(
                   "portal_privacy", "Données personnelles",
                   {{"authority", a.ok() ? a->name : std::string("la collectivité")},
                    {"address", a.ok() ? a->address : std::string()}},
                   caller.ok() ? &caller.value() : nullptr);
             });
  router.add({"POST", "/portail/organisations", Access::needs(Action::Apply),
              "Portail : agir pour une organisation"},
             [&w](RouteCall& c) { return join_page(w, c.request, c.caller()); });
  router.add({"POST", "/portail/organisations/{id}/invitations", Access::needs(Action::Apply),
              "Portail : inviter un membre"},
             [&w](RouteCall& c) { return invite_page(w, c.request, c.caller(), c.param("id")); });
  router.add({"POST", "/portail/organisations/{id}/membres/retrait", Access::needs(Action::Apply),
              "Portail : retirer un membre, ou quitter l'organisation"},
             [&w](RouteCall& c) { return removal_page(w, c.request, c.caller(), c.param("id")); });
  router.add({"GET", "/portail/invitation", Access::needs(Action::Apply),
              "Portail : rejoindre une organisation"},
             [&w](RouteCall& c) {
               return w.portal_page(
                   "portal_invitation", "Rejoindre une organisation",
                   {{"code", param(c.request, "code")}, {"csrf", c.caller().csrf_token}},
                   &c.caller());
             });
  router.add({"POST", "/portail/compte/courriels", Access::needs(Action::Apply),
              "Portail : un courriel par nouvelle, ou un résumé par jour"},
             [&w](RouteCall& c) {
               const ApplicantContext ac = applicant_context(c.caller(), w.clock);
               const std::string choice = param(c.request, "courriels");
               if (choice != "resume" && choice != "chaque") {
                 const Refusal r = refuse("portal.mail_preference", "courriels",
                                          "Choisissez un courriel par nouvelle ou un résumé par "
                                          "jour.");
                 return space_page(w, c.request, c.caller(), &r, 422);
               }
               auto done = run_write(w.store, [&](Transaction& tx) {
                 return set_mail_digest(tx, ac, choice == "resume");
               });
               if (!done.ok()) return space_page(w, c.request, c.caller(), &done.refusal(), 422);
               return redirect("/portail/espace?courriels=1");
             });
  router.add({"POST", "/portail/invitation", Access::needs(Action::Apply),
              "Portail : rejoindre une organisation"},
             [&w](RouteCall& c) { return accept_page(w, c.request, c.caller()); });
}

}  // namespace octroi::http::pages
