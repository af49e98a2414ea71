// An authority's parties (beneficiaries: companies, associations…).
// Part of the Transaction port (app/ports.h): reached as tx.parties(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/instant.h"
#include "domain/party/party.h"

namespace octroi {

// What finds a party by its identifiers or its name: every party of an authority, however many.
struct PartyKey {
  PartyId id;
  std::string legal_name, siren, siret;
};

// An establishment (établissement) of a party: one of its SIRETs, with the name a file gave it
// when octroi first met it (party_establishments). Its SIRET begins with the party's SIREN.
struct Establishment {
  std::int64_t id = 0;
  PartyId party;
  std::string siret;
  std::string name;    // as the file wrote it
  std::string source;  // the file it came from
  Instant created_at;
  std::string created_by;
};

class PartiesPort {
 public:
  virtual ~PartiesPort() = default;

  virtual std::optional<Party> get_party(AuthorityId a, PartyId id) = 0;
  virtual std::optional<Party> find_party_by_siren(AuthorityId a, const std::string& siren) = 0;
  // The first party (lowest id) with this RNA number ("W…"), if any.
  virtual std::optional<Party> find_party_by_rna(AuthorityId a, const std::string& rna) = 0;
  virtual std::vector<Party> list_parties(AuthorityId a) = 0;
  virtual PartyId insert_party(const Party& p) = 0;
  // Every party, by id (list_parties stops at 10 000; an import must see them all).
  virtual std::vector<PartyKey> party_keys(AuthorityId a) = 0;

  // Every establishment of the authority, by SIRET; those of one party, by SIRET.
  virtual std::vector<Establishment> list_establishments(AuthorityId a) = 0;
  virtual std::vector<Establishment> establishments_of(AuthorityId a, PartyId p) = 0;
  virtual std::int64_t insert_establishment(AuthorityId a, const Establishment& e) = 0;
};

}  // namespace octroi
