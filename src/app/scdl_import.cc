// Reading subsidy files line by line into imported awards (app/scdl_import.h).
#include "app/scdl_import.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "app/audit_json.h"
#include "app/digest_map.h"
#include "app/import_columns.h"
#include "app/ports/imports.h"
#include "app/ports/parties.h"
#include "app/use_cases.h"
#include "core/identifiers.h"
#include "domain/text.h"

namespace octroi {
namespace {

using Col = ImportColumn;

// The columns octroi read before issue 17, frozen with the way it compared headers (ASCII
// letters and digits, lower case): the older key of a line is worked out from them, as it was.
const std::map<std::string, Col>& legacy_columns() {
  static const std::map<std::string, Col> m = {
      {"nomattribuant", Col::Grantor},
      {"collnom", Col::Grantor},
      {"idattribuant", Col::GrantorId},
      {"collsiret", Col::GrantorId},
      {"dateconvention", Col::Date},
      {"actedate", Col::Date},
      {"referencedecision", Col::Reference},
      {"acteref", Col::Reference},
      {"nombeneficiaire", Col::Beneficiary},
      {"attribnom", Col::Beneficiary},
      {"idbeneficiaire", Col::BeneficiaryId},
      {"attribsiret", Col::BeneficiaryId},
      {"objet", Col::Object},
      {"subobjet", Col::Object},
      {"montant", Col::Amount},
      {"submontant", Col::Amount},
      {"pourcentagesubvention", Col::Share},
  };
  return m;
}
std::string legacy_header(const std::string& h) {
  std::string out;
  for (const char c : h)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Removes spaces of every kind (ASCII, U+00A0, U+202F) and a euro sign.
std::string without_spaces(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' || s[i] == '\t') continue;
    if (s.compare(i, 2, "\xC2\xA0") == 0) {
      ++i;
      continue;
    }
    if (s.compare(i, 3, "\xE2\x80\xAF") == 0 || s.compare(i, 3, "\xE2\x82\xAC") == 0) {
      i += 2;
      continue;
    }
    out += s[i];
  }
  if (out.size() >= 3 && (out.substr(out.size() - 3) == "EUR")) out.resize(out.size() - 3);
  return out;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An amount as files write them: "26 956,00", "17 833", "47800.20", "1.234,56", "1,234.56".
// A single separator followed by exactly three digits ("17.833") is ambiguous: refused.
std::optional<Money> read_amount(const std::string& raw, std::string& why) {
  std::string s = without_spaces(raw);
  if (s.empty()) {
    why = "le montant est vide";
    return std::nullopt;
  }
  const auto comma = s.rfind(','), dot = s.rfind('.');
  const auto count = [&](char c) { return std::count(s.begin(), s.end(), c); };
  if (comma != std::string::npos && dot != std::string::npos) {
    const char thousands = comma > dot ? '.' : ',';
    s.erase(std::remove(s.begin(), s.end(), thousands), s.end());
    std::replace(s.begin(), s.end(), ',', '.');
  } else if (comma != std::string::npos || dot != std::string::npos) {
    const char sep = comma != std::string::npos ? ',' : '.';
    const auto at = s.rfind(sep);
    const std::size_t decimals = s.size() - at - 1;
    if (count(sep) > 1) {  // "1,234,567": thousands
      s.erase(std::remove(s.begin(), s.end(), sep), s.end());
    } else if (decimals == 3) {
      why = "« " + raw + " » est ambigu (séparateur de milliers ou décimales ?)";
      return std::nullopt;
    } else {
      std::replace(s.begin(), s.end(), ',', '.');
    }
  }
  auto m = Money::parse(s, "montant");
  if (!m.ok()) {
    why = "« " + raw + " » n'est pas un montant";
    return std::nullopt;
  }
  if (!m->is_positive()) {
    why = "le montant « " + raw + " » n'est pas positif";
    return std::nullopt;
  }
  return m.value();
}

// 2017-04-13, 2017/09/08, 13/04/2017, 13-04-2017, followed or not by a time.
std::optional<Date> read_date(const std::string& raw) {
  std::string s = text::trim(raw);
  if (const auto cut = s.find_first_of(" T"); cut != std::string::npos) s = s.substr(0, cut);
  int y = 0, m = 0, d = 0;
  auto num = [&](std::size_t from, std::size_t n, int& out) {
    if (from + n > s.size()) return false;
    const std::string part = s.substr(from, n);
    if (!all_digits(part)) return false;
    out = std::stoi(part);
    return true;
  };
  const bool iso = s.size() == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4] && num(0, 4, y) &&
                   num(5, 2, m) && num(8, 2, d);
  const bool french = !iso && s.size() == 10 && (s[2] == '/' || s[2] == '-') && s[5] == s[2] &&
                      num(0, 2, d) && num(3, 2, m) && num(6, 4, y);
  if (!iso && !french) return std::nullopt;
  auto date = Date::make(y, m, d, "date");
  if (!date.ok()) return std::nullopt;
  return date.value();
}

// What an identifier column holds: a usable SIRET or SIREN, or a note.
struct Identifier {
  std::string siret, siren;
  std::optional<std::string> note;
};
Identifier read_identifier(const std::string& raw, bool grantor) {
  Identifier out;
  const std::string s = text::trim(raw);
  if (s.empty()) return out;
  const auto dot = s.find('.');
  const bool float_tail = dot != std::string::npos && all_digits(s.substr(0, dot)) &&
                          dot + 1 < s.size() &&
                          std::all_of(s.begin() + static_cast<std::ptrdiff_t>(dot) + 1, s.end(),
                                      [](char c) { return c == '0'; });
  const bool scientific = s.find_first_of("eE") != std::string::npos &&
                          s.find_first_not_of("0123456789.,eE+-") == std::string::npos;
  if (float_tail || scientific) {
    out.note = "« " + s +
               " » a été abîmé par un tableur (nombre décimal) : identifiant ignoré, "
               "à corriger dans le fichier source";
    return out;
  }
  const std::string digits = ids::normalize_number(s);
  if (digits.size() == 14 && all_digits(digits)) {
    if (ids::siret(digits, "id").ok()) {
      out.siret = digits;
      out.siren = digits.substr(0, 9);
    } else {
      out.note = "le SIRET « " + s + " » a une clé de contrôle fausse : identifiant ignoré";
    }
    return out;
  }
  if (digits.size() == 9 && all_digits(digits)) {
    if (ids::siren(digits, "id").ok()) {
      out.siren = digits;
      out.note = "« " + s + " » est un SIREN (9 chiffres), pas un SIRET" +
                 std::string(grantor ? "" : " : le tiers est rattaché par son SIREN");
    } else {
      out.note = "le SIREN « " + s + " » a une clé de contrôle fausse : identifiant ignoré";
    }
    return out;
  }
  out.note = "« " + s + " » n'est ni un SIRET ni un SIREN : identifiant ignoré";
  return out;
}

std::optional<bool> read_bool(const std::string& raw) {
  std::string s = header_key(raw);  // lower case letters and digits
  if (s == "oui" || s == "true" || s == "vrai" || s == "o" || s == "1" || s == "yes") return true;
  if (s == "non" || s == "false" || s == "faux" || s == "n" || s == "0" || s == "no") return false;
  return std::nullopt;
}

// "1.00", "0,45", "0.125", "45 %", "12,5 %": basis points (1..10000). A fraction may have four
// decimals, a percentage two (a workbook's 12,5 % is the number 0.125). `legacy`: as octroi read
// it before issue 17 (two decimals either way), for the older key only.
std::optional<std::int64_t> read_share(const std::string& raw, bool legacy = false) {
  std::string s = without_spaces(raw);
  const bool percent = !s.empty() && s.back() == '%';
  if (percent) s.pop_back();
  std::replace(s.begin(), s.end(), ',', '.');
  const auto dot = s.find('.');
  const std::size_t decimals = dot == std::string::npos ? 0 : s.size() - dot - 1;
  std::int64_t bp = 0;
  if (!percent && !legacy && decimals > 2 && decimals <= 4) {
    const std::string whole = s.substr(0, dot), frac = s.substr(dot + 1);
    if (!all_digits(frac) || (!whole.empty() && !all_digits(whole)) || whole.size() > 1)
      return std::nullopt;
    bp = (whole.empty() ? 0 : std::stoll(whole)) * 10000 +
         std::stoll(frac + std::string(4 - decimals, '0'));
  } else {
    auto m = Money::parse(s, "share");  // two decimals at most: "0.45", "45", "45.5"
    if (!m.ok()) return std::nullopt;
    const std::int64_t hundredths = m->cents();  // 0.45 -> 45, 45 -> 4500
    bp = percent ? hundredths : hundredths * 100;
  }
  if (bp < 1 || bp > 10000) return std::nullopt;
  return bp;
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The columns of the header: those the import reads, by what they hold (the first of each kind),
// and the others, kept as they are (report.columns_kept).
struct Columns {
  std::map<Col, std::size_t> at;
  std::map<Col, std::size_t> legacy_at;  // as octroi found them before issue 17
  std::vector<std::size_t> kept;
  std::vector<std::string> kept_names;  // their header, or "colonne N" when it has none
};
Columns find_columns(const ImportTable& table, ImportReport& report) {
  Columns out;
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    const auto old = legacy_columns().find(legacy_header(table.header[i]));
    if (old != legacy_columns().end() && !out.legacy_at.count(old->second))
      out.legacy_at[old->second] = i;
    const auto c = column_named(table.header[i]);
    if (c && *c != Col::Kept && !out.at.count(*c)) {
      out.at[*c] = i;
      continue;
    }
    const std::string name =
        text::trim(table.header[i]).empty() ? "colonne " + std::to_string(i + 1) : table.header[i];
    out.kept.push_back(i);
    out.kept_names.push_back(name);
    report.columns_kept.push_back(name);
  }
  return out;
}

// Refuses a file with no column for the beneficiary, the amount or the date.
Status check_required_columns(const ImportTable& table, const std::map<Col, std::size_t>& at) {
  std::vector<std::string> missing;
  if (!at.count(Col::Beneficiary))
    missing.push_back("le bénéficiaire (nomBeneficiaire, ATTRIB_NOM)");
  if (!at.count(Col::Amount)) missing.push_back("le montant (montant, SUB_MONTANT)");
  if (!at.count(Col::Date)) missing.push_back("la date (dateConvention, ACTE_DATE)");
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing)
      list += (list.empty() ? "" : ", ") + m;
    return refuse("import.columns", "file",
                  "Le fichier « " + table.source + " » n'a pas de colonne pour " + list +
                      " : est-ce bien un fichier de subventions ?");
  }
  return done();
}

// The authority's parties and establishments, and the ids given to those a dry run would
// register.
struct PartyIndex {
  std::map<std::string, PartyId> by_siret, by_siren, by_name;
  std::set<std::string> establishments;    // the SIRETs with an establishment of their own
  std::int64_t next_fake_id = -1;          // parties a dry run would register
  std::map<std::string, PartyKey> by_rna;  // RNA numbers met in this file (a dry run stores none)
};

// The authority's parties (all of them), indexed once: by SIRET (theirs and their
// establishments'), by SIREN, by name (lower case).
PartyIndex index_parties(Transaction& tx, const Context& ctx) {
  PartyIndex index;
  for (const auto& p : tx.parties().party_keys(ctx.authority)) {
    if (!p.siret.empty()) index.by_siret[p.siret] = p.id;
    if (!p.siren.empty()) index.by_siren[p.siren] = p.id;
    index.by_name.emplace(lower(p.legal_name), p.id);
  }
  for (const auto& e : tx.parties().list_establishments(ctx.authority)) {
    index.by_siret[e.siret] = e.party;
    index.establishments.insert(e.siret);
  }
  return index;
}

// The line's award: its grantor, the beneficiary's name, the amount, the date, the reference,
// the object, the nature and the payment terms.
template <class Cell, class Column>
void read_award(const Cell& cell, const Column& column, const LineReport& lr,
                ImportedAwardRecord& rec, std::vector<LineNote>& errors,
                std::vector<LineNote>& warnings) {
  rec.grantor = cell(Col::Grantor);
  if (rec.grantor.empty())
    errors.push_back({column(Col::Grantor), "le nom de l'attribuant est vide"});
  {
    const auto id = read_identifier(cell(Col::GrantorId), true);
    if (id.note) warnings.push_back({column(Col::GrantorId), *id.note});
    rec.grantor_id = !id.siret.empty() ? id.siret : id.siren;  // a valid SIREN is kept
  }
  if (lr.beneficiary.empty())
    errors.push_back({column(Col::Beneficiary), "le nom du bénéficiaire est vide"});
  else if (text::length(lr.beneficiary) > 200)
    errors.push_back({column(Col::Beneficiary), "le nom du bénéficiaire dépasse 200 caractères"});
  std::string why;
  if (auto m = read_amount(lr.amount, why))
    rec.amount = *m;
  else
    errors.push_back({column(Col::Amount), why});
  if (auto d = read_date(cell(Col::Date)))
    rec.granted_on = *d;
  else
    errors.push_back({column(Col::Date), cell(Col::Date).empty()
                                             ? "la date est vide"
                                             : "« " + cell(Col::Date) + " » n'est pas une date"});
  rec.reference = cell(Col::Reference);
  rec.object = cell(Col::Object);
  rec.nature = cell(Col::Nature);
  rec.payment_terms = cell(Col::Terms);
}

// The payment period, when the line gives one.
template <class Cell, class Column>
void read_payment_period(const Cell& cell, const Column& column, ImportedAwardRecord& rec,
                         std::vector<LineNote>& warnings) {
  // The period: "2017-03-14", "2017-03-14/2018-03-14", "2017-03-14_2018-03-14", or two columns.
  std::string period = cell(Col::Period);
  if (period.empty() && (!cell(Col::PeriodStart).empty() || !cell(Col::PeriodEnd).empty()))
    period = cell(Col::PeriodStart) + "/" + cell(Col::PeriodEnd);
  if (!period.empty()) {
    // The separator between the two dates: the "/" or "_" that leaves a date on each side.
    std::optional<std::pair<Date, Date>> two;
    for (std::size_t i = 0; i < period.size() && !two; ++i)
      if (period[i] == '/' || period[i] == '_') {
        const auto from = read_date(period.substr(0, i)), to = read_date(period.substr(i + 1));
        if (from && to) two = std::pair{*from, *to};
      }
    if (two) {
      rec.payment_period = two->first.iso() + "/" + two->second.iso();
      if (two->second < two->first)
        warnings.push_back(
            {column(Col::Period).empty() ? column(Col::PeriodStart) : column(Col::Period),
             "la période « " + period + " » finit avant de commencer"});
    } else if (auto one = read_date(period)) {
      rec.payment_period = one->iso();
    } else {
      warnings.push_back(
          {column(Col::Period).empty() ? column(Col::PeriodStart) : column(Col::Period),
           "« " + period + " » n'est ni une date ni une période : ignorée"});
    }
  }
}

// The aid regime, from the EU notification and the date, and the beneficiary's share.
template <class Cell, class Column>
void read_regime_and_share(const Cell& cell, const Column& column, ImportedAwardRecord& rec,
                           std::vector<LineNote>& warnings) {
  // The EU notification: de minimis when "oui".
  const std::string notif = cell(Col::Notification);
  bool notified = false;
  if (!notif.empty()) {
    if (auto b = read_bool(notif))
      notified = *b;
    else
      warnings.push_back(
          {column(Col::Notification), "« " + notif + " » n'est ni oui ni non : lu comme non"});
  }
  rec.regime = !notified                           ? AidRegime::None
               : rec.granted_on < Date(2024, 1, 1) ? AidRegime::DeMinimis1407
                                                   : AidRegime::DeMinimis2831;
  const std::string share = cell(Col::Share);
  if (!share.empty()) {
    if (auto bp = read_share(share))
      rec.share_bp = *bp;
    else
      warnings.push_back({column(Col::Share), "« " + share +
                                                  " » n'est pas un pourcentage entre 0,01 et "
                                                  "1 : lu comme 1,00 (bénéficiaire unique)"});
  }
}

// The beneficiary's identifier and RNA number, as far as they are usable.
struct Beneficiary {
  Identifier beneficiary_id;
  std::string rna;
};

template <class Cell, class Column>
Beneficiary read_beneficiary(const Cell& cell, const Column& column,
                             std::vector<LineNote>& warnings) {
  Identifier beneficiary_id = read_identifier(cell(Col::BeneficiaryId), false);
  if (beneficiary_id.note) warnings.push_back({column(Col::BeneficiaryId), *beneficiary_id.note});
  // A SIREN column of its own: kept when the SIRET is missing or damaged, checked against it
  // otherwise.
  if (const std::string raw = cell(Col::BeneficiarySiren); !raw.empty()) {
    const Identifier siren = read_identifier(raw, false);
    if (siren.siren.empty() || !siren.siret.empty()) {
      warnings.push_back(
          {column(Col::BeneficiarySiren), "« " + raw + " » n'est pas un SIREN valide : ignoré"});
    } else if (beneficiary_id.siren.empty()) {
      beneficiary_id.siren = siren.siren;
    } else if (beneficiary_id.siren != siren.siren) {
      warnings.push_back(
          {column(Col::BeneficiarySiren), "le SIREN « " + raw + " » n'est pas celui du SIRET (« " +
                                              beneficiary_id.siren + " ») : le SIRET est retenu"});
    }
  }
  std::string rna = cell(Col::Rna);
  if (!rna.empty() && !ids::rna(rna, "rna").ok()) {
    warnings.push_back({column(Col::Rna), "« " + rna + " » n'est pas un numéro RNA : ignoré"});
    rna.clear();
  }
  return {beneficiary_id, rna};
}

// The beneficiary's part of the amount, rounded half up to the cent.
void set_part(ImportedAwardRecord& rec) {
  rec.part = max(Money::from_cents(1),
                 rec.amount.apply(Rate::ratio(rec.share_bp, 10000), Rounding::HalfUp));
}

// What the line says in the fields octroi reads, whatever their spelling in the file: the same
// award from a CSV, a workbook or another encoding gives the same text.
std::string typed_identity(const Identifier& beneficiary_id, const std::string& rna,
                           const LineReport& lr, const ImportedAwardRecord& rec) {
  return "v2|" + audit_json::quote(lower(rec.grantor)) + "|" + audit_json::quote(rec.grantor_id) +
         "|" + rec.granted_on.iso() + "|" + audit_json::quote(rec.reference) + "|" +
         audit_json::quote(lower(lr.beneficiary)) + "|" + audit_json::quote(beneficiary_id.siret) +
         "|" + audit_json::quote(beneficiary_id.siren) + "|" + audit_json::quote(rna) + "|" +
         std::to_string(rec.amount.cents()) + "|" + std::to_string(rec.share_bp) + "|" +
         audit_json::quote(rec.object) + "|" + audit_json::quote(rec.nature) + "|" +
         audit_json::quote(rec.payment_terms) + "|" + audit_json::quote(rec.payment_period) + "|" +
         std::string(to_string(rec.regime));
}

// The line's key as octroi computed it before issue 17, from the columns it read then (a few
// fields: lines that differed elsewhere were taken for one); nullopt when that octroi could not
// have imported the line.
template <class Row>
std::optional<std::string> legacy_key(Hasher& hasher, const std::map<Col, std::size_t>& at,
                                      const Row& row) {
  auto cell = [&](Col c) -> std::string {
    const auto it = at.find(c);
    return it == at.end() || it->second >= row.size() ? "" : text::trim(row[it->second]);
  };
  std::string why;
  const auto amount = read_amount(cell(Col::Amount), why);
  const auto date = read_date(cell(Col::Date));
  if (!amount || !date || cell(Col::Beneficiary).empty() || cell(Col::Grantor).empty())
    return std::nullopt;
  const Identifier grantor = read_identifier(cell(Col::GrantorId), true);
  const std::string grantor_id = !grantor.siret.empty() ? grantor.siret : grantor.siren;
  const Identifier beneficiary = read_identifier(cell(Col::BeneficiaryId), false);
  const auto share = read_share(cell(Col::Share), true);
  return hasher.sha256_hex(
      audit_json::quote(grantor_id.empty() ? lower(cell(Col::Grantor)) : grantor_id) + "|" +
      date->iso() + "|" + audit_json::quote(cell(Col::Reference)) + "|" +
      audit_json::quote(!beneficiary.siret.empty() ? beneficiary.siret
                                                   : lower(cell(Col::Beneficiary))) +
      "|" + std::to_string(amount->cents()) + "|" + std::to_string(share.value_or(10000)) + "|" +
      audit_json::quote(cell(Col::Object)));
}

// Whether the award an earlier octroi stored under the line's older key is this line: the
// fields that key did not cover are equal.
bool same_award(const ImportedAwardRecord& stored, const ImportedAwardRecord& rec) {
  return stored.amount == rec.amount && stored.granted_on == rec.granted_on &&
         stored.reference == rec.reference && stored.nature == rec.nature &&
         stored.payment_terms == rec.payment_terms && stored.payment_period == rec.payment_period;
}

// What the line says: the award's fields, its beneficiary (returned), the columns octroi keeps as
// they are (`rec.other_fields`); its errors and warnings noted.
template <class Cell, class Column>
Beneficiary read_line(const Cell& cell, const Column& column, const std::vector<std::string>& row,
                      const Columns& columns, LineReport& lr, ImportedAwardRecord& rec,
                      std::vector<LineNote>& errors, std::vector<LineNote>& warnings) {
  lr.beneficiary = cell(Col::Beneficiary);
  lr.amount = cell(Col::Amount);
  read_award(cell, column, lr, rec, errors, warnings);
  read_payment_period(cell, column, rec, warnings);
  read_regime_and_share(cell, column, rec, warnings);
  Beneficiary b = read_beneficiary(cell, column, warnings);
  rec.other_fields = "{";
  for (std::size_t k = 0; k < columns.kept.size(); ++k) {
    const std::size_t i = columns.kept[k];
    const std::string v = i < row.size() ? text::trim(row[i]) : "";
    if (v.empty()) continue;
    rec.other_fields += (rec.other_fields.size() > 1 ? "," : "") +
                        audit_json::quote(columns.kept_names[k]) + ":" + audit_json::quote(v);
  }
  rec.other_fields += "}";
  return b;
}

// The line's establishment (its SIRET) recorded under its party with the name the line gives
// it, the first time octroi meets that SIRET: two establishments of one company stay two, each
// with its own name, under the one party of their SIREN.
void record_establishment(Transaction& tx, const Context& ctx, const ImportOptions& options,
                          PartyIndex& index, ImportReport& report, const std::string& siret,
                          PartyId party, const std::string& name, const std::string& source) {
  if (siret.empty() || index.establishments.count(siret)) return;
  index.establishments.insert(siret);
  index.by_siret[siret] = party;
  ++report.establishments_added;
  if (options.dry_run) return;
  Establishment e;
  e.party = party;
  e.siret = siret;
  e.name = name;
  e.source = source;
  e.created_at = ctx.clock->now();
  e.created_by = ctx.actor;
  e.id = tx.parties().insert_establishment(ctx.authority, e);
  record_audit(
      tx, ctx,
      {.action = "party.establishment",
       .entity = "party",
       .key = std::to_string(party.value),
       .after = "{\"siret\":" + audit_json::quote(siret) + ",\"name\":" + audit_json::quote(name) +
                ",\"source\":" + audit_json::quote(source) + "}"});
}

// The line's beneficiary among the parties (by SIRET, its own or an establishment's; by SIREN;
// without identifier, by name), else registered (given a provisional id in a dry run) and
// indexed; its establishment recorded. Nothing when it cannot be registered: the line is then
// reported rejected.
template <class Column>
std::optional<PartyId> party_of_line(Transaction& tx, const Context& ctx,
                                     const ImportOptions& options, PartyIndex& index,
                                     ImportReport& report, const Column& column,
                                     const Identifier& beneficiary_id, const std::string& rna,
                                     LineReport& lr) {
  auto& [by_siret, by_siren, by_name, establishments, next_fake_id, by_rna] = index;
  std::optional<PartyId> party;
  if (!beneficiary_id.siret.empty() && by_siret.count(beneficiary_id.siret))
    party = by_siret[beneficiary_id.siret];
  else if (!beneficiary_id.siren.empty() && by_siren.count(beneficiary_id.siren))
    party = by_siren[beneficiary_id.siren];
  else if (beneficiary_id.siren.empty() && by_name.count(lower(lr.beneficiary)))
    party = by_name[lower(lr.beneficiary)];
  // An association named differently but with the same RNA number is that party, unless the two
  // SIRENs differ: one RNA number is one association, so the line is then refused, named.
  if (!party && !rna.empty()) {
    std::optional<PartyKey> known;
    if (auto it = by_rna.find(rna); it != by_rna.end())
      known = it->second;
    else if (auto stored = tx.parties().find_party_by_rna(ctx.authority, rna))
      known = PartyKey{stored->id, stored->legal_name, stored->siren, stored->siret};
    if (known) {
      if (!beneficiary_id.siren.empty() && !known->siren.empty() &&
          known->siren != beneficiary_id.siren) {
        lr.outcome = LineOutcome::Rejected;
        lr.notes = {{column(Col::Rna), "le n° RNA " + rna + " est celui du tiers « " +
                                           known->legal_name + " » (SIREN " + known->siren +
                                           "), pas du SIREN " + beneficiary_id.siren}};
        ++report.rejected;
        return std::nullopt;
      }
      party = known->id;
      if (!beneficiary_id.siret.empty()) by_siret[beneficiary_id.siret] = *party;
      if (!beneficiary_id.siren.empty()) by_siren[beneficiary_id.siren] = *party;
    }
  }
  if (!party) {
    if (options.dry_run) {
      party = PartyId{next_fake_id--};
    } else {
      PartyInput in;
      in.legal_name = lr.beneficiary;
      in.siret = beneficiary_id.siret;
      in.siren = beneficiary_id.siret.empty() ? beneficiary_id.siren : "";
      in.rna = rna;
      auto registered = register_party(tx, ctx, in);
      if (!registered.ok()) {
        lr.outcome = LineOutcome::Rejected;
        lr.notes = {{column(Col::Beneficiary), "le bénéficiaire ne peut pas être enregistré : " +
                                                   registered.refusal().first().message}};
        ++report.rejected;
        return std::nullopt;
      }
      party = registered->party.id;
    }
    ++report.parties_created;
    if (!beneficiary_id.siret.empty()) by_siret[beneficiary_id.siret] = *party;
    if (!beneficiary_id.siren.empty()) by_siren[beneficiary_id.siren] = *party;
    by_name.emplace(lower(lr.beneficiary), *party);
    if (!rna.empty())
      by_rna[rna] = PartyKey{*party, lr.beneficiary, beneficiary_id.siren, beneficiary_id.siret};
  }
  record_establishment(tx, ctx, options, index, report, beneficiary_id.siret, *party,
                       lr.beneficiary, report.source);
  return party;
}

// The import in the audit trail: the file, its encoding, the counts.
void record_import(Transaction& tx, const Context& ctx, const ImportTable& table,
                   const ImportReport& report, Instant now) {
  record_audit(
      tx, ctx,
      {.action = "import.scdl",
       .entity = "import",
       .key = table.source,
       .after = "{\"file\":" + audit_json::quote(table.source) +
                ",\"encoding\":" + audit_json::quote(table.encoding) +
                ",\"accepted\":" + std::to_string(report.accepted + report.with_warnings) +
                ",\"rejected\":" + std::to_string(report.rejected) +
                ",\"already\":" + std::to_string(report.already) +
                ",\"duplicates\":" + std::to_string(report.duplicates) +
                ",\"parties_created\":" + std::to_string(report.parties_created) +
                ",\"establishments_added\":" + std::to_string(report.establishments_added) + "}",
       .at = now});
}

}  // namespace

void ImportTable::for_each_row(const RowFn& f) const {
  if (stream_rows) {
    stream_rows(f);
    return;
  }
  for (std::size_t r = 0; r < rows.size(); ++r)
    f(rows[r], r < lines.size() ? lines[r] : static_cast<int>(r) + 2);
}

std::string_view french(LineOutcome o) {
  return kLineOutcomeNames.label(o);
}

Result<ImportReport> import_scdl(Transaction& tx, const Context& ctx, Hasher& hasher,
                                 const ImportTable& table, const ImportOptions& options) {
  if (table.header.empty())
    return refuse("import.empty", "file", "Le fichier est vide : pas de ligne d'en-tête.");
  ImportReport report;
  report.source = table.source;
  report.encoding = table.encoding;
  report.delimiter = table.delimiter;
  report.header_line = table.header_line;
  report.dry_run = options.dry_run;

  const Columns columns = find_columns(table, report);
  const std::map<Col, std::size_t>& at = columns.at;
  if (auto c = check_required_columns(table, at); !c.ok()) return c.refusal();

  if (options.on_start) options.on_start(report);
  // What became of a line: said as it goes (on_line), or kept in the report.
  const auto said = [&](LineReport&& lr) {
    if (options.on_line)
      options.on_line(lr);
    else
      report.lines.push_back(std::move(lr));
  };

  PartyIndex parties = index_parties(tx, ctx);
  // The lines seen, by digest, never by their text (a million lines are 24 bytes each): those
  // of each typed identity (how many, the first); those equal in every field, when the file has
  // columns octroi keeps as they are (else the two are one).
  DigestMap typed_seen, whole_seen;
  const bool other_columns = !columns.kept.empty();
  std::set<std::string> legacy_matched;  // stored awards of an older octroi, matched once
  // Awards stored by an octroi before issue 17 (under a coarser key) are looked for only when
  // the authority has some: else it would cost a digest and a query per line for nothing.
  const bool legacy = tx.imports().has_awards_without_beneficiary_name(ctx.authority);
  // An authority's first import cannot meet its lines again (a file's keys are distinct: the
  // rank tells equal lines apart; the unique index stands guard): no query per line for it.
  const bool imported_before = tx.imports().has_imported_awards(ctx.authority);
  const Instant now = ctx.clock->now();
  const std::size_t in_all = table.rows_in_all();
  typed_seen.reserve(in_all);
  if (other_columns) whole_seen.reserve(in_all);
  std::size_t done_rows = 0;

  table.for_each_row([&](const std::vector<std::string>& row, int line) {
    if (options.progress && options.progress_every > 0 && done_rows > 0 &&
        done_rows % options.progress_every == 0)
      options.progress(done_rows, in_all);
    ++done_rows;
    LineReport lr;
    lr.line = line;
    auto cell = [&](Col c) -> std::string {
      const auto it = at.find(c);
      if (it == at.end() || it->second >= row.size()) return "";
      return text::trim(row[it->second]);
    };
    auto column = [&](Col c) {
      const auto it = at.find(c);
      return it == at.end() ? std::string() : table.header[it->second];
    };
    if (std::all_of(row.begin(), row.end(),
                    [](const std::string& v) { return text::trim(v).empty(); }))
      return;  // a blank line at the end of a spreadsheet export: not a line of data
    std::vector<LineNote> errors, warnings;
    ImportedAwardRecord rec;
    const auto [beneficiary_id, rna] =
        read_line(cell, column, row, columns, lr, rec, errors, warnings);

    if (!errors.empty()) {
      lr.outcome = LineOutcome::Rejected;
      lr.notes = std::move(errors);
      lr.notes.insert(lr.notes.end(), warnings.begin(), warnings.end());
      ++report.rejected;
      said(std::move(lr));
      return;
    }
    set_part(rec);
    // In the file: a line equal in every field (its other columns too) to an earlier one is
    // said so, never taken for an earlier import.
    const std::string typed = typed_identity(beneficiary_id, rna, lr, rec);
    DigestMap::Entry& of_typed = typed_seen.at(hasher.sha256_hex(typed));
    DigestMap::Entry& whole =
        other_columns ? whole_seen.at(hasher.sha256_hex(typed + "|" + rec.other_fields)) : of_typed;
    if (whole.first != 0) {
      lr.outcome = LineOutcome::Duplicate;
      lr.notes = {{"", "identique en tout à la ligne " + std::to_string(whole.first) +
                           " : non importée une seconde fois"}};
      ++report.duplicates;
      said(std::move(lr));
      return;
    }
    // Stored: the typed fields and the rank of the line among those of the file that share them
    // (lines that differ only by their other columns are distinct awards; adding a column to a
    // file does not make its lines new).
    const int rank = ++of_typed.count;
    whole.first = lr.line;
    rec.import_key = hasher.sha256_hex(typed + "#" + std::to_string(rank));
    // Imported before: by its key; or by the older key of an award an earlier octroi stored,
    // when that award is this line (each such award answers for one line only).
    bool before =
        imported_before && tx.imports().imported_award_exists(ctx.authority, rec.import_key);
    if (!before && legacy)
      if (const auto old = legacy_key(hasher, columns.legacy_at, row);
          old && !legacy_matched.count(*old))
        if (const auto stored = tx.imports().find_imported_award(ctx.authority, *old);
            stored && same_award(*stored, rec)) {
          legacy_matched.insert(*old);
          before = true;
        }
    if (before) {
      lr.outcome = LineOutcome::AlreadyImported;
      lr.notes = std::move(warnings);
      ++report.already;
      said(std::move(lr));
      return;
    }

    const std::optional<PartyId> party =
        party_of_line(tx, ctx, options, parties, report, column, beneficiary_id, rna, lr);
    if (!party) {  // rejected: a later equal line is not its duplicate
      whole.first = 0;
      --of_typed.count;
      said(std::move(lr));
      return;
    }
    rec.party = *party;
    rec.beneficiary_name = lr.beneficiary;
    rec.beneficiary_siret = beneficiary_id.siret;
    rec.source = table.source;
    rec.source_line = std::max(lr.line, 2);
    rec.imported_at = now;
    rec.imported_by = ctx.actor;
    if (!options.dry_run) rec.id = tx.imports().insert_imported_award(ctx.authority, rec);
    lr.outcome = warnings.empty() ? LineOutcome::Accepted : LineOutcome::AcceptedWithWarnings;
    ++(lr.outcome == LineOutcome::Accepted ? report.accepted : report.with_warnings);
    lr.notes = std::move(warnings);
    said(std::move(lr));
  });
  if (options.progress) options.progress(in_all, in_all);
  if (!options.dry_run) record_import(tx, ctx, table, report, now);
  return report;
}

std::string import_summary(const ImportReport& r) {
  return std::to_string(r.accepted + r.with_warnings) + " ligne(s) acceptée(s) (dont " +
         std::to_string(r.with_warnings) + " avec avertissements), " + std::to_string(r.rejected) +
         " rejetée(s), " + std::to_string(r.already) + " déjà importée(s), " +
         std::to_string(r.duplicates) + " en double dans le fichier ; " +
         std::to_string(r.parties_created) + " tiers créé(s), " +
         std::to_string(r.establishments_added) + " établissement(s) enregistré(s).";
}

std::vector<ImportedAwardRecord> imported_awards_of(Transaction& tx, AuthorityId a, PartyId p) {
  return tx.imports().imported_awards_of(a, p);
}

}  // namespace octroi
