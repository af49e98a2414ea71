// What the use cases of an award's life share between their files (award_life.cc, state_aid.cc):
// a dossier loaded with its scheme. Internal to app/.
#pragma once

#include <string>

#include "app/ports.h"
#include "core/result.h"
#include "domain/application/application.h"
#include "domain/scheme/aid_scheme.h"

namespace octroi::award_detail {

struct Loaded {
  Application app;
  AidScheme scheme;
};

// Dossier `number` of authority `a` with its scheme, or "application.unknown" naming `number`.
Result<Loaded> load(Transaction& tx, AuthorityId a, const std::string& number);

}  // namespace octroi::award_detail
