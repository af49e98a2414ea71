// Result and Problem: how a business refusal travels.
//
// octroi has three failure channels (docs/ARCHITECTURE.md):
//   * expected business refusals (plan unbalanced, transition not allowed, invalid SIRET) are
//     values: a Result<T> holding one or more Problems, each with a stable code, the path of the
//     field at fault and a French message for users;
//   * infrastructure failures (disk, database) are exceptions, caught once at the edge;
//   * programmer errors break an invariant check (OCTROI_CHECK), which throws InvariantViolation
//     so that the surrounding transaction rolls back. Nothing swallows one.
//
// Result<T> is shaped like std::expected (C++23, not available in g++ 12). It is a value type
// and not thread-safe beyond what its members are.
#pragma once

#include <atomic>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace octroi {

// Called with the code of every Problem made (not copied); none by default. A main that records
// which codes a run produced installs one (core/problem_log.h), so that a test compares them
// with the table of codes (app/problem_codes.h).
using ProblemHook = void (*)(const std::string& code);
void set_problem_hook(ProblemHook hook);
namespace detail {
extern std::atomic<ProblemHook> problem_hook;
}

struct Problem {
  std::string code;     // stable, machine-readable: "plan.unbalanced", "siret.luhn"
  std::string field;    // path of the field at fault: "plan.expenses[2].amount"; "" if global
  std::string message;  // French, for users: "Le plan de financement n'est pas équilibré…"

  Problem() = default;
  Problem(std::string c, std::string f, std::string m)
      : code(std::move(c)), field(std::move(f)), message(std::move(m)) {
    if (const ProblemHook hook = detail::problem_hook.load(std::memory_order_relaxed)) hook(code);
  }

  friend bool operator==(const Problem&, const Problem&) = default;
};

// A non-empty list of problems: why a use case refused.
struct Refusal {
  std::vector<Problem> problems;

  Refusal() = default;
  explicit Refusal(Problem p) { problems.push_back(std::move(p)); }
  explicit Refusal(std::vector<Problem> ps) : problems(std::move(ps)) {}

  const Problem& first() const { return problems.front(); }
  bool has_code(const std::string& code) const {
    for (const auto& p : problems)
      if (p.code == code) return true;
    return false;
  }
  // All messages, one per line, each prefixed by its field when there is one.
  std::string describe() const;
};

inline Refusal refuse(std::string code, std::string field, std::string message) {
  return Refusal(Problem{std::move(code), std::move(field), std::move(message)});
}

// Raised when an invariant that the code itself must keep is broken.
class InvariantViolation : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void invariant_failed(const char* expr, const char* file, int line, const char* why);

#define OCTROI_CHECK(cond, why) \
  ((cond) ? static_cast<void>(0) : ::octroi::invariant_failed(#cond, __FILE__, __LINE__, why))

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like expected
  Result(Refusal r) : v_(std::move(r)) {     // NOLINT
    OCTROI_CHECK(!std::get<Refusal>(v_).problems.empty(), "a refusal names at least one problem");
  }

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    OCTROI_CHECK(ok(), "value() of a refused result");
    return std::get<0>(v_);
  }
  const T& value() const& {
    OCTROI_CHECK(ok(), "value() of a refused result");
    return std::get<0>(v_);
  }
  T&& value() && {
    OCTROI_CHECK(ok(), "value() of a refused result");
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Refusal& refusal() const {
    OCTROI_CHECK(!ok(), "refusal() of an accepted result");
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Refusal> v_;
};

// For use cases that return nothing but may refuse.
struct Done {};
using Status = Result<Done>;
inline Status done() {
  return Done{};
}

}  // namespace octroi
