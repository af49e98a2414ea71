// The ledger port (app/ports/ledger.h) over sql::Connection.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/ledger.h"

namespace octroi::sql {
namespace {

constexpr const char* kLineColumns =
    "id, authority_id, fiscal_year, nomenclature, chapter, function, nature, programme, "
    "free_code, programme_label, action, action_label";

constexpr const char* kEntryColumns =
    "e.id, e.authority_id, e.budget_line_id, e.kind, e.amount_cents, e.reference, e.label, "
    "e.application_id, e.party_id, e.article_id, e.reverses_entry_id, e.at, e.actor, "
    "e.effective_on, r.kind";

class SqlLedger final : public LedgerPort {
 public:
  explicit SqlLedger(TxContext& t) : t_(t) {}

  BudgetLineId insert_budget_line(const BudgetLine& l) override {
    t_.scope(l.authority);
    const auto& im = l.imputation;
    const std::int64_t new_id =
        Params(t_.c.prepare(
                   "INSERT INTO budget_lines (authority_id, fiscal_year, nomenclature, chapter, "
                   "function, "
                   "nature, programme, free_code, section, programme_label, action, action_label) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id"))
            .add(l.authority.value)
            .add(l.fiscal_year)
            .add(std::string(to_string(im.nomenclature)))
            .add(im.chapter)
            .add(im.function)
            .add(im.nature)
            .add(im.programme)
            .add(im.free_code)
            .add(std::string(to_string(im.section())))
            .add(l.programme_label)
            .add(l.action)
            .add(l.action_label)
            .run_returning_id();
    return BudgetLineId{new_id};
  }

  std::optional<BudgetLine> find_budget_line(AuthorityId a, int year,
                                             const std::string& action) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kLineColumns +
                           " FROM budget_lines WHERE authority_id = ? AND fiscal_year = ? AND "
                           "action = ?");
    Params(st).add(a.value).add(year).add(action);
    if (!st.step()) return std::nullopt;
    return line_row(st);
  }

  std::optional<BudgetLine> get_budget_line(AuthorityId a, BudgetLineId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kLineColumns +
                           " FROM budget_lines WHERE authority_id = ? AND id = ?");
    Params(st).add(a.value).add(id.value);
    if (!st.step()) return std::nullopt;
    return line_row(st);
  }

  std::vector<BudgetLine> list_budget_lines(AuthorityId a, std::optional<int> year) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kLineColumns +
                           " FROM budget_lines WHERE authority_id = ?1 AND (CAST(?2 AS INTEGER) "
                           "IS NULL OR fiscal_year = ?2) ORDER BY fiscal_year, action LIMIT 10000");
    Params(st).add(a.value).add(year);
    std::vector<BudgetLine> out;
    while (st.step())
      out.push_back(line_row(st));
    return out;
  }

  LineBalances line_balances(AuthorityId a, BudgetLineId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT ae_voted_cents, cp_voted_cents, allocated_cents, committed_cents, paid_cents, "
        "cp_used_cents FROM budget_lines WHERE authority_id = ? AND id = ?");
    Params(st).add(a.value).add(id.value);
    if (!st.step()) throw StoreError("budget line not found");
    Row row(st);
    return {row.money(), row.money(), row.money(), row.money(), row.money(), row.money()};
  }

  LedgerEntryId post_ledger_entry(const LedgerEntry& e) override {
    t_.scope(e.authority);
    const BalanceDelta d = delta_of(e.kind, e.amount, reversed_kind(e));
    Params p(t_.c.prepare(std::string(kInsertEntry) + " RETURNING id"));
    const LedgerEntryId id{bind_entry(p, e).run_returning_id()};
    add_to_line(e.authority, e.line, d, false);
    return id;
  }

  void post_ledger_entries(const std::vector<LedgerEntry>& entries) override {
    // One balance update per line, of the entries' summed effects (in the lines' order): on
    // PostgreSQL each statement is a round trip, and the inserts are pipelined.
    std::map<std::pair<std::int64_t, std::int64_t>, BalanceDelta> lines;
    for (const auto& e : entries) {
      t_.scope(e.authority);
      const BalanceDelta d = delta_of(e.kind, e.amount, reversed_kind(e));
      Params p(t_.c.prepare(kInsertEntry));
      bind_entry(p, e).run_later();
      auto [it, fresh] = lines.try_emplace({e.authority.value, e.line.value}, d);
      if (!fresh) it->second = sum(it->second, d);
    }
    for (const auto& [key, d] : lines)
      add_to_line(AuthorityId{key.first}, BudgetLineId{key.second}, d, true);
  }

  std::vector<LedgerEntry> ledger_journal(AuthorityId a, BudgetLineId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kEntryColumns +
                           " FROM ledger_entries e LEFT JOIN ledger_entries r ON r.id = "
                           "e.reverses_entry_id WHERE e.authority_id = ? AND e.budget_line_id = ? "
                           "ORDER BY e.id");
    Params(st).add(a.value).add(id.value);
    std::vector<LedgerEntry> out;
    while (st.step())
      out.push_back(entry_row(st));
    return out;
  }

  std::optional<LedgerEntry> get_ledger_entry(AuthorityId a, LedgerEntryId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kEntryColumns +
                           " FROM ledger_entries e LEFT JOIN ledger_entries r ON r.id = "
                           "e.reverses_entry_id WHERE e.authority_id = ? AND e.id = ?");
    Params(st).add(a.value).add(id.value);
    if (!st.step()) return std::nullopt;
    return entry_row(st);
  }

 private:
  static constexpr const char* kInsertEntry =
      "INSERT INTO ledger_entries (authority_id, budget_line_id, kind, amount_cents, reference, "
      "label, application_id, party_id, article_id, reverses_entry_id, at, actor, effective_on) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";

  static Params& bind_entry(Params& p, const LedgerEntry& e) {
    return p.add(e.authority.value)
        .add(e.line.value)
        .add(std::string(to_string(e.kind)))
        .add(e.amount.cents())
        .add(e.reference)
        .add(e.label)
        .add(id_of(e.application))
        .add(id_of(e.party))
        .add(id_of(e.article))
        .add(id_of(e.reverses))
        .add(e.at)
        .add(e.actor)
        .add(e.on);
  }

  // The kind of the entry `e` reverses, if it reverses one.
  std::optional<MovementKind> reversed_kind(const LedgerEntry& e) {
    if (!e.reverses) return std::nullopt;
    auto r = get_ledger_entry(e.authority, *e.reverses);
    if (!r) throw StoreError("reversed ledger entry not found");
    return r->kind;
  }

  static BalanceDelta sum(const BalanceDelta& x, const BalanceDelta& y) {
    return {x.ae_voted + y.ae_voted,   x.cp_voted + y.cp_voted, x.allocated + y.allocated,
            x.committed + y.committed, x.paid + y.paid,         x.cp_used + y.cp_used};
  }

  // Adds `d` to the line's balances. The CHECK constraints of budget_lines refuse any balance
  // that breaks the invariants; the line must exist (its entries reference it). `later`: the
  // update may be pipelined (its failure then surfaces before the commit, not here).
  void add_to_line(AuthorityId a, BudgetLineId line, const BalanceDelta& d, bool later) {
    Params p(
        t_.c.prepare("UPDATE budget_lines SET ae_voted_cents = ae_voted_cents + ?, "
                     "cp_voted_cents = cp_voted_cents + ?, allocated_cents = allocated_cents + ?, "
                     "committed_cents = committed_cents + ?, paid_cents = paid_cents + ?, "
                     "cp_used_cents = cp_used_cents + ? WHERE authority_id = ? AND id = ?"));
    p.add(d.ae_voted.cents())
        .add(d.cp_voted.cents())
        .add(d.allocated.cents())
        .add(d.committed.cents())
        .add(d.paid.cents())
        .add(d.cp_used.cents())
        .add(a.value)
        .add(line.value);
    if (later) return p.run_later(1);
    p.run();
    if (t_.c.changes() != 1) throw StoreError("budget line of the ledger entry not found");
  }

  static BudgetLine line_row(Statement& st) {
    BudgetLine l;
    Row row(st);
    l.id = row.id<BudgetLineId>();
    l.authority = row.id<AuthorityId>();
    l.fiscal_year = row.integer();
    auto& im = l.imputation;
    im.nomenclature = row.parsed<Nomenclature>(parse_nomenclature, "nomenclature");
    im.chapter = row.text();
    im.function = row.text();
    im.nature = row.text();
    im.programme = row.text();
    im.free_code = row.text();
    l.programme_label = row.text();
    l.action = row.text();
    l.action_label = row.text();
    return l;
  }

  static LedgerEntry entry_row(Statement& st) {
    LedgerEntry e;
    Row row(st);
    e.id = row.id<LedgerEntryId>();
    e.authority = row.id<AuthorityId>();
    e.line = row.id<BudgetLineId>();
    e.kind = row.parsed<MovementKind>(parse_movement_kind, "movement kind");
    e.amount = row.money();
    e.reference = row.text();
    e.label = row.text();
    if (auto v = row.opt_int64()) e.application = ApplicationId{*v};
    if (auto v = row.opt_int64()) e.party = PartyId{*v};
    if (auto v = row.opt_int64()) e.article = ArticleId{*v};
    if (auto v = row.opt_int64()) e.reverses = LedgerEntryId{*v};
    e.at = row.instant();
    e.actor = row.text();
    e.on = row.opt_date();
    if (auto k = row.opt_text())
      e.reversed_kind = parse_or_throw<MovementKind>(*k, parse_movement_kind, "movement kind");
    return e;
  }

  TxContext& t_;
};

}  // namespace

std::unique_ptr<LedgerPort> ledger_rows(TxContext& t) {
  return std::make_unique<SqlLedger>(t);
}

}  // namespace octroi::sql
