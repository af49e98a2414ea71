// The real clock, for the CLI and the server. Tests use a fixed one.
#pragma once

#include "app/ports.h"

namespace octroi::cli {

class SystemClock : public Clock {
 public:
  std::string now_iso() override;
  Date today() override;  // the current day in UTC
};

}  // namespace octroi::cli
