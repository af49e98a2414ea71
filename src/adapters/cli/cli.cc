#include "adapters/cli/cli.h"

#include "app/scdl_import.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "adapters/cli/commands/commands.h"

namespace octroi::cli {

// Builds the App from each area's commands (commands/<area>.cc), parses the command line, runs
// the action it chose, and maps the failures to the exit statuses of cli.h.
int run(int argc, char** argv) {
  Env env;
  CLI::App app{"octroi — gestion des subventions publiques, du dispositif à l'open data"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "octroi 0.1.0");

  add_setup_commands(app, env);
  add_application_commands(app, env);
  add_scheme_commands(app, env);
  add_party_commands(app, env);
  add_budget_commands(app, env);
  add_report_commands(app, env);
  add_award_commands(app, env);
  add_account_commands(app, env);
  add_document_commands(app, env);
  add_authority_commands(app, env);
  add_open_data_commands(app, env);
  add_template_commands(app, env);
  add_db_commands(app, env);
  add_audit_commands(app, env);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help) and gives its own codes; ours are documented.
    return app.exit(e) == 0 ? 0 : kUsage;
  }
  try {
    return env.action ? env.action() : kUsage;
  } catch (const UsageError& e) {
    std::cerr << "Erreur d'usage : " << e.what() << "\n";
    return kUsage;
  } catch (const StoreError& e) {
    std::cerr << "Erreur de la base : " << e.what() << "\n";
    return kInfra;
  } catch (const ImportInterrupted& e) {
    std::cerr << "Import interrompu (rien n'a été enregistré) : " << e.what() << "\n";
    return kInfra;
  } catch (const InvariantViolation& e) {
    std::cerr << "Erreur interne (rien n'a été enregistré) : " << e.what() << "\n";
    return kInfra;
  }
}

}  // namespace octroi::cli
