// The JSON API v1 and its routing, without any HTTP library: the server (server.h) turns each
// cpp-httplib request into an HttpRequest and back, so that these routes are tested in-process
// and an upgrade of the HTTP library touches server.cc only.
//
// Every route names the Action it performs (app/permissions.h) or is public (login, OpenAPI);
// `handle` resolves the caller (a bearer token, or the session cookie), refuses by default what
// the caller's role does not permit, checks the CSRF token of cookie-authenticated writes, and
// calls one use case. Refusals are RFC 9457 problem+json documents carrying the stable code and
// the field of each problem. Creating requests honour an Idempotency-Key.
//
// Thread-safety: one Api serves all of the server's threads; each request has its own
// transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/message.h"
#include "adapters/http/options.h"
#include "adapters/sql/sql_store.h"
#include "app/accounts.h"
#include "app/permissions.h"
#include "app/ports.h"

namespace octroi::http {

// One route, as the OpenAPI document and the permission tests see it. In a namespace of its own
// until the API moves onto router.h's RouteInfo: both types are linked into one program (the
// pages use the Router), and two classes named octroi::http::RouteInfo would break the ODR.
namespace api_routes {
struct RouteInfo {
  std::string method;
  std::string pattern;           // "/api/v1/applications/{number}"
  std::optional<Action> action;  // nullopt: public
  bool creates = false;          // honours Idempotency-Key
  std::string summary;           // French
};
}  // namespace api_routes
using api_routes::RouteInfo;

class Web;

// The whole site: /api/v1/… (JSON) and the back office's pages (HTML, web.h).
class Api {
 public:
  Api(sql::SqlStore& store, Clock& clock, PasswordHasher& passwords, TokenSource& tokens,
      ApiOptions options = {});
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  HttpResponse handle(const HttpRequest& request);
  std::vector<RouteInfo> routes() const;
  // The OpenAPI 3 document of every route (served at /api/v1/openapi.json).
  std::string openapi() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A refusal as problem+json.
// `status_override` 0: the status its first code calls for.
HttpResponse problem_response(const Refusal& r, int status_override = 0);
int status_of(const std::string& code);

}  // namespace octroi::http
