// init, demo and the authority's identity.
#include "adapters/cli/commands/commands.h"
#include "adapters/crypto/sodium_passwords.h"
#include "app/accounts.h"

namespace octroi::cli {
namespace {

struct SetupCommands : Area {
  using Area::Area;
  bool play = false;
  bool demo_list_accounts = false;
  bool demo_accounts_flag = false;
  bool demo_without_report = false;
  AuthorityInput authority_edit;
  AuthorityInput authority_create;

  void add_init(CLI::App& app) {
    auto* init = app.add_subcommand("init", "Crée une base vide (ou la met à jour)");
    add_db(init, c);
    init->callback([this] {
      action = [this] {
        auto store = stores::open(c.db, stores::OpenMode::Create);
        std::cout << "Base prête : " << stores::display_name(c.db) << " (schéma version "
                  << store->schema_version() << ")\n";
        return 0;
      };
    });
  }

  void add_demo(CLI::App& app) {
    auto* demo = app.add_subcommand("demo", "Charge la démonstration CP 2023-040");
    add_db(demo, c);
    demo->add_flag("--json", c.json, "Sortie JSON");
    auto* play_opt = demo->add_flag(
        "--play", play,
        "Joue aussi la suite : adoption de CP 2023-040, convention, avance et solde de "
        "EX070158");
    demo->add_flag(
        "--list-accounts", demo_list_accounts,
        "Affiche les comptes de démonstration et leurs mots de passe, sans rien charger");
    demo->add_flag("--accounts", demo_accounts_flag,
                   "Crée aussi un compte de démonstration par rôle (mots de passe affichés)");
    demo->add_flag("--without-report", demo_without_report,
                   "S'arrête avant le rapport CP 2023-040 : dossiers proposés en commission, "
                   "rien d'affecté, le rapport reste à composer")
        ->excludes(play_opt);
    demo->callback([this] { action = [this] { return run_demo(); }; });
  }

  int run_demo() {
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
  }

  // authority create: the first step of a new authority's database after `octroi init`.
  void add_authority_create(CLI::App* authority_cmd) {
    auto* create = authority_cmd->add_subcommand(
        "create", "Crée la collectivité d'une base (après octroi init) ; son code ne change plus");
    add_db(create, c);
    create->add_flag("--json", c.json, "Sortie JSON");
    create
        ->add_option("--code", authority_create.code,
                     "Code court : minuscules, chiffres et tirets (ex. region-bfc)")
        ->required();
    create->add_option("--name", authority_create.name, "Nom officiel")->required();
    create->add_option("--siret", authority_create.siret,
                       "SIRET (14 chiffres), publié comme idAttribuant");
    create->add_option("--address", authority_create.address, "Adresse");
    create->add_option("--executive", authority_create.executive,
                       "Exécutif (ex. « Marie Dupont, présidente du conseil régional »)");
    create->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = run_write(*store, [&](Transaction& tx) {
          return create_authority(tx, actor(), clock, authority_create);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        if (c.json) {
          std::cout << json_authority(r.value());
        } else {
          std::cout << "Collectivité créée : " << r->name << " (" << r->code << ")"
                    << (r->siret.empty() ? std::string() : ", SIRET " + r->siret) << "\n";
        }
        return 0;
      };
    });
  }

  void add_authority(CLI::App& app) {
    auto* authority_cmd = app.add_subcommand("authority", "La collectivité");
    authority_cmd->require_subcommand(1);
    add_authority_create(authority_cmd);
    auto* authority_set = authority_cmd->add_subcommand(
        "edit", "Modifie le nom, le SIRET (publié comme idAttribuant), l'adresse ou l'exécutif");
    add_common(authority_set, c);
    authority_set->add_option("--name", authority_edit.name, "Nom officiel");
    authority_set->add_option("--siret", authority_edit.siret, "SIRET (14 chiffres)");
    authority_set->add_option("--address", authority_edit.address, "Adresse");
    authority_set->add_option(
        "--executive", authority_edit.executive,
        "Exécutif (ex. « Valérie Pécresse, présidente du conseil régional »)");
    authority_set->callback([this] {
      action = [this] {
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
  }
};

}  // namespace

void add_setup_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<SetupCommands>(env);
  area.add_init(app);
  area.add_demo(app);
}

void add_authority_commands(CLI::App& app, Env& env) {
  env.keep<SetupCommands>(env).add_authority(app);
}

}  // namespace octroi::cli
