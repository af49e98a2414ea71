// The authorities (collectivités) the database serves.
// Part of the Transaction port (app/ports.h): reached as tx.authorities(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/authority.h"

namespace octroi {

class AuthoritiesPort {
 public:
  virtual ~AuthoritiesPort() = default;

  virtual std::optional<Authority> find_authority(const std::string& code) = 0;
  virtual std::vector<Authority> list_authorities() = 0;
  virtual AuthorityId insert_authority(const Authority& a) = 0;
  // Its name, SIRET, address and executive (the code never changes).
  virtual void update_authority(const Authority& a) = 0;
};

}  // namespace octroi
