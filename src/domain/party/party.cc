#include "domain/party/party.h"

#include "core/identifiers.h"
#include "domain/text.h"

namespace octroi {

std::string Representative::display() const {
  std::string out = civility;
  for (const auto* part : {&first_name, &last_name}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ' ';
    out += *part;
  }
  if (!role.empty()) out += (out.empty() ? "" : ", ") + role;
  return out;
}

std::string Address::display() const {
  std::string out = line1;
  if (!line2.empty()) out += (out.empty() ? "" : ", ") + line2;
  std::string town = postal_code;
  if (!city.empty()) town += (town.empty() ? "" : " ") + city;
  if (!town.empty()) out += (out.empty() ? "" : ", ") + town;
  return out;
}

namespace {

// Runs a validator on a non-empty field and stores its normalised value.
template <class F>
void normalise(std::string& value, const std::string& field, F validator,
               std::vector<Problem>& problems) {
  value = text::trim(value);
  if (value.empty()) return;
  auto r = validator(value, field);
  if (r.ok()) {
    value = r.value();
  } else {
    for (const auto& p : r.refusal().problems)
      problems.push_back(p);
  }
}

}  // namespace

Status Party::validate(std::vector<Problem>& warnings) {
  std::vector<Problem> problems;
  legal_name = text::trim(legal_name);
  if (auto p = text::check_required(legal_name, "legal_name", "La dénomination", 200))
    problems.push_back(*p);
  if (auto p = text::check_optional(legal_status, "legal_status", "Le statut juridique", 100))
    problems.push_back(*p);

  siret = text::trim(siret);
  if (!siret.empty() && ids::normalize_number(siret).size() == 9) {
    // The seed's trap: a SIREN printed as "N° SIRET". Keep it, as what it is, and say so.
    auto as_siren = ids::siren(siret, "siret");
    if (as_siren.ok()) {
      if (!siren.empty() && ids::normalize_number(siren) != as_siren.value()) {
        problems.push_back({"party.siren_mismatch", "siret",
                            "Le numéro donné comme SIRET (" + as_siren.value() +
                                ") est un SIREN différent du SIREN saisi."});
      } else {
        warnings.push_back(
            {"siret.is_siren", "siret",
             "Le numéro « " + siret +
                 " » a 9 chiffres : c'est un SIREN, pas un "
                 "SIRET. Il est enregistré comme SIREN ; le SIRET reste à compléter."});
        siren = as_siren.value();
      }
      siret.clear();
    } else {
      for (const auto& p : as_siren.refusal().problems)
        problems.push_back(p);
    }
  }
  const std::size_t problems_before_siret = problems.size();
  normalise(siret, "siret", ids::siret, problems);
  const bool siret_valid = !siret.empty() && problems.size() == problems_before_siret;
  normalise(siren, "siren", ids::siren, problems);
  if (siret_valid) {
    if (siren.empty()) {
      siren = ids::siren_of(siret);
    } else if (siren.size() == 9 && ids::siren_of(siret) != siren) {
      problems.push_back({"party.siren_mismatch", "siren",
                          "Le SIREN " + siren + " ne correspond pas au SIRET " + siret +
                              " (qui commence par " + ids::siren_of(siret) + ")."});
    }
  }
  normalise(rna, "rna", ids::rna, problems);
  normalise(naf, "naf", ids::naf, problems);
  normalise(address.postal_code, "address.postal_code", ids::postal_code, problems);
  normalise(address.insee_code, "address.insee_code", ids::insee_commune, problems);
  normalise(departement, "departement", ids::departement, problems);
  if (auto p = text::check_optional(address.line1, "address.line1", "L'adresse", 200))
    problems.push_back(*p);
  if (auto p = text::check_optional(address.city, "address.city", "La commune", 100))
    problems.push_back(*p);
  if (departement.empty() && !address.insee_code.empty()) {
    const bool overseas =
        address.insee_code.rfind("97", 0) == 0 || address.insee_code.rfind("98", 0) == 0;
    departement = address.insee_code.substr(0, overseas ? 3 : 2);
  }
  if (departement.empty() && address.postal_code.size() == 5) {
    // Postal codes follow départements, except Corsica (20xxx) and overseas (97x, 98x).
    const std::string p2 = address.postal_code.substr(0, 2);
    if (p2 != "20" && p2 != "97" && p2 != "98") departement = p2;
  }
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

}  // namespace octroi
