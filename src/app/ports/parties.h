// An authority's parties (beneficiaries: companies, associations…).
// Part of the Transaction port (app/ports.h): reached as tx.parties(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/party/party.h"

namespace octroi {

class PartiesPort {
 public:
  virtual ~PartiesPort() = default;

  virtual std::optional<Party> get_party(AuthorityId a, PartyId id) = 0;
  virtual std::optional<Party> find_party_by_siren(AuthorityId a, const std::string& siren) = 0;
  virtual std::vector<Party> list_parties(AuthorityId a) = 0;
  virtual PartyId insert_party(const Party& p) = 0;
};

}  // namespace octroi
