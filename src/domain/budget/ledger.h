// The budget ledger: budget lines and the movements on them.
//
// A budget line (ligne budgétaire) is one action of one fiscal year, with its imputation. It
// receives votes of authorisations (AE in operating, AP in investment: they cap commitments
// over several years) and of payment credits (CP: they cap the year's payments). Then:
//
// A payment order consumes the CP of the year it is paid in: a second movement, on that year's
// line of the same action (the same line when paid in the year of the allocation).
//
//   vote AE/AP ──► allocation (affectation, by a committee vote) ──► commitment (engagement)
//                                                       (decommitment: dégagement) ◄──┤
//                      │  ▲ release / lapse release                          │
//                      ▼  │ (désaffectation, caducité)                       ▼
//                                                              payment order (mandat, on CP)
//
// INVARIANTS, for every line, after every movement (checked by LineBalances::check, and
// enforced by the database's CHECK constraints so that no interleaving of writers breaks them):
//   0 <= allocated <= ae_voted          the budget is never over-allocated
//   0 <= committed <= allocated         never over-committed
//   0 <= paid      <= committed         never over-paid
//   0 <= cp_used   <= cp_voted          the CP consumed in the line's year stay within its vote
//   balances == fold(apply, journal)    the balances are the sum of the journal
//
// The journal is append-only: a correction is a new movement (a release, a reversal of an
// earlier entry), never an edit. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/result.h"
#include "domain/budget/imputation.h"
#include "domain/ids.h"

namespace octroi {

struct BudgetLine {
  BudgetLineId id;
  AuthorityId authority;
  int fiscal_year = 0;
  Imputation imputation;
  std::string programme_label;  // "HP 632-003 « Soutien à l'artisanat, au commerce… »"
  std::string action;           // "16300302"
  std::string action_label;     // "Soutien à l'artisanat et aux TPE"

  std::string key() const;  // "2023/16300302": how users name a line
  // Refuses an action that does not extend the imputation's programme, a year out of range.
  Status validate() const;
};

enum class MovementKind {
  VoteAuthorisation,  // vote_ae: AE/AP voted (signed: an amending decision may reduce it)
  VotePayment,        // vote_cp: CP voted (signed)
  Allocation,         // affectation
  Release,            // désaffectation
  Commitment,         // engagement
  PaymentOrder,       // mandat
  Decommitment,       // dégagement: the part of a commitment that will not be paid
  CpConsumption,      // consommation de CP: a payment order's use of the year's payment credits
  LapseRelease,       // release of an allocation that lapsed (caducité)
  Reversal,           // undoes one earlier entry
};
std::string_view to_string(MovementKind k);  // "vote_ae", "allocation", ...
std::string_view french(MovementKind k);     // "vote d'AE/AP", "affectation", ...
bool parse_movement_kind(std::string_view s, MovementKind& out);

struct LineBalances {
  Money ae_voted, cp_voted, allocated, committed, paid;
  Money cp_used;  // CP of this line's year consumed by payment orders (of this line or others)

  Money available() const { return ae_voted - allocated; }  // AE/AP left to allocate
  // The invariants above (all but the journal one); nullopt when they hold.
  std::optional<std::string> check() const;
  friend bool operator==(const LineBalances&, const LineBalances&) = default;
};

// A movement's effect on the balances: what gets added to each.
struct BalanceDelta {
  Money ae_voted, cp_voted, allocated, committed, paid, cp_used;
};

// The effect of a movement of `kind` and `amount`. For a Reversal, `reversed_kind` is the kind
// of the entry it undoes and the delta is that entry's, negated.
BalanceDelta delta_of(MovementKind kind, Money amount,
                      std::optional<MovementKind> reversed_kind = std::nullopt);
LineBalances apply_delta(const LineBalances& b, const BalanceDelta& d);

// Applies a movement if the invariants still hold afterwards; otherwise a refusal naming the
// line and what is missing: "ledger.insufficient_ae" (over-allocation), "ledger.over_commitment",
// "ledger.over_payment", "ledger.insufficient_cp", "ledger.release_exceeds_allocated",
// "ledger.vote_below_allocated", "ledger.amount" (a non-vote amount that is not positive).
Result<LineBalances> apply_movement(const BudgetLine& line, const LineBalances& b,
                                    MovementKind kind, Money amount,
                                    std::optional<MovementKind> reversed_kind = std::nullopt);

// One row of the journal.
struct LedgerEntry {
  LedgerEntryId id;
  AuthorityId authority;
  BudgetLineId line;
  MovementKind kind = MovementKind::Allocation;
  Money amount;
  std::string reference;  // the act: "CP 2023-040", "BP 2023"
  std::string label;
  std::optional<ApplicationId> application;
  std::optional<PartyId> party;
  std::optional<ArticleId> article;
  std::optional<LedgerEntryId> reverses;
  std::optional<MovementKind> reversed_kind;  // filled by the store when `reverses` is set
  std::string at;
  std::string actor;
};

// The balances a journal adds up to (entries in order). Used by `ledger verify`.
LineBalances fold_journal(const std::vector<LedgerEntry>& entries);

}  // namespace octroi
