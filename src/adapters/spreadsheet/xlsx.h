// Spreadsheets (issue 8): the lists octroi shows, as an .xlsx workbook with exact amounts and
// proper number formats (amounts "# ##0,00 €", dates, percentages). libxlsxwriter is used by this
// adapter only (xlsx.cc).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "app/open_data.h"
#include "app/use_cases.h"
#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace octroi::spreadsheet {

struct Percent {
  std::int64_t basis_points = 0;  // 5162 -> 51,62 %
};
// A cell: empty, text, an amount, a date, a whole number or a percentage.
using Cell = std::variant<std::monostate, std::string, Money, Date, std::int64_t, Percent>;

struct Column {
  std::string title;
  double width = 14;  // in characters, as spreadsheets count them
};

struct Sheet {
  std::string name;  // at most 31 characters, no []:*?/\ (Excel's rule)
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

// The workbook's bytes. An amount is written as the number of euros (the nearest double to the
// exact decimal, which every spreadsheet shows and rounds back to the same cents) with the
// format "# ##0,00 €"; a date as a date ("jj/mm/aaaa"); a percentage as a fraction with "0,00 %".
Result<std::string> write_xlsx(const std::vector<Sheet>& sheets);

// The sheets of the lists octroi shows.
Sheet dossiers_sheet(const std::vector<ApplicationView>& dossiers);
Sheet budget_sheet(const std::vector<BudgetLineView>& lines);
Sheet journal_sheet(const BudgetLine& line, const std::vector<LedgerEntry>& entries);
Sheet payments_sheet(const AwardsOverview& awards);
Sheet scdl_sheet(const std::vector<ScdlRow>& rows);

// What a workbook of the authority holds, read in one snapshot: the dossiers (all of them, or a
// search), the budget lines with one journal sheet per line, the payments, and the SCDL rows of
// every award (threshold 0) when the authority has a SIRET. `what` lists the sheets wanted among
// "dossiers", "budget", "journal", "payments", "scdl" (empty: all).
Result<std::vector<Sheet>> authority_sheets(Transaction& tx, AuthorityId a,
                                            const std::vector<std::string>& what,
                                            const ApplicationSearch& search, const Date& today);

}  // namespace octroi::spreadsheet
