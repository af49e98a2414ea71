// party: list, register.
#include "app/ports/parties.h"
#include "adapters/cli/commands/commands.h"

namespace octroi::cli {
namespace {

struct PartyCommands : Area {
  using Area::Area;
  PartyInput party_in;

  void add_list(CLI::App* party) {
    auto* party_list = party->add_subcommand("list", "Liste des tiers");
    add_common(party_list, c);
    party_list->callback([this] {
      action = [this] {
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
  }

  void add_register(CLI::App* party) {
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
    party_register->callback([this] {
      action = [this] {
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
  }
};

}  // namespace

void add_party_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<PartyCommands>(env);
  auto* party = app.add_subcommand("party", "Tiers (bénéficiaires)");
  party->require_subcommand(1);
  area.add_list(party);
  area.add_register(party);
}

}  // namespace octroi::cli
