// How a use case is called: inside a transaction its caller opened, for an authority and an
// actor, with a clock. run_write commits when the use case accepts and rolls back when it
// refuses, so that a refusal never leaves anything half-written.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "app/permissions.h"
#include "app/ports.h"
#include "domain/ids.h"

namespace octroi {

struct PortalSettings;  // app/portal_settings.h

struct Context {
  AuthorityId authority;
  std::string actor;  // "cli:root", "demo", a user's login
  Clock* clock = nullptr;
  // Set when the actor is an instructor: the service whose schemes' dossiers they may change
  // (check_instructing_service). Unset for every other role.
  std::optional<std::string> service = std::nullopt;
  // The signed-in account's role (web, API); unset for the command line and the demonstration,
  // which act as the machine's administrator. Read where a rule names a role: the level of an
  // approval chain that gives a visa.
  std::optional<Role> role = std::nullopt;
  // The signed-in account behind the actor (web session or API token owner); unset for the
  // command line. One person is one account whatever channel they act through: the rules that
  // count an agent once (one visa per round) read it.
  std::optional<std::int64_t> account = std::nullopt;
  // The portal's settings, for the links of the e-mails an act sends its applicants (set by the
  // server; unset at the command line: the e-mails then name the portal without a link).
  const PortalSettings* portal = nullptr;
};

// One read transaction for all the reads of a unit of work (an HTTP request: the session or
// token lookup and the page's queries see one snapshot, on one pooled connection, instead of
// one transaction each). While a ReadScope is alive on a thread, run_read on its store reuses
// the scope's transaction, opened at the first read. A write ends it (run_write, or
// end_shared_read() before Store::write): reads after a write see what it wrote. A read that
// throws ends it too (on PostgreSQL a failed statement spoils the rest of its transaction).
// A scope belongs to the thread that made it; an inner scope on the same store takes over until
// it ends.
class ReadScope {
 public:
  explicit ReadScope(Store& store);
  ~ReadScope();
  ReadScope(const ReadScope&) = delete;
  ReadScope& operator=(const ReadScope&) = delete;

  // The scope of this thread for `store`, or nullptr.
  static ReadScope* current(const Store& store);
  Transaction& tx();  // opens the transaction at the first call
  void end();         // ends the transaction (the next tx() opens a new one)
  // Read transactions opened by this scope so far (tests).
  int opened() const { return opened_; }

 private:
  Store& store_;
  std::unique_ptr<Transaction> tx_;
  ReadScope* previous_;
  int opened_ = 0;
};

// Ends this thread's shared read transaction on `store`, if any: call before writing.
void end_shared_read(const Store& store);

// Runs `use_case(tx)` in a write transaction (Store::write); keeps its writes if it returned an
// accepted Result, and returns once they are durable.
template <class F>
auto run_write(Store& store, F&& use_case) {
  end_shared_read(store);
  using R = std::decay_t<decltype(use_case(std::declval<Transaction&>()))>;
  std::optional<R> result;
  store.write([&](Transaction& tx) {
    result.emplace(use_case(tx));
    return result->ok();
  });
  return std::move(*result);
}

template <class F>
auto run_read(Store& store, F&& query) {
  if (ReadScope* scope = ReadScope::current(store)) {
    try {
      return std::forward<F>(query)(scope->tx());
    } catch (...) {
      scope->end();
      throw;
    }
  }
  auto tx = store.begin(TxMode::Read);
  return std::forward<F>(query)(*tx);
}

}  // namespace octroi
