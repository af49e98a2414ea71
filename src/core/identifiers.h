// French identifiers: validation with clear French refusals naming the field.
//
//   SIREN  9 digits, Luhn.                      SIRET  14 digits (SIREN + NIC), Luhn, except
//   La Poste: SIRETs starting 356000000 (other than 35600000000048) are valid when the sum of
//   their digits is a multiple of 5.            Spaces and dots are stripped before checking.
//   RNA    W + 9 digits.                        NAF/APE rév. 2: "68.20B" (also "6820B").
//   Département: 01-19, 2A, 2B, 21-95, 971-978, 984, 986-989 (no "20").
//   INSEE commune code: département + commune number (5 characters: "93047", "2A004", "97101").
//   Postal code: 5 digits (format only; the list of existing codes is not bundled).
//
// A 9-digit number given where a SIRET is expected is flagged as a SIREN (refusal code
// "siret.is_siren"), never silently accepted as a SIRET or rejected as garbage: the caller
// decides whether to record it as the party's SIREN (see classify_company_number).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace octroi::ids {

// Digits only, spaces / dots / U+00A0 / U+202F removed. Other characters are kept (so that the
// validators can refuse them).
std::string normalize_number(std::string_view text);

bool luhn_valid(std::string_view digits);

// Each returns the normalised identifier or a refusal whose field is `field`.
Result<std::string> siren(std::string_view text, const std::string& field);
Result<std::string> siret(std::string_view text, const std::string& field);
Result<std::string> rna(std::string_view text, const std::string& field);
Result<std::string> naf(std::string_view text, const std::string& field);  // -> "68.20B"
Result<std::string> departement(std::string_view text, const std::string& field);
Result<std::string> insee_commune(std::string_view text, const std::string& field);
Result<std::string> postal_code(std::string_view text, const std::string& field);

enum class CompanyNumberKind { Siren, Siret };
struct CompanyNumber {
  CompanyNumberKind kind;
  std::string digits;
};
// A company number of either length, valid: what a party form accepts in its "SIRET" box.
Result<CompanyNumber> classify_company_number(std::string_view text, const std::string& field);

// The SIREN part of a SIRET. REQUIRES: a valid SIRET.
std::string siren_of(const std::string& siret);
// Intra-community VAT number: "FR" + two-digit key + SIREN. REQUIRES: a valid SIREN.
std::string vat_number(const std::string& siren);

}  // namespace octroi::ids
