#include "adapters/opendata/scdl_csv.h"

namespace octroi::opendata {

const std::array<std::string_view, 16>& scdl_field_names() {
  static const std::array<std::string_view, 16> names = {
      "nomAttribuant",   "idAttribuant",   "dateConvention",        "referenceDecision",
      "nomBeneficiaire", "idBeneficiaire", "rnaBeneficiaire",       "objet",
      "montant",         "nature",         "conditionsVersement",   "datesPeriodeVersement",
      "idRAE",           "notificationUE", "pourcentageSubvention", "dispositifAide"};
  return names;
}

namespace {

// Whether the field must be quoted: one pass over it (find_first_of would look each character
// up in the set with a call of its own).
bool needs_quotes(std::string_view value) {
  for (const char c : value)
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  return false;
}

}  // namespace

std::string csv_field(std::string_view value) {
  if (!needs_quotes(value)) return std::string(value);
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

// Appends the field, quoted when it must be, without a temporary.
void append_field(std::string& out, std::string_view value) {
  if (!needs_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string scdl_csv_header() {
  std::string out;
  const auto& names = scdl_field_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
  }
  return out + "\r\n";
}

void append_scdl_csv_line(std::string& out, const ScdlRow& r) {
  const std::string_view fields[] = {
      r.nom_attribuant,   r.id_attribuant,   r.date_convention,        r.reference_decision,
      r.nom_beneficiaire, r.id_beneficiaire, r.rna_beneficiaire,       r.objet,
      r.montant,          r.nature,          r.conditions_versement,   r.dates_periode_versement,
      r.id_rae,           r.notification_ue, r.pourcentage_subvention, r.dispositif_aide};
  static_assert(sizeof fields / sizeof fields[0] == 16);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i > 0) out += ',';
    append_field(out, fields[i]);
  }
  out += "\r\n";
}

std::string scdl_csv(const std::vector<ScdlRow>& rows) {
  std::string out = scdl_csv_header();
  out.reserve(256 + rows.size() * 256);
  for (const ScdlRow& r : rows)
    append_scdl_csv_line(out, r);
  return out;
}

}  // namespace octroi::opendata
