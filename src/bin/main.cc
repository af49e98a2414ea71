// octroi: the command-line entry point. Everything happens in adapters/cli.
#include "adapters/cli/cli.h"
#include "core/problem_log.h"

int main(int argc, char** argv) {
  octroi::log_problem_codes_from_env();  // only when OCTROI_PROBLEM_LOG asks for it (the tests)
  return octroi::cli::run(argc, argv);
}
