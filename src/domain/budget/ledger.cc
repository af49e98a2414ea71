#include "domain/budget/ledger.h"

#include "core/french.h"

namespace octroi {

std::string BudgetLine::key() const {
  return std::to_string(fiscal_year) + "/" + action;
}

Status BudgetLine::validate() const {
  std::vector<Problem> problems;
  if (fiscal_year < 2000 || fiscal_year > 2100)
    problems.push_back(
        {"budget.year", "fiscal_year", "L'exercice doit être une année entre 2000 et 2100."});
  if (auto a = parse_action_code(action, imputation.programme, "action"); !a.ok())
    for (const auto& p : a.refusal().problems)
      problems.push_back(p);
  if (action_label.empty())
    problems.push_back(
        {"budget.action_label", "action_label", "Le libellé de l'action est obligatoire."});
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

std::string_view to_string(MovementKind k) {
  return kMovementKindNames.code(k);
}

std::string_view french(MovementKind k) {
  return kMovementKindNames.label(k);
}

bool parse_movement_kind(std::string_view s, MovementKind& out) {
  return kMovementKindNames.parse(s, out);
}

std::optional<InvariantBreach> LineBalances::check_invariants() const {
  if (allocated.is_negative()) return InvariantBreach{"L1", "allocated < 0"};
  if (allocated > ae_voted) return InvariantBreach{"L1", "allocated > ae_voted"};
  if (committed.is_negative()) return InvariantBreach{"L2", "committed < 0"};
  if (committed > allocated) return InvariantBreach{"L2", "committed > allocated"};
  if (paid.is_negative()) return InvariantBreach{"L3", "paid < 0"};
  if (paid > committed) return InvariantBreach{"L3", "paid > committed"};
  if (cp_voted.is_negative()) return InvariantBreach{"L4", "cp_voted < 0"};
  if (cp_used.is_negative()) return InvariantBreach{"L4", "cp_used < 0"};
  if (cp_used > cp_voted) return InvariantBreach{"L4", "cp_used > cp_voted"};
  return std::nullopt;
}

void LineBalances::assert_invariants(std::string_view line) const {
  if (auto broken = check_invariants()) invariant_breached("budget line", *broken, line);
}

std::optional<std::string> LineBalances::check() const {
  if (auto broken = check_invariants()) return std::string(broken->what);
  return std::nullopt;
}

BalanceDelta delta_of(MovementKind kind, Money amount, std::optional<MovementKind> reversed_kind) {
  BalanceDelta d;
  switch (kind) {
    case MovementKind::VoteAuthorisation:
      d.ae_voted = amount;
      break;
    case MovementKind::VotePayment:
      d.cp_voted = amount;
      break;
    case MovementKind::Allocation:
      d.allocated = amount;
      break;
    case MovementKind::Release:
    case MovementKind::LapseRelease:
      d.allocated = -amount;
      break;
    case MovementKind::Commitment:
      d.committed = amount;
      break;
    case MovementKind::PaymentOrder:
      d.paid = amount;
      break;
    case MovementKind::Decommitment:
      d.committed = -amount;
      break;
    case MovementKind::CpConsumption:
      d.cp_used = amount;
      break;
    case MovementKind::Reversal: {
      OCTROI_CHECK(reversed_kind && *reversed_kind != MovementKind::Reversal,
                   "a reversal undoes one non-reversal entry");
      const BalanceDelta r = delta_of(*reversed_kind, amount);
      d = {-r.ae_voted, -r.cp_voted, -r.allocated, -r.committed, -r.paid, -r.cp_used};
      break;
    }
  }
  return d;
}

LineBalances apply_delta(const LineBalances& b, const BalanceDelta& d) {
  return {b.ae_voted + d.ae_voted,   b.cp_voted + d.cp_voted, b.allocated + d.allocated,
          b.committed + d.committed, b.paid + d.paid,         b.cp_used + d.cp_used};
}

namespace {

bool is_vote(MovementKind k) {
  return k == MovementKind::VoteAuthorisation || k == MovementKind::VotePayment;
}

}  // namespace

Result<LineBalances> apply_movement(const BudgetLine& line, const LineBalances& b,
                                    MovementKind kind, Money amount,
                                    std::optional<MovementKind> reversed_kind) {
  OCTROI_DEBUG_CHECK(b.assert_invariants(line.key()));
  const std::string on = " sur la ligne " + line.key() + " (" + line.action_label + ")";
  // A reversal carries the amount of the entry it undoes: negative for a reducing vote.
  const bool signed_amount =
      is_vote(kind) || (kind == MovementKind::Reversal && reversed_kind && is_vote(*reversed_kind));
  if (amount.is_zero())
    return refuse("ledger.amount", "amount",
                  "Le montant d'un mouvement (" + std::string(french(kind)) + ")" + on +
                      " ne peut être nul.");
  if (!signed_amount && amount.is_negative())
    return refuse("ledger.amount", "amount",
                  "Le montant d'un mouvement (" + std::string(french(kind)) + ")" + on +
                      " doit être positif (saisi : " + fr::euros(amount) + ").");
  const LineBalances after = apply_delta(b, delta_of(kind, amount, reversed_kind));
  if (!after.check_invariants()) {
    OCTROI_DEBUG_CHECK(after.assert_invariants(line.key()));
    return after;
  }

  // Which rule broke, told in the terms of what the user asked for: a reversal is named after
  // the movement it undoes.
  const bool reversal = kind == MovementKind::Reversal;
  const std::string what = reversal ? "L'annulation demandée" : "";
  auto msg = [&](std::string forward) {
    if (reversal) return what + " : " + forward;
    if (!forward.empty() && forward[0] >= 'a' && forward[0] <= 'z')
      forward[0] = static_cast<char>(forward[0] - 'a' + 'A');
    return forward;
  };
  if (after.allocated > after.ae_voted) {
    if (kind == MovementKind::VoteAuthorisation ||
        (reversal && reversed_kind == MovementKind::VoteAuthorisation))
      return refuse(
          "ledger.vote_below_allocated", "amount",
          msg("les autorisations votées" + on + " passeraient à " + fr::euros(after.ae_voted) +
              ", sous les montants déjà affectés (" + fr::euros(b.allocated) + ")."));
    return refuse("ledger.insufficient_ae", "amount",
                  msg("Autorisations disponibles insuffisantes" + on + " : " + fr::euros(amount) +
                      " demandés, " + fr::euros(b.available()) + " disponibles."));
  }
  if (after.allocated.is_negative() || after.committed > after.allocated) {
    if (kind == MovementKind::Commitment)
      return refuse("ledger.over_commitment", "amount",
                    "Engagement supérieur au montant affecté non engagé" + on + " : " +
                        fr::euros(amount) + " demandés, " + fr::euros(b.allocated - b.committed) +
                        " disponibles.");
    return refuse("ledger.release_exceeds_allocated", "amount",
                  msg("Désaffectation supérieure au montant affecté non engagé" + on + " : " +
                      fr::euros(amount) + " demandés, " + fr::euros(b.allocated - b.committed) +
                      " disponibles."));
  }
  if (after.committed.is_negative() || after.paid > after.committed) {
    if (kind == MovementKind::PaymentOrder)
      return refuse("ledger.over_payment", "amount",
                    "Mandat supérieur au montant engagé non mandaté" + on + " : " +
                        fr::euros(amount) + " demandés, " + fr::euros(b.committed - b.paid) +
                        " disponibles.");
    return refuse("ledger.decommit_below_paid", "amount",
                  msg("l'engagement" + on + " passerait à " + fr::euros(after.committed) +
                      ", sous les montants déjà mandatés (" + fr::euros(b.paid) + ")."));
  }
  if (after.paid.is_negative())
    return refuse("ledger.over_payment", "amount",
                  msg("les mandats" + on + " deviendraient négatifs."));
  if (after.cp_used.is_negative())
    return refuse("ledger.cp_negative", "amount",
                  msg("les crédits de paiement consommés" + on + " deviendraient négatifs."));
  if (after.cp_voted.is_negative() || after.cp_used > after.cp_voted) {
    if (kind == MovementKind::CpConsumption)
      return refuse("ledger.insufficient_cp", "amount",
                    "Crédits de paiement insuffisants" + on + " : " + fr::euros(amount) +
                        " demandés, " + fr::euros(b.cp_voted - b.cp_used) + " disponibles.");
    return refuse(
        "ledger.vote_below_paid", "amount",
        msg("les crédits de paiement votés" + on + " passeraient à " + fr::euros(after.cp_voted) +
            ", sous les crédits déjà consommés (" + fr::euros(b.cp_used) + ")."));
  }
  // Every breach of L1–L4 is named above; reaching here means a new invariant was added to
  // check_invariants() without a refusal that tells the user which rule it broke.
  invariant_breached("budget line", *after.check_invariants(), line.key());
}

LineBalances fold_journal(const std::vector<LedgerEntry>& entries) {
  LineBalances b;
  for (const auto& e : entries)
    b = apply_delta(b, delta_of(e.kind, e.amount, e.reversed_kind));
  return b;
}

std::optional<InvariantBreach> check_journal(const LineBalances& stored,
                                             const std::vector<LedgerEntry>& journal) {
  if (stored != fold_journal(journal)) return InvariantBreach{"L5", "balances != fold(journal)"};
  return std::nullopt;
}

}  // namespace octroi
