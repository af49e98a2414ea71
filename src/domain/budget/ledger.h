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
// INVARIANTS, for every line, after every movement, numbered as LineBalances::check_invariants
// names them (enforced first by apply_movement, which refuses a movement that would break one,
// then by the database's CHECK constraints on `budget_lines`, so that no interleaving of
// writers breaks them; `octroi ledger verify` checks them all again):
//   L1  0 <= allocated <= ae_voted      the budget is never over-allocated
//   L2  0 <= committed <= allocated     never over-committed
//   L3  0 <= paid      <= committed     never over-paid
//   L4  0 <= cp_used   <= cp_voted      the CP consumed in the line's year stay within its vote
//   L5  balances == fold(apply, journal) the balances are the sum of the journal
// (L1 to L4 imply ae_voted >= 0; cp_voted >= 0 is part of L4.) L1 to L4 are checked on balances
// alone (LineBalances::check_invariants), L5 against the journal (check_journal).
// assert_invariants runs them after every movement applied and every balance loaded or posted,
// in debug and sanitizer builds (OCTROI_DEBUG_CHECK, compiled out with NDEBUG).
//
// The journal is append-only: a correction is a new movement (a release, a reversal of an
// earlier entry), never an edit. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/enum_names.h"
#include "core/instant.h"
#include "core/invariants.h"
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
inline constexpr auto kMovementKindNames = name_table<MovementKind>({
    {MovementKind::VoteAuthorisation, "vote_ae", "vote d'autorisation (AE/AP)"},
    {MovementKind::VotePayment, "vote_cp", "vote de crédits de paiement (CP)"},
    {MovementKind::Allocation, "allocation", "affectation"},
    {MovementKind::Release, "release", "désaffectation"},
    {MovementKind::Commitment, "commitment", "engagement"},
    {MovementKind::PaymentOrder, "payment_order", "mandat"},
    {MovementKind::Decommitment, "decommitment", "dégagement"},
    {MovementKind::CpConsumption, "cp_consumption", "consommation de CP"},
    {MovementKind::LapseRelease, "lapse_release", "désaffectation pour caducité"},
    {MovementKind::Reversal, "reversal", "annulation"},
});
std::string_view to_string(MovementKind k);  // "vote_ae", "allocation", ...
std::string_view french(MovementKind k);     // "vote d'AE/AP", "affectation", ...
bool parse_movement_kind(std::string_view s, MovementKind& out);

struct LineBalances {
  Money ae_voted, cp_voted, allocated, committed, paid;
  Money cp_used;  // CP of this line's year consumed by payment orders (of this line or others)

  Money available() const { return ae_voted - allocated; }  // AE/AP left to allocate
  // The first of L1 to L4 broken ({"L1", "allocated > ae_voted"}), or nullopt.
  std::optional<InvariantBreach> check_invariants() const;
  // Throws InvariantViolation naming the broken invariant and `line` ("2023/16300302").
  void assert_invariants(std::string_view line) const;
  // The side of L1 to L4 that broke ("allocated > ae_voted"), as `ledger verify` prints it.
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
  // The business date: the day of the act (the session's vote, the signature, the payment, the
  // lapse date), which the journal shows. Entries posted before schema 0017 have none.
  std::optional<Date> on;
  Instant at;  // when it was recorded
  std::string actor;
};

// The balances a journal adds up to (entries in order). Used by `ledger verify`.
LineBalances fold_journal(const std::vector<LedgerEntry>& entries);
// L5: {"L5", …} when `stored` is not the fold of `journal`.
std::optional<InvariantBreach> check_journal(const LineBalances& stored,
                                             const std::vector<LedgerEntry>& journal);

}  // namespace octroi
