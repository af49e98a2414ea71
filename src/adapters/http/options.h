// The options of the site (API and pages), set by `octroi serve`.
#pragma once

#include <cstdint>

#include "app/accounts.h"

namespace octroi::http {

struct ApiOptions {
  SessionPolicy sessions;
  bool secure_cookies = false;  // add Secure to cookies (behind HTTPS)
  std::int64_t max_page = 1000;
};

}  // namespace octroi::http
