// Budget lines and their journal (the ledger, domain/budget/ledger.h).
// Part of the Transaction port (app/ports.h): reached as tx.ledger(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/budget/ledger.h"

namespace octroi {

class LedgerPort {
 public:
  virtual ~LedgerPort() = default;

  virtual BudgetLineId insert_budget_line(const BudgetLine& l) = 0;
  virtual std::optional<BudgetLine> find_budget_line(AuthorityId a, int year,
                                                     const std::string& action) = 0;
  virtual std::optional<BudgetLine> get_budget_line(AuthorityId a, BudgetLineId id) = 0;
  virtual std::vector<BudgetLine> list_budget_lines(AuthorityId a, std::optional<int> year) = 0;
  virtual LineBalances line_balances(AuthorityId a, BudgetLineId id) = 0;
  // Appends the entry and adds its effect to the line's balances, in this transaction. The
  // database refuses (StoreError) a balance that breaks the ledger's invariants, whatever the
  // caller checked: callers check first with apply_movement so that users get a refusal.
  virtual LedgerEntryId post_ledger_entry(const LedgerEntry& e) = 0;
  // Appends the entries and adds their effects to their lines' balances, as post_ledger_entry
  // would one by one, but with one balance update per line (of the entries' summed effects):
  // the database checks the invariants on each line's final balances.
  virtual void post_ledger_entries(const std::vector<LedgerEntry>& entries) = 0;
  // The line's journal in order; reversal entries carry the kind they undo.
  virtual std::vector<LedgerEntry> ledger_journal(AuthorityId a, BudgetLineId id) = 0;
  virtual std::optional<LedgerEntry> get_ledger_entry(AuthorityId a, LedgerEntryId id) = 0;
};

}  // namespace octroi
