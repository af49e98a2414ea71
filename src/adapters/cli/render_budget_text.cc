// French text rendering of the budget, the ledger, reports and verifications.
#include "adapters/cli/render.h"
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

std::string authorisation(const BudgetLine& l) {
  return l.imputation.section() == BudgetSection::Investment ? "AP" : "AE";
}

}  // namespace

std::string text_budget(const std::vector<BudgetLineView>& lines) {
  if (lines.empty()) return "Aucune ligne budgétaire.\n";
  std::string out = pad_right("Ligne", 15) + pad_right("Imputation", 28) +
                    pad_left("Voté AE/AP", 18) + pad_left("Affecté", 18) + pad_left("Engagé", 16) +
                    pad_left("Mandaté", 16) + pad_left("Disponible", 18) +
                    pad_left("CP votés", 18) + pad_left("CP consommés", 18) + "\n";
  for (const auto& v : lines) {
    const auto& b = v.balances;
    out += pad_right(v.line.key(), 15) + pad_right(v.line.imputation.str(), 28) +
           pad_left(fr::euros(b.ae_voted), 18) + pad_left(fr::euros(b.allocated), 18) +
           pad_left(fr::euros(b.committed), 16) + pad_left(fr::euros(b.paid), 16) +
           pad_left(fr::euros(b.available()), 18) + pad_left(fr::euros(b.cp_voted), 18) +
           pad_left(fr::euros(b.cp_used), 18) + "\n";
    out += "               " + authorisation(v.line) + " " +
           std::string(french(v.line.imputation.section())) + " — action " + v.line.action + " « " +
           v.line.action_label + " »";
    if (!v.line.programme_label.empty()) out += " — " + v.line.programme_label;
    out += " (" + std::string(to_string(v.line.imputation.nomenclature)) + ")\n";
  }
  return out;
}

std::string text_journal(const BudgetLine& line, const std::vector<LedgerEntry>& entries) {
  std::string out = "Journal de la ligne " + line.key() + " (" + line.imputation.str() + ", " +
                    line.action_label + ")\n";
  if (entries.empty()) return out + "  Aucun mouvement.\n";
  for (const auto& e : entries) {
    // The act's day (the recording day for entries from before schema 0017).
    out += "  n° " + std::to_string(e.id.value) + "  " +
           fr::date_short(e.on ? *e.on : paris_time(e.at).day) + "  " +
           pad_right(std::string(french(e.kind)), 30) + pad_left(fr::euros(e.amount), 18) + "  " +
           e.reference;
    if (!e.label.empty()) out += " — " + e.label;
    if (e.reverses) out += " (annule le n° " + std::to_string(e.reverses->value) + ")";
    out += "\n";
  }
  return out;
}

std::string text_ledger_verification(const LedgerVerification& v) {
  std::string out = "Grand livre : " + std::to_string(v.lines) + " ligne(s), " +
                    std::to_string(v.entries) + " mouvement(s) vérifiés.\n";
  if (v.differences.empty())
    return out + "Aucune anomalie : chaque solde est la somme de son journal.\n";
  for (const auto& d : v.differences) {
    out += "ANOMALIE sur " + d.line.key() + " : " + d.what + "\n";
    auto row = [&](const char* name, Money s, Money j) {
      if (s != j)
        out += std::string("  ") + name + " : enregistré " + fr::euros(s) + ", journal " +
               fr::euros(j) + "\n";
    };
    row("voté AE/AP", d.stored.ae_voted, d.journal.ae_voted);
    row("CP votés", d.stored.cp_voted, d.journal.cp_voted);
    row("affecté", d.stored.allocated, d.journal.allocated);
    row("engagé", d.stored.committed, d.journal.committed);
    row("mandaté", d.stored.paid, d.journal.paid);
    row("CP consommés", d.stored.cp_used, d.journal.cp_used);
  }
  return out;
}

std::string text_report(const ReportView& v) {
  const auto& r = v.report;
  std::string out = "Rapport " + r.number + " — " + r.title + "\n";
  out += std::string(french(v.session.body)) + " du " + fr::date_long(v.session.date) + " — " +
         std::string(french(r.state));
  if (r.adopted_on) out += " le " + fr::date_long(*r.adopted_on);
  out += "\n";
  Money total;
  for (const auto& av : v.articles) {
    const auto& a = av.article;
    out += "\nArticle " + std::to_string(a.position) + " : " + a.title + "\n";
    out += "  " + std::string(french(a.kind)) + "\n";
    out += "  Ligne " + av.line.key() + " (" + av.line.imputation.str() + ", action " +
           av.line.action + " « " + av.line.action_label + " »)\n";
    switch (a.kind) {
      case ArticleKind::SchemeAwards:
        out += "  Dispositif n° " + av.scheme_number + "\n";
        for (const auto& app : av.applications) {
          out += "    " + pad_right(app.application.number, 10) +
                 pad_right(app.party.departement, 4) + pad_right(app.party.legal_name, 36) +
                 pad_left(app.application.award ? fr::euros(app.application.award->amount)
                                                : (app.application.proposed_award
                                                       ? fr::euros(*app.application.proposed_award)
                                                       : std::string("—")),
                          16) +
                 "  " + std::string(french(app.application.state())) + "\n";
          const Application& d = app.application;
          if (!d.award && d.proposed_award && d.rule_award && *d.proposed_award < *d.rule_award)
            out += "      montant du barème " + fr::euros(*d.rule_award) +
                   ", réduit : " + d.proposal_reason + "\n";
        }
        out += std::string("  Affecte une autorisation ") +
               (av.line.imputation.section() == BudgetSection::Investment ? "de programme"
                                                                          : "d'engagement") +
               " de " + fr::euros(a.amount) + "\n";
        break;
      case ArticleKind::Tranche:
        out += "  Bénéficiaire : " + (av.party ? av.party->legal_name : std::string("?")) + "\n";
        out += "  Tranche de " + fr::euros(a.amount) + " = " + fr::percent_short(*a.tranche_rate) +
               " de " + fr::euros(*a.planned_total) + "\n";
        break;
      case ArticleKind::Direct:
        out += "  Affecte " + fr::euros(a.amount) + " (opération sans bénéficiaire)\n";
        break;
      case ArticleKind::Transfer:
        if (!av.applications.empty())
          out += "  Dossier " + av.applications.front().application.number + " : de " +
                 (av.applications.front().beneficiaries.empty()
                      ? av.applications.front().party.legal_name
                      : av.applications.front().beneficiaries.front().second.legal_name) +
                 " à " + (av.party ? av.party->legal_name : std::string("?")) + "\n";
        out += "  Reliquat transféré : " + fr::euros(a.amount) + " (aucune affectation nouvelle)\n";
        break;
      case ArticleKind::AmountChange:
        if (!av.applications.empty() && av.applications.front().application.award)
          out += "  Dossier " + av.applications.front().application.number + " : montant " +
                 fr::euros(av.applications.front().application.award->amount) + " → " +
                 fr::euros(a.amount) + "\n";
        break;
      case ArticleKind::Extension:
        if (!av.applications.empty())
          out += "  Dossier " + av.applications.front().application.number +
                 " : fin d'éligibilité des dépenses portée au " +
                 (a.new_end ? fr::date_long(*a.new_end) : std::string("?")) + "\n";
        break;
    }
    if (a.kind == ArticleKind::SchemeAwards || a.kind == ArticleKind::Tranche ||
        a.kind == ArticleKind::Direct)
      total += a.amount;
  }
  out += "\nTotal des affectations du rapport : " + fr::euros(total) + "\n";
  if (r.state != ReportState::Draft) return out;
  // The vote played without being recorded (show_report's dry run).
  out += "\nSimulation du vote :\n";
  for (const auto& c : v.checks)
    out += "  Ligne " + c.line.key() + " : " + authorisation(c.line) + " nécessaires " +
           fr::euros(c.needed) + ", disponibles " + fr::euros(c.available) + " — " +
           (c.enough ? "suffisant" : "insuffisant") + "\n";
  if (v.vote_refusal) {
    out += "  Le vote serait refusé :\n";
    for (const auto& p : v.vote_refusal->problems)
      out += "  - " + p.message + " [" + p.code + "]\n";
  } else {
    out += "  Le vote serait accepté.\n";
  }
  return out;
}

std::string text_reports(const std::vector<Report>& list) {
  if (list.empty()) return "Aucun rapport.\n";
  std::string out;
  for (const auto& r : list)
    out += pad_right(r.number, 14) + pad_right(std::string(french(r.state)), 16) + r.title + "\n";
  return out;
}

std::string text_adoption(const AdoptionResult& r, const std::vector<BudgetLineView>& lines) {
  if (r.already_adopted)
    return "Le rapport " + r.report.number + " était déjà adopté le " +
           fr::date_long(*r.report.adopted_on) + " : rien n'a changé.\n";
  std::string out =
      "Rapport " + r.report.number + " adopté le " + fr::date_long(*r.report.adopted_on) + ".\n";
  Money total;
  for (const auto& p : r.plan.allocations)
    total += p.amount;
  out += "  " + std::to_string(r.plan.allocations.size()) + " affectation(s) pour " +
         fr::euros(total) + ", " + std::to_string(r.plan.awarded.size()) +
         " dossier(s) attribué(s), " + std::to_string(r.plan.transfers.size()) + " transfert(s), " +
         std::to_string(r.plan.amendments.size()) + " autre(s) avenant(s).\n\n";
  return out + text_budget(lines);
}

std::string text_copy_report(const stores::CopyReport& r) {
  std::string out = "Copie de " + r.from + " vers " + r.to + " : " + std::to_string(r.rows) +
                    " ligne(s), vérifiée.\n";
  for (const auto& a : r.authorities) {
    std::int64_t rows = 0;
    for (const auto& t : a.tables)
      rows += t.target;
    out += "  " + a.code + " : " + std::to_string(rows) + " ligne(s) dans " +
           std::to_string(a.tables.size()) + " tables, mêmes comptes des deux côtés ; " +
           std::to_string(a.budget_lines) + " ligne(s) budgétaire(s) aux mêmes soldes, " +
           std::to_string(a.ledger_entries) + " écriture(s) vérifiées ; chaîne d'audit de " +
           std::to_string(a.audit_entries) + " entrée(s) intacte, tête " +
           a.audit_head_hash.substr(0, 16) + "…\n";
  }
  return out;
}

std::string text_audit_verification(const AuditVerification& v) {
  std::string out = "Journal d'audit : " + std::to_string(v.entries) + " entrée(s) vérifiées.\n";
  if (v.entries > 0)
    out += "Dernière entrée : n° " + std::to_string(v.head_seq) + ", empreinte " + v.head_hash +
           " (à conserver ailleurs pour détecter une suppression en fin de journal).\n";
  if (v.problems.empty()) return out + "Chaîne intègre.\n";
  for (const auto& p : v.problems)
    out += "ALTÉRATION à l'entrée n° " + std::to_string(p.authority_seq) + " : " + p.what + "\n";
  return out;
}

}  // namespace octroi::cli
