// Numbered invariants of an aggregate, checked the way SQLite's pager.c asserts its own: each
// aggregate's header lists them (L1, L2… for a budget line in domain/budget/ledger.h; W1, W2…
// for a dossier in domain/application/workflow.h), `check_invariants()` returns the first one
// broken, and `assert_invariants()` throws InvariantViolation naming it.
//
// OCTROI_DEBUG_CHECK(expr) evaluates `expr` (an assert_invariants() call) in debug and
// sanitizer builds only: without NDEBUG after every posting, transition and load; with NDEBUG
// (the release preset) it compiles to nothing, and its operand is not evaluated.
#pragma once

#include <string_view>

namespace octroi {

struct InvariantBreach {
  std::string_view id;    // "L1", "W4": the number in the aggregate's header
  std::string_view what;  // "allocated > ae_voted": which side of it broke
  friend bool operator==(const InvariantBreach&, const InvariantBreach&) = default;
};

// Throws InvariantViolation: "invariant broken: <aggregate> invariant <id> (<what>) of <whose>".
[[noreturn]] void invariant_breached(std::string_view aggregate, const InvariantBreach& breach,
                                     std::string_view whose);

}  // namespace octroi

#ifdef NDEBUG
#define OCTROI_DEBUG_CHECK(expr) static_cast<void>(0)
#else
#define OCTROI_DEBUG_CHECK(expr) static_cast<void>(expr)
#endif
