// Lapse (caducité) of an award: when the beneficiary never asks for a payment within N years of
// the award, or never asks for the balance within M years, the award lapses and what was not
// paid is released on its budget line. Lapse periods run from the original award date, even
// after a transfer (CP 2023-040, article 4). The periods are the scheme's data (Île-de-France's
// règlement budgétaire et financier is not in the seed).
#pragma once

#include <optional>
#include <string>

#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace octroi {

struct LapseRules {
  std::optional<int> first_request_years;  // a first payment request within N years
  std::optional<int> balance_years;        // the balance within M years
  Status validate(const std::string& prefix = "lapse_rules") const;
};

struct LapseSituation {
  Date award_date;
  std::optional<Date> first_request_on;  // first payment request, if any
  bool balance_paid = false;
  Money award;
  Money paid;
};

struct LapseDecision {
  bool lapses = false;
  Date deadline;       // the deadline that passed (or the next one, when it does not lapse)
  std::string reason;  // French: "aucune demande de versement dans les 3 ans de l'attribution"
  Money to_release;    // award − paid, when it lapses
};

// Whether the award has lapsed at `as_of` (a deadline passes at the end of its day: the award
// lapses from the day after).
LapseDecision evaluate_lapse(const LapseRules& rules, const LapseSituation& s, const Date& as_of);

}  // namespace octroi
