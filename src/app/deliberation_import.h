// Legacy deliberations (issue 8): the text of a deliberation as its PDF gives it (pdftotext, with
// its broken layout: labels split over lines, amounts on the next line, page footers), read back
// into the dossiers of its annex sheets ("DOSSIER N° EX070162 - …"), then stored as dossiers
// marked as imported, with a report of what was recognised and what was not.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/audit_chain.h"
#include "app/context.h"
#include "app/ports.h"
#include "app/ports/applications.h"
#include "core/result.h"
#include "domain/committee/report.h"

namespace octroi {

struct ParsedPlanLine {
  std::string label;
  Money amount;
  std::int64_t share_bp = 0;  // as printed: "51,62%" -> 5162
};

// One annex sheet as printed. Every field is "" / empty / nullopt when the sheet does not give
// it (see `missing`).
struct ParsedSheet {
  int line = 0;  // where "DOSSIER N°" stands in the text (1-based)
  std::string number, title;
  std::string scheme_name, scheme_number, framework_deliberation;
  std::string imputation, action_code, action_label;
  std::optional<Money> amount;         // the award printed ("MONTANT DE LA SUBVENTION", "total")
  std::optional<Money> eligible_base;  // "Montant base subventionnable", when printed
  std::string organisation, address_line, postal_code, city, legal_status;
  std::string civility, first_name, last_name, role;
  std::optional<Date> start, end;
  std::optional<bool> early_start;
  std::string early_start_motivation, description, place;
  std::string reference_year;
  std::optional<bool> recovers_vat;
  std::vector<ParsedPlanLine> expenses, resources;
  std::optional<Money> expenses_total, resources_total;
  std::vector<std::string> missing;  // French names of what the sheet did not give
};

// The bounds of a deliberation's text. pdftotext's lines are a few hundred bytes and a title a
// few lines: anything longer is not a deliberation, and reading it would take time (or, for the
// line patterns, stack) in proportion.
inline constexpr std::size_t kMaxDeliberationBytes = 32 * 1024 * 1024;
inline constexpr std::size_t kMaxDeliberationLineBytes = 2000;
inline constexpr std::size_t kMaxSheetTitleBytes = 2000;

// Finds the annex sheets in `text` and reads each. Pure. Refuses a text beyond the bounds above,
// naming the line: "import.too_large", "import.line_too_long", "import.title_too_long".
Result<std::vector<ParsedSheet>> parse_project_sheets(const std::string& text);

enum class SheetOutcome { Imported, AlreadyPresent, NotImported };
struct SheetReport {
  ParsedSheet sheet;
  SheetOutcome outcome = SheetOutcome::NotImported;
  std::vector<std::string> notes;  // French: what was recognised, what was not, why
};
struct DeliberationImport {
  std::vector<SheetReport> sheets;
  bool dry_run = false;
};

// Stores each sheet as a draft dossier of its scheme (which must exist: a scheme's rules are not
// in a sheet), for its organisation (found by name, else registered with the address and the
// representative printed), with the project, the dates, the early start and the financing plan
// as printed (resource kinds from their labels: autofinancement, Région, emprunt…; an expense
// marked "non éligible" is not eligible), marked as imported (imported_applications: the source
// and the amount printed). A dossier whose number exists is left alone. Notes compare the amount
// printed with what octroi computes, and the printed totals with the lines.
Result<DeliberationImport> import_deliberation_text(Transaction& tx, const Context& ctx,
                                                    const std::string& text,
                                                    const std::string& source, bool dry_run);

}  // namespace octroi
