// Agreement (convention) of an award, from its scheme's model agreement (adopted by a
// deliberation, e.g. CP 2022-111), with its expense eligibility period and its two signatures.
// Signing by both parties is the legal commitment (engagement juridique): the award is then
// committed on its budget line, and payments may follow ("subordonne le versement à la
// signature de conventions").
#pragma once

#include <optional>
#include <string>

#include "core/date.h"
#include "core/enum_names.h"
#include "core/result.h"
#include "domain/ids.h"

namespace octroi {

struct Agreement {
  AuthorityId authority;
  ApplicationId application;
  std::string model_deliberation;  // "CP 2022-111"
  Date eligibility_start;          // expenses count from… (the early-start date when granted)
  Date eligibility_end;            // …until (2022-07-07 → 2025-07-07 for Casaco)
  std::optional<Date> early_start;
  std::optional<Date> signed_by_beneficiary_on;
  std::optional<Date> signed_by_authority_on;

  bool is_signed() const { return signed_by_beneficiary_on && signed_by_authority_on; }
  Status validate() const;
};

// Which party signs.
enum class Signatory { Beneficiary, Authority };
// The code, the French label, or the label without accents: "beneficiary", "bénéficiaire",
// "beneficiaire"; "authority", "collectivité", "collectivite".
bool parse_signatory(std::string_view s, Signatory& out);
std::string_view to_string(Signatory s);  // "beneficiary", "authority"
inline constexpr auto kSignatoryNames = name_table<Signatory>({
    {Signatory::Beneficiary, "beneficiary", "bénéficiaire"},
    {Signatory::Authority, "authority", "collectivité"},
});

// Records a signature on `on`. Refuses a second signature by the same party
// ("agreement.already_signed") and a signature before the award date ("agreement.date").
Status sign(Agreement& a, Signatory who, const Date& on, const Date& award_date);

}  // namespace octroi
