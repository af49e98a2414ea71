// scheme: list, show, create, edit, approval-chain, portal.
#include "app/ports/schemes.h"
#include "adapters/cli/commands/commands.h"
#include "app/approvals.h"
#include "app/portal.h"

namespace octroi::cli {
namespace {

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

struct SchemeCommands : Area {
  using Area::Area;
  std::string number;
  SchemeInput scheme_in;
  SchemeInput edit_in;
  std::string not_above;
  std::vector<std::pair<CLI::Option*, SchemeField>> edit_options;
  CLI::Option* not_above_opt = nullptr;
  std::vector<std::string> levels;
  SchemePortalInput portal_in;
  bool unpublish = false;
  std::vector<std::string> documents, file_types;
  bool no_chain = false;

  void add_list(CLI::App* scheme) {
    auto* scheme_list = scheme->add_subcommand("list", "Liste des dispositifs");
    add_common(scheme_list, c);
    scheme_list->callback([this] {
      action = [this] {
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
  }

  void add_show(CLI::App* scheme) {
    auto* scheme_show = scheme->add_subcommand("show", "Affiche un dispositif");
    scheme_show->add_option("number", number, "Numéro du dispositif")->required();
    add_common(scheme_show, c);
    scheme_show->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) {
          return scheme_by_number(tx, a, number);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << (c.json ? json_scheme(r.value()) : text_scheme(r.value()));
        return 0;
      };
    });
  }

  void add_create(CLI::App* scheme) {
    auto* scheme_create = scheme->add_subcommand("create", "Crée un dispositif");
    add_common(scheme_create, c);
    add_scheme_options(scheme_create, scheme_in, true);
    scheme_create->add_flag("--not-above-request", scheme_in.rule.not_above_request,
                            "Jamais au-dessus du montant demandé");
    scheme_create->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return create_scheme(tx, ctx, scheme_in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << (c.json ? json_scheme(r.value()) : text_scheme(r.value()));
        return 0;
      };
    });
  }

  void add_edit(CLI::App* scheme) {
    auto* scheme_edit = scheme->add_subcommand(
        "edit", "Modifie un dispositif (seules les options données changent)");
    add_common(scheme_edit, c);
    edit_options = add_scheme_options(scheme_edit, edit_in, false);
    not_above_opt = scheme_edit->add_option("--not-above-request", not_above,
                                            "oui ou non : jamais au-dessus du montant demandé");
    scheme_edit->callback([this] {
      action = [this] {
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
  }

  // What the applicants' portal shows of a scheme (app/portal.h): all of it at once.
  void add_portal(CLI::App* scheme) {
    auto* cmd = scheme->add_subcommand(
        "portal",
        "Présente un dispositif sur le portail des demandeurs (/portail), ou l'en retire");
    cmd->add_option("number", number, "Numéro du dispositif")->required();
    auto* publish = cmd->add_flag("--publish", portal_in.published, "Publié au catalogue");
    cmd->add_flag("--unpublish", unpublish, "Retiré du catalogue")->excludes(publish);
    cmd->add_option("--eligibility", portal_in.eligibility, "Qui peut en bénéficier, en clair");
    cmd->add_option("--document", documents, "Une pièce à fournir (répétable)");
    cmd->add_option("--file-type", file_types,
                    "Un type de fichier accepté, type MIME (répétable ; application/pdf)");
    cmd->add_option("--contact", portal_in.contact,
                    "Courriel et téléphone du service, pour les accusés de réception");
    cmd->add_option("--max-file-mib", portal_in.max_file_bytes,
                    "Taille maximale d'un fichier, en Mio (1 à 100 ; 10)");
    add_common(cmd, c);
    cmd->callback([this] {
      action = [this] {
        if (portal_in.published == unpublish) throw UsageError("Donnez --publish ou --unpublish.");
        for (const auto& d : documents)
          portal_in.documents += (portal_in.documents.empty() ? "" : "\n") + d;
        for (const auto& t :
             file_types.empty() ? std::vector<std::string>{"application/pdf"} : file_types)
          portal_in.file_types += (portal_in.file_types.empty() ? "" : "\n") + t;
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return set_scheme_portal(tx, ctx, number, portal_in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << "Dispositif " << number
                  << (r->published ? " publié sur le portail des demandeurs.\n"
                                   : " retiré du portail des demandeurs.\n");
        return 0;
      };
    });
  }

  // "LIBELLÉ:RÔLE" or "LIBELLÉ:RÔLE:sans-renvoi", in the order of the visas.
  static ApprovalLevelInput level_of(const std::string& spec) {
    ApprovalLevelInput l;
    std::string rest = spec;
    if (rest.size() > 12 && rest.compare(rest.size() - 12, 12, ":sans-renvoi") == 0) {
      l.may_return = false;
      rest.resize(rest.size() - 12);
    }
    const auto [label, role] = split_last(rest, ':', "--level");
    l.label = label;
    l.role = role;
    return l;
  }

  void add_chain(CLI::App* scheme) {
    auto* chain = scheme->add_subcommand(
        "approval-chain",
        "Définit le circuit de visa d'un dispositif (les --level dans l'ordre ; --none : aucun)");
    chain->add_option("number", number, "Numéro du dispositif")->required();
    chain->add_option("--level", levels,
                      "Un niveau, « LIBELLÉ:RÔLE » (rôle : approver, administrator ou instructor), "
                      "suivi de « :sans-renvoi » s'il ne peut pas renvoyer le dossier à "
                      "l'instruction ; répétez l'option pour chaque niveau, dans l'ordre");
    chain->add_flag("--none", no_chain, "Aucun visa : l'instructeur propose en commission");
    add_common(chain, c);
    chain->callback([this] {
      action = [this] {
        if (levels.empty() != no_chain)
          throw UsageError("Donnez les niveaux (--level, dans l'ordre) ou --none, pas les deux.");
        std::vector<ApprovalLevelInput> in;
        for (const auto& l : levels)
          in.push_back(level_of(l));
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return set_approval_chain(tx, ctx, number, in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << (c.json ? json_scheme(r.value()) : text_scheme(r.value()));
        return 0;
      };
    });
  }
};

}  // namespace

void add_scheme_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<SchemeCommands>(env);
  auto* scheme = app.add_subcommand("scheme", "Dispositifs d'aide");
  scheme->require_subcommand(1);
  area.add_list(scheme);
  area.add_show(scheme);
  area.add_create(scheme);
  area.add_edit(scheme);
  area.add_chain(scheme);
  area.add_portal(scheme);
}

}  // namespace octroi::cli
