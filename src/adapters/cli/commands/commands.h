// Internal to the CLI adapter (the only code that includes CLI11): what the command files of
// each area (commands/<area>.cc) share. `cli::run` builds the App and an Env, lets each area add
// its commands (add_<area>_commands), parses, and runs the one action the command line chose.
//
// An area adds its subcommands from an object kept by the Env (Env::keep), whose members hold
// the options CLI11 fills and whose callbacks capture only `this`: the options outlive the
// parsing, until the action has run.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "adapters/cli/render.h"
#include "adapters/cli/system_clock.h"
#include "adapters/store/open_store.h"
#include "app/use_cases.h"

namespace octroi::cli {

// Exit statuses (cli.h).
inline constexpr int kRefused = 1;
inline constexpr int kUsage = 2;
inline constexpr int kInfra = 3;

// The options most commands take: --db, --authority, --json.
struct Common {
  std::string db;
  std::string authority;
  bool json = false;
};

// Thrown for a malformed option value that CLI11 could not check itself (exit status 2).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What every area's commands share: the common options, the clock, and the action the command
// line chose (set by the chosen subcommand's callback, run by cli::run after parsing).
class Env {
 public:
  Common c;
  SystemClock clock;
  std::function<int()> action;

  // A T made from `args` that lives as long as the Env (an area's options and callbacks).
  template <class T, class... Args>
  T& keep(Args&&... args) {
    auto p = std::make_shared<T>(std::forward<Args>(args)...);
    T& r = *p;
    kept_.push_back(std::move(p));
    return r;
  }

 private:
  std::vector<std::shared_ptr<void>> kept_;
};

// The base of an area's commands: the Env's members under the names the commands use.
struct Area {
  explicit Area(Env& e) : env(e), c(e.c), clock(e.clock), action(e.action) {}
  Area(const Area&) = delete;
  Area& operator=(const Area&) = delete;

  // The store of --db, which must exist.
  std::unique_ptr<sql::SqlStore> open_store() const {
    return stores::open(c.db, stores::OpenMode::Existing);
  }

  Env& env;
  Common& c;
  SystemClock& clock;
  std::function<int()>& action;
};

// --db (required, or OCTROI_DB).
void add_db(CLI::App* cmd, Common& c);
// --db, --authority and, when `json`, --json.
void add_common(CLI::App* cmd, Common& c, bool json = true);

// Prints a business refusal (JSON on stdout, or French text on stderr): exit status 1.
int print_refusal(const Refusal& r, bool json);

// "cli:" and the user running the command, as the audit trail records it.
std::string actor();

// The authority of --authority, or the only one of the database.
Result<Authority> resolve_authority(Transaction& tx, const std::string& code);

// Runs `body(tx, ctx)` for the resolved authority in a write transaction.
template <class F>
auto write(Store& store, Clock& clock, const Common& c, F body) {
  return run_write(store, [&](Transaction& tx) -> decltype(body(tx, std::declval<Context&>())) {
    auto a = resolve_authority(tx, c.authority);
    if (!a.ok()) return a.refusal();
    Context ctx{a->id, actor(), &clock};
    return body(tx, ctx);
  });
}

// Runs `body(tx, authority)` for the resolved authority in a read transaction.
template <class F>
auto read(Store& store, const Common& c, F body) {
  return run_read(store, [&](Transaction& tx) -> decltype(body(tx, AuthorityId{})) {
    auto a = resolve_authority(tx, c.authority);
    if (!a.ok()) return a.refusal();
    return body(tx, a->id);
  });
}

// "LABEL=VALUE" split at its last `sep`; a UsageError naming `option` otherwise.
std::pair<std::string, std::string> split_last(const std::string& s, char sep,
                                               const std::string& option);

// Each area's commands, in the order `octroi --help` lists them.
void add_setup_commands(CLI::App& app, Env& env);        // init, demo (setup.cc)
void add_application_commands(CLI::App& app, Env& env);  // application (applications.cc)
void add_scheme_commands(CLI::App& app, Env& env);       // scheme (schemes.cc)
void add_party_commands(CLI::App& app, Env& env);        // party (parties.cc)
void add_budget_commands(CLI::App& app, Env& env);       // budget, ledger (budget.cc)
void add_report_commands(CLI::App& app, Env& env);       // report (reports.cc)
// award, agreement, payment, clawback, lapse, stateaid, condition, outcome (awards.cc)
void add_award_commands(CLI::App& app, Env& env);
void add_account_commands(CLI::App& app, Env& env);    // serve, user, token (accounts.cc)
void add_document_commands(CLI::App& app, Env& env);   // document (documents.cc)
void add_authority_commands(CLI::App& app, Env& env);  // authority (setup.cc)
void add_open_data_commands(CLI::App& app, Env& env);  // export, import (open_data.cc)
void add_template_commands(CLI::App& app, Env& env);   // template (documents.cc)
void add_db_commands(CLI::App& app, Env& env);         // db (db.cc)
void add_audit_commands(CLI::App& app, Env& env);      // audit (audit.cc)

}  // namespace octroi::cli
