#include "adapters/spreadsheet/xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/enum_names.h"
#include "core/french.h"

namespace octroi::spreadsheet {
namespace {

// Excel's limits on a sheet's name: 31 characters (bytes here, kept whole on a code point), none
// of []:*?/\.
std::string sheet_name(const std::string& in) {
  std::string out;
  for (const char c : in)
    out += std::string("[]:*?/\\").find(c) == std::string::npos ? c : '-';
  if (out.size() > 31) {
    std::size_t cut = 31;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
      --cut;
    out.resize(cut);
  }
  return out.empty() ? "Feuille" : out;
}

double euros_of(Money m) {
  // The nearest double to cents / 100: spreadsheets keep doubles, and this one rounds back to
  // the same cents (|m| < 2^53 cents).
  return static_cast<double>(m.cents()) / 100.0;
}

}  // namespace

Result<std::string> write_xlsx(const std::vector<Sheet>& sheets) {
  namespace fs = std::filesystem;
  std::string path_template = (fs::temp_directory_path() / "octroi-xlsx-XXXXXX").string();
  const int fd = mkstemp(path_template.data());
  if (fd < 0) throw std::runtime_error("cannot create a temporary file");
  close(fd);
  const std::string path = path_template;
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) {
    fs::remove(path);
    throw std::runtime_error("libxlsxwriter: cannot create the workbook");
  }
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xE6E6E6);
  format_set_text_wrap(head);
  lxw_format* money = workbook_add_format(wb);
  format_set_num_format(money, "#,##0.00 \"€\"");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd/mm/yyyy");
  lxw_format* percent = workbook_add_format(wb);
  format_set_num_format(percent, "0.00 %");
  lxw_format* text = workbook_add_format(wb);
  format_set_text_wrap(text);
  format_set_align(text, LXW_ALIGN_VERTICAL_TOP);

  for (const Sheet& s : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name(s.name).c_str());
    if (!ws) {
      workbook_close(wb);
      fs::remove(path);
      return refuse("xlsx.sheet", "sheet", "Feuille « " + s.name + " » en double.");
    }
    for (std::size_t c = 0; c < s.columns.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      worksheet_set_column(ws, col, col, s.columns[c].width, nullptr);
      worksheet_write_string(ws, 0, col, s.columns[c].title.c_str(), head);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (std::size_t r = 0; r < s.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (std::size_t c = 0; c < s.rows[r].size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        const Cell& cell = s.rows[r][c];
        if (const auto* t = std::get_if<std::string>(&cell)) {
          worksheet_write_string(ws, row, col, t->c_str(), nullptr);
        } else if (const auto* m = std::get_if<Money>(&cell)) {
          worksheet_write_number(ws, row, col, euros_of(*m), money);
        } else if (const auto* d = std::get_if<Date>(&cell)) {
          lxw_datetime dt{d->year(),
                          static_cast<std::uint8_t>(d->month()),
                          static_cast<std::uint8_t>(d->day()),
                          0,
                          0,
                          0.0};
          worksheet_write_datetime(ws, row, col, &dt, date);
        } else if (const auto* n = std::get_if<std::int64_t>(&cell)) {
          worksheet_write_number(ws, row, col, static_cast<double>(*n), nullptr);
        } else if (const auto* p = std::get_if<Percent>(&cell)) {
          worksheet_write_number(ws, row, col, static_cast<double>(p->basis_points) / 10000.0,
                                 percent);
        }
      }
    }
    if (!s.rows.empty() && !s.columns.empty())
      worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(s.rows.size()),
                           static_cast<lxw_col_t>(s.columns.size() - 1));
  }
  const lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) {
    fs::remove(path);
    throw std::runtime_error(std::string("libxlsxwriter: ") + lxw_strerror(e));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  in.close();
  fs::remove(path);
  return bytes.str();
}

Sheet dossiers_sheet(const std::vector<ApplicationView>& dossiers) {
  Sheet s{"Dossiers",
          {{"Numéro", 11},
           {"Bénéficiaire", 30},
           {"Projet", 50},
           {"Dispositif", 30},
           {"État", 18},
           {"Département", 8},
           {"Base subventionnable", 16},
           {"HT/TTC", 8},
           {"Aide", 14},
           {"Délibération", 14},
           {"Date d'attribution", 12}},
          {}};
  for (const auto& v : dossiers) {
    const Application& a = v.application;
    Cell aid = std::monostate{};
    if (a.award)
      aid = a.award->amount;
    else if (a.proposed_award)
      aid = *a.proposed_award;
    else if (v.award)
      aid = v.award->amount;
    s.rows.push_back({a.number, v.party.legal_name, a.project.title, v.scheme.name,
                      std::string(french(a.state())), v.party.departement, v.plan.eligible_base,
                      std::string(a.basis == AmountBasis::ExclTax ? "HT" : "TTC"), aid,
                      a.award ? Cell(a.award->deliberation) : Cell(std::monostate{}),
                      a.award ? Cell(a.award->date) : Cell(std::monostate{})});
  }
  return s;
}

Sheet budget_sheet(const std::vector<BudgetLineView>& lines) {
  Sheet s{"Lignes budgétaires",
          {{"Ligne", 15},
           {"Imputation", 26},
           {"Action", 40},
           {"AE/AP votées", 16},
           {"Affecté", 16},
           {"Disponible", 16},
           {"Engagé", 16},
           {"CP votés", 16},
           {"Mandaté", 16}},
          {}};
  for (const auto& l : lines)
    s.rows.push_back({l.line.key(), l.line.imputation.str(), l.line.action_label,
                      l.balances.ae_voted, l.balances.allocated, l.balances.available(),
                      l.balances.committed, l.balances.cp_voted, l.balances.paid});
  return s;
}

Sheet journal_sheet(const BudgetLine& line, const std::vector<LedgerEntry>& entries) {
  Sheet s{"Journal " + line.key(),
          {{"N°", 8},
           {"Date", 22},
           {"Mouvement", 22},
           {"Montant", 16},
           {"Référence", 16},
           {"Libellé", 60}},
          {}};
  for (const auto& e : entries)
    s.rows.push_back(
        {e.id.value, e.at.iso(), std::string(french(e.kind)), e.amount, e.reference, e.label});
  return s;
}

Sheet payments_sheet(const AwardsOverview& awards) {
  Sheet s{"Versements",
          {{"Dossier", 11},
           {"Bénéficiaire", 30},
           {"Versement", 12},
           {"Date", 12},
           {"Montant", 14},
           {"Dépense réalisée", 16},
           {"Référence", 16},
           {"Aide attribuée", 14},
           {"Reste à verser", 14}},
          {}};
  for (const auto& aw : awards.awards)
    for (const auto& p : aw.payments)
      s.rows.push_back({aw.dossier.application.number, aw.dossier.party.legal_name,
                        std::string(french(p.kind)), p.requested_on, p.amount,
                        p.realised_eligible ? Cell(*p.realised_eligible) : Cell(std::monostate{}),
                        p.reference,
                        aw.dossier.application.award ? Cell(aw.dossier.application.award->amount)
                                                     : Cell(std::monostate{}),
                        aw.remaining});
  return s;
}

Sheet scdl_sheet(const std::vector<ScdlRow>& rows) {
  Sheet s{"SCDL subventions", {}, {}};
  for (const char* name : {"nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision",
                           "nomBeneficiaire", "idBeneficiaire", "rnaBeneficiaire", "objet",
                           "montant", "nature", "conditionsVersement", "datesPeriodeVersement",
                           "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide"})
    s.columns.push_back({name, 16});
  for (const auto& r : rows) {
    auto money = Money::parse(r.montant, "montant");
    auto day = Date::parse(r.date_convention, "dateConvention");
    auto share = Money::parse(r.pourcentage_subvention, "pourcentageSubvention");
    s.rows.push_back(
        {r.nom_attribuant, r.id_attribuant, day.ok() ? Cell(day.value()) : Cell(r.date_convention),
         r.reference_decision, r.nom_beneficiaire, r.id_beneficiaire, r.rna_beneficiaire, r.objet,
         money.ok() ? Cell(money.value()) : Cell(r.montant), r.nature, r.conditions_versement,
         r.dates_periode_versement, r.id_rae, r.notification_ue,
         share.ok() ? Cell(Percent{share->cents() * 100}) : Cell(r.pourcentage_subvention),
         r.dispositif_aide});
  }
  return s;
}

Result<std::vector<Sheet>> authority_sheets(Transaction& tx, AuthorityId a,
                                            const std::vector<std::string>& what,
                                            const ApplicationSearch& search, const Date& today) {
  for (const auto& w : what)
    if (w != "dossiers" && w != "budget" && w != "journal" && w != "payments" && w != "scdl")
      return refuse(
          "xlsx.sheet", "sheets",
          "Feuille inconnue « " + w + " » : dossiers, budget, journal, payments ou scdl.");
  auto wants = [&](const char* name) {
    return what.empty() || std::find(what.begin(), what.end(), name) != what.end();
  };
  std::vector<Sheet> out;
  if (wants("dossiers")) {
    ApplicationSearch all = search;
    all.limit = 1000;
    std::vector<ApplicationView> dossiers;
    for (all.offset = 0;; all.offset += all.limit) {
      auto page = search_applications(tx, a, all);
      if (!page.ok()) return page.refusal();
      dossiers.insert(dossiers.end(), page->begin(), page->end());
      if (static_cast<std::int64_t>(page->size()) < all.limit) break;
    }
    out.push_back(dossiers_sheet(dossiers));
  }
  auto lines = budget_overview(tx, a, std::nullopt);
  if (!lines.ok()) return lines.refusal();
  if (wants("budget")) out.push_back(budget_sheet(lines.value()));
  if (wants("journal"))
    for (const auto& l : lines.value()) {
      auto journal = line_journal(tx, a, l.line.key());
      if (!journal.ok()) return journal.refusal();
      out.push_back(journal_sheet(l.line, journal.value()));
    }
  if (wants("payments")) {
    AwardsOverview every;  // all of them, not list_awards' first 1 000 of each state
    if (auto s =
            for_each_award(tx, a, [&](AwardView&& v) { every.awards.push_back(std::move(v)); });
        !s.ok())
      return s.refusal();
    out.push_back(payments_sheet(every));
  }
  if (wants("scdl")) {
    ScdlOptions every;
    every.threshold = Money::from_cents(0);
    auto rows = scdl_export(tx, a, every, today);
    if (rows.ok())
      out.push_back(scdl_sheet(rows->rows));
    else if (!what.empty())  // asked for by name: say why not
      return rows.refusal();
  }
  return out;
}

}  // namespace octroi::spreadsheet
