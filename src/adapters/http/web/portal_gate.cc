// The portal pages' gate: an applicant is recognised by the portal's own session cookie
// (octroi_portail), never by an agent's; a form carries the session's CSRF token; refusals are
// portal pages (no session: to /portail/connexion).
#include <memory>

#include "adapters/http/web/pages.h"
#include "app/portal.h"

namespace octroi::http::pages {
namespace {

class PortalGate final : public Gate {
 public:
  explicit PortalGate(WebContext& w) : w_(w) {}

  Result<Principal> authenticate(const HttpRequest& r, bool& via_cookie) override {
    via_cookie = true;
    return applicant_of(w_, r);
  }

  bool csrf_valid(const HttpRequest& r, const Principal& who, bool) override {
    return !who.csrf_token.empty() && param(r, "csrf") == who.csrf_token;
  }

  HttpResponse deny(const HttpRequest& r, Denial d, const Principal* who, const Refusal*) override {
    switch (d) {
      case Denial::Unauthenticated:
        return redirect("/portail/connexion");
      case Denial::Csrf:
        return w_.portal_page("error", "Formulaire refusé",
                              {{"heading", std::string("Formulaire refusé")}}, who, &csrf_problem(),
                              403);
      case Denial::Forbidden:
      case Denial::PasswordChange:
        return w_.portal_page("error", "Accès refusé", {{"heading", std::string("Accès refusé")}},
                              who, &forbidden_problem(), 403);
      case Denial::NotFound:
      case Denial::MethodNotAllowed:
        break;
    }
    auto caller = applicant_of(w_, r);
    const Principal* p = caller.ok() ? &caller.value() : nullptr;
    return w_.portal_page("error", "Introuvable", {{"heading", std::string("Introuvable")}}, p,
                          &not_found_problem(), 404);
  }

 private:
  static const Refusal& csrf_problem() {
    static const Refusal r =
        refuse("auth.csrf", "csrf", "Jeton CSRF absent ou invalide : rechargez la page.");
    return r;
  }
  static const Refusal& forbidden_problem() {
    static const Refusal r =
        refuse("auth.forbidden", "role", "Cette page est réservée aux demandeurs du portail.");
    return r;
  }
  static const Refusal& not_found_problem() {
    static const Refusal r = no_such_page();
    return r;
  }
  WebContext& w_;
};

}  // namespace

Result<Principal> applicant_of(WebContext& w, const HttpRequest& r) {
  const std::string token = r.cookie(kPortalCookie);
  if (token.empty()) return refuse("auth.required", "session", "Connectez-vous.");
  auto p = run_read(w.store, [&](Transaction& tx) {
    return principal_of_applicant_session(tx, w.clock, token, w.store.hasher(), w.options.sessions);
  });
  if (p.ok() && p->needs_touch)
    static_cast<void>(run_write(w.store, [&](Transaction& tx) -> Result<int> {
      touch_applicant_session(tx, w.clock, p.value());
      return 0;
    }));
  return p;
}

std::unique_ptr<Gate> make_portal_gate(WebContext& w) {
  return std::make_unique<PortalGate>(w);
}

}  // namespace octroi::http::pages
