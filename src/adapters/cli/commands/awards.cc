// The life of an award: award show, agreement, payment, clawback, lapse, stateaid, condition,
// outcome.
#include "adapters/cli/commands/commands.h"

namespace octroi::cli {
namespace {

struct AwardCommands : Area {
  using Area::Area;
  std::string number;
  AgreementInput agreement_in;
  SignatureInput signature_in;
  PaymentInput payment_in;
  std::vector<std::string> payment_lines, payment_ineligible;
  ClawbackInput clawback_in;
  std::string as_of;
  bool dry_run = false;
  std::string stage = "instruction";
  bool record_check = false;
  std::string grant_on;
  std::string controlling, controlled;
  DeclaredAidInput declared;
  std::string condition_label, condition_due, condition_id, condition_status;
  std::string indicator, indicator_value, indicator_on;

  void award_commands(CLI::App& app) {
    auto* award = app.add_subcommand("award", "Vie de la subvention attribuée");
    award->require_subcommand(1);
    auto* award_show = award->add_subcommand(
        "show", "Convention, versements, reversements, avenants, aides d'État, conditions");
    award_show->add_option("number", number, "Numéro du dossier")->required();
    add_common(award_show, c);
    award_show->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = read(*store, c,
                      [&](Transaction& tx, AuthorityId a) { return show_award(tx, a, number); });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << (c.json ? json_award(r.value()) : text_award(r.value()));
        return 0;
      };
    });
  }

  // The award as it now stands, after a writing command.
  int show_award_after(Store& store) {
    auto v =
        read(store, c, [&](Transaction& tx, AuthorityId a) { return show_award(tx, a, number); });
    std::cout << (c.json ? json_award(v.value()) : text_award(v.value()));
    return 0;
  }

  void agreement_commands(CLI::App& app) {
    auto* agreement = app.add_subcommand("agreement", "Conventions");
    agreement->require_subcommand(1);
    auto* agreement_create = agreement->add_subcommand(
        "create", "Établit la convention d'un dossier attribué, d'après la convention type");
    agreement_create->add_option("number", number, "Numéro du dossier")->required();
    add_common(agreement_create, c);
    agreement_create->add_option("--eligibility-start", agreement_in.eligibility_start,
                                 "Début d'éligibilité des dépenses");
    agreement_create->add_option("--eligibility-end", agreement_in.eligibility_end,
                                 "Fin d'éligibilité des dépenses");
    agreement_create->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return create_agreement(tx, ctx, number, agreement_in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        return show_award_after(*store);
      };
    });
    auto* agreement_sign = agreement->add_subcommand(
        "sign", "Signature (la seconde engage la subvention sur sa ligne)");
    agreement_sign->add_option("number", number, "Numéro du dossier")->required();
    add_common(agreement_sign, c);
    agreement_sign->add_option("--signatory", signature_in.signatory, "beneficiary ou authority")
        ->required();
    agreement_sign->add_option("--on", signature_in.on, "Date de signature (défaut : aujourd'hui)");
    agreement_sign->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return sign_agreement(tx, ctx, number, signature_in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        return show_award_after(*store);
      };
    });
  }

  void payment_commands(CLI::App& app) {
    auto* payment = app.add_subcommand("payment", "Versements");
    payment->require_subcommand(1);
    auto* payment_request = payment->add_subcommand(
        "request", "Avance, acompte ou solde, dans les plafonds du dispositif");
    payment_request->add_option("number", number, "Numéro du dossier")->required();
    add_common(payment_request, c);
    payment_request->add_option("--kind", payment_in.kind, "advance, interim ou balance")
        ->required();
    payment_request->add_option("--amount", payment_in.amount, "Montant demandé (avance, acompte)");
    payment_request->add_option("--realised", payment_in.realised,
                                "Dépenses éligibles réalisées (acompte, solde)");
    payment_request->add_option("--line", payment_lines,
                                "État récapitulatif : dépense éligible LIBELLÉ=MONTANT (répéter)");
    payment_request->add_option("--ineligible-line", payment_ineligible,
                                "État récapitulatif : dépense non éligible LIBELLÉ=MONTANT");
    payment_request->add_option("--on", payment_in.on, "Date (défaut : aujourd'hui)");
    payment_request->add_option("--reference", payment_in.reference, "Référence du mandat");
    payment_request->callback([this] {
      action = [this] {
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
  }

  void clawback_command(CLI::App& app) {
    auto* clawback = app.add_subcommand("clawback", "Reversement (titre de recette)");
    clawback->add_option("number", number, "Numéro du dossier")->required();
    add_common(clawback, c);
    clawback->add_option("--amount", clawback_in.amount, "Montant à reverser");
    clawback->add_flag("--pro-rata", clawback_in.pro_rata_years,
                       "Au prorata des années restant à courir");
    clawback->add_option("--reason", clawback_in.reason, "Motif")->required();
    clawback->add_option("--reference", clawback_in.reference, "Acte")->required();
    clawback->add_option("--on", clawback_in.on, "Date de la décision");
    clawback->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return order_clawback(tx, ctx, number, clawback_in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        return show_award_after(*store);
      };
    });
  }

  void lapse_command(CLI::App& app) {
    auto* lapse = app.add_subcommand("lapse", "Caducité : applique les règles des dispositifs");
    add_common(lapse, c);
    lapse->add_option("--as-of", as_of, "Date d'effet")->required();
    lapse->add_flag("--dry-run", dry_run, "Liste sans rien modifier");
    lapse->callback([this] {
      action = [this] {
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
  }

  void stateaid_commands(CLI::App& app) {
    auto* stateaid = app.add_subcommand("stateaid", "Aides d'État : de minimis, entreprise unique");
    stateaid->require_subcommand(1);
    auto* stateaid_check = stateaid->add_subcommand("check", "Cumul de minimis du bénéficiaire");
    stateaid_check->add_option("number", number, "Numéro du dossier")->required();
    add_common(stateaid_check, c);
    stateaid_check->add_option("--stage", stage, "instruction ou vote");
    stateaid_check->add_option("--on", grant_on,
                               "Date d'octroi envisagée (dossier non encore attribué ; défaut : "
                               "aujourd'hui)");
    stateaid_check->add_flag("--record", record_check,
                             "Enregistre le contrôle dans le dossier (sinon, simple simulation)");
    stateaid_check->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          std::optional<Date> on;
          if (!grant_on.empty()) {
            auto d = Date::parse(grant_on, "on");
            if (!d.ok()) return Result<StateAidCheckRecord>(d.refusal());
            on = d.value();
          }
          return check_state_aid(tx, ctx, number, stage, on, record_check);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << (c.json ? json_state_aid_check(r.value()) : text_state_aid_check(r.value()));
        return r->ok ? 0 : kRefused;
      };
    });
    auto* stateaid_link = stateaid->add_subcommand(
        "link", "Lien de contrôle entre deux tiers (une même entreprise unique)");
    stateaid_link->add_option("controlling", controlling, "Tiers qui contrôle (n°)")->required();
    stateaid_link->add_option("controlled", controlled, "Tiers contrôlé (n°)")->required();
    add_common(stateaid_link, c);
    stateaid_link->callback([this] {
      action = [this] {
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
    auto* stateaid_declare = stateaid->add_subcommand(
        "declare", "Aide de minimis reçue d'un autre organisme, déclarée par le bénéficiaire");
    add_common(stateaid_declare, c);
    stateaid_declare->add_option("--party", declared.party, "Tiers (n°)")->required();
    stateaid_declare
        ->add_option("--regime", declared.regime,
                     "Régime : de_minimis_1407_2013 (aides jusqu'au 31 décembre 2023), "
                     "de_minimis_2023_2831 (à partir du 1er janvier 2024), sieg_360_2012 ou "
                     "gber_651_2014 (ces deux derniers ne comptent pas dans le cumul de minimis)")
        ->required();
    stateaid_declare->add_option("--amount", declared.amount, "Montant")->required();
    stateaid_declare->add_option("--granted-on", declared.granted_on, "Date d'octroi")->required();
    stateaid_declare->add_option("--grantor", declared.grantor, "Organisme")->required();
    stateaid_declare->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return declare_aid(tx, ctx, declared);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << "Aide déclarée.\n";
        return 0;
      };
    });
  }

  void condition_commands(CLI::App& app) {
    auto* condition = app.add_subcommand("condition", "Conditions attachées à une subvention");
    condition->require_subcommand(1);
    auto* condition_add = condition->add_subcommand("add", "Ajoute une condition");
    condition_add->add_option("number", number, "Numéro du dossier")->required();
    add_common(condition_add, c);
    condition_add->add_option("--label", condition_label, "Libellé")->required();
    condition_add->add_option("--due", condition_due, "Échéance");
    condition_add->callback([this] {
      action = [this] {
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
    condition_set->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return set_condition(tx, ctx, number, condition_id, condition_status);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        return show_award_after(*store);
      };
    });
  }

  void outcome_commands(CLI::App& app) {
    auto* outcome = app.add_subcommand("outcome", "Indicateurs de réalisation");
    outcome->require_subcommand(1);
    auto* outcome_report = outcome->add_subcommand("report", "Déclare un indicateur");
    outcome_report->add_option("number", number, "Numéro du dossier")->required();
    add_common(outcome_report, c);
    outcome_report->add_option("--indicator", indicator, "Indicateur")->required();
    outcome_report->add_option("--value", indicator_value, "Valeur")->required();
    outcome_report->add_option("--on", indicator_on, "Date");
    outcome_report->callback([this] {
      action = [this] {
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
    outcome_summary->callback([this] {
      action = [this] {
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
  }
};

}  // namespace

void add_award_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<AwardCommands>(env);
  area.award_commands(app);
  area.agreement_commands(app);
  area.payment_commands(app);
  area.clawback_command(app);
  area.lapse_command(app);
  area.stateaid_commands(app);
  area.condition_commands(app);
  area.outcome_commands(app);
}

}  // namespace octroi::cli
