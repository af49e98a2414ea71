// How a use case is called: inside a transaction its caller opened, for an authority and an
// actor, with a clock. run_write commits when the use case accepts and rolls back when it
// refuses, so that a refusal never leaves anything half-written.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "app/ports.h"
#include "domain/ids.h"

namespace octroi {

struct Context {
  AuthorityId authority;
  std::string actor;  // "cli:root", "demo", a user's login
  Clock* clock = nullptr;
  // Set when the actor is an instructor: the service whose schemes' dossiers they may change
  // (check_instructing_service). Unset for every other role.
  std::optional<std::string> service = std::nullopt;
};

// Runs `use_case(tx)` in a write transaction; commits if it returned an accepted Result.
template <class F>
auto run_write(Store& store, F&& use_case) {
  auto tx = store.begin(TxMode::Write);
  auto result = std::forward<F>(use_case)(*tx);
  if (result.ok()) tx->commit();
  return result;
}

template <class F>
auto run_read(Store& store, F&& query) {
  auto tx = store.begin(TxMode::Read);
  return std::forward<F>(query)(*tx);
}

}  // namespace octroi
