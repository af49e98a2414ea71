// Linked into the unit test executables (which use gtest's own main): records the problem codes
// they make when OCTROI_PROBLEM_LOG asks for it (core/problem_log.h).
#include "core/problem_log.h"

namespace {
[[maybe_unused]] const bool kLogging = octroi::log_problem_codes_from_env();
}  // namespace
