// application: list, show, create, plan, event, assign, opinion ask|answer.
#include "adapters/cli/commands/commands.h"
#include "app/audit_json.h"
#include "app/workspace.h"

namespace octroi::cli {
namespace {

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

struct ApplicationCommands : Area {
  using Area::Area;
  ApplicationFilter filter;
  std::string filter_state, filter_scheme;
  std::string number;
  CreateOptions create_opts;
  PlanOptions plan_opts;
  EventInput event_in;
  std::string assignee;
  std::string opinion_service, opinion_question, opinion_id, opinion_kind, opinion_text;
  EventInput bulk_in;
  std::vector<std::string> bulk_numbers;

  void add_list(CLI::App* application) {
    auto* list = application->add_subcommand("list", "Liste des dossiers");
    add_common(list, c);
    list->add_option("--state", filter_state, "Filtre sur l'état (ex. proposed)");
    list->add_option("--scheme", filter_scheme, "Filtre sur le numéro de dispositif");
    list->add_option("--limit", filter.limit, "Taille de page (1 à 1 000)");
    list->add_option("--offset", filter.offset, "Décalage");
    list->callback([this] {
      action = [this] {
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
  }

  void add_show(CLI::App* application) {
    auto* show = application->add_subcommand("show", "Affiche un dossier, son plan et son calcul");
    show->add_option("number", number, "Numéro du dossier (ex. EX070158)")->required();
    add_common(show, c);
    show->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) {
          return show_application(tx, a, number);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << (c.json ? json_application(r.value()) : text_application(r.value()));
        return 0;
      };
    });
  }

  void add_create(CLI::App* application) {
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
    create->add_option("--requested", ci.requested,
                       "Montant demandé, quand il n'est pas la somme des recettes « authority » du "
                       "plan (plafonne l'aide si le barème le prévoit)");
    create->add_option("--expense", create_opts.expenses, "Dépense éligible LIBELLÉ=MONTANT");
    create->add_option("--ineligible-expense", create_opts.ineligible,
                       "Dépense non éligible LIBELLÉ=MONTANT");
    create->add_option("--resource", create_opts.resources,
                       "Recette NATURE:LIBELLÉ=MONTANT (natures : self_funding, authority, "
                       "other_public, loan, private, other)");
    create->callback([this] {
      action = [this] {
        fill_plan_lines(create_opts);
        auto& in = create_opts.in;
        in.early_start = !in.early_start_date.empty();
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return create_application(tx, ctx, in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        auto v = read(*store, c, [&](Transaction& tx, AuthorityId a) {
          return show_application(tx, a, r->number);
        });
        std::cout << (c.json ? json_application(v.value()) : text_application(v.value()));
        return 0;
      };
    });
  }

  void add_plan(CLI::App* application) {
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
    plan->callback([this] {
      action = [this] {
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
  }

  void add_event(CLI::App* application) {
    auto* event = application->add_subcommand("event", "Fait avancer un dossier dans son circuit");
    event->add_option("number", number, "Numéro du dossier")->required();
    event
        ->add_option("event", event_in.event,
                     "submit, declare_incomplete, complete, start_instruction, propose, "
                     "request_approval, approve, send_back, reduce, reopen, refuse, withdraw "
                     "(l'attribution, le solde et la caducité se font par leur acte : report "
                     "adopt, payment, lapse ; un visa est donné au nom de l'utilisateur du "
                     "système, cli:$USER)")
        ->required();
    add_common(event, c);
    event->add_option(
        "--reason", event_in.reason,
        "Motif (obligatoire pour declare_incomplete, reduce, reopen, send_back, refuse, "
        "et pour propose ou request_approval au-dessous du barème)");
    event->add_option(
        "--amount", event_in.amount,
        "propose : montant proposé, au plus celui du barème (par défaut : celui-ci) ; "
        "reduce : nouveau montant, inférieur au montant proposé");
    event->add_option("--on", event_in.on, "Date de l'événement (par défaut : aujourd'hui)");
    event->callback([this] {
      action = [this] {
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
          std::cout << "Dossier " << number << " : " << french(r->state()) << ".\n";
        }
        return 0;
      };
    });
  }

  // The command line acts as an administrator: it assigns to anyone who may instruct.
  void add_assign(CLI::App* application) {
    auto* assign = application->add_subcommand(
        "assign", "Attribue un dossier à un compte qui l'instruira (--to ; sans : personne)");
    assign->add_option("number", number, "Numéro du dossier")->required();
    assign->add_option("--to", assignee,
                       "Identifiant du compte (administrateur, chef de service, ou instructeur du "
                       "service du dispositif) ; absent : le dossier n'est plus attribué");
    add_common(assign, c);
    assign->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return assign_application(tx, ctx, Caller{0, Role::Administrator}, number, assignee);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        if (c.json)
          std::cout << "{\"number\":" << audit_json::quote(r->number)
                    << ",\"assignee\":" << (r->login.empty() ? "null" : audit_json::quote(r->login))
                    << "}\n";
        else if (r->login.empty())
          std::cout << "Dossier " << number << " : attribué à personne.\n";
        else
          std::cout << "Dossier " << number << " : attribué à " << r->display_name << " ("
                    << r->login << ").\n";
        return 0;
      };
    });
  }

  // Expert opinions: asked of another service, answered once (the command line acts as an
  // administrator, who may answer for the service asked).
  void add_opinion(CLI::App* application) {
    auto* opinion = application->add_subcommand("opinion", "Avis demandés aux services");
    opinion->require_subcommand(1);
    auto* ask = opinion->add_subcommand("ask", "Demande l'avis d'un autre service sur un dossier");
    ask->add_option("number", number, "Numéro du dossier")->required();
    ask->add_option("--service", opinion_service, "Service consulté")->required();
    ask->add_option("--question", opinion_question, "Question posée")->required();
    add_common(ask, c);
    ask->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return request_opinion(tx, ctx, number, opinion_service, opinion_question);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << "Avis n° " << r->id << " demandé à « " << r->service << " ».\n";
        return 0;
      };
    });
    auto* answer = opinion->add_subcommand("answer", "Donne l'avis demandé (une seule fois)");
    answer->add_option("id", opinion_id, "Numéro de la demande d'avis")->required();
    answer->add_option("--opinion", opinion_kind, "favorable, reserved ou unfavorable")->required();
    answer->add_option("--text", opinion_text,
                       "Motif (obligatoire pour un avis réservé ou défavorable)");
    add_common(answer, c);
    answer->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return give_opinion(tx, ctx, Caller{0, Role::Administrator}, opinion_id, opinion_kind,
                              opinion_text);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << "Avis n° " << r->id << " : " << opinion_label(r->opinion) << ".\n";
        return 0;
      };
    });
  }

  // Several dossiers at once, all or nothing (the workspace's bulk acts): the same event on each,
  // or the same assignee.
  void add_bulk(CLI::App* application) {
    auto* bulk = application->add_subcommand(
        "bulk", "Le même acte sur plusieurs dossiers, tout ou rien (200 au plus)");
    bulk->require_subcommand(1);
    auto* ev = bulk->add_subcommand("event", "Le même événement sur chaque dossier");
    ev->add_option("event", bulk_in.event, "L'événement (comme « application event »)")->required();
    ev->add_option("numbers", bulk_numbers, "Les numéros des dossiers")->required();
    ev->add_option("--reason", bulk_in.reason, "Motif, quand l'événement en demande un");
    add_common(ev, c);
    ev->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return bulk_event(tx, ctx, bulk_numbers, bulk_in);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        for (const auto& a : r.value())
          std::cout << "Dossier " << a.number << " : " << french(a.state()) << ".\n";
        return 0;
      };
    });
    auto* as = bulk->add_subcommand("assign", "Attribue les dossiers au même compte");
    as->add_option("numbers", bulk_numbers, "Les numéros des dossiers")->required();
    as->add_option("--to", assignee, "Identifiant du compte ; absent : à personne");
    add_common(as, c);
    as->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return bulk_assign(tx, ctx, Caller{0, Role::Administrator}, bulk_numbers, assignee);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        for (const auto& a : r.value())
          std::cout << "Dossier " << a.number << " : attribué à "
                    << (a.login.empty() ? std::string("personne") : a.display_name) << ".\n";
        return 0;
      };
    });
  }
};

}  // namespace

void add_application_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<ApplicationCommands>(env);
  auto* application = app.add_subcommand("application", "Dossiers de demande de subvention");
  application->require_subcommand(1);
  area.add_list(application);
  area.add_show(application);
  area.add_create(application);
  area.add_plan(application);
  area.add_event(application);
  area.add_assign(application);
  area.add_opinion(application);
  area.add_bulk(application);
}

}  // namespace octroi::cli
