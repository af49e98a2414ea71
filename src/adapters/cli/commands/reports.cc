// report: create, article, show, list, adopt.
#include "adapters/cli/commands/commands.h"

namespace octroi::cli {
namespace {

struct ReportCommands : Area {
  using Area::Area;
  std::string report_number;
  bool adopt_dry_run = false;
  ReportInput report_in;
  ArticleInput article_in;

  void add_create(CLI::App* report) {
    auto* report_create = report->add_subcommand("create", "Crée un rapport pour une séance");
    report_create->add_option("number", report_in.number, "Numéro (ex. \"CP 2023-040\")")
        ->required();
    add_common(report_create, c);
    report_create->add_option("--title", report_in.title, "Intitulé")->required();
    report_create->add_option("--date", report_in.session_date, "Date de la séance")->required();
    report_create->add_option("--body", report_in.body,
                              "cp (commission permanente) ou cr (conseil)");
    report_create->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return create_report(tx, ctx, report_in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << "Rapport " << r->number << " créé.\n";
        return 0;
      };
    });
  }

  void add_article_command(CLI::App* report) {
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
    article->add_option("--amount", article_in.amount,
                        "Montant de l'article (scheme_awards : par défaut, la somme des montants "
                        "proposés de ses dossiers)");
    article->add_option("--scheme", article_in.scheme, "scheme_awards : numéro du dispositif");
    article->add_option("--application", article_in.applications,
                        "scheme_awards : dossier (répéter l'option)");
    article->add_option("--party", article_in.party,
                        "tranche : bénéficiaire ; transfer : nouveau bénéficiaire (n° de tiers)");
    article->add_option("--planned-total", article_in.planned_total,
                        "tranche : montant total prévu");
    article->add_option("--rate", article_in.tranche_rate, "tranche : part en %");
    article->add_option("--transfer", article_in.application, "transfer : dossier transféré");
    article->add_option("--dossier", article_in.application,
                        "amount_change, extension : dossier modifié par l'avenant");
    article->add_option("--new-end", article_in.new_end,
                        "extension : nouvelle fin de la période d'éligibilité");
    article->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return add_article(tx, ctx, report_number, article_in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << "Article " << r->articles.size() << " ajouté au rapport " << r->number
                  << ".\n";
        return 0;
      };
    });
  }

  void add_show(CLI::App* report) {
    auto* report_show = report->add_subcommand("show", "Affiche un rapport et ses articles");
    report_show->add_option("number", report_number, "Numéro du rapport")->required();
    add_common(report_show, c);
    report_show->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) {
          return show_report(tx, a, report_number);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << (c.json ? json_report(r.value()) : text_report(r.value()));
        return 0;
      };
    });
  }

  void add_list(CLI::App* report) {
    auto* report_list = report->add_subcommand("list", "Liste des rapports");
    add_common(report_list, c);
    report_list->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r =
            read(*store, c, [&](Transaction& tx, AuthorityId a) { return list_reports(tx, a); });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << text_reports(r.value());
        return 0;
      };
    });
  }

  void add_adopt(CLI::App* report) {
    auto* adopt = report->add_subcommand(
        "adopt", "Enregistre l'adoption : toutes les affectations et attributions, ou rien");
    adopt->add_option("number", report_number, "Numéro du rapport")->required();
    add_common(adopt, c);
    adopt->add_flag("--dry-run", adopt_dry_run,
                    "Simule le vote sans rien enregistrer : crédits par ligne et refus éventuel "
                    "(code de sortie 1 si le vote serait refusé)");
    adopt->callback([this] {
      action = [this] {
        auto store = open_store();
        if (adopt_dry_run) {
          auto v = read(*store, c, [&](Transaction& tx, AuthorityId a) {
            return show_report(tx, a, report_number);
          });
          if (!v.ok()) return print_refusal(v.refusal(), c.json);
          if (v->report.state != ReportState::Draft)
            return print_refusal(refuse("report.adopted", "report",
                                        "Le rapport " + report_number +
                                            " est déjà adopté : il n'y a rien à simuler."),
                                 c.json);
          std::cout << (c.json ? json_report(v.value()) : text_report(v.value()));
          return v->vote_refusal ? kRefused : 0;
        }
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
  }
};

}  // namespace

void add_report_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<ReportCommands>(env);
  auto* report = app.add_subcommand("report", "Rapports et délibérations des séances");
  report->require_subcommand(1);
  area.add_create(report);
  area.add_article_command(report);
  area.add_show(report);
  area.add_list(report);
  area.add_adopt(report);
}

}  // namespace octroi::cli
