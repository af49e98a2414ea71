// An authority's aid schemes (dispositifs).
// Part of the Transaction port (app/ports.h): reached as tx.schemes(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/scheme/aid_scheme.h"

namespace octroi {

class SchemesPort {
 public:
  virtual ~SchemesPort() = default;

  virtual std::optional<AidScheme> find_scheme(AuthorityId a, const std::string& number) = 0;
  virtual std::optional<AidScheme> get_scheme(AuthorityId a, SchemeId id) = 0;
  virtual std::vector<AidScheme> list_schemes(AuthorityId a) = 0;
  virtual SchemeId insert_scheme(const AidScheme& s) = 0;
  virtual void update_scheme(const AidScheme& s) = 0;
  // Replaces the scheme's approval chain (levels numbered 1, 2… in order). The database refuses
  // it while a dossier of the scheme awaits a visa (migration 0021).
  virtual void replace_approval_chain(AuthorityId a, SchemeId id,
                                      const std::vector<ApprovalLevel>& chain) = 0;
};

}  // namespace octroi
