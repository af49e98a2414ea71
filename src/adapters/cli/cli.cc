#include "adapters/cli/cli.h"

#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>
#include <tuple>

#include "adapters/cli/render.h"
#include "adapters/cli/system_clock.h"
#include "adapters/crypto/sodium_passwords.h"
#include "adapters/documents/pdf_converter.h"
#include "adapters/documents/render.h"
#include "adapters/http/server.h"
#include "adapters/opendata/scdl_csv.h"
#include "adapters/opendata/table_reader.h"
#include "adapters/spreadsheet/xlsx.h"
#include "adapters/store/open_store.h"
#include "app/accounts.h"
#include "app/deliberation_import.h"
#include "app/open_data.h"
#include "app/ports/audit.h"
#include "app/ports/authorities.h"
#include "app/ports/parties.h"
#include "app/ports/schemes.h"
#include "app/scdl_import.h"
#include "app/use_cases.h"
#include "core/french.h"

namespace octroi::cli {
namespace {

constexpr int kRefused = 1;
constexpr int kUsage = 2;
constexpr int kInfra = 3;

struct Common {
  std::string db;
  std::string authority;
  bool json = false;
};

// Thrown for a malformed option value that CLI11 could not check itself.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void add_db(CLI::App* cmd, Common& c) {
  cmd->add_option("--db", c.db,
                  "Base : fichier SQLite ou URL postgresql://… (ou variable OCTROI_DB)")
      ->envname("OCTROI_DB")
      ->required();
}

void add_common(CLI::App* cmd, Common& c, bool json = true) {
  add_db(cmd, c);
  cmd->add_option("--authority", c.authority,
                  "Code de la collectivité (par défaut : la seule de la base)")
      ->envname("OCTROI_AUTHORITY");
  if (json) cmd->add_flag("--json", c.json, "Sortie JSON (montants en chaînes)");
}

int print_refusal(const Refusal& r, bool json) {
  if (json) {
    std::cout << json_refusal(r);
  } else {
    std::cerr << text_refusal(r);
  }
  return kRefused;
}

std::string actor() {
  const char* user = std::getenv("USER");
  if (user && *user) return std::string("cli:") + user;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name)
    return std::string("cli:") + pw->pw_name;
  return "cli:uid" + std::to_string(getuid());
}

Result<Authority> resolve_authority(Transaction& tx, const std::string& code) {
  if (!code.empty()) return authority_by_code(tx, code);
  auto all = tx.authorities().list_authorities();
  if (all.size() == 1) return all.front();
  if (all.empty())
    return refuse("authority.none", "authority",
                  "La base ne contient aucune collectivité : chargez la démonstration avec "
                  "« octroi demo » ou créez-en une.");
  return refuse("authority.ambiguous", "authority",
                "La base contient plusieurs collectivités : précisez --authority.");
}

// Runs `body(tx, ctx)` for the resolved authority in a write transaction.
template <class F>
auto write(Store& store, Clock& clock, const Common& c, F body) {
  return run_write(store, [&](Transaction& tx) -> decltype(body(tx, std::declval<Context&>())) {
    auto a = resolve_authority(tx, c.authority);
    if (!a.ok()) return a.refusal();
    Context ctx{a->id, actor(), &clock};
    return body(tx, ctx);
  });
}

template <class F>
auto read(Store& store, const Common& c, F body) {
  return run_read(store, [&](Transaction& tx) -> decltype(body(tx, AuthorityId{})) {
    auto a = resolve_authority(tx, c.authority);
    if (!a.ok()) return a.refusal();
    return body(tx, a->id);
  });
}

std::pair<std::string, std::string> split_last(const std::string& s, char sep,
                                               const std::string& option) {
  const auto pos = s.rfind(sep);
  if (pos == std::string::npos || pos == 0)
    throw UsageError(option + " « " + s + " » : forme attendue LIBELLÉ" + sep + "VALEUR");
  return {s.substr(0, pos), s.substr(pos + 1)};
}

PlanChange::Side parse_side(const std::string& s, const std::string& option) {
  if (s == "expense" || s == "depense" || s == "dépense" || s == "d")
    return PlanChange::Side::Expense;
  if (s == "resource" || s == "recette" || s == "r") return PlanChange::Side::Resource;
  throw UsageError(option + " : côté « " + s + " » inconnu (dépense ou recette)");
}

// "expense:2" -> (Expense, 2)
std::pair<PlanChange::Side, std::size_t> parse_line_ref(const std::string& s,
                                                        const std::string& option) {
  const auto colon = s.find(':');
  if (colon == std::string::npos) throw UsageError(option + " : forme attendue CÔTÉ:N");
  const std::string n = s.substr(colon + 1);
  if (n.empty() || n.size() > 4 || n.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError(option + " : numéro de ligne invalide « " + n + " »");
  return {parse_side(s.substr(0, colon), option), std::stoul(n)};
}

// ---- application -----------------------------------------------------------------------------

struct PlanOptions {
  std::vector<std::string> set, label, eligible, add_expense, add_ineligible, add_resource, remove;
};

std::vector<PlanChange> plan_changes(const PlanOptions& o) {
  std::vector<PlanChange> out;
  for (const auto& s : o.set) {
    auto [ref, value] = split_last(s, '=', "--set");
    auto [side, pos] = parse_line_ref(ref, "--set");
    PlanChange c;
    c.side = side;
    c.position = pos;
    c.amount = value;
    out.push_back(c);
  }
  for (const auto& s : o.label) {
    const auto eq = s.find('=');
    if (eq == std::string::npos) throw UsageError("--label : forme attendue CÔTÉ:N=LIBELLÉ");
    auto [side, pos] = parse_line_ref(s.substr(0, eq), "--label");
    PlanChange c;
    c.side = side;
    c.position = pos;
    c.label = s.substr(eq + 1);
    out.push_back(c);
  }
  for (const auto& s : o.eligible) {
    auto [ref, value] = split_last(s, '=', "--eligible");
    auto [side, pos] = parse_line_ref(ref, "--eligible");
    if (side != PlanChange::Side::Expense)
      throw UsageError("--eligible ne concerne que les dépenses");
    PlanChange c;
    c.side = side;
    c.position = pos;
    if (value == "oui" || value == "yes") {
      c.eligible = true;
    } else if (value == "non" || value == "no") {
      c.eligible = false;
    } else {
      throw UsageError("--eligible : oui ou non");
    }
    out.push_back(c);
  }
  auto add_expense = [&](const std::string& s, bool eligible, const char* option) {
    auto [label, amount] = split_last(s, '=', option);
    PlanChange c;
    c.op = PlanChange::Op::Add;
    c.side = PlanChange::Side::Expense;
    c.label = label;
    c.amount = amount;
    c.eligible = eligible;
    out.push_back(c);
  };
  for (const auto& s : o.add_expense)
    add_expense(s, true, "--add-expense");
  for (const auto& s : o.add_ineligible)
    add_expense(s, false, "--add-ineligible-expense");
  for (const auto& s : o.add_resource) {
    const auto colon = s.find(':');
    if (colon == std::string::npos)
      throw UsageError("--add-resource : forme attendue NATURE:LIBELLÉ=MONTANT");
    auto [label, amount] = split_last(s.substr(colon + 1), '=', "--add-resource");
    PlanChange c;
    c.op = PlanChange::Op::Add;
    c.side = PlanChange::Side::Resource;
    c.kind = s.substr(0, colon);
    c.label = label;
    c.amount = amount;
    out.push_back(c);
  }
  for (const auto& s : o.remove) {
    auto [side, pos] = parse_line_ref(s, "--remove");
    PlanChange c;
    c.op = PlanChange::Op::Remove;
    c.side = side;
    c.position = pos;
    out.push_back(c);
  }
  return out;
}

struct CreateOptions {
  ApplicationInput in;
  std::vector<std::string> expenses, ineligible, resources;
};

void fill_plan_lines(CreateOptions& o) {
  for (const auto& s : o.expenses) {
    auto [label, amount] = split_last(s, '=', "--expense");
    o.in.expenses.push_back({label, amount, true});
  }
  for (const auto& s : o.ineligible) {
    auto [label, amount] = split_last(s, '=', "--ineligible-expense");
    o.in.expenses.push_back({label, amount, false});
  }
  for (const auto& s : o.resources) {
    const auto colon = s.find(':');
    if (colon == std::string::npos)
      throw UsageError("--resource : forme attendue NATURE:LIBELLÉ=MONTANT");
    auto [label, amount] = split_last(s.substr(colon + 1), '=', "--resource");
    o.in.resources.push_back({label, amount, s.substr(0, colon), ""});
  }
}

// A scheme field, reached the same way in any SchemeInput.
using SchemeField = std::string& (*)(SchemeInput&);

// The scheme options, each bound to a field of `in`. Returns (option, field) pairs so that an
// edit can copy only the options the user gave onto the scheme's current definition.
std::vector<std::pair<CLI::Option*, SchemeField>> add_scheme_options(CLI::App* cmd, SchemeInput& in,
                                                                     bool creating) {
  std::vector<std::pair<CLI::Option*, SchemeField>> out;
  auto opt = [&](const char* name, SchemeField field, const char* help) {
    out.emplace_back(cmd->add_option(name, field(in), help), field);
    return out.back().first;
  };
  opt(
      "--number", [](SchemeInput& s) -> std::string& { return s.number; },
      "Numéro du dispositif (ex. 00001176)")
      ->required();
  auto* name = opt(
      "--name", [](SchemeInput& s) -> std::string& { return s.name; }, "Nom du dispositif");
  if (creating) name->required();
  opt(
      "--framework", [](SchemeInput& s) -> std::string& { return s.framework_deliberation; },
      "Délibération cadre (ex. CR 2019-043)");
  opt(
      "--section", [](SchemeInput& s) -> std::string& { return s.section; },
      "operating (fonctionnement) ou investment");
  opt(
      "--imputation", [](SchemeInput& s) -> std::string& { return s.budget_imputation; },
      "Imputation budgétaire");
  opt(
      "--action", [](SchemeInput& s) -> std::string& { return s.budget_action; },
      "Action budgétaire");
  opt(
      "--opens-on", [](SchemeInput& s) -> std::string& { return s.opens_on; },
      "Date d'ouverture (vide pour aucune)");
  opt(
      "--closes-on", [](SchemeInput& s) -> std::string& { return s.closes_on; },
      "Date de clôture (vide pour aucune)");
  opt(
      "--rule", [](SchemeInput& s) -> std::string& { return s.rule.kind; },
      "rate (taux) ou fixed (forfait)");
  opt(
      "--rate", [](SchemeInput& s) -> std::string& { return s.rule.rate_percent; },
      "Taux d'intervention en % (ex. 50)");
  opt(
      "--rate-rounding", [](SchemeInput& s) -> std::string& { return s.rule.rate_rounding; },
      "Arrondi au centime : down, up, half_up, half_even");
  opt(
      "--base", [](SchemeInput& s) -> std::string& { return s.rule.base; },
      "by_vat_recovery, ht ou ttc");
  opt(
      "--step", [](SchemeInput& s) -> std::string& { return s.rule.step; },
      "Pas d'arrondi du montant (ex. 1000 ; vide pour aucun)");
  opt(
      "--step-rounding", [](SchemeInput& s) -> std::string& { return s.rule.step_rounding; },
      "down, up, half_up, half_even");
  opt(
      "--cap", [](SchemeInput& s) -> std::string& { return s.rule.cap; },
      "Plafond de l'aide (vide pour aucun)");
  opt(
      "--fixed-amount", [](SchemeInput& s) -> std::string& { return s.rule.fixed_amount; },
      "Montant forfaitaire");
  opt(
      "--service", [](SchemeInput& s) -> std::string& { return s.service; },
      "Service instructeur (ses instructeurs seuls agissent sur les dossiers)");
  opt(
      "--model-agreement", [](SchemeInput& s) -> std::string& { return s.model_agreement; },
      "Délibération adoptant la convention type (ex. CP 2022-111)");
  opt(
      "--advance-max", [](SchemeInput& s) -> std::string& { return s.advance_max; },
      "Avance : plafond en % de l'aide (vide : pas d'avance)");
  opt(
      "--interim-max", [](SchemeInput& s) -> std::string& { return s.interim_max; },
      "Acomptes : plafond cumulé en % de l'aide (vide : pas d'acompte)");
  opt(
      "--tolerance", [](SchemeInput& s) -> std::string& { return s.balance_tolerance; },
      "Solde : sous-réalisation tolérée en % avant proratisation");
  opt(
      "--lapse-first-request-years",
      [](SchemeInput& s) -> std::string& { return s.lapse_first_request_years; },
      "Caducité : première demande de versement dans les N ans");
  opt(
      "--lapse-balance-years", [](SchemeInput& s) -> std::string& { return s.lapse_balance_years; },
      "Caducité : solde dans les N ans");
  opt(
      "--obligation-years", [](SchemeInput& s) -> std::string& { return s.obligation_years; },
      "Durée des obligations du bénéficiaire (reversement au prorata)");
  opt(
      "--aid-regime", [](SchemeInput& s) -> std::string& { return s.aid_regime; },
      "Régime d'aide : none, de_minimis_1407_2013, de_minimis_2023_2831, sieg_360_2012, "
      "gber_651_2014");
  return out;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"octroi — gestion des subventions publiques, du dispositif à l'open data"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "octroi 0.1.0");

  Common c;
  SystemClock clock;
  std::function<int()> action;

  auto open_store = [&]() { return stores::open(c.db, stores::OpenMode::Existing); };

  // init
  auto* init = app.add_subcommand("init", "Crée une base vide (ou la met à jour)");
  add_db(init, c);
  init->callback([&] {
    action = [&] {
      auto store = stores::open(c.db, stores::OpenMode::Create);
      std::cout << "Base prête : " << stores::display_name(c.db) << " (schéma version "
                << store->schema_version() << ")\n";
      return 0;
    };
  });

  // demo
  auto* demo = app.add_subcommand("demo", "Charge la démonstration CP 2023-040");
  add_db(demo, c);
  demo->add_flag("--json", c.json, "Sortie JSON");
  bool play = false;
  auto* play_opt = demo->add_flag(
      "--play", play,
      "Joue aussi la suite : adoption de CP 2023-040, convention, avance et solde de "
      "EX070158");
  bool demo_list_accounts = false;
  demo->add_flag("--list-accounts", demo_list_accounts,
                 "Affiche les comptes de démonstration et leurs mots de passe, sans rien charger");
  bool demo_accounts_flag = false;
  demo->add_flag("--accounts", demo_accounts_flag,
                 "Crée aussi un compte de démonstration par rôle (mots de passe affichés)");
  bool demo_without_report = false;
  demo->add_flag("--without-report", demo_without_report,
                 "S'arrête avant le rapport CP 2023-040 : dossiers proposés en commission, "
                 "rien d'affecté, le rapport reste à composer")
      ->excludes(play_opt);
  demo->callback([&] {
    action = [&] {
      if (demo_list_accounts) {
        std::cout << "Comptes de démonstration (identifiant / mot de passe — rôle) :\n";
        for (const auto& a : demo_accounts())
          std::cout << "  " << a.login << " / " << a.password << " — "
                    << role_label(*parse_role(a.role)) << "\n";
        return 0;
      }
      auto store = stores::open(c.db, stores::OpenMode::Create);
      auto r = run_write(*store, [&](Transaction& tx) {
        return load_demo(tx, "demo", clock, DemoOptions{!demo_without_report});
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      if (demo_accounts_flag) {
        crypto::SodiumPasswordHasher passwords;
        auto accounts = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return load_demo_accounts(tx, ctx, passwords);
        });
        if (!accounts.ok()) return print_refusal(accounts.refusal(), c.json);
      }
      auto list = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return list_applications(tx, a, ApplicationFilter{});
      });
      if (!list.ok()) return print_refusal(list.refusal(), c.json);
      if (play) {
        auto life =
            run_write(*store, [&](Transaction& tx) { return play_demo_life(tx, "demo", clock); });
        if (!life.ok()) return print_refusal(life.refusal(), c.json);
        if (!c.json) {
          std::cout << "Suite jouée : CP 2023-040 adopté (dont le transfert Casaco), puis pour "
                       "EX070158 convention signée, avance et solde au prorata (plafonds "
                       "d'avance et d'acomptes illustratifs : 30 % et 80 %, décret 2018-514).\n\n";
          for (const auto& p : life->payments)
            std::cout << text_payment(p) << "\n";
        }
        list = read(*store, c, [&](Transaction& tx, AuthorityId a) {
          return list_applications(tx, a, ApplicationFilter{});
        });
      }
      if (c.json) {
        std::cout << json_application_list(list.value());
      } else {
        std::cout << "Démonstration chargée dans " << stores::display_name(c.db)
                  << " : Région Île-de-France, commission permanente du 25 janvier 2023, "
                     "rapport CP 2023-040.\n"
                  << "Les parts, totaux et montants d'aide ci-dessous sont calculés par octroi à "
                     "partir des lignes des plans de financement.\n"
                  << "Les montants votés des lignes budgétaires sont illustratifs : le rapport ne "
                     "les donne pas.\n"
                  << (play ? std::string()
                      : demo_without_report
                          ? "Le rapport CP 2023-040 reste à composer (octroi report create, "
                            "octroi report article, ou le back office).\n"
                          : "Le rapport CP 2023-040 est prêt à être adopté : octroi report "
                            "adopt \"CP 2023-040\" --db " +
                                c.db + "\n")
                  << "\n"
                  << text_application_list(list.value());
      }
      return 0;
    };
  });

  // application
  auto* application = app.add_subcommand("application", "Dossiers de demande de subvention");
  application->require_subcommand(1);

  ApplicationFilter filter;
  std::string filter_state, filter_scheme;
  auto* list = application->add_subcommand("list", "Liste des dossiers");
  add_common(list, c);
  list->add_option("--state", filter_state, "Filtre sur l'état (ex. proposed)");
  list->add_option("--scheme", filter_scheme, "Filtre sur le numéro de dispositif");
  list->add_option("--limit", filter.limit, "Taille de page (1 à 1 000)");
  list->add_option("--offset", filter.offset, "Décalage");
  list->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = read(
          *store, c, [&](Transaction& tx, AuthorityId a) -> Result<std::vector<ApplicationView>> {
            if (!filter_state.empty()) {
              ApplicationState s{};
              if (!parse_state(filter_state, s))
                return refuse("filter.state", "state", "État inconnu « " + filter_state + " ».");
              filter.state = s;
            }
            if (!filter_scheme.empty()) {
              auto s = scheme_by_number(tx, a, filter_scheme);
              if (!s.ok()) return s.refusal();
              filter.scheme = s->id;
            }
            return list_applications(tx, a, filter);
          });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << (c.json ? json_application_list(r.value()) : text_application_list(r.value()));
      return 0;
    };
  });

  std::string number;
  auto* show = application->add_subcommand("show", "Affiche un dossier, son plan et son calcul");
  show->add_option("number", number, "Numéro du dossier (ex. EX070158)")->required();
  add_common(show, c);
  show->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return show_application(tx, a, number);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << (c.json ? json_application(r.value()) : text_application(r.value()));
      return 0;
    };
  });

  CreateOptions create_opts;
  auto* create = application->add_subcommand("create", "Crée un dossier (brouillon)");
  add_common(create, c);
  auto& ci = create_opts.in;
  create->add_option("--number", ci.number, "Numéro (par défaut : le suivant)");
  create->add_option("--scheme", ci.scheme_number, "Numéro du dispositif")->required();
  create->add_option("--party", ci.party_id, "Numéro du tiers")->required();
  create->add_option("--title", ci.title, "Intitulé du projet")->required();
  create->add_option("--description", ci.description, "Description du projet");
  create->add_option("--place", ci.place, "Localisation");
  create->add_option("--start", ci.start, "Date de début (AAAA-MM-JJ ou JJ/MM/AAAA)")->required();
  create->add_option("--end", ci.end, "Date de fin")->required();
  create->add_option("--early-start", ci.early_start_date, "Date de démarrage anticipé");
  create->add_option("--early-start-justification", ci.early_start_justification,
                     "Motivation du démarrage anticipé");
  create->add_option("--reference-year", ci.reference_year, "Exercice de référence")->required();
  create->add_option("--expense", create_opts.expenses, "Dépense éligible LIBELLÉ=MONTANT");
  create->add_option("--ineligible-expense", create_opts.ineligible,
                     "Dépense non éligible LIBELLÉ=MONTANT");
  create->add_option("--resource", create_opts.resources,
                     "Recette NATURE:LIBELLÉ=MONTANT (natures : self_funding, authority, "
                     "other_public, loan, private, other)");
  create->callback([&] {
    action = [&] {
      fill_plan_lines(create_opts);
      ci.early_start = !ci.early_start_date.empty();
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return create_application(tx, ctx, ci);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      auto v = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return show_application(tx, a, r->number);
      });
      std::cout << (c.json ? json_application(v.value()) : text_application(v.value()));
      return 0;
    };
  });

  PlanOptions plan_opts;
  auto* plan = application->add_subcommand(
      "plan", "Modifie le plan de financement (toutes les modifications ou aucune)");
  plan->add_option("number", number, "Numéro du dossier")->required();
  add_common(plan, c);
  plan->add_option("--set", plan_opts.set,
                   "Montant d'une ligne : CÔTÉ:N=MONTANT (ex. expense:2=4500)");
  plan->add_option("--label", plan_opts.label, "Libellé d'une ligne : CÔTÉ:N=LIBELLÉ");
  plan->add_option("--eligible", plan_opts.eligible, "Éligibilité : expense:N=oui|non");
  plan->add_option("--add-expense", plan_opts.add_expense, "Ajoute une dépense LIBELLÉ=MONTANT");
  plan->add_option("--add-ineligible-expense", plan_opts.add_ineligible,
                   "Ajoute une dépense non éligible LIBELLÉ=MONTANT");
  plan->add_option("--add-resource", plan_opts.add_resource,
                   "Ajoute une recette NATURE:LIBELLÉ=MONTANT");
  plan->add_option("--remove", plan_opts.remove, "Supprime une ligne : CÔTÉ:N");
  plan->callback([&] {
    action = [&] {
      const auto changes = plan_changes(plan_opts);
      auto store = open_store();
      auto before = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return show_application(tx, a, number);
      });
      if (!before.ok()) return print_refusal(before.refusal(), c.json);
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return edit_plan(tx, ctx, number, changes);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      auto after = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return show_application(tx, a, number);
      });
      if (c.json) {
        std::cout << json_application(after.value());
      } else {
        std::cout << text_award_change(before.value(), after.value()) << "\n"
                  << text_application(after.value());
      }
      return 0;
    };
  });

  EventInput event_in;
  auto* event = application->add_subcommand("event", "Fait avancer un dossier dans son circuit");
  event->add_option("number", number, "Numéro du dossier")->required();
  event
      ->add_option("event", event_in.event,
                   "submit, declare_incomplete, complete, start_instruction, propose, reopen, "
                   "award, refuse, withdraw, close, lapse")
      ->required();
  add_common(event, c);
  event->add_option("--reason", event_in.reason, "Motif");
  event->add_option("--deliberation", event_in.deliberation, "Délibération (ex. CP 2023-040)");
  event->add_option("--deliberation-date", event_in.deliberation_date, "Date de la délibération");
  event->add_option("--amount", event_in.amount, "Montant attribué (par défaut : proposé)");
  event->add_option("--on", event_in.on, "Date de l'événement (par défaut : aujourd'hui)");
  event->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return apply_application_event(tx, ctx, number, event_in);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      auto v = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return show_application(tx, a, number);
      });
      if (c.json) {
        std::cout << json_application(v.value());
      } else {
        std::cout << "Dossier " << number << " : " << french(r->state) << ".\n";
      }
      return 0;
    };
  });

  // scheme
  auto* scheme = app.add_subcommand("scheme", "Dispositifs d'aide");
  scheme->require_subcommand(1);
  auto* scheme_list = scheme->add_subcommand("list", "Liste des dispositifs");
  add_common(scheme_list, c);
  scheme_list->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r =
          read(*store, c, [&](Transaction& tx, AuthorityId a) -> Result<std::vector<AidScheme>> {
            return tx.schemes().list_schemes(a);
          });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      if (c.json) {
        std::cout << json_schemes(r.value());
      } else {
        for (const auto& s : r.value())
          std::cout << text_scheme(s) << "\n";
      }
      return 0;
    };
  });
  auto* scheme_show = scheme->add_subcommand("show", "Affiche un dispositif");
  scheme_show->add_option("number", number, "Numéro du dispositif")->required();
  add_common(scheme_show, c);
  scheme_show->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return scheme_by_number(tx, a, number);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << (c.json ? json_scheme(r.value()) : text_scheme(r.value()));
      return 0;
    };
  });
  SchemeInput scheme_in;
  auto* scheme_create = scheme->add_subcommand("create", "Crée un dispositif");
  add_common(scheme_create, c);
  add_scheme_options(scheme_create, scheme_in, true);
  scheme_create->add_flag("--not-above-request", scheme_in.rule.not_above_request,
                          "Jamais au-dessus du montant demandé");
  scheme_create->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return create_scheme(tx, ctx, scheme_in);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << (c.json ? json_scheme(r.value()) : text_scheme(r.value()));
      return 0;
    };
  });
  SchemeInput edit_in;
  std::string not_above;
  auto* scheme_edit =
      scheme->add_subcommand("edit", "Modifie un dispositif (seules les options données changent)");
  add_common(scheme_edit, c);
  auto edit_options = add_scheme_options(scheme_edit, edit_in, false);
  auto* not_above_opt = scheme_edit->add_option("--not-above-request", not_above,
                                                "oui ou non : jamais au-dessus du montant demandé");
  scheme_edit->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r =
          write(*store, clock, c, [&](Transaction& tx, const Context& ctx) -> Result<AidScheme> {
            auto current = scheme_by_number(tx, ctx.authority, edit_in.number);
            if (!current.ok()) return current;
            SchemeInput merged = scheme_input_of(current.value());
            // Only the options the user gave change the current definition.
            for (const auto& [option, field] : edit_options)
              if (option->count() > 0) field(merged) = field(edit_in);
            if (not_above_opt->count() > 0) {
              if (not_above != "oui" && not_above != "non")
                return refuse("rule.not_above_request", "rule.not_above_request",
                              "--not-above-request attend oui ou non.");
              merged.rule.not_above_request = not_above == "oui";
            }
            return edit_scheme(tx, ctx, edit_in.number, merged);
          });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << (c.json ? json_scheme(r.value()) : text_scheme(r.value()));
      return 0;
    };
  });

  // party
  auto* party = app.add_subcommand("party", "Tiers (bénéficiaires)");
  party->require_subcommand(1);
  auto* party_list = party->add_subcommand("list", "Liste des tiers");
  add_common(party_list, c);
  party_list->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) -> Result<std::vector<Party>> {
        return tx.parties().list_parties(a);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      if (c.json) {
        std::cout << json_parties(r.value());
      } else {
        for (const auto& p : r.value())
          std::cout << text_party(p) << "\n";
      }
      return 0;
    };
  });
  PartyInput party_in;
  auto* party_register = party->add_subcommand("register", "Enregistre un tiers");
  add_common(party_register, c);
  party_register->add_option("--name", party_in.legal_name, "Dénomination")->required();
  party_register->add_option("--siren", party_in.siren, "SIREN");
  party_register->add_option("--siret", party_in.siret, "SIRET");
  party_register->add_option("--rna", party_in.rna, "N° RNA (associations)");
  party_register->add_option("--naf", party_in.naf, "Code APE/NAF");
  party_register->add_option("--status", party_in.legal_status, "Statut juridique");
  party_register->add_flag("--recovers-vat", party_in.recovers_vat, "Récupère la TVA");
  party_register->add_option("--civility", party_in.civility, "Civilité du représentant");
  party_register->add_option("--first-name", party_in.first_name, "Prénom du représentant");
  party_register->add_option("--last-name", party_in.last_name, "Nom du représentant");
  party_register->add_option("--role", party_in.role, "Qualité du représentant");
  party_register->add_option("--address", party_in.address_line1, "Adresse");
  party_register->add_option("--postal-code", party_in.postal_code, "Code postal");
  party_register->add_option("--city", party_in.city, "Commune");
  party_register->add_option("--insee", party_in.insee_code, "Code commune INSEE");
  party_register->add_option("--departement", party_in.departement, "Département");
  party_register->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return register_party(tx, ctx, party_in);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      if (c.json) {
        std::cout << json_party(r->party, r->warnings);
      } else {
        for (const auto& w : r->warnings)
          std::cerr << "Attention : " << w.message << "\n";
        std::cout << text_party(r->party);
      }
      return 0;
    };
  });

  // budget
  auto* budget = app.add_subcommand("budget", "Lignes budgétaires, votes et affectations");
  budget->require_subcommand(1);
  std::string budget_year;
  auto* budget_show =
      budget->add_subcommand("show", "Chaque ligne : voté, affecté, engagé, mandaté, disponible");
  add_common(budget_show, c);
  budget_show->add_option("--year", budget_year, "Exercice");
  budget_show->callback([&] {
    action = [&] {
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
  auto* budget_line = budget->add_subcommand("line", "Lignes budgétaires");
  budget_line->require_subcommand(1);
  BudgetLineInput line_in;
  auto* line_create = budget_line->add_subcommand("create", "Crée une ligne budgétaire");
  add_common(line_create, c);
  line_create->add_option("--year", line_in.year, "Exercice (ex. 2023)")->required();
  line_create
      ->add_option("--imputation", line_in.imputation, "Imputation (ex. 936-632-657341-163003-400)")
      ->required();
  line_create->add_option("--nomenclature", line_in.nomenclature, "M57 (défaut) ou M71");
  line_create->add_option("--programme-label", line_in.programme_label, "Libellé du programme");
  line_create->add_option("--action", line_in.action, "Code action (ex. 16300302)")->required();
  line_create->add_option("--action-label", line_in.action_label, "Libellé de l'action")
      ->required();
  line_create->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return create_budget_line(tx, ctx, line_in);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << "Ligne " << r->key() << " créée (" << r->imputation.str() << ").\n";
      return 0;
    };
  });
  MovementInput movement;
  auto add_movement = [&](const char* name, const char* help, bool vote,
                          Result<LineBalances> (*use_case)(Transaction&, const Context&,
                                                           const MovementInput&)) {
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
    cmd->add_option("--label", movement.label, "Libellé");
    cmd->callback([&, use_case] {
      action = [&, use_case] {
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
  };
  add_movement("vote", "Vote d'AE/AP et de CP (budget primitif, décision modificative)", true,
               vote_budget);
  add_movement("allocate", "Affectation directe d'AE/AP (sur délibération)", false,
               allocate_budget);
  add_movement("release", "Désaffectation d'AE/AP", false, release_budget);

  // ledger
  auto* ledger = app.add_subcommand("ledger", "Grand livre des mouvements budgétaires");
  ledger->require_subcommand(1);
  std::string line_key;
  auto* journal = ledger->add_subcommand("journal", "Journal d'une ligne");
  journal->add_option("line", line_key, "Ligne EXERCICE/ACTION")->required();
  add_common(journal, c);
  journal->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = read(*store, c,
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
  ReversalInput reversal_in;
  auto* reverse = ledger->add_subcommand(
      "reverse", "Annule un mouvement par un mouvement inverse (le journal n'est jamais modifié)");
  reverse->add_option("line", reversal_in.line, "Ligne EXERCICE/ACTION")->required();
  reverse->add_option("entry", reversal_in.entry, "Numéro du mouvement (voir ledger journal)")
      ->required();
  add_common(reverse, c);
  reverse->add_option("--reference", reversal_in.reference, "Acte qui décide la correction")
      ->required();
  reverse->add_option("--label", reversal_in.label, "Libellé");
  reverse->callback([&] {
    action = [&] {
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
  auto* ledger_verify = ledger->add_subcommand(
      "verify", "Recalcule chaque solde depuis le journal (code 1 si anomalie)");
  add_common(ledger_verify, c);
  ledger_verify->callback([&] {
    action = [&] {
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

  // report
  auto* report = app.add_subcommand("report", "Rapports et délibérations des séances");
  report->require_subcommand(1);
  std::string report_number;
  ReportInput report_in;
  auto* report_create = report->add_subcommand("create", "Crée un rapport pour une séance");
  report_create->add_option("number", report_in.number, "Numéro (ex. \"CP 2023-040\")")->required();
  add_common(report_create, c);
  report_create->add_option("--title", report_in.title, "Intitulé")->required();
  report_create->add_option("--date", report_in.session_date, "Date de la séance")->required();
  report_create->add_option("--body", report_in.body, "cp (commission permanente) ou cr (conseil)");
  report_create->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return create_report(tx, ctx, report_in);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << "Rapport " << r->number << " créé.\n";
      return 0;
    };
  });
  ArticleInput article_in;
  auto* article =
      report->add_subcommand("article", "Ajoute un article à un rapport en préparation");
  article->add_option("number", report_number, "Numéro du rapport")->required();
  add_common(article, c);
  article
      ->add_option("--kind", article_in.kind,
                   "scheme_awards, tranche, direct, transfer, amount_change ou extension")
      ->required();
  article->add_option("--title", article_in.title, "Intitulé")->required();
  article->add_option("--line", article_in.line, "Ligne EXERCICE/ACTION")->required();
  article->add_option("--amount", article_in.amount, "Montant de l'article")->required();
  article->add_option("--scheme", article_in.scheme, "scheme_awards : numéro du dispositif");
  article->add_option("--application", article_in.applications,
                      "scheme_awards : dossier (répéter l'option)");
  article->add_option("--party", article_in.party,
                      "tranche : bénéficiaire ; transfer : nouveau bénéficiaire (n° de tiers)");
  article->add_option("--planned-total", article_in.planned_total, "tranche : montant total prévu");
  article->add_option("--rate", article_in.tranche_rate, "tranche : part en %");
  article->add_option("--transfer", article_in.application, "transfer : dossier transféré");
  article->add_option("--dossier", article_in.application,
                      "amount_change, extension : dossier modifié par l'avenant");
  article->add_option("--new-end", article_in.new_end,
                      "extension : nouvelle fin de la période d'éligibilité");
  article->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return add_article(tx, ctx, report_number, article_in);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << "Article " << r->articles.size() << " ajouté au rapport " << r->number << ".\n";
      return 0;
    };
  });
  auto* report_show = report->add_subcommand("show", "Affiche un rapport et ses articles");
  report_show->add_option("number", report_number, "Numéro du rapport")->required();
  add_common(report_show, c);
  report_show->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return show_report(tx, a, report_number);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << (c.json ? json_report(r.value()) : text_report(r.value()));
      return 0;
    };
  });
  auto* report_list = report->add_subcommand("list", "Liste des rapports");
  add_common(report_list, c);
  report_list->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) { return list_reports(tx, a); });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << text_reports(r.value());
      return 0;
    };
  });
  auto* adopt = report->add_subcommand(
      "adopt", "Enregistre l'adoption : toutes les affectations et attributions, ou rien");
  adopt->add_option("number", report_number, "Numéro du rapport")->required();
  add_common(adopt, c);
  adopt->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return adopt_report(tx, ctx, report_number);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      auto lines = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return budget_overview(tx, a, std::nullopt);
      });
      if (c.json) {
        auto v = read(*store, c, [&](Transaction& tx, AuthorityId a) {
          return show_report(tx, a, report_number);
        });
        std::cout << json_report(v.value());
      } else {
        std::cout << text_adoption(r.value(), lines.value());
      }
      return 0;
    };
  });

  // ---- the life of an award
  auto* award = app.add_subcommand("award", "Vie de la subvention attribuée");
  award->require_subcommand(1);
  auto* award_show = award->add_subcommand(
      "show", "Convention, versements, reversements, avenants, aides d'État, conditions");
  award_show->add_option("number", number, "Numéro du dossier")->required();
  add_common(award_show, c);
  award_show->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = read(*store, c,
                    [&](Transaction& tx, AuthorityId a) { return show_award(tx, a, number); });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << (c.json ? json_award(r.value()) : text_award(r.value()));
      return 0;
    };
  });
  auto show_award_after = [&](Store& store) {
    auto v =
        read(store, c, [&](Transaction& tx, AuthorityId a) { return show_award(tx, a, number); });
    std::cout << (c.json ? json_award(v.value()) : text_award(v.value()));
    return 0;
  };

  auto* agreement = app.add_subcommand("agreement", "Conventions");
  agreement->require_subcommand(1);
  AgreementInput agreement_in;
  auto* agreement_create = agreement->add_subcommand(
      "create", "Établit la convention d'un dossier attribué, d'après la convention type");
  agreement_create->add_option("number", number, "Numéro du dossier")->required();
  add_common(agreement_create, c);
  agreement_create->add_option("--eligibility-start", agreement_in.eligibility_start,
                               "Début d'éligibilité des dépenses");
  agreement_create->add_option("--eligibility-end", agreement_in.eligibility_end,
                               "Fin d'éligibilité des dépenses");
  agreement_create->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return create_agreement(tx, ctx, number, agreement_in);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      return show_award_after(*store);
    };
  });
  SignatureInput signature_in;
  auto* agreement_sign =
      agreement->add_subcommand("sign", "Signature (la seconde engage la subvention sur sa ligne)");
  agreement_sign->add_option("number", number, "Numéro du dossier")->required();
  add_common(agreement_sign, c);
  agreement_sign->add_option("--signatory", signature_in.signatory, "beneficiary ou authority")
      ->required();
  agreement_sign->add_option("--on", signature_in.on, "Date de signature (défaut : aujourd'hui)");
  agreement_sign->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return sign_agreement(tx, ctx, number, signature_in);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      return show_award_after(*store);
    };
  });

  auto* payment = app.add_subcommand("payment", "Versements");
  payment->require_subcommand(1);
  PaymentInput payment_in;
  std::vector<std::string> payment_lines, payment_ineligible;
  auto* payment_request = payment->add_subcommand(
      "request", "Avance, acompte ou solde, dans les plafonds du dispositif");
  payment_request->add_option("number", number, "Numéro du dossier")->required();
  add_common(payment_request, c);
  payment_request->add_option("--kind", payment_in.kind, "advance, interim ou balance")->required();
  payment_request->add_option("--amount", payment_in.amount, "Montant demandé (avance, acompte)");
  payment_request->add_option("--realised", payment_in.realised,
                              "Dépenses éligibles réalisées (acompte, solde)");
  payment_request->add_option("--line", payment_lines,
                              "État récapitulatif : dépense éligible LIBELLÉ=MONTANT (répéter)");
  payment_request->add_option("--ineligible-line", payment_ineligible,
                              "État récapitulatif : dépense non éligible LIBELLÉ=MONTANT");
  payment_request->add_option("--on", payment_in.on, "Date (défaut : aujourd'hui)");
  payment_request->add_option("--reference", payment_in.reference, "Référence du mandat");
  payment_request->callback([&] {
    action = [&] {
      for (const auto& l : payment_lines) {
        auto [label, amount] = split_last(l, '=', "--line");
        payment_in.lines.push_back({label, amount, true});
      }
      for (const auto& l : payment_ineligible) {
        auto [label, amount] = split_last(l, '=', "--ineligible-line");
        payment_in.lines.push_back({label, amount, false});
      }
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return request_payment(tx, ctx, number, payment_in);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      if (!c.json) std::cout << text_payment(r.value()) << "\n";
      return show_award_after(*store);
    };
  });

  ClawbackInput clawback_in;
  auto* clawback = app.add_subcommand("clawback", "Reversement (titre de recette)");
  clawback->add_option("number", number, "Numéro du dossier")->required();
  add_common(clawback, c);
  clawback->add_option("--amount", clawback_in.amount, "Montant à reverser");
  clawback->add_flag("--pro-rata", clawback_in.pro_rata_years,
                     "Au prorata des années restant à courir");
  clawback->add_option("--reason", clawback_in.reason, "Motif")->required();
  clawback->add_option("--reference", clawback_in.reference, "Acte")->required();
  clawback->add_option("--on", clawback_in.on, "Date de la décision");
  clawback->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return order_clawback(tx, ctx, number, clawback_in);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      return show_award_after(*store);
    };
  });

  std::string as_of;
  bool dry_run = false;
  auto* lapse = app.add_subcommand("lapse", "Caducité : applique les règles des dispositifs");
  add_common(lapse, c);
  lapse->add_option("--as-of", as_of, "Date d'effet")->required();
  lapse->add_flag("--dry-run", dry_run, "Liste sans rien modifier");
  lapse->callback([&] {
    action = [&] {
      auto store = open_store();
      auto sweep = [&](Transaction& tx, const Context& ctx) {
        return lapse_sweep(tx, ctx, as_of, dry_run);
      };
      Result<std::vector<LapseSweepItem>> r =
          dry_run ? run_read(*store,
                             [&](Transaction& tx) -> Result<std::vector<LapseSweepItem>> {
                               auto a = resolve_authority(tx, c.authority);
                               if (!a.ok()) return a.refusal();
                               Context ctx{a->id, actor(), &clock};
                               return sweep(tx, ctx);
                             })
                  : write(*store, clock, c, sweep);
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << (c.json ? json_lapse(r.value(), dry_run) : text_lapse(r.value(), dry_run));
      return 0;
    };
  });

  auto* stateaid = app.add_subcommand("stateaid", "Aides d'État : de minimis, entreprise unique");
  stateaid->require_subcommand(1);
  std::string stage = "instruction";
  auto* stateaid_check = stateaid->add_subcommand("check", "Cumul de minimis du bénéficiaire");
  stateaid_check->add_option("number", number, "Numéro du dossier")->required();
  add_common(stateaid_check, c);
  stateaid_check->add_option("--stage", stage, "instruction ou vote");
  std::string grant_on;
  stateaid_check->add_option("--on", grant_on,
                             "Date d'octroi envisagée (dossier non encore attribué ; défaut : "
                             "aujourd'hui)");
  stateaid_check->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        std::optional<Date> on;
        if (!grant_on.empty()) {
          auto d = Date::parse(grant_on, "on");
          if (!d.ok()) return Result<StateAidCheckRecord>(d.refusal());
          on = d.value();
        }
        return check_state_aid(tx, ctx, number, stage, on);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << (c.json ? json_state_aid_check(r.value()) : text_state_aid_check(r.value()));
      return r->ok ? 0 : kRefused;
    };
  });
  std::string controlling, controlled;
  auto* stateaid_link = stateaid->add_subcommand(
      "link", "Lien de contrôle entre deux tiers (une même entreprise unique)");
  stateaid_link->add_option("controlling", controlling, "Tiers qui contrôle (n°)")->required();
  stateaid_link->add_option("controlled", controlled, "Tiers contrôlé (n°)")->required();
  add_common(stateaid_link, c);
  stateaid_link->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return link_parties(tx, ctx, controlling, controlled);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << "Lien enregistré : le tiers " << controlling << " contrôle le tiers "
                << controlled << ".\n";
      return 0;
    };
  });
  DeclaredAidInput declared;
  auto* stateaid_declare = stateaid->add_subcommand(
      "declare", "Aide de minimis reçue d'un autre organisme, déclarée par le bénéficiaire");
  add_common(stateaid_declare, c);
  stateaid_declare->add_option("--party", declared.party, "Tiers (n°)")->required();
  stateaid_declare->add_option("--regime", declared.regime, "Régime")->required();
  stateaid_declare->add_option("--amount", declared.amount, "Montant")->required();
  stateaid_declare->add_option("--granted-on", declared.granted_on, "Date d'octroi")->required();
  stateaid_declare->add_option("--grantor", declared.grantor, "Organisme")->required();
  stateaid_declare->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return declare_aid(tx, ctx, declared);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << "Aide déclarée.\n";
      return 0;
    };
  });

  auto* condition = app.add_subcommand("condition", "Conditions attachées à une subvention");
  condition->require_subcommand(1);
  std::string condition_label, condition_due, condition_id, condition_status;
  auto* condition_add = condition->add_subcommand("add", "Ajoute une condition");
  condition_add->add_option("number", number, "Numéro du dossier")->required();
  add_common(condition_add, c);
  condition_add->add_option("--label", condition_label, "Libellé")->required();
  condition_add->add_option("--due", condition_due, "Échéance");
  condition_add->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return add_condition(tx, ctx, number, condition_label, condition_due);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      return show_award_after(*store);
    };
  });
  auto* condition_set = condition->add_subcommand("set", "Met à jour l'état d'une condition");
  condition_set->add_option("number", number, "Numéro du dossier")->required();
  condition_set->add_option("condition", condition_id, "Numéro de la condition")->required();
  condition_set->add_option("status", condition_status, "pending, met ou not_met")->required();
  add_common(condition_set, c);
  condition_set->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return set_condition(tx, ctx, number, condition_id, condition_status);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      return show_award_after(*store);
    };
  });

  auto* outcome = app.add_subcommand("outcome", "Indicateurs de réalisation");
  outcome->require_subcommand(1);
  std::string indicator, indicator_value, indicator_on;
  auto* outcome_report = outcome->add_subcommand("report", "Déclare un indicateur");
  outcome_report->add_option("number", number, "Numéro du dossier")->required();
  add_common(outcome_report, c);
  outcome_report->add_option("--indicator", indicator, "Indicateur")->required();
  outcome_report->add_option("--value", indicator_value, "Valeur")->required();
  outcome_report->add_option("--on", indicator_on, "Date");
  outcome_report->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return report_outcome(tx, ctx, number, indicator, indicator_value, indicator_on);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      return show_award_after(*store);
    };
  });
  auto* outcome_summary = outcome->add_subcommand("summary", "Indicateurs d'un dispositif");
  outcome_summary->add_option("number", number, "Numéro du dispositif")->required();
  add_common(outcome_summary, c);
  outcome_summary->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return outcomes_summary(tx, a, number);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      if (r->empty()) std::cout << "Aucun indicateur déclaré.\n";
      for (const auto& [name, total] : r.value())
        std::cout << name << " : " << total << "\n";
      return 0;
    };
  });

  // serve
  auto* serve = app.add_subcommand("serve", "Démarre le serveur web et l'API JSON v1");
  add_db(serve, c);
  std::string listen = "127.0.0.1:8080";
  http::ServerOptions server_options;
  bool secure_cookies = false;
  serve->add_option("--listen", listen, "Adresse et port (127.0.0.1:8080)");
  serve->add_option("--threads", server_options.threads, "Fils de traitement (8)")
      ->check(CLI::Range(1, 256));
  serve
      ->add_option(
          "--keep-alive-requests", server_options.keep_alive_max_requests,
          "Requêtes servies par connexion avant de la fermer : une connexion occupe un fil "
          "tant qu'elle vit")
      ->check(CLI::Range(1, 100000));
  serve
      ->add_option("--max-body", server_options.max_body_bytes,
                   "Taille maximale d'un corps de requête, en octets (1 Mio)")
      ->check(CLI::Range(1024, 64 * 1024 * 1024));
  serve->add_flag("--secure-cookies", secure_cookies, "Cookies marqués Secure (derrière HTTPS)");
  serve->callback([&] {
    action = [&] {
      if (!http::parse_listen(listen, server_options.host, server_options.port))
        throw UsageError("--listen « " + listen + " » : forme attendue HÔTE:PORT");
      auto store = stores::open(c.db, stores::OpenMode::Existing);
      crypto::SodiumPasswordHasher passwords;
      crypto::SodiumTokenSource tokens;
      http::ApiOptions api_options;
      api_options.secure_cookies = secure_cookies;
      http::Api api(*store, clock, passwords, tokens, api_options);
      http::Server server(api, server_options, &std::cerr);
      std::string error;
      if (!server.bind(error)) {
        std::cerr << "octroi serve : " << error << "\n";
        return kInfra;
      }
      // SIGINT and SIGTERM stop the server gracefully: this thread waits for them while the
      // server's threads (which inherit the blocked mask) serve.
      sigset_t signals;
      sigemptyset(&signals);
      sigaddset(&signals, SIGINT);
      sigaddset(&signals, SIGTERM);
      pthread_sigmask(SIG_BLOCK, &signals, nullptr);
      std::thread serving([&] { server.run(); });
      std::cout << "octroi sert " << stores::display_name(c.db) << " sur http://"
                << server_options.host << ":" << server.port() << "/ (API : /api/v1/, "
                << "OpenAPI : /api/v1/openapi.json). Ctrl-C pour arrêter." << std::endl;
      int received = 0;
      sigwait(&signals, &received);
      std::cout << "Arrêt demandé : fin des requêtes en cours…" << std::endl;
      server.stop();
      serving.join();
      return 0;
    };
  });

  // user create, token issue
  auto* user = app.add_subcommand("user", "Comptes des agents");
  user->require_subcommand(1);
  UserInput user_in;
  auto* user_create = user->add_subcommand(
      "create", "Crée un compte (mot de passe lu sur l'entrée standard, première ligne)");
  add_common(user_create, c);
  user_create->add_option("--login", user_in.login, "Identifiant")->required();
  user_create->add_option("--name", user_in.display_name, "Nom affiché")->required();
  user_create
      ->add_option("--role", user_in.role,
                   "administrator, instructor, approver, clerk, finance ou reader")
      ->required();
  user_create->add_option("--service", user_in.service, "Service (instructeurs)");
  user_create->callback([&] {
    action = [&] {
      std::getline(std::cin, user_in.password);
      auto store = open_store();
      crypto::SodiumPasswordHasher passwords;
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return create_user(tx, ctx, user_in, passwords);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << "Compte créé : " << r->login << " (" << r->role << ")\n";
      return 0;
    };
  });
  auto* token = app.add_subcommand("token", "Jetons d'accès à l'API");
  token->require_subcommand(1);
  std::string token_label, token_role, token_service, token_id;
  auto* token_issue =
      token->add_subcommand("issue", "Émet un jeton d'API (affiché une seule fois)");
  add_common(token_issue, c);
  token_issue->add_option("--label", token_label, "Libellé (application cliente)")->required();
  token_issue->add_option("--role", token_role, "Rôle accordé au jeton")->required();
  token_issue->add_option("--service", token_service,
                          "Service instructeur (jeton d'instructeur seulement, alors obligatoire)");
  token_issue->callback([&] {
    action = [&] {
      auto store = open_store();
      crypto::SodiumTokenSource tokens;
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return issue_api_token(tx, ctx, token_label, token_role, tokens, store->hasher(),
                               token_service);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << r->token << "\n";
      std::cerr << "Jeton n° " << r->record.id << " (" << r->record.label << ", " << r->record.role
                << ") : affiché une seule fois, gardez-le.\n";
      return 0;
    };
  });
  auto* token_list = token->add_subcommand("list", "Liste les jetons d'API (jamais leur valeur)");
  add_common(token_list, c);
  token_list->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r =
          read(*store, c, [&](Transaction& tx, AuthorityId a) { return list_api_tokens(tx, a); });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      for (const auto& t : r.value())
        std::cout << t.id << "  " << t.label << "  " << t.role
                  << (t.service.empty() ? "" : " (" + t.service + ")") << "  émis le "
                  << t.created_at << (t.revoked_at ? "  révoqué le " + *t.revoked_at : "") << "\n";
      return 0;
    };
  });
  auto* token_revoke = token->add_subcommand("revoke", "Révoque un jeton d'API (définitif)");
  add_common(token_revoke, c);
  token_revoke->add_option("--id", token_id, "Numéro du jeton (token list)")->required();
  token_revoke->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return revoke_api_token(tx, ctx, token_id);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << "Jeton n° " << r->id << " (" << r->label << ") révoqué.\n";
      return 0;
    };
  });

  // db copy
  // documents
  auto* document = app.add_subcommand("document", "Documents officiels (ODT, PDF)");
  document->require_subcommand(1);
  std::string document_number, document_out, render_report;
  bool document_pdf = false;
  // Generates the documents in one write transaction (each recorded in the audit trail with
  // its template version and hashes), writes them once it is committed, then converts them to
  // PDF in one LibreOffice run. Progress goes to stderr, the paths written to stdout.
  auto produce = [&](const std::function<Result<std::vector<DocumentRequest>>(
                         Transaction&, AuthorityId)>& requests) -> int {
    auto store = open_store();
    documents::FodtEngine engine;
    auto made = write(
        *store, clock, c,
        [&](Transaction& tx, const Context& ctx) -> Result<std::vector<GeneratedDocument>> {
          auto wanted = requests(tx, ctx.authority);
          if (!wanted.ok()) return wanted.refusal();
          std::vector<GeneratedDocument> out;
          const std::size_t n = wanted->size();
          for (const auto& r : wanted.value()) {
            auto g = generate_document(tx, ctx, engine, store->hasher(), r);
            if (!g.ok()) return g.refusal();
            std::cerr << "[" << out.size() + 1 << "/" << n << "] " << g->request.file
                      << ".odt (modèle " << g->used.name
                      << (g->used.version == 0
                              ? std::string(" intégré")
                              : " v" + std::to_string(g->used.version) + ", " + g->used.adopted_by)
                      << ")\n";
            out.push_back(std::move(g).value());
          }
          return out;
        });
    if (!made.ok()) return print_refusal(made.refusal(), c.json);
    std::filesystem::create_directories(document_out);
    std::vector<std::string> paths;
    for (const auto& g : made.value()) {
      const auto path = std::filesystem::path(document_out) / (g.request.file + ".odt");
      std::ofstream(path, std::ios::binary) << g.odt;
      paths.push_back(path.string());
      std::cout << path.string() << "\n";
    }
    if (document_pdf) {
      std::cerr << "Conversion en PDF de " << paths.size()
                << " document(s) en une exécution de LibreOffice…\n";
      auto pdfs = documents::convert_to_pdf(paths, document_out);
      if (!pdfs.ok()) return print_refusal(pdfs.refusal(), c.json);
      for (const auto& p : pdfs.value())
        std::cout << p << "\n";
    }
    return 0;
  };
  auto one_dossier = [&](const char* name, const char* help, DocumentKind kind, const char* stem) {
    auto* cmd = document->add_subcommand(name, help);
    add_common(cmd, c);
    cmd->add_option("number", document_number, "Numéro du dossier (ex. EX070158)")->required();
    cmd->add_option("--out", document_out, "Dossier où écrire le document")->required();
    cmd->add_flag("--pdf", document_pdf, "Convertit aussi en PDF (LibreOffice)");
    cmd->callback([&, kind, stem] {
      action = [&, kind, stem] {
        return produce([&](Transaction&, AuthorityId) -> Result<std::vector<DocumentRequest>> {
          return std::vector<DocumentRequest>{
              {kind, "", document_number, std::string(stem) + document_number}};
        });
      };
    });
  };
  one_dossier("sheet", "Fiche projet d'un dossier (annexe 1 du rapport)",
              DocumentKind::ProjectSheet, "");
  one_dossier("agreement", "Convention d'un dossier attribué, selon le modèle du dispositif",
              DocumentKind::Agreement, "convention-");
  one_dossier("letter", "Lettre de notification de la subvention au bénéficiaire",
              DocumentKind::Notification, "notification-");
  auto* render = document->add_subcommand(
      "render",
      "Documents d'un rapport : rapport (exposé des motifs), projet de délibération, fiches "
      "projets (annexe 1), avenants de transfert et fiches mises à jour (annexe 2), en ODT, et "
      "en PDF avec --pdf (une seule exécution de LibreOffice pour tous)");
  add_common(render, c);
  render->add_option("--report", render_report, "Numéro du rapport (ex. « CP 2023-040 »)")
      ->required();
  render->add_option("--out", document_out, "Dossier où écrire les documents")->required();
  render->add_flag("--pdf", document_pdf, "Convertit aussi en PDF (LibreOffice)");
  std::vector<std::string> render_only;
  render->add_option("--only", render_only,
                     "Seulement ces documents (ex. --only deliberation --only "
                     "annexe-2-avenant-EX065392)");
  render->callback([&] {
    action = [&] {
      return produce([&](Transaction& tx, AuthorityId a) -> Result<std::vector<DocumentRequest>> {
        auto all = report_documents(tx, a, render_report);
        if (!all.ok() || render_only.empty()) return all;
        std::vector<DocumentRequest> chosen;
        for (const auto& name : render_only) {
          const auto it = std::find_if(all->begin(), all->end(),
                                       [&](const DocumentRequest& r) { return r.file == name; });
          if (it == all->end()) {
            std::string names;
            for (const auto& r : all.value())
              names += (names.empty() ? "" : ", ") + r.file;
            return refuse("document.unknown_file", "only",
                          "Le rapport " + render_report + " n'a pas de document « " + name +
                              " » : ses documents sont " + names + ".");
          }
          chosen.push_back(*it);
        }
        return chosen;
      });
    };
  });

  // the authority's identity
  auto* authority_cmd = app.add_subcommand("authority", "La collectivité");
  authority_cmd->require_subcommand(1);
  AuthorityInput authority_edit;
  auto* authority_set = authority_cmd->add_subcommand(
      "edit", "Modifie le nom, le SIRET (publié comme idAttribuant), l'adresse ou l'exécutif");
  add_common(authority_set, c);
  authority_set->add_option("--name", authority_edit.name, "Nom officiel");
  authority_set->add_option("--siret", authority_edit.siret, "SIRET (14 chiffres)");
  authority_set->add_option("--address", authority_edit.address, "Adresse");
  authority_set->add_option("--executive", authority_edit.executive,
                            "Exécutif (ex. « Valérie Pécresse, présidente du conseil régional »)");
  authority_set->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return edit_authority(tx, ctx, authority_edit);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << r->name << " (" << r->code << ")"
                << (r->siret.empty() ? std::string() : ", SIRET " + r->siret) << "\n";
      return 0;
    };
  });

  // open data
  auto* exp = app.add_subcommand("export", "Publication des données (open data)");
  exp->require_subcommand(1);
  std::string scdl_out, scdl_threshold = "23000", scdl_from, scdl_until;
  auto* exp_scdl = exp->add_subcommand(
      "scdl",
      "Données essentielles des conventions de subvention au format SCDL « subventions » 2.1.0 "
      "(décret 2017-779) : AAAAMMJJ_SIREN_subventions.csv");
  add_common(exp_scdl, c);
  exp_scdl->add_option("--out", scdl_out, "Dossier où écrire le fichier")->required();
  exp_scdl->add_option("--threshold", scdl_threshold,
                       "Seuil en euros : les aides d'un montant au plus égal ne sont pas publiées "
                       "(23000 par défaut, le seuil légal ; 0 pour toutes)");
  exp_scdl->add_option("--from", scdl_from, "Conventions datées à partir du (date)");
  exp_scdl->add_option("--until", scdl_until, "Conventions datées jusqu'au (date)");
  exp_scdl->callback([&] {
    action = [&] {
      auto chosen = scdl_options({scdl_threshold, scdl_from, scdl_until});
      if (!chosen.ok()) return print_refusal(chosen.refusal(), c.json);
      const ScdlOptions& options = chosen.value();
      auto store = open_store();
      std::string bytes;
      auto made = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        auto e = scdl_export(tx, ctx.authority, options, clock.today());
        if (!e.ok()) return e;
        bytes = opendata::scdl_csv(e->rows);
        record_scdl_export(tx, ctx, e.value(), options, store->hasher().sha256_hex(bytes));
        return e;
      });
      if (!made.ok()) return print_refusal(made.refusal(), c.json);
      std::filesystem::create_directories(scdl_out);
      const auto path = std::filesystem::path(scdl_out) / made->file_name;
      std::ofstream(path, std::ios::binary) << bytes;
      for (const auto& s : made->skipped)
        std::cerr << "non publié : " << s.dossier << " — " << s.reason << "\n";
      std::cerr << made->rows.size() << " ligne(s) publiée(s).\n";
      std::cout << path.string() << "\n";
      return 0;
    };
  });

  std::string xlsx_out, xlsx_sheets;
  auto* exp_xlsx = exp->add_subcommand(
      "xlsx",
      "Classeur .xlsx des listes : dossiers, lignes budgétaires, journal de chaque ligne, "
      "versements, lignes SCDL (montants exacts, formats de nombre et de date)");
  add_common(exp_xlsx, c);
  exp_xlsx->add_option("--out", xlsx_out, "Fichier .xlsx à écrire")->required();
  exp_xlsx->add_option("--sheets", xlsx_sheets,
                       "Feuilles, séparées par des virgules : dossiers, budget, journal, "
                       "payments, scdl (toutes par défaut)");
  exp_xlsx->callback([&] {
    action = [&] {
      std::vector<std::string> what;
      std::stringstream names(xlsx_sheets);
      for (std::string w; std::getline(names, w, ',');)
        if (!w.empty()) what.push_back(w);
      auto store = open_store();
      auto sheets = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return spreadsheet::authority_sheets(tx, a, what, {}, clock.today());
      });
      if (!sheets.ok()) return print_refusal(sheets.refusal(), c.json);
      auto bytes = spreadsheet::write_xlsx(sheets.value());
      if (!bytes.ok()) return print_refusal(bytes.refusal(), c.json);
      std::ofstream(xlsx_out, std::ios::binary) << bytes.value();
      for (const auto& s : sheets.value())
        std::cerr << s.name << " : " << s.rows.size() << " ligne(s)\n";
      std::cout << xlsx_out << "\n";
      return 0;
    };
  });

  // imports
  auto* imp = app.add_subcommand("import", "Reprise de données (fichiers de subventions)");
  imp->require_subcommand(1);
  std::string import_file;
  bool import_dry_run = false, import_problems_only = false;
  auto* imp_scdl = imp->add_subcommand(
      "scdl",
      "Importe un fichier de subventions (SCDL 2.x ou 1.x, CSV en UTF-8 ou Windows-1252, virgule "
      "ou point-virgule) : les aides d'autres attribuants, rattachées aux tiers (vue 360°, cumul "
      "de minimis). Rapport ligne par ligne ; statut 0 si le fichier a été lu");
  add_common(imp_scdl, c);
  imp_scdl->add_option("file", import_file, "Fichier CSV")->required();
  imp_scdl->add_flag("--dry-run", import_dry_run, "Lit et rapporte sans rien enregistrer");
  imp_scdl->add_flag("--problems-only", import_problems_only,
                     "N'affiche que les lignes rejetées ou avec avertissements");
  imp_scdl->callback([&] {
    action = [&] {
      std::error_code ec;
      std::ifstream in(import_file, std::ios::binary);
      if (!in || !std::filesystem::is_regular_file(import_file, ec)) {
        std::cerr << "Impossible de lire le fichier « " << import_file << " ».\n";
        return 2;
      }
      std::string bytes((std::istreambuf_iterator<char>(in)), {});
      // A spreadsheet (.xlsx, .xls, .ods): its first sheet, as CSV, through LibreOffice Calc.
      std::string ext = std::filesystem::path(import_file).extension().string();
      for (auto& ch : ext)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (ext == ".xlsx" || ext == ".xls" || ext == ".ods") {
        namespace fs = std::filesystem;
        std::string dir_template = (fs::temp_directory_path() / "octroi-import-XXXXXX").string();
        if (!mkdtemp(dir_template.data())) {
          std::cerr << "Impossible de créer un dossier temporaire.\n";
          return 2;
        }
        std::cerr << "Lecture du tableur par LibreOffice…\n";
        auto csv =
            documents::convert_sheet_to_csv(fs::absolute(import_file).string(), dir_template);
        if (csv.ok()) {
          std::ifstream converted(csv.value(), std::ios::binary);
          bytes.assign(std::istreambuf_iterator<char>(converted), {});
        }
        fs::remove_all(dir_template);
        if (!csv.ok()) return print_refusal(csv.refusal(), c.json);
      }
      auto table =
          opendata::read_table(bytes, std::filesystem::path(import_file).filename().string());
      if (!table.ok()) return print_refusal(table.refusal(), c.json);
      ImportOptions options;
      options.dry_run = import_dry_run;
      options.progress = [](std::size_t done, std::size_t all) {
        std::cerr << "\r" << done << " / " << all << " lignes lues" << std::flush;
        if (done == all) std::cerr << "\n";
      };
      auto store = open_store();
      auto tx = store->begin(TxMode::Write);
      auto a = resolve_authority(*tx, c.authority);
      if (!a.ok()) return print_refusal(a.refusal(), c.json);
      const Context ctx{a->id, actor(), &clock};
      auto imported = import_scdl(*tx, ctx, store->hasher(), table.value(), options);
      if (!imported.ok()) return print_refusal(imported.refusal(), c.json);
      if (!import_dry_run) tx->commit();  // a dry run is rolled back with the transaction
      const ImportReport& r = imported.value();
      std::cout << "Fichier : " << r.source << " (" << r.encoding << ", séparateur « "
                << (r.delimiter == '\t' ? std::string("tabulation") : std::string(1, r.delimiter))
                << " »)" << (r.dry_run ? " — essai, rien n'est enregistré" : "") << "\n";
      for (const auto& col : r.columns_ignored)
        std::cout << "colonne ignorée : " << col << "\n";
      for (const auto& l : r.lines) {
        if (import_problems_only && l.outcome == LineOutcome::Accepted) continue;
        std::cout << "ligne " << l.line << " : " << french(l.outcome) << " — " << l.beneficiary
                  << (l.amount.empty() ? "" : ", " + l.amount) << "\n";
        for (const auto& n : l.notes)
          std::cout << "    " << (n.column.empty() ? std::string() : n.column + " : ") << n.message
                    << "\n";
      }
      std::cout << r.accepted + r.with_warnings << " ligne(s) acceptée(s) (dont " << r.with_warnings
                << " avec avertissements), " << r.rejected << " rejetée(s), " << r.already
                << " déjà importée(s) ; " << r.parties_created << " tiers créé(s).\n";
      return 0;
    };
  });

  std::string delib_file;
  bool delib_dry_run = false;
  auto* imp_delib = imp->add_subcommand(
      "deliberation-text",
      "Reprend les fiches projets d'une délibération (texte extrait de son PDF, pdftotext) : "
      "dossiers marqués comme importés, avec un rapport de ce qui a été reconnu ou non");
  add_common(imp_delib, c);
  imp_delib->add_option("file", delib_file, "Fichier texte (UTF-8)")->required();
  imp_delib->add_flag("--dry-run", delib_dry_run, "Lit et rapporte sans rien enregistrer");
  imp_delib->callback([&] {
    action = [&] {
      std::error_code ec;
      std::ifstream in(delib_file, std::ios::binary);
      if (!in || !std::filesystem::is_regular_file(delib_file, ec)) {
        std::cerr << "Impossible de lire le fichier « " << delib_file << " ».\n";
        return 2;
      }
      const std::string text((std::istreambuf_iterator<char>(in)), {});
      auto store = open_store();
      auto tx = store->begin(TxMode::Write);
      auto a = resolve_authority(*tx, c.authority);
      if (!a.ok()) return print_refusal(a.refusal(), c.json);
      const Context ctx{a->id, actor(), &clock};
      auto done = import_deliberation_text(
          *tx, ctx, text, std::filesystem::path(delib_file).filename().string(), delib_dry_run);
      if (!done.ok()) return print_refusal(done.refusal(), c.json);
      if (!delib_dry_run) tx->commit();
      int imported = 0;
      for (const auto& r : done->sheets) {
        const auto& sh = r.sheet;
        const char* verdict = r.outcome == SheetOutcome::Imported         ? "importé"
                              : r.outcome == SheetOutcome::AlreadyPresent ? "déjà présent"
                                                                          : "non importé";
        imported += r.outcome == SheetOutcome::Imported;
        std::cout << sh.number << " (ligne " << sh.line << ") : " << verdict << " — "
                  << sh.organisation << "\n";
        std::cout << "    dispositif " << sh.scheme_number << ", imputation " << sh.imputation
                  << ", action " << sh.action_code << ", montant "
                  << (sh.amount ? fr::euros(*sh.amount) : std::string("?")) << "\n";
        std::cout << "    " << sh.expenses.size() << " dépense(s), " << sh.resources.size()
                  << " recette(s) ; dates " << (sh.start ? fr::date_long(*sh.start) : "?") << " - "
                  << (sh.end ? fr::date_long(*sh.end) : "?") << "\n";
        for (const auto& n : r.notes)
          std::cout << "    " << n << "\n";
      }
      std::cout << done->sheets.size() << " fiche(s) lue(s), " << imported << " dossier(s) "
                << (delib_dry_run ? "importable(s) — essai, rien n'est enregistré" : "importé(s)")
                << ".\n";
      return 0;
    };
  });

  // document templates
  auto* tmpl = app.add_subcommand("template", "Modèles de documents (versions adoptées)");
  tmpl->require_subcommand(1);
  auto* tmpl_list = tmpl->add_subcommand("list", "Liste les modèles et leurs versions");
  add_common(tmpl_list, c);
  tmpl_list->callback([&] {
    action = [&] {
      auto store = open_store();
      auto families = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return Result<std::vector<TemplateFamily>>(list_templates(tx, a));
      });
      if (!families.ok()) return print_refusal(families.refusal(), c.json);
      for (const auto& f : families.value()) {
        std::cout << template_name(f.kind) << " — " << french(f.kind) << "\n";
        std::cout << "  v0  modèle intégré à octroi\n";
        for (const auto& v : f.versions)
          std::cout << "  v" << v.version << "  adopté par " << v.adopted_by << ", du "
                    << fr::date_short(v.applies_from)
                    << (v.applies_until ? " au " + fr::date_short(*v.applies_until)
                                        : std::string(", sans fin"))
                    << (v.note.empty() ? "" : " (" + v.note + ")") << ", déposé par "
                    << v.uploaded_by << " le " << v.uploaded_at << ", sha256 "
                    << v.sha256.substr(0, 12) << "…\n";
      }
      return 0;
    };
  });
  TemplateUpload upload;
  std::string upload_file;
  auto* tmpl_upload = tmpl->add_subcommand(
      "upload", "Dépose une nouvelle version d'un modèle (.fodt enregistré par LibreOffice)");
  add_common(tmpl_upload, c);
  tmpl_upload
      ->add_option("name", upload.name,
                   "Modèle : rapport, deliberation, fiche_projet, "
                   "convention, avenant_transfert, notification")
      ->required();
  tmpl_upload->add_option("--file", upload_file, "Fichier .fodt")->required();
  tmpl_upload
      ->add_option("--adopted-by", upload.adopted_by,
                   "Acte qui a adopté le modèle (ex. « CP 2022-111 »)")
      ->required();
  tmpl_upload->add_option("--from", upload.applies_from, "En vigueur à partir du (date)")
      ->required();
  tmpl_upload->add_option("--until", upload.applies_until,
                          "Jusqu'au (date), si le modèle a une fin");
  tmpl_upload->add_option("--note", upload.note, "Note (ex. « modifié par CR 2022-078 »)");
  tmpl_upload->callback([&] {
    action = [&] {
      std::ifstream in(upload_file, std::ios::binary);
      if (!in) {
        std::cerr << "Impossible de lire le fichier « " << upload_file << " ».\n";
        return 2;
      }
      upload.content.assign(std::istreambuf_iterator<char>(in), {});
      auto store = open_store();
      documents::FodtEngine engine;
      auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
        return upload_template(tx, ctx, engine, store->hasher(), upload);
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << "Modèle « " << r->name << " » version " << r->version << " (adopté par "
                << r->adopted_by << ", en vigueur le " << fr::date_long(r->applies_from)
                << "), sha256 " << r->sha256 << "\n";
      return 0;
    };
  });
  std::string show_name, show_out;
  int show_version = 0;
  auto* tmpl_show =
      tmpl->add_subcommand("show", "Écrit une version d'un modèle dans un fichier .fodt");
  add_common(tmpl_show, c);
  tmpl_show->add_option("name", show_name, "Modèle")->required();
  tmpl_show->add_option("--version", show_version, "Version (0 : le modèle intégré)");
  tmpl_show->add_option("--out", show_out, "Fichier à écrire")->required();
  tmpl_show->callback([&] {
    action = [&] {
      auto store = open_store();
      documents::FodtEngine engine;
      auto t = read(*store, c, [&](Transaction& tx, AuthorityId a) {
        return find_template(tx, a, engine, store->hasher(), show_name, show_version);
      });
      if (!t.ok()) return print_refusal(t.refusal(), c.json);
      std::ofstream(show_out, std::ios::binary) << t->content;
      std::cout << show_out << "\n";
      return 0;
    };
  });

  auto* db = app.add_subcommand("db", "Administration de la base");
  db->require_subcommand(1);
  std::string copy_from, copy_to, copy_authority;
  bool copy_force = false;
  auto* db_copy = db->add_subcommand(
      "copy",
      "Copie les données d'une collectivité (ou de toutes) d'une base à l'autre, SQLite ou "
      "PostgreSQL, puis vérifie comptes, soldes et chaîne d'audit");
  db_copy->add_option("--from", copy_from, "Base source : fichier SQLite ou URL postgresql://…")
      ->required();
  db_copy->add_option("--to", copy_to, "Base cible (créée ou mise à jour si besoin)")->required();
  db_copy->add_option("--authority", copy_authority,
                      "Code de la collectivité à copier (par défaut : toutes)");
  db_copy->add_flag("--force", copy_force,
                    "Copier même si la cible contient déjà des données (tout ou rien)");
  db_copy->add_flag("--json", c.json, "Sortie JSON");
  db_copy->callback([&] {
    action = [&] {
      auto from = stores::open(copy_from, stores::OpenMode::Existing);
      auto to = stores::open(copy_to, stores::OpenMode::Create);
      const bool progress = !c.json;
      auto r = stores::copy_store(*from, *to, {copy_authority, copy_force},
                                  [&](const std::string& line) {
                                    if (progress) std::cerr << line << "\n";
                                  });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      r->from = stores::display_name(copy_from);
      r->to = stores::display_name(copy_to);
      std::cout << (c.json ? json_copy_report(r.value()) : text_copy_report(r.value()));
      return 0;
    };
  });

  // audit
  auto* audit = app.add_subcommand("audit", "Journal d'audit");
  audit->require_subcommand(1);
  std::int64_t audit_limit = 50;
  auto* audit_list = audit->add_subcommand("list", "Dernières entrées du journal d'audit");
  add_common(audit_list, c);
  audit_list->add_option("--limit", audit_limit, "Nombre d'entrées (au plus 10 000)");
  audit_list->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r =
          read(*store, c, [&](Transaction& tx, AuthorityId a) -> Result<std::vector<AuditEntry>> {
            return tx.audit().list_audit(a, audit_limit);
          });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      if (c.json) {
        std::cout << json_audit(r.value());
      } else {
        for (const auto& e : r.value())
          std::cout << e.seq << "  " << e.at << "  " << e.actor << "  " << e.action << "  "
                    << e.entity_key << "\n";
      }
      return 0;
    };
  });

  auto* audit_verify = audit->add_subcommand(
      "verify", "Vérifie la chaîne de hachage du journal d'audit (code 1 si altération)");
  add_common(audit_verify, c);
  audit_verify->callback([&] {
    action = [&] {
      auto store = open_store();
      auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) -> Result<AuditVerification> {
        return verify_audit(tx, a, store->hasher());
      });
      if (!r.ok()) return print_refusal(r.refusal(), c.json);
      std::cout << (c.json ? json_audit_verification(r.value())
                           : text_audit_verification(r.value()));
      return r->problems.empty() ? 0 : kRefused;
    };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help) and gives its own codes; ours are documented.
    return app.exit(e) == 0 ? 0 : kUsage;
  }
  try {
    return action ? action() : kUsage;
  } catch (const UsageError& e) {
    std::cerr << "Erreur d'usage : " << e.what() << "\n";
    return kUsage;
  } catch (const StoreError& e) {
    std::cerr << "Erreur de la base : " << e.what() << "\n";
    return kInfra;
  } catch (const InvariantViolation& e) {
    std::cerr << "Erreur interne (rien n'a été enregistré) : " << e.what() << "\n";
    return kInfra;
  }
}

}  // namespace octroi::cli
