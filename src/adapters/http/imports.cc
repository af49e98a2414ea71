#include "adapters/http/imports.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "adapters/opendata/import_file.h"
#include "app/scdl_import.h"

namespace octroi::http {
namespace {

// One field of the report, quoted when it holds the separator ";", a quote or a line break.
std::string field(const std::string& f) {
  if (f.find_first_of(";\"\r\n") == std::string::npos) return f;
  std::string q = "\"";
  for (char ch : f)
    q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

void add_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i)
    out += (i ? ";" : "") + field(fields[i]);
  out += "\r\n";
}

}  // namespace

std::string import_report_csv(const ImportReport& r) {
  std::string out = "\xEF\xBB\xBF";
  add_row(out, {"ligne", "résultat", "colonne", "message", "bénéficiaire", "montant"});
  if (r.header_line > 1)
    add_row(out, {std::to_string(r.header_line), "en-tête", "",
                  "L'en-tête est à cette ligne ; les lignes au-dessus sont un titre.", "", ""});
  for (const auto& col : r.columns_kept)
    add_row(out, {"", "colonne conservée", col,
                  "Colonne qu'octroi ne lit pas dans un champ : conservée telle quelle avec "
                  "chaque subvention.",
                  "", ""});
  for (const auto& l : r.lines) {
    const std::string line = std::to_string(l.line);
    const std::string outcome(french(l.outcome));
    if (l.notes.empty()) add_row(out, {line, outcome, "", "", l.beneficiary, l.amount});
    for (const auto& n : l.notes)
      add_row(out, {line, outcome, n.column, n.message, l.beneficiary, l.amount});
  }
  return out;
}

Result<JobFile> WebImports::make(Store& store, const Context& ctx, const ImportJobRequest& r) {
  auto table = opendata::read_import_file(r.bytes, r.file_name);
  if (!table.ok()) return table.refusal();
  ImportOptions options;
  options.dry_run = r.dry_run;
  std::optional<Result<ImportReport>> imported;
  store.write([&](Transaction& tx) {
    imported.emplace(import_scdl(tx, ctx, hasher_, table.value(), options));
    return imported->ok() && !r.dry_run;  // a trial is rolled back
  });
  if (!imported->ok()) return imported->refusal();
  const ImportReport& report = imported->value();
  const std::string stem = std::filesystem::path(r.file_name).stem().string();
  return JobFile{
      "rapport-import-" + stem + ".csv", "text/csv; charset=utf-8", import_report_csv(report),
      std::string(r.dry_run ? "Essai, rien n'est enregistré : " : "") + import_summary(report)};
}

}  // namespace octroi::http
