// The real clock, for the CLI and the server. Tests use a fixed one.
#pragma once

#include "app/ports.h"

namespace octroi::cli {

class SystemClock : public Clock {
 public:
  Instant now() override;
};

}  // namespace octroi::cli
