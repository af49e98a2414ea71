#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "adapters/cli/commands/commands.h"
#include "app/ports/authorities.h"

namespace octroi::cli {

void add_db(CLI::App* cmd, Common& c) {
  cmd->add_option("--db", c.db,
                  "Base : fichier SQLite ou URL postgresql://… (ou variable OCTROI_DB)")
      ->envname("OCTROI_DB")
      ->required();
}

void add_common(CLI::App* cmd, Common& c, bool json) {
  add_db(cmd, c);
  cmd->add_option("--authority", c.authority,
                  "Code de la collectivité (par défaut : la seule de la base)")
      ->envname("OCTROI_AUTHORITY");
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
                  "La base ne contient aucune collectivité : chargez la démonstration avec "
                  "« octroi demo » ou créez-en une.");
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
