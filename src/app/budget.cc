#include <cstdio>

#include "app/audit_json.h"
#include "app/input.h"
#include "app/ports/audit.h"
#include "app/ports/ledger.h"
#include "app/posting.h"
#include "app/use_cases.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace {

void check_reference(InputProblems& pb, const std::string& reference) {
  if (auto p = text::check_required(reference, "reference",
                                    "La référence de l'acte (délibération, budget)", 100))
    pb.add(*p);
}

Result<LineBalances> post(Transaction& tx, const Context& ctx, const BudgetLine& line,
                          MovementKind kind, Money amount, const std::string& reference,
                          const std::string& label, std::optional<Date> on) {
  auto posted = post_movement(tx, ctx, line, {kind, amount, reference, label, std::nullopt, on});
  if (!posted.ok()) return posted.refusal();
  return posted->after;
}

}  // namespace

Result<BudgetLine> create_budget_line(Transaction& tx, const Context& ctx,
                                      const BudgetLineInput& in) {
  InputProblems pb;
  BudgetLine l;
  l.authority = ctx.authority;
  Nomenclature n{};
  // Not given: M57, the nomenclature of regions and départements (as the CLI's default).
  const std::string nomenclature =
      text::trim(in.nomenclature).empty() ? std::string("M57") : text::trim(in.nomenclature);
  if (!parse_nomenclature(nomenclature, n))
    pb.add({"budget.nomenclature", "nomenclature",
            "Nomenclature inconnue « " + in.nomenclature + " » : M57 ou M71."});
  if (auto im = pb.take(Imputation::parse(in.imputation, "imputation", n))) l.imputation = *im;
  int year = 0;
  if (std::sscanf(in.year.c_str(), "%d", &year) != 1 || std::to_string(year) != text::trim(in.year))
    pb.add({"budget.year", "year", "L'exercice doit être une année (par exemple 2023)."});
  l.fiscal_year = year;
  l.programme_label = text::trim(in.programme_label);
  l.action = text::trim(in.action);
  l.action_label = text::trim(in.action_label);
  if (auto p = text::check_optional(l.programme_label, "programme_label", "Le libellé du programme",
                                    300))
    pb.add(*p);
  if (auto p = text::check_optional(l.action_label, "action_label", "Le libellé de l'action", 300))
    pb.add(*p);
  if (!pb.empty()) return pb.refusal();
  if (auto v = l.validate(); !v.ok()) {
    // The domain names its own field; the user typed "year".
    std::vector<Problem> problems = v.refusal().problems;
    for (auto& p : problems)
      if (p.field == "fiscal_year") p.field = "year";
    return Refusal(std::move(problems));
  }
  if (tx.ledger().find_budget_line(ctx.authority, l.fiscal_year, l.action))
    return refuse("budget.line_exists", "action",
                  "La ligne " + l.key() + " existe déjà pour cet exercice.");
  l.id = tx.ledger().insert_budget_line(l);
  record_audit(tx, ctx,
               {.action = "budget_line.create",
                .entity = "budget_line",
                .key = l.key(),
                .after = line_audit_json(l, LineBalances{})});
  return l;
}

Result<BudgetLine> budget_line_by_key(Transaction& tx, AuthorityId a, const std::string& key,
                                      const std::string& field) {
  const std::string k = text::trim(key);
  const auto slash = k.find('/');
  int year = 0;
  if (slash != 4 || std::sscanf(k.substr(0, 4).c_str(), "%d", &year) != 1 || k.size() != 13)
    return refuse("budget.line_key", field,
                  "Ligne budgétaire « " + key +
                      " » : forme attendue EXERCICE/ACTION, par "
                      "exemple 2023/16300302.");
  auto line = tx.ledger().find_budget_line(a, year, k.substr(5));
  if (!line) return refuse("budget.unknown_line", field, "Aucune ligne budgétaire " + k + ".");
  return *line;
}

Result<LineBalances> vote_budget(Transaction& tx, const Context& ctx, const MovementInput& in) {
  InputProblems pb;
  auto line = pb.take(budget_line_by_key(tx, ctx.authority, in.line));
  auto ae = pb.optional_money(in.ae, "ae");
  auto cp = pb.optional_money(in.cp, "cp");
  check_reference(pb, text::trim(in.reference));
  const auto on = pb.optional_date(in.on, "on");
  // "--ae 0 --cp 50000" votes CP only: a zero amount is no vote of that kind.
  if (ae && ae->is_zero()) ae.reset();
  if (cp && cp->is_zero()) cp.reset();
  if (!ae && !cp && pb.empty())
    pb.add({"budget.vote_empty", "ae", "Indiquez un montant d'AE/AP, de CP, ou les deux."});
  if (!pb.empty()) return pb.refusal();
  LineBalances b = tx.ledger().line_balances(ctx.authority, line->id);
  const std::string label = in.label.empty() ? "Vote du budget" : text::trim(in.label);
  // A vote's refusals name the option the user typed, not the movement's generic amount.
  auto on_field = [](const Refusal& r, const std::string& field) {
    std::vector<Problem> out;
    for (const auto& p : r.problems)
      out.push_back({p.code, field, p.message});
    return Refusal(std::move(out));
  };
  if (ae) {
    auto r = post(tx, ctx, *line, MovementKind::VoteAuthorisation, *ae, text::trim(in.reference),
                  label, on);
    if (!r.ok()) return on_field(r.refusal(), "ae");
    b = r.value();
  }
  if (cp) {
    auto r =
        post(tx, ctx, *line, MovementKind::VotePayment, *cp, text::trim(in.reference), label, on);
    if (!r.ok()) return on_field(r.refusal(), "cp");
    b = r.value();
  }
  return b;
}

namespace {

Result<LineBalances> simple_movement(Transaction& tx, const Context& ctx, const MovementInput& in,
                                     MovementKind kind) {
  InputProblems pb;
  auto line = pb.take(budget_line_by_key(tx, ctx.authority, in.line));
  auto amount = pb.money(in.amount, "amount");
  check_reference(pb, text::trim(in.reference));
  if (auto p = text::check_required(in.label, "label", "Le libellé du mouvement", 300)) pb.add(*p);
  const auto on = pb.optional_date(in.on, "on");
  if (!pb.empty()) return pb.refusal();
  return post(tx, ctx, *line, kind, *amount, text::trim(in.reference), text::trim(in.label), on);
}

}  // namespace

Result<LineBalances> allocate_budget(Transaction& tx, const Context& ctx, const MovementInput& in) {
  return simple_movement(tx, ctx, in, MovementKind::Allocation);
}

Result<LineBalances> release_budget(Transaction& tx, const Context& ctx, const MovementInput& in) {
  return simple_movement(tx, ctx, in, MovementKind::Release);
}

Result<LineBalances> reverse_entry(Transaction& tx, const Context& ctx, const ReversalInput& in) {
  InputProblems pb;
  auto line = pb.take(budget_line_by_key(tx, ctx.authority, in.line));
  check_reference(pb, text::trim(in.reference));
  long long id = 0;
  char extra = 0;
  if (std::sscanf(in.entry.c_str(), "%lld%c", &id, &extra) != 1 || id <= 0)
    pb.add({"ledger.entry", "entry", "Numéro de mouvement invalide « " + in.entry + " »."});
  if (!pb.empty()) return pb.refusal();
  auto entry = tx.ledger().get_ledger_entry(ctx.authority, LedgerEntryId{id});
  if (!entry || entry->line != line->id)
    return refuse("ledger.entry", "entry",
                  "Aucun mouvement n° " + in.entry + " sur la ligne " + line->key() + ".");
  if (entry->kind == MovementKind::Reversal)
    return refuse("ledger.reverse_reversal", "entry",
                  "Le mouvement n° " + in.entry + " est lui-même une annulation.");
  if (entry->application || entry->article)
    return refuse(
        "ledger.reverse_linked", "entry",
        "Le mouvement n° " + in.entry +
            " découle d'une délibération ou d'un dossier : "
            "il se corrige par un acte (désaffectation, avenant), pas par une annulation.");
  for (const auto& e : tx.ledger().ledger_journal(ctx.authority, line->id))
    if (e.reverses && e.reverses->value == id)
      return refuse("ledger.already_reversed", "entry",
                    "Le mouvement n° " + in.entry + " a déjà été annulé (mouvement n° " +
                        std::to_string(e.id.value) + ").");
  const LineBalances before = tx.ledger().line_balances(ctx.authority, line->id);
  auto after = apply_movement(*line, before, MovementKind::Reversal, entry->amount, entry->kind);
  if (!after.ok()) return after;
  LedgerEntry e;
  e.authority = ctx.authority;
  e.line = line->id;
  e.kind = MovementKind::Reversal;
  e.amount = entry->amount;
  e.reference = text::trim(in.reference);
  e.label = in.label.empty() ? "Annulation du mouvement n° " + in.entry : text::trim(in.label);
  e.reverses = entry->id;
  e.on = ctx.clock->today();
  e.at = ctx.clock->now();
  e.actor = ctx.actor;
  tx.ledger().post_ledger_entry(e);
  OCTROI_DEBUG_CHECK(check_posted(tx, ctx.authority, *line, &after.value()));
  record_audit(tx, ctx,
               {.action = "ledger.reversal",
                .entity = "budget_line",
                .key = line->key(),
                .before = line_audit_json(*line, before),
                .after = line_audit_json(*line, after.value()),
                .at = e.at});
  return after;
}

Result<std::vector<BudgetLineView>> budget_overview(Transaction& tx, AuthorityId a,
                                                    std::optional<int> year) {
  std::vector<BudgetLineView> out;
  for (auto& l : tx.ledger().list_budget_lines(a, year)) {
    const LineBalances b = tx.ledger().line_balances(a, l.id);
    OCTROI_DEBUG_CHECK(b.assert_invariants(l.key()));
    out.push_back({std::move(l), b});
  }
  return out;
}

Result<std::vector<LedgerEntry>> line_journal(Transaction& tx, AuthorityId a,
                                              const std::string& key) {
  auto line = budget_line_by_key(tx, a, key);
  if (!line.ok()) return line.refusal();
  return tx.ledger().ledger_journal(a, line->id);
}

Result<BudgetLineView> show_budget_line(Transaction& tx, AuthorityId a, const std::string& key) {
  auto line = budget_line_by_key(tx, a, key);
  if (!line.ok()) return line.refusal();
  return BudgetLineView{line.value(), tx.ledger().line_balances(a, line->id)};
}

LedgerVerification verify_ledger(Transaction& tx, AuthorityId a) {
  LedgerVerification out;
  for (const auto& l : tx.ledger().list_budget_lines(a, std::nullopt)) {
    ++out.lines;
    const auto journal = tx.ledger().ledger_journal(a, l.id);
    out.entries += static_cast<std::int64_t>(journal.size());
    const LineBalances stored = tx.ledger().line_balances(a, l.id);
    const LineBalances computed = fold_journal(journal);
    if (stored != computed)
      out.differences.push_back(
          {l, stored, computed, "les soldes enregistrés ne sont pas la somme du journal"});
    if (auto broken = stored.check())
      out.differences.push_back({l, stored, computed, "invariant rompu : " + *broken});
  }
  return out;
}

AuditVerification verify_audit(Transaction& tx, AuthorityId a, Hasher& hasher) {
  AuditVerification out;
  const auto trail = tx.audit().audit_trail(a);
  out.entries = static_cast<std::int64_t>(trail.size());
  out.problems = verify_audit_chain(trail, hasher);
  if (!trail.empty()) {
    out.head_seq = trail.back().authority_seq;
    out.head_hash = trail.back().hash;
  }
  return out;
}

}  // namespace octroi
