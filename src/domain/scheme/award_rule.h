// AwardRule (règle de calcul, barème): how a scheme turns a dossier's eligible base into an award.
//
// The rule is data, so that a scheme's deliberation can be transcribed without code:
//
//   kind = rate:  award = base × rate, rounded to the cent (rate_rounding)
//                 or, with a step, the exact product rounded to the step,
//                 e.g. down to the thousand                             (step, step_rounding)
//                 then capped                                           (cap)
//                 then never above the amount requested                 (not_above_request)
//   kind = fixed: award = fixed_amount, never above the request if asked.
//
// The base is the sum of the eligible expense lines, HT when the beneficiary recovers VAT and
// TTC otherwise (base = by_vat_recovery), or required HT / TTC by the scheme.
//
// Both readings of the chèque numérique volet 2 scale (CP 2023-040) are rules of this shape:
//   min(request, 50 % of the base, 8 000 €): rate 50 %, cap 8 000 €, not above request;
//   50 % of the base rounded down to the thousand, capped at 8 000 €: rate 50 %, step 1 000 €
//   rounded down, cap 8 000 €.
// The volet 1 scale (150 € per full 300 € HT, at most 1 500 €) is rate 50 %, step 150 € down,
// cap 1 500 €.
//
// compute_award explains every step in French ("Base éligible 196 000,00 € HT × 40 % =
// 78 400,00 €"), so that an instructor can paste it into a project sheet. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.h"
#include "core/money.h"
#include "core/rate.h"
#include "core/result.h"
#include "core/rounding.h"

namespace octroi {

enum class AmountBasis { ExclTax, InclTax };  // HT, TTC
std::string_view to_string(AmountBasis b);    // "HT", "TTC"

enum class AwardKind { Rate, Fixed };
enum class BaseRequirement { ByVatRecovery, ExclTax, InclTax };

std::string_view to_string(AwardKind k);        // "rate", "fixed"
std::string_view to_string(BaseRequirement b);  // "by_vat_recovery", "ht", "ttc"
bool parse_award_kind(std::string_view s, AwardKind& out);
bool parse_base_requirement(std::string_view s, BaseRequirement& out);

inline constexpr auto kAmountBasisNames = name_table<AmountBasis>({
    {AmountBasis::ExclTax, "HT", "hors taxes"},
    {AmountBasis::InclTax, "TTC", "toutes taxes comprises"},
});
inline constexpr auto kAwardKindNames = name_table<AwardKind>({
    {AwardKind::Rate, "rate", "taux sur la base éligible"},
    {AwardKind::Fixed, "fixed", "montant forfaitaire"},
});
inline constexpr auto kBaseRequirementNames = name_table<BaseRequirement>({
    {BaseRequirement::ByVatRecovery, "by_vat_recovery", "HT ou TTC selon la récupération de TVA"},
    {BaseRequirement::ExclTax, "ht", "HT"},
    {BaseRequirement::InclTax, "ttc", "TTC"},
});

struct AwardRule {
  AwardKind kind = AwardKind::Rate;
  Rate rate;                                  // kind == Rate
  Rounding rate_rounding = Rounding::HalfUp;  // to the cent
  BaseRequirement base = BaseRequirement::ByVatRecovery;
  std::optional<Money> step;  // e.g. 1 000,00 €
  Rounding step_rounding = Rounding::Down;
  std::optional<Money> cap;  // maximum award
  bool not_above_request = false;
  std::optional<Money> fixed_amount;  // kind == Fixed

  // Refuses an incoherent rule (rate above 100 %, non-positive cap or step, fixed amount
  // missing...). Fields are reported under `prefix` ("rule.cap").
  Status validate(const std::string& prefix = "rule") const;
  // One line in French: "50 % de la base éligible (HT ou TTC selon la récupération de la TVA),
  // arrondi au millier d'euros inférieur, plafonné à 8 000,00 €".
  std::string describe() const;
};

struct AwardInput {
  Money eligible_base;
  AmountBasis basis = AmountBasis::InclTax;  // what the plan's amounts are
  Money requested;                           // asked from the authority
};

struct AwardComputation {
  Money amount;                          // the award the rule gives
  std::vector<std::string> explanation;  // French, one step per line
  bool capped = false;                   // the cap lowered it
  bool limited_by_request = false;       // the request lowered it
};

// REQUIRES: rule.validate() ok. Refuses when the rule needs an HT base and the plan is TTC (or
// the reverse), or when the base is not positive.
Result<AwardComputation> compute_award(const AwardRule& rule, const AwardInput& input);

}  // namespace octroi
