// Administration of the authority's accounts (/admin/comptes) and API tokens (/admin/jetons):
// create an account, deactivate and reactivate it, reset another agent's password (a random one
// shown once), require a new password; issue a token for an account (its value shown once) and
// revoke one. Administrators only (Action::ManageUsers), pages as forms.
#include <string>

#include "adapters/http/web/pages.h"
#include "app/account_life.h"
#include "app/services.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

constexpr FormField<UserInput> kUserForm[] = {
    {"login", &UserInput::login},
    {"display_name", &UserInput::display_name},
    {"role", &UserInput::role},
    {"service", &UserInput::service},
};
constexpr FormField<TokenRequest> kTokenForm[] = {
    {"label", &TokenRequest::label},
    {"owner", &TokenRequest::owner},
    {"role", &TokenRequest::role},
    {"service", &TokenRequest::service},
    {"expires_on", &TokenRequest::expires_on},
};

// The roles to choose from, none chosen at first (an untouched list must not make an
// administrator).
mstch::array role_options(const std::string& selected) {
  mstch::array out;
  out.push_back(mstch::map{{"value", std::string()},
                           {"label", std::string("— choisir un rôle —")},
                           {"selected", selected.empty()}});
  for (Role r : all_roles())
    out.push_back(mstch::map{{"value", std::string(to_string(r))},
                             {"label", std::string(role_label(r))},
                             {"selected", std::string(to_string(r)) == selected}});
  return out;
}

std::string typed_value(const std::map<std::string, std::string>* typed, const char* k) {
  if (!typed) return "";
  const auto it = typed->find(k);
  return it == typed->end() ? std::string() : it->second;
}

// `shown_once`: a password just generated, shown on this answer only (never in a URL).
HttpResponse accounts_page(WebContext& w, const Principal& who, const Refusal* refusal = nullptr,
                           const std::map<std::string, std::string>* typed = nullptr,
                           const std::string& flash = "", const std::string& shown_once = "",
                           const std::string& shown_for = "") {
  const auto users =
      run_read(w.store, [&](Transaction& tx) { return tx.accounts().list_users(who.authority); });
  mstch::array rows;
  for (const auto& u : users) {
    const auto role = parse_role(u.role);
    rows.push_back(mstch::map{{"login", u.login},
                              {"name", u.display_name},
                              {"role", role ? std::string(role_label(*role)) : u.role},
                              {"service", u.service},
                              {"active", u.active},
                              {"must_change", u.must_change_password},
                              {"self", u.id == who.user_id},
                              {"created", fr::date_long(u.created_at.day())}});
  }
  return w.page("admin_accounts", "Comptes des agents",
                {{"users", rows},
                 {"count", std::to_string(users.size())},
                 {"csrf", who.csrf_token},
                 {"roles", role_options(typed_value(typed, "role"))},
                 {"login", typed_value(typed, "login")},
                 {"display_name", typed_value(typed, "display_name")},
                 {"service", typed_value(typed, "service")},
                 {"shown_once", shown_once},
                 {"shown_for", shown_for}},
                &who, refusal,
                refusal ? (refusal->first().code == "user.unknown" ? 404 : 422) : 200, flash);
}

HttpResponse create_account(WebContext& w, const HttpRequest& r, const Principal& who) {
  UserInput in = read_form(r, kUserForm);
  in.password = param(r, "password");
  const Context ctx = w.context(who);
  auto made =
      run_write(w.store, [&](Transaction& tx) { return create_user(tx, ctx, in, w.passwords); });
  if (!made.ok()) {
    const auto typed = form_values(r, kUserForm);
    return accounts_page(w, who, &made.refusal(), &typed);
  }
  return redirect("/admin/comptes?cree=" + url_encode(made->login));
}

// One act on the account the path names, then the list with what it did.
template <class Act>
HttpResponse account_act(WebContext& w, const Principal& who, Act act) {
  const Context ctx = w.context(who);
  std::string flash, shown_once, shown_for;
  auto done = run_write(w.store, [&](Transaction& tx) -> Result<int> {
    auto r = act(tx, ctx, flash, shown_once, shown_for);
    if (!r.ok()) return r.refusal();
    return 0;
  });
  if (!done.ok()) return accounts_page(w, who, &done.refusal());
  return accounts_page(w, who, nullptr, nullptr, flash, shown_once, shown_for);
}

const Refusal& confirmation_missing() {
  static const Refusal r = refuse("form.confirm", "confirmer",
                                  "Cochez la case de confirmation : cet acte prend effet à "
                                  "l'instant.");
  return r;
}

HttpResponse tokens_page(WebContext& w, const Principal& who, const Refusal* refusal = nullptr,
                         const std::map<std::string, std::string>* typed = nullptr,
                         const std::string& flash = "", const std::string& shown_once = "") {
  const auto [tokens, users] = run_read(w.store, [&](Transaction& tx) {
    return std::make_pair(tx.accounts().list_api_tokens(who.authority),
                          tx.accounts().list_users(who.authority));
  });
  const Instant now = w.clock.now();
  mstch::array rows, owners;
  for (const auto& t : tokens) {
    const bool revoked = t.revoked_at.has_value(), expired = !revoked && now >= t.expires_at;
    rows.push_back(
        mstch::map{{"id", std::to_string(t.id)},
                   {"label", t.label},
                   {"owner", t.owner_login.empty() ? std::string("(aucun)") : t.owner_login},
                   {"role", t.role},
                   {"service", t.service},
                   {"issued", fr::date_long(t.created_at.day())},
                   {"until", fr::date_long(t.expires_at.day().add_days(-1))},
                   {"state", revoked   ? "révoqué le " + fr::date_long(t.revoked_at->day())
                             : expired ? std::string("expiré")
                                       : std::string("actif")},
                   {"live", !revoked}});
  }
  const std::string owner_typed = typed_value(typed, "owner");
  for (const auto& u : users)
    if (u.active) {
      const auto role = parse_role(u.role);
      owners.push_back(mstch::map{
          {"login", u.login},
          {"label", u.display_name + " (" + u.login + ", " +
                        (role ? std::string(role_label(*role)) : u.role) + ")"},
          {"selected", owner_typed.empty() ? u.id == who.user_id : u.login == owner_typed}});
    }
  return w.page("admin_tokens", "Jetons d'API",
                {{"tokens", rows},
                 {"owners", owners},
                 {"csrf", who.csrf_token},
                 {"label", typed_value(typed, "label")},
                 {"expires_on", typed_value(typed, "expires_on")},
                 {"reader_only", typed_value(typed, "role") == "reader"},
                 {"default_days", std::to_string(kTokenDefaultDays)},
                 {"shown_once", shown_once}},
                &who, refusal,
                refusal ? (refusal->first().code == "token.unknown" ? 404 : 422) : 200, flash);
}

HttpResponse issue_token(WebContext& w, const HttpRequest& r, const Principal& who) {
  const TokenRequest in = read_form(r, kTokenForm);
  const Context ctx = w.context(who);
  auto issued = run_write(w.store, [&](Transaction& tx) {
    return issue_api_token(tx, ctx, in, who.account_id, w.tokens, w.store.hasher());
  });
  if (!issued.ok()) {
    const auto typed = form_values(r, kTokenForm);
    return tokens_page(w, who, &issued.refusal(), &typed);
  }
  return tokens_page(w, who, nullptr, nullptr,
                     "Jeton n° " + std::to_string(issued->record.id) + " émis pour " +
                         issued->record.owner_login +
                         " : copiez sa valeur maintenant, elle ne "
                         "sera plus jamais affichée.",
                     issued->token);
}

HttpResponse revoke_token(WebContext& w, const HttpRequest& r, const Principal& who,
                          const std::string& id) {
  if (param(r, "confirmer") != "1") return tokens_page(w, who, &confirmation_missing());
  const Context ctx = w.context(who);
  auto revoked = run_write(w.store, [&](Transaction& tx) { return revoke_api_token(tx, ctx, id); });
  if (!revoked.ok()) return tokens_page(w, who, &revoked.refusal());
  return tokens_page(w, who, nullptr, nullptr,
                     "Jeton n° " + id + " (" + revoked->label + ") révoqué.");
}

void add_account_acts(Router& router, WebContext& w, const Access& admin) {
  router.add({"POST", "/admin/comptes/{login}/desactivation", admin, "Désactiver un compte"},
             [&w](RouteCall& c) {
               if (param(c.request, "confirmer") != "1")
                 return accounts_page(w, c.caller(), &confirmation_missing());
               return account_act(
                   w, c.caller(),
                   [&](Transaction& tx, const Context& ctx, std::string& flash, std::string&,
                       std::string&) -> Status {
                     auto d = deactivate_user(tx, ctx, c.param("login"), c.caller().account_id);
                     if (!d.ok()) return d.refusal();
                     flash = "Compte " + d->user.login + " désactivé : ses sessions sont closes, " +
                             std::to_string(d->tokens_revoked) + " jeton(s) révoqué(s).";
                     return done();
                   });
             });
  router.add({"POST", "/admin/comptes/{login}/reactivation", admin, "Réactiver un compte"},
             [&w](RouteCall& c) {
               return account_act(w, c.caller(),
                                  [&](Transaction& tx, const Context& ctx, std::string& flash,
                                      std::string&, std::string&) -> Status {
                                    auto u = reactivate_user(tx, ctx, c.param("login"));
                                    if (!u.ok()) return u.refusal();
                                    flash = "Compte " + u->login + " réactivé.";
                                    return done();
                                  });
             });
  router.add({"POST", "/admin/comptes/{login}/mot-de-passe", admin,
              "Réinitialiser le mot de passe d'un agent"},
             [&w](RouteCall& c) {
               // It locks the agent out until they get the new password: confirmed, and not
               // replayed by a reload without the box.
               if (param(c.request, "confirmer") != "1")
                 return accounts_page(w, c.caller(), &confirmation_missing());
               return account_act(
                   w, c.caller(),
                   [&](Transaction& tx, const Context& ctx, std::string& flash, std::string& shown,
                       std::string& shown_for) -> Status {
                     auto r = reset_password(tx, ctx, c.param("login"), "", c.caller().account_id,
                                             w.passwords, w.tokens);
                     if (!r.ok()) return r.refusal();
                     shown = r->temporary_password;
                     shown_for = r->user.login;
                     flash = "Mot de passe de " + r->user.login +
                             " réinitialisé : transmettez-le lui ; il en choisira un "
                             "autre à sa connexion.";
                     return done();
                   });
             });
  router.add({"POST", "/admin/comptes/{login}/changement", admin,
              "Imposer un nouveau mot de passe à la prochaine action"},
             [&w](RouteCall& c) {
               return account_act(w, c.caller(),
                                  [&](Transaction& tx, const Context& ctx, std::string& flash,
                                      std::string&, std::string&) -> Status {
                                    auto u = require_password_change(tx, ctx, c.param("login"),
                                                                     c.caller().account_id);
                                    if (!u.ok()) return u.refusal();
                                    flash = u->login +
                                            " devra changer de mot de passe avant "
                                            "toute autre action.";
                                    return done();
                                  });
             });
}

// ---- the services: what each holds, renamed everywhere at once

HttpResponse services_page(WebContext& w, const Principal& who, const Refusal* refusal = nullptr,
                           const std::map<std::string, std::string>* typed = nullptr,
                           const std::string& flash = "") {
  const auto services = run_read(
      w.store, [&](Transaction& tx) { return list_services(tx, who.authority, w.clock.now()); });
  mstch::array rows, options;
  const std::string from = typed_value(typed, "from");
  for (const auto& s : services) {
    rows.push_back(mstch::map{{"name", s.name},
                              {"schemes", fr::integer(s.schemes)},
                              {"instructors", fr::integer(s.instructors)},
                              {"tokens", fr::integer(s.tokens)},
                              {"opinions", fr::integer(s.opinions)}});
    options.push_back(mstch::map{{"value", s.name}, {"selected", s.name == from}});
  }
  mstch::map ctx{{"services", rows},
                 {"has_services", !rows.empty()},
                 {"service_options", options},
                 {"typed_to", typed_value(typed, "to")},
                 {"csrf", who.csrf_token}};
  return w.page("admin_services", "Services", ctx, &who, refusal, refusal ? 422 : 200, flash);
}

HttpResponse rename_service_form(WebContext& w, const HttpRequest& r, const Principal& who) {
  const Context ctx = w.context(who);
  auto renamed = run_write(w.store, [&](Transaction& tx) {
    return rename_service(tx, ctx, param(r, "from"), param(r, "to"));
  });
  if (!renamed.ok()) return services_page(w, who, &renamed.refusal(), &r.query);
  return redirect("/admin/services?renomme=1");
}

}  // namespace

void add_admin_pages(Router& router, WebContext& w) {
  const Access admin = Access::needs(Action::ManageUsers);
  router.add({"GET", "/admin/comptes", admin, "Comptes des agents"}, [&w](RouteCall& c) {
    // The flash names an account that exists, whatever the query says.
    const std::string made = param(c.request, "cree");
    const bool exists = !made.empty() && run_read(w.store, [&](Transaction& tx) {
      const auto u = tx.accounts().find_user(made);
      return u && u->authority == c.caller().authority;
    });
    return accounts_page(w, c.caller(), nullptr, nullptr,
                         exists ? "Compte " + made + " créé." : "");
  });
  router.add({"POST", "/admin/comptes", admin, "Créer un compte"},
             [&w](RouteCall& c) { return create_account(w, c.request, c.caller()); });
  add_account_acts(router, w, admin);
  router.add({"GET", "/admin/services", admin, "Les services et ce que chacun instruit"},
             [&w](RouteCall& c) {
               return services_page(w, c.caller(), nullptr, nullptr,
                                    flash_of(c.request, {{"renomme", "Service renommé."}}));
             });
  router.add({"POST", "/admin/services", admin, "Renommer un service partout"},
             [&w](RouteCall& c) { return rename_service_form(w, c.request, c.caller()); });
  router.add({"GET", "/admin/jetons", admin, "Jetons d'API"},
             [&w](RouteCall& c) { return tokens_page(w, c.caller()); });
  router.add({"POST", "/admin/jetons", admin, "Émettre un jeton d'API"},
             [&w](RouteCall& c) { return issue_token(w, c.request, c.caller()); });
  router.add({"POST", "/admin/jetons/{id}/revocation", admin, "Révoquer un jeton d'API"},
             [&w](RouteCall& c) { return revoke_token(w, c.request, c.caller(), c.param("id")); });
}

}  // namespace octroi::http::pages
