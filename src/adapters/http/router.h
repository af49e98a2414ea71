// The one router of the site: the JSON API (/api/v1/…) and the back office's pages are routes of
// one table, each declared once with its method, its path pattern, who may call it and a French
// summary. The OpenAPI document, the route × role test and the dispatcher all read that table.
//
// Deny by default: a route states its access (public, signed in, or one Action of
// app/permissions.h); the router authenticates the caller, checks the permission and, for a
// request that changes something, the CSRF token, before the handler runs. How a caller is
// recognised and how a refusal looks differ between the API (problem+json) and the pages (a
// redirection to /login, an HTML page): each surface gives the router a Gate that does those two
// things, and nothing else.
//
// Patterns are made of literal segments and `{name}` segments that match one non-empty segment:
// "/api/v1/applications/{number}/plan". When several patterns match a path, the one whose first
// differing segment is literal wins ("/conventions/scdl.csv" before "/conventions/{number}"), so
// the order of declaration never decides. A (method, pattern) pair is declared once.
//
// Thread-safety: routes are added before the first dispatch; dispatch() is then const and may
// run on many threads at once.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/message.h"
#include "app/accounts.h"
#include "app/permissions.h"
#include "core/result.h"

namespace octroi::http {

// Which face of the site a route belongs to, each with its gate: the agents' API (/api/…), the
// applicants' API (/api/v1/portal…), the applicants' pages (/portail…) and the back office's
// pages (the rest, "/api" itself included). An agent's session opens no portal route and an
// applicant's none of the agents' (each gate knows its own sessions only).
enum class Surface { Api, Page, PortalApi, Portal };
inline constexpr int kSurfaces = 4;
Surface surface_of_path(std::string_view path);
std::string_view to_string(Surface s);  // "api" | "page" | "portal_api" | "portal"
// Whether the surface answers in JSON (the two APIs).
bool is_api(Surface s);

// Who may call a route. There is no default: every declaration says one of these.
class Access {
 public:
  enum class Kind { Public, SignedIn, Permission };
  static Access anyone() { return Access(Kind::Public, Action::Read); }       // no login at all
  static Access signed_in() { return Access(Kind::SignedIn, Action::Read); }  // any role
  static Access needs(Action a) { return Access(Kind::Permission, a); }
  Kind kind() const { return kind_; }
  // The action a Permission route performs; nullopt for the others.
  std::optional<Action> action() const {
    return kind_ == Kind::Permission ? std::optional<Action>(action_) : std::nullopt;
  }
  // Whether `role` may call the route (REQUIRES: kind() != Public). signed_in() means any
  // agent: an applicant's session opens the portal's routes (Action::Apply) and nothing else.
  bool admits(Role role) const {
    if (kind_ == Kind::SignedIn) return role != Role::Applicant;
    return permits(role, action_);
  }

 private:
  Access(Kind k, Action a) : kind_(k), action_(a) {}
  Kind kind_;
  Action action_;
};

// One route as declared.
struct RouteInfo {
  std::string method;    // "GET", "POST", "PATCH", "DELETE"
  std::string pattern;   // "/api/v1/applications/{number}", "/dossiers/{number}/plan"
  Access access;         // no default: a route that says nothing does not compile
  std::string summary;   // French, for the OpenAPI document and the route list
  bool creates = false;  // honours Idempotency-Key (API)
  Surface surface() const { return surface_of_path(pattern); }
  std::optional<Action> action() const { return access.action(); }
};

using PathParams = std::map<std::string, std::string>;

// What a handler receives: the request, the values of the pattern's `{name}` segments and the
// caller (absent only on public routes).
struct RouteCall {
  const HttpRequest& request;
  const RouteInfo& route;
  PathParams params;
  std::optional<Principal> who;
  // The value of `{name}` in the pattern. REQUIRES: the pattern has it.
  const std::string& param(const std::string& name) const;
  // REQUIRES: the route is not public.
  const Principal& caller() const;
};

using RouteHandler = std::function<HttpResponse(RouteCall&)>;

// Why the router said no before any handler ran.
enum class Denial {
  NotFound,          // no pattern matches the path
  MethodNotAllowed,  // a pattern matches, not with this method
  Unauthenticated,   // no valid session or token
  Forbidden,         // the caller's role does not permit the route's action
  Csrf,              // a cookie-authenticated change without the session's CSRF token
  PasswordChange,    // the account must choose a new password: only signed_in() routes open
};

// How one surface recognises its callers and words its refusals.
class Gate {
 public:
  virtual ~Gate() = default;
  // The caller of `r`, or the refusal to show ("auth.no_session"…). `via_cookie` tells whether
  // the caller came with the session cookie (then a change must carry the CSRF token).
  virtual Result<Principal> authenticate(const HttpRequest& r, bool& via_cookie) = 0;
  // Whether a request that changes something carries the caller's CSRF token.
  virtual bool csrf_valid(const HttpRequest& r, const Principal& who, bool via_cookie) = 0;
  // The answer to a request the router refused. `who` is known for Forbidden and Csrf; `why` is
  // authenticate's refusal for Unauthenticated.
  virtual HttpResponse deny(const HttpRequest& r, Denial d, const Principal* who,
                            const Refusal* why) = 0;
};

class Router {
 public:
  // Declares a route. Throws std::logic_error (a programmer error, at start-up) for a pattern
  // that is malformed or a (method, pattern) declared twice.
  void add(RouteInfo info, RouteHandler handler);
  // The gate of each surface. REQUIRES: set before dispatch() reaches the surface.
  void set_gate(Surface s, Gate& gate);

  // Matches, authenticates, checks the access and CSRF, then calls the handler.
  HttpResponse dispatch(const HttpRequest& r) const;

  // Every route, in the order of declaration.
  std::vector<RouteInfo> table() const;

  // The route `method path` would reach, with its parameters (nullptr when none).
  struct Match {
    const RouteInfo* route = nullptr;
    PathParams params;
    bool path_known = false;  // some pattern matches the path, maybe with another method
  };
  Match match(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    RouteInfo info;
    std::vector<std::string> segments;
    RouteHandler handler;
  };
  const Route* find(std::string_view method, std::string_view path, PathParams& params,
                    bool& path_known) const;
  std::vector<Route> routes_;
  Gate* gates_[kSurfaces] = {};
};

// The path's segments, empty ones dropped: "/a//b/" -> {"a", "b"}.
std::vector<std::string> path_segments(std::string_view path);

}  // namespace octroi::http
