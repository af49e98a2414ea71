#include "core/result.h"

#include "core/invariants.h"

#include <string>

namespace octroi {

namespace detail {
std::atomic<ProblemHook> problem_hook{nullptr};
}

void set_problem_hook(ProblemHook hook) {
  detail::problem_hook.store(hook, std::memory_order_relaxed);
}

std::string Refusal::describe() const {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += '\n';
    if (!p.field.empty()) out += p.field + " : ";
    out += p.message;
    out += " [" + p.code + "]";
  }
  return out;
}

void invariant_failed(const char* expr, const char* file, int line, const char* why) {
  throw InvariantViolation(std::string("invariant broken: ") + why + " (" + expr + ") at " + file +
                           ":" + std::to_string(line));
}

void invariant_breached(std::string_view aggregate, const InvariantBreach& breach,
                        std::string_view whose) {
  throw InvariantViolation("invariant broken: " + std::string(aggregate) + " invariant " +
                           std::string(breach.id) + " (" + std::string(breach.what) + ") of " +
                           std::string(whose));
}

}  // namespace octroi
