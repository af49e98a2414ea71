// party: list, register, applicants (the portal's accounts acting for a party), confirm-applicant.
#include "app/ports/parties.h"
#include "adapters/cli/commands/commands.h"
#include "app/portal.h"
#include "core/french.h"

namespace octroi::cli {
namespace {

struct PartyCommands : Area {
  using Area::Area;
  PartyInput party_in;
  std::int64_t party_id = 0;
  std::string applicant_email;

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

  // The portal's accounts that act for a party, or claim it (app/portal.h).
  void add_applicants(CLI::App* party) {
    auto* list = party->add_subcommand(
        "applicants", "Comptes du portail qui agissent pour un tiers, ou le réclament");
    list->add_option("id", party_id, "Numéro du tiers")->required();
    add_common(list, c);
    list->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = read(*store, c,
                      [&](Transaction& tx, AuthorityId a) -> Result<std::vector<ApplicantOfParty>> {
                        if (!tx.parties().get_party(a, PartyId{party_id}))
                          return refuse("party.unknown", "party",
                                        "Aucun tiers n° " + std::to_string(party_id) +
                                            " pour cette collectivité.");
                        return applicants_of_party(tx, a, PartyId{party_id});
                      });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        for (const auto& x : r.value())
          std::cout << x.email << "\t" << x.display_name << "\t"
                    << (x.role == "pending" ? "à confirmer" : x.role) << "\t" << fr::moment(x.since)
                    << "\n";
        return 0;
      };
    });
    auto* confirm = party->add_subcommand(
        "confirm-applicant",
        "Confirme qu'un compte du portail agit pour le tiers qu'il a réclamé (il en devient le "
        "premier membre)");
    confirm->add_option("id", party_id, "Numéro du tiers")->required();
    confirm->add_option("--email", applicant_email, "Adresse du compte")->required();
    add_common(confirm, c);
    confirm->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return confirm_applicant(tx, ctx, party_id, applicant_email);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << r->email << " agit désormais pour le tiers n° " << party_id << ".\n";
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
  area.add_applicants(party);
}

}  // namespace octroi::cli
