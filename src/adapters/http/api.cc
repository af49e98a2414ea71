#include "adapters/http/api.h"

#include "adapters/http/file_tools.h"

#include <nlohmann/json.hpp>

#include "adapters/http/api/routes.h"
#include "adapters/http/job_runner.h"
#include "adapters/http/web.h"
#include "app/problem_codes.h"
#include "domain/text.h"

namespace octroi::http {

using nlohmann::json;
using nlohmann::ordered_json;

int status_of(const std::string& code) {
  const ProblemCode* known = find_problem_code(code);
  return known ? known->status : 422;
}

HttpResponse problem_response(const Refusal& r, int status_override) {
  ordered_json problems = ordered_json::array();
  for (const auto& p : r.problems)
    problems.push_back({{"code", p.code}, {"field", p.field}, {"message", p.message}});
  const Problem& first = r.first();
  const int status = status_override ? status_override : status_of(first.code);
  HttpResponse out;
  out.status = status;
  out.content_type = "application/problem+json; charset=utf-8";
  out.body = ordered_json{
      {"type", "urn:octroi:problem:" + first.code},
      {"title", first.message},
      {"status", status},
      {"detail", first.message},
      {"code", first.code},
      {"field", first.field},
      {"problems",
       problems}}.dump(2, ' ', false, json::error_handler_t::replace);
  return out;
}

namespace {

// How the API recognises its callers (a bearer token, or the session cookie) and words the
// router's refusals (problem+json).
class ApiGate : public Gate {
 public:
  ApiGate(sql::SqlStore& store, Clock& clock, const ApiOptions& options)
      : store_(store), clock_(clock), options_(options) {}

  Result<Principal> authenticate(const HttpRequest& r, bool& via_cookie) override {
    via_cookie = false;
    const std::string auth = r.header("authorization");
    if (!auth.empty()) {
      const bool bearer = auth.size() > 7 && (auth.compare(0, 7, "Bearer ") == 0 ||
                                              auth.compare(0, 7, "bearer ") == 0 ||
                                              auth.compare(0, 7, "BEARER ") == 0);
      if (!bearer)
        return refuse("auth.bad_token", "authorization", "En-tête Authorization: Bearer attendu.");
      const std::string token = auth.substr(7);
      return run_read(store_, [&](Transaction& tx) {
        return principal_of_api_token(tx, clock_, token, store_.hasher());
      });
    }
    const std::string token = r.cookie("octroi_session");
    if (token.empty())
      return refuse("auth.required", "session", "Connectez-vous (ou présentez un jeton d'API).");
    via_cookie = true;
    auto p = run_read(store_, [&](Transaction& tx) {
      return principal_of_session(tx, clock_, token, store_.hasher(), options_.sessions);
    });
    if (p.ok() && p->needs_touch)
      static_cast<void>(run_write(store_, [&](Transaction& tx) -> Result<int> {
        touch_session(tx, clock_, p.value());
        return 0;
      }));
    return p;
  }

  bool csrf_valid(const HttpRequest& r, const Principal& who, bool via_cookie) override {
    return !via_cookie || r.header("x-csrf-token") == who.csrf_token;
  }

  HttpResponse deny(const HttpRequest&, Denial d, const Principal* who,
                    const Refusal* why) override {
    switch (d) {
      case Denial::NotFound:
        return problem_response(refuse("request.not_found", "path", "Adresse inconnue."));
      case Denial::MethodNotAllowed:
        return problem_response(refuse("request.method", "method", "Méthode non prise en charge."));
      case Denial::Unauthenticated:
        return problem_response(*why);
      case Denial::Forbidden:
        return problem_response(refuse(
            "auth.forbidden", "role",
            "Votre rôle (" + std::string(role_label(who->role)) + ") ne permet pas cette action."));
      case Denial::Csrf:
        return problem_response(
            refuse("auth.csrf", "x-csrf-token", "Jeton CSRF absent ou invalide."));
      case Denial::PasswordChange:
        return problem_response(refuse("auth.password_change", "session",
                                       "Choisissez d'abord un nouveau mot de passe "
                                       "(POST /api/v1/me/password)."));
    }
    return problem_response(refuse("server.internal", "", "Erreur interne."), 500);
  }

 private:
  sql::SqlStore& store_;
  Clock& clock_;
  const ApiOptions& options_;
};

}  // namespace

struct Api::Impl {
  ApiOptions options;
  FileTools files;
  LoginThrottle throttle;
  JobRunner jobs;
  Router router;
  ApiGate gate;
  api::ApiContext context;
  Web web;
  std::unique_ptr<Gate> portal_gate;

  Impl(sql::SqlStore& s, Clock& c, PasswordHasher& p, TokenSource& t, ApiOptions o)
      : options(o),
        files(options, s.hasher()),
        throttle(s),
        jobs(s, c, o.job_workers, o.job_poll_ms, o.log),
        gate(s, c, options),
        context{s, c, p, t, options, throttle, router, jobs, files.services()},
        web(s, c, p, t, throttle, jobs, options, files.services()) {
    router.set_gate(Surface::Api, gate);
    web.add_routes(router);  // the pages, with their own gate (Surface::Page)
    api::add_me_and_session_routes(context);
    api::add_openapi_route(context);
    api::add_scheme_and_party_routes(context);
    api::add_application_routes(context);
    api::add_workspace_routes(context);
    api::add_award_routes(context);
    api::add_report_routes(context);
    api::add_budget_routes(context);
    api::add_document_and_template_routes(context);
    api::add_open_data_routes(context);
    api::add_account_and_token_routes(context);
    api::add_audit_routes(context);
    api::add_job_routes(context);
    api::add_portal_routes(context);
    api::add_file_routes(context);
    api::add_portal_award_routes(context);
    portal_gate = api::make_portal_api_gate(context);
    router.set_gate(Surface::PortalApi, *portal_gate);
  }
};

Api::Api(sql::SqlStore& store, Clock& clock, PasswordHasher& passwords, TokenSource& tokens,
         ApiOptions options)
    : impl_(std::make_unique<Impl>(store, clock, passwords, tokens, options)) {}

Api::~Api() = default;

void Api::start_jobs() {
  impl_->jobs.start();
}

std::vector<RouteInfo> Api::routes() const {
  return impl_->router.table();
}

std::string Api::openapi() const {
  return api::openapi_document(impl_->router.table());
}

HttpResponse Api::handle(const HttpRequest& request) {
  try {
    // Bytes that are not UTF-8 in the path or the query are the client's error, refused before
    // they reach a message, a log or the database.
    bool valid = text::is_valid_utf8(request.path);
    for (const auto& [k, v] : request.query)
      valid = valid && text::is_valid_utf8(k) && text::is_valid_utf8(v);
    if (!valid)
      return problem_response(
          refuse("request.encoding", "path", "L'adresse ou ses paramètres ne sont pas en UTF-8."),
          400);
    // Nor a control character in a parameter or a form's field (the fields' own rules say the
    // rest: a line break where one line is expected…).
    for (const auto& [k, v] : request.query)
      if (const std::string c =
              text::forbidden_character(api::is_secret_field(k) ? k : k + v, text::Lines::Many);
          !c.empty())
        return problem_response(
            refuse("text.control", k,
                   "Le champ « " + k + " » contient un caractère de contrôle ou de direction (" +
                       c + ")."));
    // The request's reads (the caller's session or token, then the page's queries) share one
    // read transaction; a write ends it (app/context.h).
    ReadScope reads(impl_->context.store);
    return impl_->router.dispatch(request);
  } catch (const StoreError&) {
    return problem_response(refuse("server.store", "", "Erreur de la base."), 503);
  } catch (const std::exception&) {
    // A programmer error (an InvariantViolation, a library exception): the transaction was
    // rolled back by RAII; the client gets a problem, never a torn connection.
    return problem_response(refuse("server.internal", "", "Erreur interne."), 500);
  }
}

}  // namespace octroi::http
