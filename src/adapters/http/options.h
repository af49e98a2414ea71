// The options of the site (API and pages), set by `octroi serve`.
#pragma once

#include <cstdint>
#include <iosfwd>

#include "app/accounts.h"

namespace octroi::http {

struct ApiOptions {
  SessionPolicy sessions;
  bool secure_cookies = false;  // add Secure to cookies (behind HTTPS)
  std::int64_t max_page = 1000;
  // Job workers of this process (document batches off the request path, app/jobs.h): how many
  // jobs it runs at once (each may run LibreOffice), and how often an idle worker looks for jobs
  // submitted through another process on the same database.
  int job_workers = 2;
  int job_poll_ms = 1000;
  std::ostream* log = nullptr;  // where job failures are written (one JSON line each)
};

}  // namespace octroi::http
