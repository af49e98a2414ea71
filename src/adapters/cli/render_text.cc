#include "adapters/cli/render.h"
#include "app/approvals.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi::cli {
namespace {

std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t len = text::length(s);
  return len >= width ? s : s + std::string(width - len, ' ');
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t len = text::length(s);
  return len >= width ? s : std::string(width - len, ' ') + s;
}

// Splits `s` into lines of at most `width` characters, at spaces when it can.
std::vector<std::string> wrap(const std::string& s, std::size_t width) {
  std::vector<std::string> out;
  std::string line;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(' ', start), s.size());
    const std::string word = s.substr(start, end - start);
    if (!line.empty() && text::length(line) + 1 + text::length(word) > width) {
      out.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!line.empty() || out.empty()) out.push_back(line);
  return out;
}

std::string plan_table(const char* title, const std::vector<PrintedLine>& lines, Money total,
                       std::int64_t shares_sum_bp, bool expenses) {
  constexpr std::size_t kMaxLabel = 64;
  std::size_t w = 40;
  for (const auto& l : lines) {
    std::string label = l.label + (expenses && !l.eligible ? " (NON ÉLIGIBLE)" : "");
    w = std::max(w, std::min<std::size_t>(text::length(label), kMaxLabel));
  }
  std::string out =
      "  " + pad_right(title, w) + "  " + pad_left("Montant", 16) + "  " + pad_left("%", 9) + "\n";
  for (const auto& l : lines) {
    std::string label = l.label + (expenses && !l.eligible ? " (NON ÉLIGIBLE)" : "");
    const auto parts = wrap(label, w);
    for (std::size_t i = 0; i + 1 < parts.size(); ++i)
      out += "  " + parts[i] + "\n";
    out += "  " + pad_right(parts.back(), w) + "  " + pad_left(fr::euros(l.amount), 16) + "  " +
           pad_left(fr::percent_bp(l.share_bp), 9) + "\n";
  }
  out += "  " + pad_right("Total", w) + "  " + pad_left(fr::euros(total), 16) + "  " +
         pad_left(fr::percent_bp(total.is_positive() ? 10000 : 0), 9) + "\n";
  if (shares_sum_bp != 10000 && total.is_positive())
    out += "  (chaque part est arrondie séparément : leur somme fait " +
           fr::percent_bp(shares_sum_bp) + ")\n";
  return out;
}

}  // namespace

std::string text_refusal(const Refusal& r) {
  std::string out = "Refusé :\n";
  for (const auto& p : r.problems) {
    out += "  - ";
    if (!p.field.empty()) out += p.field + " : ";
    out += p.message + " [" + p.code + "]\n";
  }
  return out;
}

std::string text_application(const ApplicationView& v) {
  const auto& a = v.application;
  const auto& s = v.scheme;
  const auto& p = v.party;
  const std::string basis(to_string(a.basis));
  std::string out;
  out += "Dossier " + a.number + " — " + std::string(french(a.state())) + "\n";
  out += a.project.title + "\n\n";
  out += "Dispositif : " + s.name + " (n° " + s.number + ")\n";
  if (!s.framework_deliberation.empty())
    out += "Délibération cadre : " + s.framework_deliberation + "\n";
  if (!s.budget_imputation.empty()) out += "Imputation budgétaire : " + s.budget_imputation + "\n";
  if (!s.budget_action.empty()) out += "Action : " + s.budget_action + "\n";
  out += "\nBénéficiaire : " + p.legal_name;
  if (!p.legal_status.empty()) out += " (" + p.legal_status + ")";
  out += "\n";
  if (!p.siren.empty()) out += "  SIREN : " + p.siren + "\n";
  if (!p.siret.empty()) out += "  SIRET : " + p.siret + "\n";
  if (!p.naf.empty()) out += "  Code APE : " + p.naf + "\n";
  if (!p.address.display().empty()) out += "  Adresse : " + p.address.display() + "\n";
  if (!p.representative.display().empty())
    out += "  Représentant : " + p.representative.display() + "\n";
  out += p.recovers_vat ? "  L'organisme récupère tout ou partie de la TVA.\n"
                        : "  L'organisme ne récupère pas la TVA.\n";
  if (v.beneficiaries.size() > 1) {
    out += "  Bénéficiaires successifs :\n";
    for (const auto& [record, party] : v.beneficiaries) {
      out += "    " + party.legal_name;
      out += record.deliberation.empty()
                 ? " (demandeur initial)\n"
                 : " depuis le " + fr::date_long(record.since) + " (" + record.deliberation + ")\n";
    }
  }
  out += "\nProjet" + (a.project.place.empty() ? std::string() : " : " + a.project.place) + "\n";
  out += "  Dates prévisionnelles : " + fr::date_long(a.project.start) + " - " +
         fr::date_long(a.project.end) + "\n";
  out += "  Démarrage anticipé : ";
  if (a.early_start.requested) {
    out += "oui";
    if (a.early_start.date) out += ", à compter du " + fr::date_long(*a.early_start.date);
    out += "\n  Motivation : " + a.early_start.justification + "\n";
  } else {
    out += "non\n";
  }
  if (!a.project.description.empty()) out += "  Description : " + a.project.description + "\n";
  out += "\nPlan de financement prévisionnel — exercice de référence " +
         std::to_string(a.reference_year) + ", montants " + basis + "\n";
  out += plan_table("Dépenses", v.plan.expenses, v.plan.total_expenses,
                    v.plan.expense_shares_sum_bp, true);
  out += plan_table("Recettes", v.plan.resources, v.plan.total_resources,
                    v.plan.resource_shares_sum_bp, false);
  out += v.plan.balanced ? "  Plan équilibré.\n"
                         : "  PLAN NON ÉQUILIBRÉ : écart de " +
                               fr::euros(v.plan.total_expenses - v.plan.total_resources) + "\n";
  out += "\nBase subventionnable : " + fr::euros(v.plan.eligible_base) + " " + basis + "\n";
  out += "Montant demandé : " + fr::euros(v.plan.requested) + "\n";
  out += "Règle de calcul : " + s.rule.describe() + "\n";
  if (v.award) {
    for (const auto& line : v.award->explanation)
      out += "  " + line + "\n";
  } else if (v.award_refusal) {
    out += "  Calcul impossible : " + v.award_refusal->first().message + "\n";
  }
  if (a.proposed_award) {
    out += "Montant proposé : " + fr::euros(*a.proposed_award);
    if (a.rule_award && *a.proposed_award < *a.rule_award)
      out += " (barème : " + fr::euros(*a.rule_award) + " ; motif : " + a.proposal_reason + ")";
    out += "\n";
  }
  if (a.award)
    out += "Montant attribué : " + fr::euros(a.award->amount) + " par délibération n° " +
           a.award->deliberation + " du " + fr::date_long(a.award->date) + "\n";
  if (!v.history.empty()) {
    out += "\nHistorique";
    if (v.history_total > static_cast<std::int64_t>(v.history.size()))
      out += " (les " + std::to_string(v.history.size()) + " derniers événements sur " +
             std::to_string(v.history_total) + ")";
    out += "\n";
    for (const auto& h : v.history) {
      out += "  " + fr::moment_short(h.at) + "  " + h.event + "  " + h.from_state + " → " +
             h.to_state + "  (" + h.actor + ")";
      if (!h.reason.empty()) out += "  motif : " + h.reason;
      out += "\n";
    }
  }
  return out;
}

std::string text_application_list(const std::vector<ApplicationView>& list) {
  if (list.empty()) return "Aucun dossier.\n";
  std::string out = pad_right("Dossier", 10) + pad_right("État", 24) +
                    pad_right("Bénéficiaire", 34) + pad_left("Base éligible", 18) +
                    pad_left("Aide calculée", 16) + pad_left("Attribuée", 16) + "\n";
  for (const auto& v : list) {
    const auto& a = v.application;
    out += pad_right(a.number, 10) + pad_right(std::string(french(a.state())), 24) +
           pad_right(v.party.legal_name, 34) +
           pad_left(fr::euros(v.plan.eligible_base) + " " + std::string(to_string(a.basis)), 18) +
           pad_left(v.award ? fr::euros(v.award->amount) : "—", 16) +
           pad_left(a.award ? fr::euros(a.award->amount) : "—", 16) + "\n";
  }
  return out;
}

std::string text_scheme(const AidScheme& s) {
  std::string out = "Dispositif n° " + s.number + " — " + s.name + "\n";
  out += "  Délibération cadre : " + s.framework_deliberation + "\n";
  out += "  Section : " + std::string(french(s.section)) + "\n";
  out += "  Imputation budgétaire : " + s.budget_imputation + "\n";
  out += "  Action : " + s.budget_action + "\n";
  out += "  Ouverture : " + (s.opens_on ? fr::date_long(*s.opens_on) : std::string("—")) +
         ", clôture : " + (s.closes_on ? fr::date_long(*s.closes_on) : std::string("—")) + "\n";
  out += "  Règle de calcul : " + s.rule.describe() + "\n";
  out += "  Circuit de visa : " + describe_chain(s.approval_chain) + "\n";
  if (!s.model_agreement.empty()) out += "  Convention type : " + s.model_agreement + "\n";
  const auto& pr = s.payment_rules;
  out += "  Avance : " +
         (pr.advance_max ? "au plus " + fr::percent_short(*pr.advance_max)
                         : std::string("non prévue")) +
         " ; acomptes : " +
         (pr.interim_max ? "au plus " + fr::percent_short(*pr.interim_max) + " cumulés"
                         : std::string("non prévus")) +
         " ; tolérance avant proratisation : " + fr::percent_short(pr.balance_tolerance) + "\n";
  const auto& lr = s.lapse_rules;
  if (lr.first_request_years || lr.balance_years) {
    out += "  Caducité :";
    if (lr.first_request_years)
      out += " première demande dans les " + std::to_string(*lr.first_request_years) + " an(s)";
    if (lr.balance_years)
      out += " ; solde dans les " + std::to_string(*lr.balance_years) + " an(s)";
    out += " (à compter de l'attribution)\n";
  }
  if (s.obligation_years)
    out += "  Durée des obligations : " + std::to_string(*s.obligation_years) + " an(s)\n";
  out += "  Régime d'aide : " + std::string(french(s.aid_regime)) + "\n";
  return out;
}

std::string text_party(const Party& p) {
  std::string out = "Tiers n° " + std::to_string(p.id.value) + " — " + p.legal_name + "\n";
  if (!p.legal_status.empty()) out += "  Statut juridique : " + p.legal_status + "\n";
  if (!p.siren.empty()) out += "  SIREN : " + p.siren + "\n";
  if (!p.siret.empty()) out += "  SIRET : " + p.siret + "\n";
  if (!p.rna.empty()) out += "  RNA : " + p.rna + "\n";
  if (!p.naf.empty()) out += "  Code APE : " + p.naf + "\n";
  if (!p.address.display().empty()) out += "  Adresse : " + p.address.display() + "\n";
  if (!p.departement.empty()) out += "  Département : " + p.departement + "\n";
  if (!p.representative.display().empty())
    out += "  Représentant : " + p.representative.display() + "\n";
  out += std::string("  TVA : ") +
         (p.recovers_vat ? "récupérée (montants HT)" : "non récupérée (montants TTC)") + "\n";
  return out;
}

std::string text_award_change(const ApplicationView& before, const ApplicationView& after) {
  auto amount = [](const ApplicationView& v) {
    return v.award ? fr::euros(v.award->amount) : std::string("incalculable");
  };
  std::string out = "Base subventionnable : " + fr::euros(before.plan.eligible_base) + " → " +
                    fr::euros(after.plan.eligible_base) + "\n";
  out += "Aide calculée : " + amount(before) + " → " + amount(after) + "\n";
  return out;
}

}  // namespace octroi::cli
