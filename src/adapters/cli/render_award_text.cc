// French text rendering of the life of an award: agreement, payments, clawbacks, amendments,
// state-aid checks, conditions, outcomes; lapse sweeps.
#include "adapters/cli/render.h"
#include "core/french.h"

namespace octroi::cli {
namespace {

std::string opt_date(const std::optional<Date>& d) {
  return d ? fr::date_long(*d) : std::string("—");
}

std::string condition_status(const std::string& s) {
  if (s == "met") return "remplie";
  if (s == "not_met") return "non remplie";
  return "à vérifier";
}

}  // namespace

std::string text_award(const AwardView& v) {
  const auto& a = v.dossier.application;
  std::string out = "Dossier " + a.number + " — " + std::string(french(a.state())) + " — " +
                    v.dossier.party.legal_name + "\n";
  if (a.award)
    out += "Subvention attribuée : " + fr::euros(a.award->amount) + " (" +
           fr::euros_in_words(a.award->amount) + ") par délibération n° " + a.award->deliberation +
           " du " + fr::date_long(a.award->date) + "\n";
  out += "Régime d'aide : " + std::string(french(a.aid_regime)) + "\n";
  out += "\nConvention";
  if (!v.agreement) {
    out += " : aucune\n";
  } else {
    const auto& ag = *v.agreement;
    if (!ag.model_deliberation.empty())
      out += " (convention type adoptée par " + ag.model_deliberation + ")";
    out += "\n  Éligibilité des dépenses : " + fr::date_long(ag.eligibility_start) + " - " +
           fr::date_long(ag.eligibility_end) + "\n";
    if (ag.early_start) out += "  Démarrage anticipé au " + fr::date_long(*ag.early_start) + "\n";
    out += "  Signée par le bénéficiaire : " + opt_date(ag.signed_by_beneficiary_on) +
           " ; par la collectivité : " + opt_date(ag.signed_by_authority_on) + "\n";
    out += ag.is_signed() ? "  Engagement juridique enregistré.\n" : "  En attente de signature.\n";
  }
  out += "\nVersements : " + fr::euros(v.paid) + " versés";
  if (a.award) out += " sur " + fr::euros(a.award->amount);
  out += "\n";
  for (const auto& p : v.payments) {
    out += "  " + p.reference + "  " + fr::date_short(p.requested_on) + "  " +
           std::string(french(p.kind)) + "  " + fr::euros(p.amount);
    if (p.realised_eligible)
      out += "  (dépenses éligibles réalisées " + fr::euros(*p.realised_eligible) + ")";
    out += "\n";
    for (const auto& l : p.lines)
      out += "      " + l.label + " : " + fr::euros(l.amount) +
             (l.eligible ? "" : " (non éligible)") + "\n";
  }
  if (!v.clawbacks.empty()) {
    out += "\nReversements demandés\n";
    for (const auto& c : v.clawbacks) {
      out += "  " + fr::date_short(c.decided_on) + "  " + fr::euros(c.amount) + "  " + c.reason +
             " (" + c.reference + ")";
      if (c.years_total)
        out += " — au prorata de " + std::to_string(*c.years_remaining) +
               " année(s) restant à "
               "courir sur " +
               std::to_string(*c.years_total);
      out += "\n";
    }
  }
  if (!v.amendments.empty()) {
    out += "\nAvenants\n";
    for (const auto& m : v.amendments)
      out += "  n° " + std::to_string(m.number) + " (" + m.kind + ") approuvé par " +
             m.deliberation + " le " + fr::date_long(m.approved_on) + "\n";
  }
  if (!v.state_aid_checks.empty()) {
    out += "\nContrôles de minimis\n";
    for (const auto& c : v.state_aid_checks)
      out += "  " + std::string(french(c.stage)) + " du " + fr::date_long(c.checked_on) + " : " +
             fr::euros(c.amount) + " ; déjà reçu " + fr::euros(c.used) + ", plafond " +
             fr::euros(c.ceiling) + ", marge " + fr::euros(c.room) +
             (c.ok ? " — conforme" : " — DÉPASSEMENT") + "\n";
  }
  if (!v.conditions.empty()) {
    out += "\nConditions\n";
    for (const auto& c : v.conditions) {
      out += "  n° " + std::to_string(c.id) + "  " + c.label + " — " + condition_status(c.status);
      if (c.due_on) out += " (échéance " + fr::date_long(*c.due_on) + ")";
      out += "\n";
    }
  }
  if (!v.outcomes.empty()) {
    out += "\nIndicateurs\n";
    for (const auto& o : v.outcomes)
      out += "  " + o.indicator + " : " + std::to_string(o.value) + " (" +
             fr::date_short(o.reported_on) + ")\n";
  }
  return out;
}

std::string text_payment(const PaymentResult& r) {
  std::string out = std::string("Versement ") + std::string(french(r.payment.kind)) + " " +
                    r.payment.reference + " : " + fr::euros(r.payment.amount) + "\n";
  for (const auto& line : r.decision.explanation)
    out += "  " + line + "\n";
  if (r.application.state() == ApplicationState::Closed) out += "Dossier soldé.\n";
  return out;
}

std::string text_lapse(const std::vector<LapseSweepItem>& items, bool dry_run) {
  std::string out = dry_run ? "Simulation (rien n'est modifié) :\n" : "";
  if (items.empty()) return out + "Aucun dossier caduc.\n";
  for (const auto& i : items)
    out += "  " + i.number + (dry_run ? " deviendrait caduc" : " est caduc") + " : " +
           i.decision.reason + " (échéance du " + fr::date_long(i.decision.deadline) + ") ; " +
           fr::euros(i.decision.to_release) + (dry_run ? " à désaffecter\n" : " désaffectés\n");
  return out;
}

std::string text_state_aid_check(const StateAidCheckRecord& r) {
  return std::string("Contrôle de minimis (") + std::string(french(r.regime)) + ", " +
         std::string(french(r.stage)) + ") au " + fr::date_long(r.checked_on) + " : " +
         fr::euros(r.amount) + " ; aides de minimis déjà reçues par l'entreprise unique " +
         fr::euros(r.used) + ", plafond " + fr::euros(r.ceiling) + ", marge " + fr::euros(r.room) +
         " — " + (r.ok ? "conforme" : "PLAFOND DÉPASSÉ") + ".\n";
}

}  // namespace octroi::cli
