// Party (tiers): a beneficiary or applicant — a commune, an association, a company.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "domain/ids.h"

namespace octroi {

struct Representative {
  std::string civility;  // "Monsieur", "Madame"
  std::string first_name;
  std::string last_name;
  std::string role;             // "Maire", "Gérante"
  std::string display() const;  // "Monsieur Xavier Lemoine, Maire"
};

struct Address {
  std::string line1;  // "7-11 place Jean-Mermoz"
  std::string line2;
  std::string postal_code;      // "93370"
  std::string city;             // "Montfermeil"
  std::string insee_code;       // INSEE commune code, optional: "93048"
  std::string display() const;  // "7-11 place Jean-Mermoz, 93370 Montfermeil"
};

struct Party {
  PartyId id;
  AuthorityId authority;
  std::string legal_name;     // "Commune de Montfermeil"
  std::string siren;          // 9 digits or empty
  std::string siret;          // 14 digits or empty
  std::string rna;            // "W" + 9 digits or empty
  std::string naf;            // "68.20B" or empty
  std::string legal_status;   // "Commune", "Société civile immobilière", "Association"...
  bool recovers_vat = false;  // récupère la TVA: its plan is expressed HT
  Representative representative;
  Address address;
  std::string departement;  // "93"; derived from the INSEE code or postal code when empty

  // Normalises identifiers and refuses invalid ones, naming the field. A 9-digit number given as
  // SIRET is moved to siren and reported in `warnings` (code "siret.is_siren"), as the seed's
  // "N° SIRET : 801568296" requires; a SIREN that disagrees with the SIRET is refused.
  Status validate(std::vector<Problem>& warnings);
};

}  // namespace octroi
