// The back office: server-rendered HTML pages in French (mstch templates embedded from
// templates/html), usable without JavaScript. Every page is a route of the site's Router
// (router.h) declared with the access it needs (deny by default): GET pages read, each form names
// the Action it performs, /login is public, /logout and the password change need a session. The
// pages' Gate recognises the caller by the session cookie and checks the form's `csrf` field; a
// request without a session is sent to /login, a refused one gets an HTML page (403, 404). One
// use case serves each page.
//
// The pages live by area in web/<area>.cc, each registering its routes (web/pages.h, internal,
// with the shared helpers); this header shows no template engine.
//
// Templates get only pre-formatted strings (amounts "78 400,00 €", dates "25 janvier 2023"),
// always through {{escaped}} variables in text or quoted attributes; triple mustaches are not
// used anywhere (a test greps the templates).
//
// Thread-safety: add_routes before the first request; then the pages serve any number of threads,
// each request with its own transaction.
#pragma once

#include <memory>

#include "adapters/http/message.h"
#include "adapters/http/options.h"
#include "adapters/sql/sql_store.h"
#include "app/accounts.h"

namespace octroi {
struct FileServices;  // app/files.h
}  // namespace octroi

namespace octroi::http {

class JobRunner;
class Router;

class Web {
 public:
  Web(sql::SqlStore& store, Clock& clock, PasswordHasher& passwords, TokenSource& tokens,
      LoginThrottle& throttle, JobRunner& jobs, const ApiOptions& options,
      const FileServices& files);
  ~Web();
  Web(const Web&) = delete;
  Web& operator=(const Web&) = delete;

  // Declares every page on `router` and makes this Web the gate of its pages (Surface::Page).
  // The router must not dispatch once this Web is gone.
  void add_routes(Router& router);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace octroi::http
