#include "domain/application/financing_plan.h"

#include "core/french.h"
#include "core/shares.h"
#include "domain/text.h"

namespace octroi {

std::string_view to_string(ResourceKind k) {
  return kResourceKindNames.code(k);
}

std::string_view french(ResourceKind k) {
  return kResourceKindNames.label(k);
}

bool parse_resource_kind(std::string_view s, ResourceKind& out) {
  return kResourceKindNames.parse(s, out);
}

Money FinancingPlan::total_expenses() const {
  Money t;
  for (const auto& l : expenses)
    t += l.amount;
  return t;
}

Money FinancingPlan::total_resources() const {
  Money t;
  for (const auto& l : resources)
    t += l.amount;
  return t;
}

Money FinancingPlan::eligible_base() const {
  Money t;
  for (const auto& l : expenses)
    if (l.eligible) t += l.amount;
  return t;
}

Money FinancingPlan::requested() const {
  Money t;
  for (const auto& l : resources)
    if (l.kind == ResourceKind::Authority) t += l.amount;
  return t;
}

namespace {

void check_line(const std::string& label, Money amount, const std::string& path,
                std::vector<Problem>& problems) {
  if (auto p = text::check_required(label, path + ".label", "Le libellé de la ligne", 300))
    problems.push_back(*p);
  if (!amount.is_positive()) {
    problems.push_back(
        {"plan.amount_not_positive", path + ".amount",
         "Le montant de la ligne doit être positif (saisi : " + fr::euros(amount) + ")."});
  } else if (amount.cents() > FinancingPlan::kMaxLineAmountCents) {
    problems.push_back(
        {"plan.amount_absurd", path + ".amount",
         "Le montant de la ligne (" + fr::euros(amount) + ") dépasse le maximum admis de " +
             fr::euros(Money::from_cents(FinancingPlan::kMaxLineAmountCents)) + "."});
  }
}

}  // namespace

Status FinancingPlan::validate(bool require_complete) const {
  std::vector<Problem> problems;
  if (expenses.size() > kMaxLines)
    problems.push_back({"plan.too_many_lines", "plan.expenses",
                        "Trop de lignes de dépenses (" + std::to_string(kMaxLines) + " au plus)."});
  if (resources.size() > kMaxLines)
    problems.push_back({"plan.too_many_lines", "plan.resources",
                        "Trop de lignes de recettes (" + std::to_string(kMaxLines) + " au plus)."});
  for (std::size_t i = 0; i < expenses.size(); ++i)
    check_line(expenses[i].label, expenses[i].amount,
               "plan.expenses[" + std::to_string(i + 1) + "]", problems);
  for (std::size_t i = 0; i < resources.size(); ++i)
    check_line(resources[i].label, resources[i].amount,
               "plan.resources[" + std::to_string(i + 1) + "]", problems);
  if (!problems.empty()) return Refusal(std::move(problems));
  if (require_complete) {
    if (expenses.empty())
      problems.push_back({"plan.no_expense", "plan.expenses",
                          "Le plan de financement ne comporte aucune dépense."});
    else if (eligible_base().is_zero())
      problems.push_back({"plan.no_eligible_expense", "plan.expenses",
                          "Le plan de financement ne comporte aucune dépense éligible."});
    if (requested().is_zero())
      problems.push_back({"plan.no_request", "plan.resources",
                          "Aucune recette ne correspond à l'aide sollicitée auprès de la "
                          "collectivité."});
    if (!expenses.empty() && !balanced())
      problems.push_back({"plan.unbalanced", "plan",
                          "Le plan de financement n'est pas équilibré : dépenses " +
                              fr::euros(total_expenses()) + ", recettes " +
                              fr::euros(total_resources()) + " (écart " +
                              fr::euros(total_expenses() - total_resources()) + ")."});
  }
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

PlanSummary FinancingPlan::summary() const {
  PlanSummary s;
  s.total_expenses = total_expenses();
  s.total_resources = total_resources();
  s.eligible_base = eligible_base();
  s.requested = requested();
  s.balanced = balanced();
  for (const auto& l : expenses) {
    const auto bp =
        s.total_expenses.is_positive() ? share_basis_points(l.amount, s.total_expenses) : 0;
    s.expenses.push_back({l.label, l.amount, bp, l.eligible});
    s.expense_shares_sum_bp += bp;
  }
  for (const auto& l : resources) {
    const auto bp =
        s.total_resources.is_positive() ? share_basis_points(l.amount, s.total_resources) : 0;
    s.resources.push_back({l.label, l.amount, bp, true});
    s.resource_shares_sum_bp += bp;
  }
  return s;
}

}  // namespace octroi
