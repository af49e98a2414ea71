// The columns of subsidy files (issue 17, finding 1 and 3): which header names what, as a table
// of names (import_columns.cc) — SCDL 2.x names and their French titles from the schema
// (schemas/scdl/subventions-2.1.0.json), SCDL 1.x names, and names of home-made files — and where
// the header row is. Pure.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace octroi {

// What a column holds. `Kept`: a column the schema or common files define that the importer does
// not read into a field of its own (idRAE, dispositifAide, COLL_TYPE…): kept as it is with the
// award, like every column the table does not know.
enum class ImportColumn {
  Grantor,
  GrantorId,
  Date,
  Reference,
  Beneficiary,
  BeneficiaryId,
  BeneficiarySiren,  // a column of its own for the SIREN, beside the SIRET
  Rna,
  Object,
  Amount,
  Nature,
  Terms,
  Period,
  PeriodStart,
  PeriodEnd,
  Notification,
  Share,
  Kept,
};

// A header as compared: lower-case ASCII letters and digits, accents folded ("Nom du
// bénéficiaire" -> "nomdubeneficiaire", "SUB_OBJ" -> "subobj", "Montant (€)" -> "montant").
std::string header_key(std::string_view header);

// The column a header names; nullopt for a name the table does not know.
std::optional<ImportColumn> column_named(std::string_view header);

// How many of the first rows may come before the header (titles, notes, blank rows).
inline constexpr std::size_t kHeaderSearchRows = 10;

// The index of the header among `rows` (the first rows of a file): the first row, among the
// first kHeaderSearchRows, that names the most known columns, if it names at least two of the
// beneficiary, the amount and the date; else 0 (the first row, as files are written).
std::size_t find_header_row(const std::vector<std::vector<std::string>>& rows);

}  // namespace octroi
