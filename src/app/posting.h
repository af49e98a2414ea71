// Posting one movement on a budget line, the way every use case does it: the domain checks the
// ledger's invariants first (so users get a French refusal), then the store appends the journal
// entry and adds its effect to the balances (and the database enforces the invariants again),
// and the change is audited with the line's balances before and after.
#pragma once

#include <optional>
#include <string>

#include "app/context.h"
#include "domain/budget/ledger.h"

namespace octroi {

struct Posted {
  LineBalances after;
  LedgerEntryId entry;
};

struct Movement {
  MovementKind kind = MovementKind::Allocation;
  Money amount;
  std::string reference;
  std::string label;
  std::optional<ApplicationId> application;
  std::optional<Date> on;  // the act's day; today when not given
};

Result<Posted> post_movement(Transaction& tx, const Context& ctx, const BudgetLine& line,
                             const Movement& m);

// After a posting, in debug and sanitizer builds (OCTROI_DEBUG_CHECK): reads the line's balances
// back from the store and asserts the ledger's invariants L1 to L4 on them (ledger.h), and, when
// `expected` is given, that they are what the domain computed. Throws InvariantViolation.
void check_posted(Transaction& tx, AuthorityId a, const BudgetLine& line,
                  const LineBalances* expected = nullptr);

// The canonical JSON of a line's balances, for the audit trail.
std::string line_audit_json(const BudgetLine& l, const LineBalances& b);

}  // namespace octroi
