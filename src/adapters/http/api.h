// The site's facade: one Api answers every request of the server (server.h), the JSON API v1
// under /api/v1/ and, through Web (web.h), the back office's pages, without any HTTP library.
//
// The API's routes are declared on the one Router (router.h), by area, in api/<area>.cc, each
// with its access (an Action of app/permissions.h, or public: login, logout, openapi.json). The
// API's Gate (api.cc) recognises the caller (a bearer token, or the session cookie, whose changes
// must carry the CSRF token) and words the router's refusals as RFC 9457 problem+json documents
// carrying the stable code and the field of each problem; statuses come from the table of codes
// (app/problem_codes.h). Creating requests honour an Idempotency-Key. `routes()` is the router's
// table, and the OpenAPI document is generated from it.
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
#include "adapters/http/router.h"
#include "adapters/sql/sql_store.h"
#include "app/accounts.h"
#include "app/permissions.h"
#include "app/ports.h"

namespace octroi::http {

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
  // Starts this process's job workers (app/jobs.h; `octroi serve` does), so that they run the
  // jobs of other processes on the same database too. Without it, they start at the first job
  // submitted here.
  void start_jobs();
  // Every route of the router's table, in the order of declaration.
  std::vector<RouteInfo> routes() const;
  // The OpenAPI 3 document of the API's routes (served at /api/v1/openapi.json).
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
