// The parties port (app/ports/parties.h) over sql::Connection.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/parties.h"

namespace octroi::sql {
namespace {

constexpr const char* kPartyColumns =
    "id, authority_id, legal_name, siren, siret, rna, naf, legal_status, recovers_vat, "
    "rep_civility, rep_first_name, rep_last_name, rep_role, address_line1, address_line2, "
    "postal_code, city, insee_code, departement";

class SqlParties final : public PartiesPort {
 public:
  explicit SqlParties(TxContext& t) : t_(t) {}

  std::optional<Party> get_party(AuthorityId a, PartyId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kPartyColumns +
                           " FROM parties WHERE authority_id = ? AND id = ?");
    Params(st).add(a.value).add(id.value);
    if (!st.step()) return std::nullopt;
    return party_row(st);
  }

  std::optional<Party> find_party_by_siren(AuthorityId a, const std::string& siren) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kPartyColumns +
                           " FROM parties WHERE authority_id = ? AND siren = ?");
    Params(st).add(a.value).add(siren);
    if (!st.step()) return std::nullopt;
    return party_row(st);
  }

  std::optional<Party> find_party_by_rna(AuthorityId a, const std::string& rna) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kPartyColumns +
                           " FROM parties WHERE authority_id = ? AND rna = ? ORDER BY id LIMIT 1");
    Params(st).add(a.value).add(rna);
    if (!st.step()) return std::nullopt;
    return party_row(st);
  }

  std::vector<Party> list_parties(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kPartyColumns +
                           " FROM parties WHERE authority_id = ? ORDER BY id LIMIT 10000");
    Params(st).add(a.value);
    std::vector<Party> out;
    while (st.step())
      out.push_back(party_row(st));
    return out;
  }

  PartyId insert_party(const Party& p) override {
    t_.scope(p.authority);
    auto st = t_.c.prepare(
        "INSERT INTO parties (authority_id, legal_name, siren, siret, rna, naf, legal_status, "
        "recovers_vat, rep_civility, rep_first_name, rep_last_name, rep_role, address_line1, "
        "address_line2, postal_code, city, insee_code, departement) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    Params q(st);
    q.add(p.authority).add(p.legal_name).add(p.siren).add(p.siret).add(p.rna).add(p.naf);
    q.add(p.legal_status).add(p.recovers_vat);
    const auto& r = p.representative;
    q.add(r.civility).add(r.first_name).add(r.last_name).add(r.role);
    const auto& ad = p.address;
    q.add(ad.line1).add(ad.line2).add(ad.postal_code).add(ad.city).add(ad.insee_code);
    q.add(p.departement);
    return PartyId{st.run_returning_id()};
  }

  std::vector<PartyKey> party_keys(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, legal_name, siren, siret FROM parties WHERE authority_id = ? ORDER BY id");
    Params(st).add(a.value);
    std::vector<PartyKey> out;
    while (st.step()) {
      Row row(st);
      PartyKey k;
      k.id = row.id<PartyId>();
      k.legal_name = row.text();
      k.siren = row.text();
      k.siret = row.text();
      out.push_back(std::move(k));
    }
    return out;
  }

  std::vector<Establishment> list_establishments(AuthorityId a) override {
    t_.scope(a);
    auto st =
        t_.c.prepare(std::string(kEstablishmentSelect) + "WHERE authority_id = ? ORDER BY siret");
    Params(st).add(a.value);
    return establishment_rows(st);
  }

  std::vector<Establishment> establishments_of(AuthorityId a, PartyId p) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string(kEstablishmentSelect) +
                           "WHERE authority_id = ? AND party_id = ? ORDER BY siret");
    Params(st).add(a.value).add(p.value);
    return establishment_rows(st);
  }

  std::int64_t insert_establishment(AuthorityId a, const Establishment& e) override {
    t_.scope(a);
    return Params(t_.c.prepare("INSERT INTO party_establishments (authority_id, party_id, siret, "
                               "name, source, created_at, created_by) VALUES (?,?,?,?,?,?,?) "
                               "RETURNING id"))
        .add(a.value)
        .add(e.party.value)
        .add(e.siret)
        .add(e.name)
        .add(e.source)
        .add(e.created_at)
        .add(e.created_by)
        .run_returning_id();
  }

 private:
  static constexpr const char* kEstablishmentSelect =
      "SELECT id, party_id, siret, name, source, created_at, created_by FROM party_establishments ";

  static std::vector<Establishment> establishment_rows(Statement& st) {
    std::vector<Establishment> out;
    while (st.step()) {
      Row row(st);
      Establishment e;
      e.id = row.int64();
      e.party = row.id<PartyId>();
      e.siret = row.text();
      e.name = row.text();
      e.source = row.text();
      e.created_at = row.instant();
      e.created_by = row.text();
      out.push_back(std::move(e));
    }
    return out;
  }

  static Party party_row(Statement& st) {
    Party p;
    Row row(st);
    p.id = row.id<PartyId>();
    p.authority = row.id<AuthorityId>();
    p.legal_name = row.text();
    p.siren = row.text();
    p.siret = row.text();
    p.rna = row.text();
    p.naf = row.text();
    p.legal_status = row.text();
    p.recovers_vat = row.flag();
    p.representative = {row.text(), row.text(), row.text(), row.text()};
    p.address = {row.text(), row.text(), row.text(), row.text(), row.text()};
    p.departement = row.text();
    return p;
  }

  TxContext& t_;
};

}  // namespace

std::unique_ptr<PartiesPort> parties_rows(TxContext& t) {
  return std::make_unique<SqlParties>(t);
}

}  // namespace octroi::sql
