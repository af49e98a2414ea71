#include "adapters/cli/system_clock.h"

#include <chrono>

namespace octroi::cli {

Instant SystemClock::now() {
  const auto secs =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return Instant::from_seconds(secs.time_since_epoch().count());
}

}  // namespace octroi::cli
