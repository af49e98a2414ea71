// AidScheme (dispositif): a subsidy programme adopted by a framework deliberation, with its
// eligibility window and its award rule (award_rule.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/enum_names.h"
#include "core/result.h"
#include "domain/ids.h"
#include "domain/payment/lapse.h"
#include "domain/payment/payment.h"
#include "domain/scheme/award_rule.h"
#include "domain/stateaid/de_minimis.h"

namespace octroi {

enum class BudgetSection { Operating, Investment };  // fonctionnement, investissement
std::string_view to_string(BudgetSection s);         // "operating", "investment"
std::string_view french(BudgetSection s);            // "fonctionnement", "investissement"
bool parse_budget_section(std::string_view s, BudgetSection& out);  // code or French label
inline constexpr auto kBudgetSectionNames = name_table<BudgetSection>({
    {BudgetSection::Operating, "operating", "fonctionnement"},
    {BudgetSection::Investment, "investment", "investissement"},
});

// One level of a scheme's approval chain (circuit de visa): level 1 gives its visa first.
struct ApprovalLevel {
  int level = 0;           // 1, 2…
  std::string label;       // "Chef de service", "Directeur"
  std::string role;        // the role whose agents give it: "approver", "administrator"…
  bool may_return = true;  // whether this level may send the dossier back to instruction

  friend bool operator==(const ApprovalLevel&, const ApprovalLevel&) = default;
};

struct AidScheme {
  SchemeId id;
  AuthorityId authority;
  std::string number;  // "00001176"
  std::string name;    // "Chèque numérique pour un commerce connecté – volet 2"
  std::string framework_deliberation;  // "CR 2019-043"
  BudgetSection section = BudgetSection::Operating;
  std::string budget_imputation;  // "936-632-657341-163003-400", as printed
  std::string budget_action;      // "16300302 - Soutien à l'artisanat et aux TPE"
  std::optional<Date> opens_on;   // eligibility window: applications submitted from…
  std::optional<Date> closes_on;  // …until (inclusive)
  AwardRule rule;
  // The life of an award under this scheme (agreements and payments issue).
  std::string model_agreement;  // deliberation adopting the model agreement: "CP 2022-111"
  PaymentRules payment_rules;
  LapseRules lapse_rules;
  std::optional<int> obligation_years;  // duration of the beneficiary's obligations (clawback)
  AidRegime aid_regime = AidRegime::None;
  // The service whose instructors act on the scheme's dossiers ("Service de l'artisanat"); ""
  // for none: then only administrators do (deny by default).
  std::string service;
  // The visas a dossier needs between instruction and the committee, in order; empty: the
  // instructor proposes it directly (workflow.h).
  std::vector<ApprovalLevel> approval_chain;

  // Normalises and refuses bad fields: number (digits, at most 12), name, window order, rule.
  Status validate();
  // Whether an application may be submitted on `day`.
  bool is_open_on(const Date& day) const;
};

}  // namespace octroi
