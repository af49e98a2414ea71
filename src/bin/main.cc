// octroi: the command-line entry point. Everything happens in adapters/cli.
#include "adapters/cli/cli.h"

int main(int argc, char** argv) {
  return octroi::cli::run(argc, argv);
}
