// budget (show, line create, vote, allocate, release) and ledger (journal, reverse, verify).
#include "adapters/cli/commands/commands.h"

namespace octroi::cli {
namespace {

struct BudgetCommands : Area {
  using Area::Area;
  std::string budget_year;
  BudgetLineInput line_in;
  MovementInput movement;
  std::string line_key;
  ReversalInput reversal_in;

  void add_show(CLI::App* budget) {
    auto* budget_show =
        budget->add_subcommand("show", "Chaque ligne : voté, affecté, engagé, mandaté, disponible");
    add_common(budget_show, c);
    budget_show->add_option("--year", budget_year, "Exercice");
    budget_show->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = read(
            *store, c, [&](Transaction& tx, AuthorityId a) -> Result<std::vector<BudgetLineView>> {
              std::optional<int> year;
              if (!budget_year.empty()) {
                if (budget_year.size() != 4 ||
                    budget_year.find_first_not_of("0123456789") != std::string::npos)
                  return refuse("budget.year", "year", "L'exercice est une année (ex. 2023).");
                year = std::stoi(budget_year);
              }
              return budget_overview(tx, a, year);
            });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << (c.json ? json_budget(r.value()) : text_budget(r.value()));
        return 0;
      };
    });
  }

  void add_line(CLI::App* budget) {
    auto* budget_line = budget->add_subcommand("line", "Lignes budgétaires");
    budget_line->require_subcommand(1);
    auto* line_create = budget_line->add_subcommand("create", "Crée une ligne budgétaire");
    add_common(line_create, c);
    line_create->add_option("--year", line_in.year, "Exercice (ex. 2023)")->required();
    line_create
        ->add_option("--imputation", line_in.imputation,
                     "Imputation (ex. 936-632-657341-163003-400)")
        ->required();
    line_create->add_option("--nomenclature", line_in.nomenclature, "M57 (défaut) ou M71");
    line_create->add_option("--programme-label", line_in.programme_label, "Libellé du programme");
    line_create->add_option("--action", line_in.action, "Code action (ex. 16300302)")->required();
    line_create->add_option("--action-label", line_in.action_label, "Libellé de l'action")
        ->required();
    line_create->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return create_budget_line(tx, ctx, line_in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << "Ligne " << r->key() << " créée (" << r->imputation.str() << ").\n";
        return 0;
      };
    });
  }

  using Movement = Result<LineBalances> (*)(Transaction&, const Context&, const MovementInput&);
  void add_movement(CLI::App* budget, const char* name, const char* help, bool vote,
                    Movement use_case) {
    auto* cmd = budget->add_subcommand(name, help);
    cmd->add_option("line", movement.line, "Ligne EXERCICE/ACTION (ex. 2023/16300302)")->required();
    add_common(cmd, c);
    if (vote) {
      cmd->add_option("--ae", movement.ae, "AE/AP votées (négatif : réduction)");
      cmd->add_option("--cp", movement.cp, "CP votés (négatif : réduction)");
    } else {
      cmd->add_option("--amount", movement.amount, "Montant")->required();
    }
    cmd->add_option("--reference", movement.reference, "Acte (ex. BP 2023, CP 2023-040)")
        ->required();
    cmd->add_option("--on", movement.on,
                    "Date de l'acte, montrée par le journal (par défaut : aujourd'hui)");
    cmd->add_option("--label", movement.label,
                    vote ? "Libellé (par défaut : « Vote du budget »)" : "Libellé (obligatoire)");
    cmd->callback([this, use_case] {
      action = [this, use_case] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return use_case(tx, ctx, movement);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        auto lines = read(*store, c, [&](Transaction& tx, AuthorityId a) {
          return budget_overview(tx, a, std::nullopt);
        });
        std::cout << (c.json ? json_budget(lines.value()) : text_budget(lines.value()));
        return 0;
      };
    });
  }

  void add_journal(CLI::App* ledger) {
    auto* journal = ledger->add_subcommand("journal", "Journal d'une ligne");
    journal->add_option("line", line_key, "Ligne EXERCICE/ACTION")->required();
    add_common(journal, c);
    journal->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r =
            read(*store, c,
                 [&](Transaction& tx,
                     AuthorityId a) -> Result<std::pair<BudgetLine, std::vector<LedgerEntry>>> {
                   auto line = budget_line_by_key(tx, a, line_key);
                   if (!line.ok()) return line.refusal();
                   auto entries = line_journal(tx, a, line_key);
                   if (!entries.ok()) return entries.refusal();
                   return std::make_pair(line.value(), entries.value());
                 });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << (c.json ? json_journal(r->second) : text_journal(r->first, r->second));
        return 0;
      };
    });
  }

  void add_reverse(CLI::App* ledger) {
    auto* reverse = ledger->add_subcommand(
        "reverse",
        "Annule un mouvement par un mouvement inverse (le journal n'est jamais modifié)");
    reverse->add_option("line", reversal_in.line, "Ligne EXERCICE/ACTION")->required();
    reverse->add_option("entry", reversal_in.entry, "Numéro du mouvement (voir ledger journal)")
        ->required();
    add_common(reverse, c);
    reverse->add_option("--reference", reversal_in.reference, "Acte qui décide la correction")
        ->required();
    reverse->add_option("--label", reversal_in.label, "Libellé");
    reverse->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return reverse_entry(tx, ctx, reversal_in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        auto lines = read(*store, c, [&](Transaction& tx, AuthorityId a) {
          return budget_overview(tx, a, std::nullopt);
        });
        std::cout << (c.json ? json_budget(lines.value()) : text_budget(lines.value()));
        return 0;
      };
    });
  }

  void add_verify(CLI::App* ledger) {
    auto* ledger_verify = ledger->add_subcommand(
        "verify", "Recalcule chaque solde depuis le journal (code 1 si anomalie)");
    add_common(ledger_verify, c);
    ledger_verify->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) -> Result<LedgerVerification> {
          return verify_ledger(tx, a);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << (c.json ? json_ledger_verification(r.value())
                             : text_ledger_verification(r.value()));
        return r->differences.empty() ? 0 : kRefused;
      };
    });
  }
};

}  // namespace

void add_budget_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<BudgetCommands>(env);
  auto* budget = app.add_subcommand("budget", "Lignes budgétaires, votes et affectations");
  budget->require_subcommand(1);
  area.add_show(budget);
  area.add_line(budget);
  area.add_movement(budget, "vote",
                    "Vote d'AE/AP et de CP (budget primitif, décision modificative)", true,
                    vote_budget);
  area.add_movement(budget, "allocate", "Affectation directe d'AE/AP (sur délibération)", false,
                    allocate_budget);
  area.add_movement(budget, "release", "Désaffectation d'AE/AP", false, release_budget);

  auto* ledger = app.add_subcommand("ledger", "Grand livre des mouvements budgétaires");
  ledger->require_subcommand(1);
  area.add_journal(ledger);
  area.add_reverse(ledger);
  area.add_verify(ledger);
}

}  // namespace octroi::cli
