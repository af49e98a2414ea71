#include "domain/payment/lapse.h"

#include <utility>
#include <vector>

namespace octroi {

Status LapseRules::validate(const std::string& prefix) const {
  std::vector<Problem> problems;
  if (first_request_years && *first_request_years <= 0)
    problems.push_back({"lapse_rules.first_request_years", prefix + ".first_request_years",
                        "Le délai de première demande de versement doit être d'au moins un an."});
  if (balance_years && *balance_years <= 0)
    problems.push_back({"lapse_rules.balance_years", prefix + ".balance_years",
                        "Le délai de demande du solde doit être d'au moins un an."});
  if (first_request_years && balance_years && *first_request_years > 0 && *balance_years > 0 &&
      *first_request_years > *balance_years)
    problems.push_back({"lapse_rules.order", prefix + ".first_request_years",
                        "Le délai de première demande de versement (" +
                            std::to_string(*first_request_years) +
                            " ans) ne peut dépasser celui du solde (" +
                            std::to_string(*balance_years) + " ans)."});
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

namespace {

std::string within_years(int years) {
  return years == 1 ? "dans l'année de l'attribution"
                    : "dans les " + std::to_string(years) + " ans de l'attribution";
}

}  // namespace

LapseDecision evaluate_lapse(const LapseRules& rules, const LapseSituation& s, const Date& as_of) {
  std::optional<Date> first_deadline;
  std::optional<Date> balance_deadline;
  if (rules.first_request_years)
    first_deadline = s.award_date.add_years(*rules.first_request_years);
  if (rules.balance_years) balance_deadline = s.award_date.add_years(*rules.balance_years);

  LapseDecision d;
  // Default deadline, when none is to come: the balance one, else the first-request one, else
  // the award date itself (no lapse rule at all).
  d.deadline =
      balance_deadline ? *balance_deadline : (first_deadline ? *first_deadline : s.award_date);
  if (s.balance_paid) return d;  // a settled award never lapses

  // A first request made on or before its deadline meets it.
  const bool first_met =
      first_deadline && s.first_request_on && *s.first_request_on <= *first_deadline;
  const bool first_lapses = first_deadline && !first_met && as_of > *first_deadline;
  const bool balance_lapses = balance_deadline && as_of > *balance_deadline;

  if (first_lapses || balance_lapses) {
    d.lapses = true;
    // The earliest deadline passed is the reason (the first request's on a tie).
    if (first_lapses && (!balance_lapses || *first_deadline <= *balance_deadline)) {
      d.deadline = *first_deadline;
      d.reason = "aucune demande de versement " + within_years(*rules.first_request_years);
    } else {
      d.deadline = *balance_deadline;
      d.reason = "solde non versé " + within_years(*rules.balance_years);
    }
    d.to_release = max(Money(), s.award - s.paid);
    return d;
  }

  // Not lapsed: the next deadline still to be met.
  std::optional<Date> next;
  if (first_deadline && !first_met && as_of <= *first_deadline) next = first_deadline;
  if (balance_deadline && as_of <= *balance_deadline && (!next || *balance_deadline < *next))
    next = balance_deadline;
  if (next) d.deadline = *next;
  return d;
}

}  // namespace octroi
