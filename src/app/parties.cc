#include "app/ports/parties.h"
#include "app/audit_json.h"
#include "app/ports/awards.h"
#include "app/ports/imports.h"
#include "app/use_cases.h"
#include "domain/text.h"

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
    if (auto other = tx.parties().find_party_by_siren(ctx.authority, p.siren))
      return refuse("party.exists", "siren",
                    "Le SIREN " + p.siren + " est déjà enregistré pour le tiers n° " +
                        std::to_string(other->id.value) + " (" + other->legal_name + ").");
  }
  // One association, one RNA number: a second party with it is a duplicate, not a new party.
  if (!p.rna.empty()) {
    if (auto other = tx.parties().find_party_by_rna(ctx.authority, p.rna))
      return refuse("party.rna_exists", "rna",
                    "Le n° RNA " + p.rna + " est déjà enregistré pour le tiers n° " +
                        std::to_string(other->id.value) + " (" + other->legal_name + ").");
  }
  p.id = tx.parties().insert_party(p);
  record_audit(tx, ctx,
               {.action = "party.register",
                .entity = "party",
                .key = std::to_string(p.id.value),
                .after = audit_json::of(p)});
  return out;
}

Result<PartyView> show_party(Transaction& tx, AuthorityId a, const std::string& id_text,
                             const Date& today) {
  const std::string t = text::trim(id_text);
  const Refusal unknown = refuse("party.unknown", "id", "Aucun tiers n° « " + t + " ».");
  if (t.empty() || t.size() > 12 || t.find_first_not_of("0123456789") != std::string::npos)
    return unknown;
  auto party = tx.parties().get_party(a, PartyId{std::stoll(t)});
  if (!party) return unknown;
  PartyView v;
  v.party = *party;
  ApplicationFilter f;
  f.party = party->id;
  f.limit = 1000;
  auto dossiers = list_applications(tx, a, f);
  if (!dossiers.ok()) return dossiers.refusal();
  for (auto& d : dossiers.value()) {
    PartyDossier pd;
    if (d.application.award) pd.awarded = d.application.award->amount;
    for (const auto& p : tx.awards().payments_of(a, d.application.id))
      pd.paid += p.amount;
    v.total_awarded += pd.awarded;
    v.total_paid += pd.paid;
    pd.dossier = std::move(d);
    v.dossiers.push_back(std::move(pd));
  }
  const auto links = tx.awards().party_links(a);
  for (const auto id : single_undertaking(party->id, links))
    if (id != party->id.value)
      if (auto other = tx.parties().get_party(a, PartyId{id})) v.undertaking.push_back(*other);
  // The regulation in force on `today`: 2023/2831 from 2024 (its rolling three years), else
  // 1407/2013. Both count toward each other's ceiling.
  v.de_minimis_regime =
      today < Date(2024, 1, 1) ? AidRegime::DeMinimis1407 : AidRegime::DeMinimis2831;
  const auto aids = tx.awards().de_minimis_aids(a);
  auto check = check_de_minimis(v.de_minimis_regime, party->id, Money(), today, aids, links);
  if (!check.ok()) return check.refusal();
  v.de_minimis = check.value();
  const auto undertaking = single_undertaking(party->id, links);
  for (const auto& aid : aids)
    if (undertaking.count(aid.party.value) && v.de_minimis.window_start <= aid.granted_on &&
        aid.granted_on <= v.de_minimis.window_end)
      v.de_minimis_aids.push_back(aid);
  v.imported = tx.imports().imported_awards_of(a, party->id);
  v.establishments = tx.parties().establishments_of(a, party->id);
  for (const auto& r : v.imported)
    v.total_imported = v.total_imported + r.part;
  return v;
}

}  // namespace octroi
