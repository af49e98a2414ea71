// Authority (collectivité / autorité attributaire): the body that grants subsidies. Every row of
// every table belongs to one authority, so one deployment can serve several.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "domain/ids.h"

namespace octroi {

struct Authority {
  AuthorityId id;
  std::string code;   // short stable key used on the command line: "idf"
  std::string name;   // "Région Île-de-France"
  std::string siret;  // 14 digits, for open data (idAttribuant); may be empty
  std::string address;
  std::string executive;  // "Valérie Pécresse, présidente du conseil régional"

  // Normalises identifiers; refuses a missing code or name, an invalid SIRET.
  Status validate();
};

}  // namespace octroi
