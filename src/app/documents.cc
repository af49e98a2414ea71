// The data of the official documents: what each template prints, taken from the use cases'
// views and formatted here, once, so that a document can never show a figure the data does not
// hold (the seed's own avenant prints "78 4000 €"; octroi cannot).
#include "app/use_cases.h"
#include "core/french.h"

namespace octroi {
namespace {

std::vector<DocRecord> plan_lines(const std::vector<PrintedLine>& lines) {
  std::vector<DocRecord> out;
  for (const auto& l : lines) {
    DocRecord r;
    r.text = {{"libelle", l.label},
              {"montant", fr::amount(l.amount)},
              {"part", fr::percent_bp(l.share_bp)}};
    out.push_back(std::move(r));
  }
  return out;
}

// The latest session whose report names the dossier (an award article or a transfer), if any:
// "Commission permanente du 25 janvier 2023 - CP 2023-040".
std::string session_line(Transaction& tx, AuthorityId a, ApplicationId id) {
  std::optional<Session> best;
  std::string number;
  for (const auto& r : tx.list_reports(a)) {
    bool names = false;
    for (const auto& art : r.articles) {
      names = names || (art.transfer_application && *art.transfer_application == id);
      for (const auto& app : art.applications)
        names = names || app == id;
    }
    if (!names) continue;
    auto s = tx.get_session(a, r.session);
    if (s && (!best || best->date < s->date)) {
      best = s;
      number = r.number;
    }
  }
  if (!best) return "";
  std::string body(french(best->body));
  if (!body.empty())
    body[0] = static_cast<char>(body[0] - 'a' + 'A');  // "commission" -> "Commission"
  return body + " du " + fr::date_long(best->date) + " - " + number;
}

}  // namespace

Result<DocRecord> project_sheet_data(Transaction& tx, AuthorityId a, const std::string& number) {
  auto shown = show_application(tx, a, number);
  if (!shown.ok()) return shown.refusal();
  const ApplicationView& v = shown.value();
  const Application& app = v.application;
  std::optional<Money> amount;
  if (app.award)
    amount = app.award->amount;
  else if (app.proposed_award)
    amount = *app.proposed_award;
  else if (v.award)
    amount = v.award->amount;
  if (!amount)
    return refuse("document.no_amount", "number",
                  "Le dossier " + app.number + " n'a pas encore de montant : " +
                      (v.award_refusal ? v.award_refusal->first().message : std::string("?")));
  DocRecord d;
  d.text = {
      {"numero", app.number},
      {"titre", app.project.title},
      {"dispositif", v.scheme.name},
      {"dispositif_numero", v.scheme.number},
      {"deliberation_cadre", v.scheme.framework_deliberation},
      {"imputation", v.scheme.budget_imputation},
      {"action", v.scheme.budget_action},
      {"libelle_montant", app.award ? "Montant de la subvention attribuée"
                                    : "Par application du barème montant de la subvention maximum"},
      {"montant", fr::euros(*amount)},
      {"organisme", v.party.legal_name},
      {"adresse", v.party.address.display()},
      {"statut", v.party.legal_status},
      {"representant", v.party.representative.display()},
      {"dates", fr::date_long(app.project.start) + " - " + fr::date_long(app.project.end)},
      {"motivation_anticipe", app.early_start.justification},
      {"description", app.project.description},
      {"localisation", app.project.place},
      {"exercice", std::to_string(app.reference_year)},
      {"tva", v.party.recovers_vat ? "L’organisme récupère la TVA : montants hors taxes."
                                   : "L’organisme ne récupère pas la TVA."},
      {"base", app.basis == AmountBasis::ExclTax ? "HT" : "TTC"},
      {"total_depenses", fr::amount(v.plan.total_expenses)},
      {"part_depenses", fr::percent_bp(v.plan.expense_shares_sum_bp)},
      {"total_recettes", fr::amount(v.plan.total_resources)},
      {"part_recettes", fr::percent_bp(v.plan.resource_shares_sum_bp)},
      {"seance", session_line(tx, a, app.id)},
  };
  d.flags["anticipe"] = app.early_start.requested;
  d.lists["depenses"] = plan_lines(v.plan.expenses);
  d.lists["recettes"] = plan_lines(v.plan.resources);
  return d;
}

}  // namespace octroi
