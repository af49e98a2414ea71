// The back office's entry: the pages' Gate (session cookie, CSRF field, HTML refusals) and the
// list of the areas whose pages it declares (web/<area>.cc).
#include "adapters/http/web.h"

#include "adapters/http/router.h"
#include "adapters/http/web/pages.h"

namespace octroi::http {
namespace {

using pages::WebContext;

// How the pages recognise their callers and word the router's refusals, as the back office always
// has: no session, to /login; a form without the session's CSRF token, "Formulaire refusé"; the
// role short of the page's action, "Accès refusé"; a path no page serves, "Introuvable".
class PageGate final : public Gate {
 public:
  explicit PageGate(WebContext& w) : w_(w) {}

  Result<Principal> authenticate(const HttpRequest& r, bool& via_cookie) override {
    via_cookie = true;
    return w_.who_is(r);
  }

  bool csrf_valid(const HttpRequest& r, const Principal& who, bool) override {
    return pages::param(r, "csrf") == who.csrf_token;
  }

  HttpResponse deny(const HttpRequest& r, Denial d, const Principal* who, const Refusal*) override {
    switch (d) {
      case Denial::Unauthenticated:
        return pages::redirect("/login");
      case Denial::Csrf:
        return w_.csrf_refused(*who);
      case Denial::Forbidden:
        // A form is checked for its CSRF token before the role, as the pages always did (and
        // web_pages_test pins it): a forged form learns nothing of the permissions.
        if (r.method == "POST" && !csrf_valid(r, *who, true)) return w_.csrf_refused(*who);
        return w_.forbidden(*who);
      case Denial::PasswordChange:
        return pages::redirect("/compte");  // which says why
      case Denial::NotFound:
      case Denial::MethodNotAllowed:
        break;
    }
    // No page here: someone without a session is sent to /login, as for any page; a form is
    // still checked for its token first.
    auto caller = w_.who_is(r);
    if (!caller.ok()) return pages::redirect("/login");
    if (r.method == "POST" && !csrf_valid(r, caller.value(), true))
      return w_.csrf_refused(caller.value());
    return w_.not_found(caller.value(), pages::no_such_page());
  }

 private:
  WebContext& w_;
};

}  // namespace

struct Web::Impl {
  explicit Impl(WebContext c) : context(c) {}
  WebContext context;
  PageGate gate{context};
  std::unique_ptr<Gate> portal_gate = pages::make_portal_gate(context);
};

Web::Web(sql::SqlStore& store, Clock& clock, PasswordHasher& passwords, TokenSource& tokens,
         LoginThrottle& throttle, JobRunner& jobs, const ApiOptions& options,
         const FileServices& files)
    : impl_(std::make_unique<Impl>(
          WebContext{store, clock, passwords, tokens, throttle, jobs, options, files})) {}

Web::~Web() = default;

void Web::add_routes(Router& router) {
  WebContext& w = impl_->context;
  pages::add_login_account_pages(router, w);
  pages::add_dashboard_pages(router, w);
  pages::add_dossier_pages(router, w);
  pages::add_dossier_form_pages(router, w);
  pages::add_award_pages(router, w);
  pages::add_party_pages(router, w);
  pages::add_report_pages(router, w);
  pages::add_document_pages(router, w);
  pages::add_job_pages(router, w);
  pages::add_admin_pages(router, w);
  pages::add_template_pages(router, w);
  pages::add_open_data_pages(router, w);
  pages::add_budget_pages(router, w);
  pages::add_administration_pages(router, w);
  pages::add_workspace_pages(router, w);
  pages::add_portal_account_pages(router, w);
  pages::add_portal_dossier_pages(router, w);
  router.set_gate(Surface::Page, impl_->gate);
  router.set_gate(Surface::Portal, *impl_->portal_gate);
}

}  // namespace octroi::http
