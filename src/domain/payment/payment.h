// Payments of an award (versements): advance, interim payments and balance, within the
// scheme's ceilings, the balance reduced pro rata when the realised eligible spending falls
// short of the eligible base; and the clawback of what was paid (reversement).
//
// The rules are the scheme's data (Île-de-France's own figures are not in the seed: the State's
// décret 2018-514 art. 12 gives advance ≤ 30 %, interim payments ≤ 80 % cumulated; they are
// examples, not defaults):
//
//   advance   ≤ advance_max × award                              (no expense statement needed)
//   interim   cumulated payments ≤ interim_max × award, and ≤ what the realised spending earns
//   balance   the award earned by the realised eligible spending, minus what was paid:
//               earned = award                                  if realised ≥ base × (1 −
//               tolerance)
//                      = award × realised / base, rounded down to the cent, otherwise
//             ("pro rata": 150 000 € realised on a 196 000 € base at 78 400 € earns 60 000 €)
//             never above the award; if what was paid exceeds what is earned, the difference
//             is to be recovered (`overpaid`).
//
// Pure; thread-safe. Every rounding is named.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/enum_names.h"
#include "core/money.h"
#include "core/rate.h"
#include "core/result.h"

namespace octroi {

enum class PaymentKind { Advance, Interim, Balance };
std::string_view to_string(PaymentKind k);  // "advance", "interim", "balance"
std::string_view french(PaymentKind k);     // "avance", "acompte", "solde"
bool parse_payment_kind(std::string_view s, PaymentKind& out);
inline constexpr auto kPaymentKindNames = name_table<PaymentKind>({
    {PaymentKind::Advance, "advance", "avance"},
    {PaymentKind::Interim, "interim", "acompte"},
    {PaymentKind::Balance, "balance", "solde"},
});

struct PaymentRules {
  std::optional<Rate> advance_max;  // none: no advance allowed
  std::optional<Rate> interim_max;  // cumulated advance + interim payments; none: no interim
  Rate balance_tolerance;           // shortfall tolerated before pro rata (0 %: strict)
  Status validate(const std::string& prefix = "payment_rules") const;
};

struct PaymentSituation {
  Money award;                // what the committee awarded (after amendments)
  Money eligible_base;        // the dossier's eligible base
  Money paid;                 // already paid on this award (all kinds)
  bool balance_paid = false;  // the balance was paid: the dossier is settled
};

struct PaymentDecision {
  Money payable;   // what may be paid now (≤ requested)
  Money earned;    // for interim and balance: what the realised spending earns in all
  Money overpaid;  // balance only: paid beyond what is earned, to recover
  bool pro_rata = false;
  std::vector<std::string> explanation;  // French, one step per line
};

// Refusal codes: "payment.amount" (requested not positive), "payment.settled" (balance already
// paid), "payment.advance_not_allowed", "payment.advance_ceiling" (above advance_max × award,
// or an advance after other payments), "payment.interim_not_allowed", "payment.interim_ceiling",
// "payment.nothing_due" (the spending earns nothing more), "payment.realised" (a realised amount
// is required for interim and balance and must not be negative).
// For a balance, `requested` is ignored: the balance is what is due.
Result<PaymentDecision> decide_payment(const PaymentRules& rules, const PaymentSituation& s,
                                       PaymentKind kind, Money requested,
                                       std::optional<Money> realised_eligible);

// Clawback "au prorata des années restant à courir": paid × years_remaining / years_total,
// rounded half up to the cent. REQUIRES: 0 <= years_remaining <= years_total, years_total > 0.
Money clawback_pro_rata(Money paid, int years_total, int years_remaining);

// Whole years of an obligation still to run at `on`, for an obligation of `years_total` years
// starting at `start`: years_total minus the whole years elapsed (never negative).
int years_remaining(const Date& start, int years_total, const Date& on);

}  // namespace octroi
