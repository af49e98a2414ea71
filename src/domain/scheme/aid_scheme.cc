#include "domain/scheme/aid_scheme.h"

#include "core/french.h"
#include "domain/text.h"

namespace octroi {

std::string_view to_string(BudgetSection s) {
  return kBudgetSectionNames.code(s);
}

std::string_view french(BudgetSection s) {
  return kBudgetSectionNames.label(s);
}

bool parse_budget_section(std::string_view s, BudgetSection& out) {
  if (kBudgetSectionNames.parse(s, out)) return true;
  const auto by_label = kBudgetSectionNames.parse_label(s);
  if (by_label) out = *by_label;
  return by_label.has_value();
}

Status AidScheme::validate() {
  std::vector<Problem> problems;
  number = text::trim(number);
  name = text::trim(name);
  framework_deliberation = text::trim(framework_deliberation);
  bool digits = !number.empty() && number.size() <= 12;
  for (char c : number)
    digits = digits && c >= '0' && c <= '9';
  if (!digits)
    problems.push_back({"scheme.number", "number",
                        "Le numéro du dispositif est obligatoire : des chiffres, 12 au plus "
                        "(par exemple 00001176)."});
  if (auto p = text::check_required(name, "name", "Le nom du dispositif", 300))
    problems.push_back(*p);
  if (auto p = text::check_optional(framework_deliberation, "framework_deliberation",
                                    "La délibération cadre", 100))
    problems.push_back(*p);
  if (auto p = text::check_optional(budget_imputation, "budget_imputation",
                                    "L'imputation budgétaire", 100))
    problems.push_back(*p);
  if (auto p = text::check_optional(budget_action, "budget_action", "L'action budgétaire", 300))
    problems.push_back(*p);
  if (opens_on && closes_on && *closes_on < *opens_on)
    problems.push_back({"scheme.window", "closes_on",
                        "La date de clôture (" + fr::date_long(*closes_on) +
                            ") précède la date d'ouverture (" + fr::date_long(*opens_on) + ")."});
  if (auto r = rule.validate("rule"); !r.ok())
    for (const auto& p : r.refusal().problems)
      problems.push_back(p);
  if (auto r = payment_rules.validate("payment_rules"); !r.ok())
    for (const auto& p : r.refusal().problems)
      problems.push_back(p);
  if (auto r = lapse_rules.validate("lapse_rules"); !r.ok())
    for (const auto& p : r.refusal().problems)
      problems.push_back(p);
  if (auto p = text::check_optional(model_agreement, "model_agreement",
                                    "La délibération de la convention type", 100))
    problems.push_back(*p);
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

bool AidScheme::is_open_on(const Date& day) const {
  if (opens_on && day < *opens_on) return false;
  if (closes_on && *closes_on < day) return false;
  return true;
}

}  // namespace octroi
