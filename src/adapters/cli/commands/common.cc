#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "adapters/cli/commands/commands.h"
#include "app/ports/authorities.h"

namespace octroi::cli {

namespace {

// OCTROI_DB and OCTROI_AUTHORITY stand in for --db and --authority when the command line does not
// give them. CLI11's envname() is not used: it fills an option of *every* subcommand, and all of
// them share one Common, so an unused subcommand's --db took OCTROI_DB over the explicit --db of
// the one run. This runs only for the subcommand actually parsed, after its options.
void env_fallbacks(CLI::App* cmd, Common& c, bool with_authority) {
  cmd->parse_complete_callback([&c, with_authority] {
    if (c.db.empty())
      if (const char* e = std::getenv("OCTROI_DB"); e && *e) c.db = e;
    if (c.db.empty())
      throw CLI::RequiredError("L'option --db est obligatoire (ou la variable OCTROI_DB).",
                               CLI::ExitCodes::RequiredError);
    if (with_authority && c.authority.empty())
      if (const char* e = std::getenv("OCTROI_AUTHORITY"); e && *e) c.authority = e;
  });
}

}  // namespace

void add_db(CLI::App* cmd, Common& c) {
  cmd->add_option("--db", c.db,
                  "Base : fichier SQLite ou URL postgresql://… (ou variable OCTROI_DB)");
  env_fallbacks(cmd, c, false);
}

void add_common(CLI::App* cmd, Common& c, bool json) {
  add_db(cmd, c);
  cmd->add_option("--authority", c.authority,
                  "Code de la collectivité (par défaut : OCTROI_AUTHORITY, ou la seule de la "
                  "base)");
  env_fallbacks(cmd, c, true);
  if (json) cmd->add_flag("--json", c.json, "Sortie JSON (montants en chaînes)");
}

int print_refusal(const Refusal& r, bool json) {
  if (json) {
    std::cout << json_refusal(r);
  } else {
    std::cerr << text_refusal(r);
  }
  return kRefused;
}

std::string actor() {
  const char* user = std::getenv("USER");
  if (user && *user) return std::string("cli:") + user;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name)
    return std::string("cli:") + pw->pw_name;
  return "cli:uid" + std::to_string(getuid());
}

Result<Authority> resolve_authority(Transaction& tx, const std::string& code) {
  if (!code.empty()) return authority_by_code(tx, code);
  auto all = tx.authorities().list_authorities();
  if (all.size() == 1) return all.front();
  if (all.empty())
    return refuse("authority.none", "authority",
                  "La base ne contient aucune collectivité : créez la vôtre avec « octroi "
                  "authority create --code … --name … », ou chargez la démonstration avec "
                  "« octroi demo ».");
  return refuse("authority.ambiguous", "authority",
                "La base contient plusieurs collectivités : précisez --authority.");
}

std::pair<std::string, std::string> split_last(const std::string& s, char sep,
                                               const std::string& option) {
  const auto pos = s.rfind(sep);
  if (pos == std::string::npos || pos == 0)
    throw UsageError(option + " « " + s + " » : forme attendue LIBELLÉ" + sep + "VALEUR");
  return {s.substr(0, pos), s.substr(pos + 1)};
}

}  // namespace octroi::cli
