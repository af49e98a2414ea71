// The options of the site (API and pages), set by `octroi serve`.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "app/accounts.h"
#include "app/portal_settings.h"

namespace octroi {
class FileScanner;    // app/files.h
struct FileServices;  // app/files.h
}  // namespace octroi

namespace octroi::http {

struct ApiOptions {
  SessionPolicy sessions;
  // Cookies are marked Secure (sent over HTTPS only) unless the client is on this machine
  // (127.0.0.0/8, ::1: a browser beside a development server speaks plain HTTP);
  // `secure_cookies` marks them always, `insecure_cookies` never (plain HTTP on a network).
  bool secure_cookies = false;
  bool insecure_cookies = false;
  std::int64_t max_page = 1000;
  // Job workers of this process (document batches off the request path, app/jobs.h): how many
  // jobs it runs at once (each may run LibreOffice), and how often an idle worker looks for jobs
  // submitted through another process on the same database.
  int job_workers = 2;
  int job_poll_ms = 1000;
  std::ostream* log = nullptr;  // where job failures are written (one JSON line each)
  // The applicant portal (/portail): the authority it serves (its code; "" for the only one of
  // the database) and its settings (the address in its e-mails' links…).
  std::string portal_authority;
  PortalSettings portal;
  // The virus scanner of the files applicants give (app/files.h): clamd's address, a Unix socket
  // path or host:port; "" for none (files are then recorded as not scanned).
  std::string clamd;
  int clamd_timeout_ms = 30000;
  // Tests: a scanner instead of clamd (not owned; it outlives the Api).
  FileScanner* scanner = nullptr;
};

// Whether a cookie sent to a client at `remote_addr` is marked Secure.
bool secure_cookie(const ApiOptions& o, const std::string& remote_addr);
// The session cookie: HttpOnly, SameSite=Strict, Path=/, and Secure as secure_cookie says.
std::string session_cookie(const ApiOptions& o, const std::string& remote_addr,
                           const std::string& token);

}  // namespace octroi::http
