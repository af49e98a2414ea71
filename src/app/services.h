// The authority's services (issue 18, administration): a service is the name its schemes and its
// instructors carry ("Service de l'artisanat"); an instructor acts on the dossiers of the
// schemes of their service. There is no table of services: a service exists while a scheme, an
// account or an API token names it. The administration lists them with what each holds and
// renames one everywhere at once (a reorganisation).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/instant.h"
#include "core/result.h"

namespace octroi {

struct ServiceView {
  std::string name;
  std::int64_t schemes = 0;      // schemes it instructs
  std::int64_t instructors = 0;  // active instructors in it
  std::int64_t tokens = 0;       // API tokens of its instructors, neither revoked nor expired
  std::int64_t opinions = 0;     // opinions asked of it and not answered yet
};

// Every service named by a scheme, an account, a token or an opinion waiting for its answer,
// by name; tokens counted live at `now`.
std::vector<ServiceView> list_services(Transaction& tx, AuthorityId a, Instant now);

// Renames `from` to `to` on the schemes, accounts, tokens and unanswered opinions that carry it
// (an answered opinion keeps the name of the service that gave it), in one transaction,
// audited ("service.rename"). Refused: an unknown service (service.unknown, field from), a new
// name empty, too long or holding a control character (text.*, field to), the name of another
// service (service.exists, field to: two services are not merged by a rename).
Result<ServiceView> rename_service(Transaction& tx, const Context& ctx, const std::string& from,
                                   const std::string& to);

}  // namespace octroi
