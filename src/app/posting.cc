#include "app/posting.h"

#include "app/audit_json.h"
#include "app/ports/ledger.h"

namespace octroi {

std::string line_audit_json(const BudgetLine& l, const LineBalances& b) {
  using audit_json::quote;
  return "{\"line\":" + quote(l.key()) + ",\"imputation\":" + quote(l.imputation.str()) +
         ",\"ae_voted\":" + quote(b.ae_voted.to_decimal_string()) +
         ",\"cp_voted\":" + quote(b.cp_voted.to_decimal_string()) +
         ",\"allocated\":" + quote(b.allocated.to_decimal_string()) +
         ",\"committed\":" + quote(b.committed.to_decimal_string()) +
         ",\"paid\":" + quote(b.paid.to_decimal_string()) +
         ",\"cp_used\":" + quote(b.cp_used.to_decimal_string()) + "}";
}

void check_posted(Transaction& tx, AuthorityId a, const BudgetLine& line,
                  const LineBalances* expected) {
  const LineBalances stored = tx.ledger().line_balances(a, line.id);
  stored.assert_invariants(line.key());
  OCTROI_CHECK(!expected || stored == *expected,
               "the balances stored after a posting are the ones the domain computed");
}

Result<Posted> post_movement(Transaction& tx, const Context& ctx, const BudgetLine& line,
                             const Movement& m) {
  const LineBalances before = tx.ledger().line_balances(ctx.authority, line.id);
  auto after = apply_movement(line, before, m.kind, m.amount);
  if (!after.ok()) return after.refusal();
  LedgerEntry e;
  e.authority = ctx.authority;
  e.line = line.id;
  e.kind = m.kind;
  e.amount = m.amount;
  e.reference = m.reference;
  e.label = m.label;
  e.application = m.application;
  e.on = m.on ? *m.on : ctx.clock->today();
  e.at = ctx.clock->now();
  e.actor = ctx.actor;
  const LedgerEntryId id = tx.ledger().post_ledger_entry(e);
  OCTROI_DEBUG_CHECK(check_posted(tx, ctx.authority, line, &after.value()));
  record_audit(tx, ctx,
               {.action = "ledger." + std::string(to_string(m.kind)),
                .entity = "budget_line",
                .key = line.key(),
                .before = line_audit_json(line, before),
                .after = line_audit_json(line, after.value()),
                .at = e.at});
  return Posted{after.value(), id};
}

}  // namespace octroi
