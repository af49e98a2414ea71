#include "app/audit_json.h"
#include "app/use_cases.h"

namespace octroi {

Result<RegisteredParty> register_party(Transaction& tx, const Context& ctx, const PartyInput& in) {
  RegisteredParty out;
  Party& p = out.party;
  p.authority = ctx.authority;
  p.legal_name = in.legal_name;
  p.siren = in.siren;
  p.siret = in.siret;
  p.rna = in.rna;
  p.naf = in.naf;
  p.legal_status = in.legal_status;
  p.recovers_vat = in.recovers_vat;
  p.representative = {in.civility, in.first_name, in.last_name, in.role};
  p.address = {in.address_line1, in.address_line2, in.postal_code, in.city, in.insee_code};
  p.departement = in.departement;
  if (auto r = p.validate(out.warnings); !r.ok()) return r.refusal();
  if (!p.siren.empty()) {
    if (auto other = tx.find_party_by_siren(ctx.authority, p.siren))
      return refuse("party.exists", "siren",
                    "Le SIREN " + p.siren + " est déjà enregistré pour le tiers n° " +
                        std::to_string(other->id.value) + " (" + other->legal_name + ").");
  }
  p.id = tx.insert_party(p);
  record_audit(tx, ctx.authority, ctx.clock->now_iso(), ctx.actor, "party.register", "party",
               std::to_string(p.id.value), "", audit_json::of(p));
  return out;
}

}  // namespace octroi
