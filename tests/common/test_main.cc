// main() of the integration tests: gtest's, after taking the store argument that ctest gives
// the "postgres." copy of each test (common/test_store.h), after recording the problem codes
// the tests make when OCTROI_PROBLEM_LOG asks for it (core/problem_log.h).
#include <gtest/gtest.h>

#include "common/test_store.h"
#include "core/problem_log.h"

int main(int argc, char** argv) {
  octroi::log_problem_codes_from_env();
  octroi_testing::take_store_argument(argc, argv);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
