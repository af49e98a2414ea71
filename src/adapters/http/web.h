// The back office: server-rendered HTML pages in French (mstch templates embedded from
// templates/html), usable without JavaScript. Same rules as the API: every page names the
// Action it needs (deny by default), a page without a session redirects to /login, every form
// that changes something carries the session's CSRF token, and one use case serves each page.
//
// Templates get only pre-formatted strings (amounts "78 400,00 €", dates "25 janvier 2023"),
// always through {{escaped}} variables in text or quoted attributes; triple mustaches are not
// used anywhere (a test greps the templates).
#pragma once

#include <memory>

#include "adapters/http/api.h"

namespace octroi::http {

class Web {
 public:
  Web(sql::SqlStore& store, Clock& clock, PasswordHasher& passwords, TokenSource& tokens,
      LoginThrottle& throttle, const ApiOptions& options);
  ~Web();
  HttpResponse handle(const HttpRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace octroi::http
