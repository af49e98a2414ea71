// FinancingPlan (plan de financement prévisionnel): a dossier's expense and resource lines.
//
// Expense lines are eligible or not; the eligible base (base subventionnable) is the sum of the
// eligible ones. Resource lines say where the money comes from; those of kind `authority` are
// what the applicant asks of the granting authority (the "Région" line), and add up to the
// requested amount. The plan is balanced when both totals are equal.
//
// Printed shares are each line's share of its side's total, rounded half up on its own to
// hundredths of a percent (shares.h): they may add up to 100,01 %, as in the seed.
//
// Limits: at most kMaxLines lines per side; each amount positive and at most kMaxLineAmount.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/enum_names.h"
#include "core/money.h"
#include "core/result.h"

namespace octroi {

enum class ResourceKind {
  SelfFunding,  // autofinancement, fonds propres
  Authority,    // requested from (or granted by) this authority: "Région"
  OtherPublic,  // State, ANCT, other authorities, EU
  Loan,         // emprunt
  Private,      // sponsorship, crowdfunding, other companies
  Other,
};
std::string_view to_string(ResourceKind k);  // "self_funding", "authority", ...
std::string_view french(ResourceKind k);     // "Autofinancement", "Collectivité", ...
bool parse_resource_kind(std::string_view s, ResourceKind& out);
inline constexpr auto kResourceKindNames = name_table<ResourceKind>({
    {ResourceKind::SelfFunding, "self_funding", "Autofinancement"},
    {ResourceKind::Authority, "authority", "Collectivité attributaire"},
    {ResourceKind::OtherPublic, "other_public", "Autre financement public"},
    {ResourceKind::Loan, "loan", "Emprunt"},
    {ResourceKind::Private, "private", "Financement privé"},
    {ResourceKind::Other, "other", "Autre"},
});

struct ExpenseLine {
  std::string label;
  Money amount;
  bool eligible = true;
};

struct ResourceLine {
  std::string label;
  Money amount;
  ResourceKind kind = ResourceKind::Other;
  std::string status;  // "sollicité", "attribué", or empty
};

struct PrintedLine {
  std::string label;
  Money amount;
  std::int64_t share_bp;  // hundredths of a percent, each rounded half up on its own
  bool eligible = true;   // expenses only
};

struct PlanSummary {
  std::vector<PrintedLine> expenses;
  std::vector<PrintedLine> resources;
  Money total_expenses;
  Money total_resources;
  Money eligible_base;
  Money requested;
  bool balanced = false;
  std::int64_t expense_shares_sum_bp = 0;  // may be 10 001: each share is rounded on its own
  std::int64_t resource_shares_sum_bp = 0;
};

class FinancingPlan {
 public:
  static constexpr std::size_t kMaxLines = 100;
  static constexpr std::int64_t kMaxLineAmountCents = 10'000'000'000'00;  // 10 milliards €

  std::vector<ExpenseLine> expenses;
  std::vector<ResourceLine> resources;

  Money total_expenses() const;
  Money total_resources() const;
  Money eligible_base() const;
  Money requested() const;  // sum of the `authority` resource lines
  bool balanced() const { return total_expenses() == total_resources(); }

  // Refuses bad lines (empty label, amount not positive or absurd, too many lines), naming
  // each one: "plan.expenses[2].amount". With `require_complete`, also refuses a plan with no
  // expense, no eligible expense, no authority line, or unbalanced totals ("plan.unbalanced").
  Status validate(bool require_complete) const;
  PlanSummary summary() const;
};

}  // namespace octroi
