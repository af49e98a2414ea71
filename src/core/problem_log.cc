#include "core/problem_log.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>

#include "core/result.h"

namespace octroi {
namespace {

std::mutex& log_mutex() {
  static std::mutex m;
  return m;
}

// Never destroyed: problems may still be made while statics are destroyed at exit.
std::set<std::string>& seen() {
  static auto* s = new std::set<std::string>();
  return *s;
}

std::string& log_file() {
  static auto* f = new std::string();
  return *f;
}

// Appends at once rather than at exit: a process killed by a signal keeps what it made.
void note(const std::string& code) {
  std::lock_guard<std::mutex> lock(log_mutex());
  if (!seen().insert(code).second) return;
  if (std::FILE* f = std::fopen(log_file().c_str(), "a")) {
    std::fprintf(f, "%s\n", code.c_str());
    std::fclose(f);
  }
}

}  // namespace

bool log_problem_codes_from_env() {
  const char* dir = std::getenv("OCTROI_PROBLEM_LOG");
  if (!dir || !*dir) return false;
  {
    std::lock_guard<std::mutex> lock(log_mutex());
    log_file() = std::string(dir) + "/" + std::to_string(::getpid()) + ".codes";
  }
  set_problem_hook(&note);
  return true;
}

}  // namespace octroi
