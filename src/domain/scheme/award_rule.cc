#include "domain/scheme/award_rule.h"

#include "core/french.h"

namespace octroi {

std::string_view to_string(AmountBasis b) {
  return kAmountBasisNames.code(b);
}

std::string_view to_string(AwardKind k) {
  return kAwardKindNames.code(k);
}

std::string_view to_string(BaseRequirement b) {
  return kBaseRequirementNames.code(b);
}

bool parse_award_kind(std::string_view s, AwardKind& out) {
  return kAwardKindNames.parse(s, out);
}

bool parse_base_requirement(std::string_view s, BaseRequirement& out) {
  return kBaseRequirementNames.parse(s, out);
}

Status AwardRule::validate(const std::string& prefix) const {
  std::vector<Problem> problems;
  if (kind == AwardKind::Rate) {
    if (rate.is_zero() || Rate::percent(100) < rate)
      problems.push_back({"rule.rate", prefix + ".rate",
                          "Le taux d'intervention doit être compris entre 0 % (exclu) et 100 %."});
  } else {
    if (!fixed_amount || !fixed_amount->is_positive())
      problems.push_back(
          {"rule.fixed_amount", prefix + ".fixed_amount",
           "Un montant forfaitaire positif est obligatoire pour une aide forfaitaire."});
  }
  if (step && !step->is_positive())
    problems.push_back({"rule.step", prefix + ".step", "Le pas d'arrondi doit être positif."});
  if (cap && !cap->is_positive())
    problems.push_back({"rule.cap", prefix + ".cap", "Le plafond doit être positif."});
  if (cap && step && cap->is_positive() && step->is_positive() && *step > *cap)
    problems.push_back(
        {"rule.step_above_cap", prefix + ".step", "Le pas d'arrondi ne peut dépasser le plafond."});
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

namespace {

std::string step_words(Money step, Rounding mode) {
  std::string what;
  if (step == Money::from_euros(1000)) {
    what = "au millier d'euros";
  } else if (step == Money::from_euros(100)) {
    what = "à la centaine d'euros";
  } else if (step == Money::from_euros(1)) {
    what = "à l'euro";
  } else {
    what = "";
  }
  if (what.empty()) {
    const std::string multiple = " de " + fr::euros(step);
    switch (mode) {
      case Rounding::Down:
        return "arrondi au multiple inférieur" + multiple;
      case Rounding::Up:
        return "arrondi au multiple supérieur" + multiple;
      default:
        return "arrondi au multiple le plus proche" + multiple;
    }
  }
  switch (mode) {
    case Rounding::Down:
      return "arrondi " + what + " inférieur";
    case Rounding::Up:
      return "arrondi " + what + " supérieur";
    default:
      return "arrondi " + what + " le plus proche";
  }
}

std::string basis_words(BaseRequirement b) {
  switch (b) {
    case BaseRequirement::ExclTax:
      return " HT";
    case BaseRequirement::InclTax:
      return " TTC";
    case BaseRequirement::ByVatRecovery:
      return "";
  }
  return "";
}

}  // namespace

std::string AwardRule::describe() const {
  std::string out;
  if (kind == AwardKind::Fixed) {
    out = "Montant forfaitaire de " + (fixed_amount ? fr::euros(*fixed_amount) : "?");
  } else {
    out = fr::percent_short(rate) + " de la base éligible" + basis_words(base);
    if (base == BaseRequirement::ByVatRecovery)
      out += " (HT ou TTC selon la récupération de la TVA)";
    if (step) out += ", " + step_words(*step, step_rounding);
  }
  if (cap) out += ", plafonné à " + fr::euros(*cap);
  if (not_above_request) out += ", sans dépasser le montant demandé";
  return out;
}

Result<AwardComputation> compute_award(const AwardRule& rule, const AwardInput& in) {
  OCTROI_CHECK(rule.validate().ok(), "the rule was validated when the scheme was saved");
  AwardComputation out;
  Money amount;
  const std::string basis(to_string(in.basis));
  if (rule.kind == AwardKind::Fixed) {
    amount = *rule.fixed_amount;
    out.explanation.push_back("Montant forfaitaire du dispositif : " + fr::euros(amount));
  } else {
    if ((rule.base == BaseRequirement::ExclTax && in.basis != AmountBasis::ExclTax) ||
        (rule.base == BaseRequirement::InclTax && in.basis != AmountBasis::InclTax)) {
      const std::string need = rule.base == BaseRequirement::ExclTax ? "HT" : "TTC";
      return refuse("award.basis", "plan",
                    "Le dispositif calcule l'aide sur une base " + need +
                        ", mais le plan de financement est exprimé " + basis + ".");
    }
    if (!in.eligible_base.is_positive())
      return refuse("award.no_eligible_base", "plan.expenses",
                    "Aucune dépense éligible : la base subventionnable est nulle.");
    amount = in.eligible_base.apply(rule.rate, rule.rate_rounding);
    out.explanation.push_back("Base éligible " + fr::euros(in.eligible_base) + " " + basis + " × " +
                              fr::percent_short(rule.rate) + " = " + fr::euros(amount));
    if (rule.step) {
      // The step is applied to the exact product, not to the figure already rounded to the
      // cent: 50 % of 15 999,99 € rounded down to the thousand is 7 000 €, not 8 000 €.
      const Int128 num = static_cast<Int128>(in.eligible_base.cents()) * rule.rate.numerator();
      const Int128 den = static_cast<Int128>(rule.rate.denominator()) * rule.step->cents();
      const Money stepped = *rule.step * divide_rounded(num, den, rule.step_rounding);
      if (stepped != amount) {
        std::string s = step_words(*rule.step, rule.step_rounding);
        s[0] = 'A';
        out.explanation.push_back(s + " : " + fr::euros(stepped));
      }
      amount = stepped;
    }
  }
  if (rule.cap && amount > *rule.cap) {
    amount = *rule.cap;
    out.capped = true;
    out.explanation.push_back("Plafond du dispositif : " + fr::euros(amount));
  }
  if (rule.not_above_request && amount > in.requested) {
    amount = in.requested;
    out.limited_by_request = true;
    out.explanation.push_back("Limité au montant demandé : " + fr::euros(amount));
  }
  out.amount = amount;
  out.explanation.push_back("Subvention calculée : " + fr::euros(amount));
  return out;
}

}  // namespace octroi
