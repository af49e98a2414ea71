// main() of the integration tests: gtest's, after taking the store argument that ctest gives
// the "postgres." copy of each test (common/test_store.h).
#include <gtest/gtest.h>

#include "common/test_store.h"

int main(int argc, char** argv) {
  octroi_testing::take_store_argument(argc, argv);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
