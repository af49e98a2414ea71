// Runs a program without a shell (fork/execve), capturing its stdout and stderr.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace octroi_scenario {

struct ProcessResult {
  int status = -1;         // exit status, or 128 + signal number if killed by a signal
  int signal = 0;          // the signal that ended it, 0 if it exited
  bool timed_out = false;  // killed (SIGKILL) because it ran past the timeout
  std::string out;
  std::string err;
  std::string error;  // set if the program could not be started at all (then status is -1)
};

// Runs argv[0] (a path, not looked up in PATH) with `env` ("NAME=VALUE" entries) as its whole
// environment and /dev/null as stdin. Both pipes are read with poll(), so a child filling one of
// them never blocks. Past `timeout` the child is killed and `timed_out` is set.
ProcessResult run_process(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                          std::chrono::milliseconds timeout);

// The current environment without the variables named in `drop`, plus `add` ("NAME=VALUE").
std::vector<std::string> environment_with(const std::vector<std::string>& drop,
                                          const std::vector<std::string>& add);

}  // namespace octroi_scenario
