// Importing subsidy files as they really are (issue 8): SCDL "subventions" files and their older
// (SCDL 1.x: COLL_NOM, ATTRIB_SIRET, SUB_MONTANT…) or home-made variants. The adapter
// (adapters/opendata/table_reader.h) turns the bytes into a table of UTF-8 text, whatever the
// encoding and the separator; here each line is read into an imported award, or rejected with
// the reason and the column, and a report says what became of every line.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/audit_chain.h"
#include "app/context.h"
#include "app/ports.h"
#include "app/ports/imports.h"
#include "core/enum_names.h"
#include "core/result.h"
#include "domain/party/party.h"

namespace octroi {

// Thrown when a file being imported cannot be read to its end as it was checked (it changed
// between two readings, or the disk failed): the import's transaction is then rolled back. The
// message is French and names the file.
class ImportInterrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file read as text: its header and rows (UTF-8), and how it was read.
struct ImportTable {
  std::string source;    // the file's name, recorded with each imported award
  std::string encoding;  // "UTF-8", "UTF-8 (BOM)", "Windows-1252"
  char delimiter = ',';
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;  // the line where each row starts
  int header_line = 1;     // where the header stands (after titles, when a file has some)
  // A large file is not held: its rows are read again as they are imported. stream_rows (set
  // by the adapter that checked the file, adapters/opendata/table_reader.h) then hands each row
  // and its line in order, and row_count says how many there are; `rows` stays empty.
  using RowFn = std::function<void(const std::vector<std::string>&, int)>;
  std::function<void(const RowFn&)> stream_rows;
  std::size_t row_count = 0;

  std::size_t rows_in_all() const { return stream_rows ? row_count : rows.size(); }
  // Each row and its line, held or read again.
  void for_each_row(const RowFn& f) const;
};

// What became of one line.
enum class LineOutcome { Accepted, AcceptedWithWarnings, Rejected, AlreadyImported, Duplicate };
std::string_view french(LineOutcome o);  // "acceptée", "acceptée avec avertissements"…
inline constexpr auto kLineOutcomeNames = name_table<LineOutcome>({
    {LineOutcome::Accepted, "accepted", "acceptée"},
    {LineOutcome::AcceptedWithWarnings, "accepted_with_warnings", "acceptée avec avertissements"},
    {LineOutcome::Rejected, "rejected", "rejetée"},
    {LineOutcome::AlreadyImported, "already_imported", "déjà importée"},
    {LineOutcome::Duplicate, "duplicate", "en double dans le fichier"},
});

struct LineNote {
  std::string column;   // the file's column name, as written in its header ("" for the line)
  std::string message;  // French
};

struct LineReport {
  int line = 0;
  LineOutcome outcome = LineOutcome::Accepted;
  std::vector<LineNote> notes;  // the reason of a rejection, or the warnings
  std::string beneficiary;      // as read
  std::string amount;           // as read
};

struct ImportReport {
  std::string source, encoding;
  char delimiter = ',';
  int header_line = 1;
  // Columns octroi does not read into a field of its own: kept with each award as they are
  // (ImportedAwardRecord::other_fields), never dropped.
  std::vector<std::string> columns_kept;
  std::vector<LineReport> lines;
  int accepted = 0, with_warnings = 0, rejected = 0, already = 0, duplicates = 0;
  int parties_created = 0;
  int establishments_added = 0;  // SIRETs met for the first time (party_establishments)
  bool dry_run = false;
};

struct ImportOptions {
  bool dry_run = false;  // read and report, store nothing
  // Called every `progress_every` lines with (lines done, lines in all).
  std::function<void(std::size_t, std::size_t)> progress;
  std::size_t progress_every = 10000;
  // Called once the columns are known (the report's source, encoding, separator, header line
  // and kept columns are then set), before any line.
  std::function<void(const ImportReport&)> on_start;
  // When set, each line's outcome is handed to it as soon as it is known, and not kept in the
  // report (whose counts still add up): a report of a million lines is written as it goes.
  std::function<void(const LineReport&)> on_line;
};

// Reads each row into an imported award (the grantor, the date of the agreement, the decision,
// the beneficiary, the amount, its share, the object, the payment terms and period, the EU
// notification; the other columns kept as they are), links it to the party with the same SIRET
// (or SIREN, or, without identifier, the same name), registering the party when there is none;
// a SIRET met for the first time becomes an establishment of the party of its SIREN, with the
// name the line gives it (distinct SIRETs of one company are never merged into one name),
// and stores it unless a line equal in every field was imported before (AlreadyImported) or
// comes earlier in the same file (Duplicate, naming that line). A rejected line stores nothing.
// Accepted: amounts with a decimal comma or point and thousands spaces ("26 956,00"), dates
// 2017-04-13, 2017/09/08 or 13/04/2017, periods with "/" or "_", oui/non/true/false in any case.
// Flagged, never "fixed": identifiers damaged by a spreadsheet ("21860194600000.0",
// "2.18601946E+13"), a SIREN where a SIRET is expected, an identifier whose check digit is wrong
// (the line is kept without it). Refuses the whole file ("import.columns", field file) when it has
// no column for the beneficiary, the amount or the date; ("import.empty") when it has no header.
Result<ImportReport> import_scdl(Transaction& tx, const Context& ctx, Hasher& hasher,
                                 const ImportTable& table, const ImportOptions& options = {});

// The report's counts in a sentence: "12 ligne(s) acceptée(s) (dont 1 avec avertissements),
// 2 rejetée(s), 0 déjà importée(s), 0 en double dans le fichier ; 3 tiers créé(s), 4
// établissement(s) enregistré(s)."
std::string import_summary(const ImportReport& r);

// The party's imported awards (its 360° view).
std::vector<ImportedAwardRecord> imported_awards_of(Transaction& tx, AuthorityId a, PartyId p);

}  // namespace octroi
