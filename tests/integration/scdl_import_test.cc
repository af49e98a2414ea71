// Importing subsidy files as they really are (issue 8): the use case import_scdl on the tables
// read_table makes of the two real files (Nièvre 2016: SCDL 1.x names, Windows-1252, no-break
// spaces, "NC"; Somme 2018: a UTF-8 BOM before Windows-1252 text, semicolons, "26 956,00",
// 2017/09/08, periods with "_"), of the SCDL schema's valid and invalid examples, and of files
// written here; what is stored (imported_awards, the parties registered or found), what a
// re-import, a dry run or a refused file leave, and the command `octroi import scdl`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "adapters/opendata/table_reader.h"
#include "app/ports/audit.h"
#include "app/ports/awards.h"
#include "app/ports/parties.h"
#include "app/scdl_import.h"
#include "app/use_cases.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::LineOutcome;

constexpr const char* kNievre = "real/DEP_Nièvre_CD58_SUBVENTIONS_2016_LISTE.csv";
constexpr const char* kNievreName = "DEP_Nièvre_CD58_SUBVENTIONS_2016_LISTE.csv";
constexpr const char* kSomme = "real/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv";
constexpr const char* kSommeName = "DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv";
constexpr const char* kGrantorSirenWarning =
    "« 225800010 » est un SIREN (9 chiffres), pas un SIRET";

std::string fixture_path(const std::string& name) {
  return std::string(OCTROI_SOURCE_DIR) + "/tests/fixtures/scdl/" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The standard output of a shell command.
std::string shell(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
      out.append(buf, n);
    EXPECT_EQ(pclose(p), 0) << command;
  } else {
    ADD_FAILURE() << "popen: " << command;
  }
  return out;
}

using Note = std::pair<std::string, std::string>;  // column, message
std::vector<Note> notes(const octroi::LineReport& l) {
  std::vector<Note> out;
  for (const auto& n : l.notes)
    out.emplace_back(n.column, n.message);
  return out;
}

// The report of line `n` (fails the test if the report has none).
const octroi::LineReport& line(const octroi::ImportReport& r, int n) {
  for (const auto& l : r.lines)
    if (l.line == n) return l;
  ADD_FAILURE() << "no report for line " << n;
  static const octroi::LineReport none{};
  return none;
}

std::vector<int> lines_with(const octroi::ImportReport& r, LineOutcome o) {
  std::vector<int> out;
  for (const auto& l : r.lines)
    if (l.outcome == o) out.push_back(l.line);
  return out;
}

std::vector<int> line_numbers(const octroi::ImportReport& r) {
  std::vector<int> out;
  for (const auto& l : r.lines)
    out.push_back(l.line);
  return out;
}

// Everything a report says but whether it was a dry run.
std::string render(const octroi::ImportReport& r) {
  std::string out = r.source + "|" + r.encoding + "|" + std::string(1, r.delimiter) + "\n";
  for (const auto& c : r.columns_kept)
    out += "ignored " + c + "\n";
  for (const auto& l : r.lines) {
    out += std::to_string(l.line) + " " + std::string(octroi::french(l.outcome)) + " [" +
           l.beneficiary + "] [" + l.amount + "]\n";
    for (const auto& n : l.notes)
      out += "  " + n.column + ": " + n.message + "\n";
  }
  out += std::to_string(r.accepted) + "/" + std::to_string(r.with_warnings) + "/" +
         std::to_string(r.rejected) + "/" + std::to_string(r.already) + "/" +
         std::to_string(r.parties_created) + "\n";
  return out;
}

// The lines one dump has and the other has not (as multisets): {added, removed}.
std::pair<std::vector<std::string>, std::vector<std::string>> dump_changes(
    const std::string& before, const std::string& after) {
  std::multiset<std::string> old;
  std::istringstream b(before), a(after);
  for (std::string l; std::getline(b, l);)
    old.insert(l);
  std::vector<std::string> added, removed;
  for (std::string l; std::getline(a, l);) {
    if (const auto it = old.find(l); it != old.end())
      old.erase(it);
    else
      added.push_back(l);
  }
  removed.assign(old.begin(), old.end());
  return {added, removed};
}

class ScdlImportTest : public DemoDatabaseTest {
 protected:
  static octroi::ImportTable table_from(std::string_view bytes, const std::string& source) {
    auto t = octroi::opendata::read_table(bytes, source);
    if (!t.ok()) {
      ADD_FAILURE() << "read_table refused " << source << ": " << t.refusal().describe();
      return {};
    }
    return std::move(t).value();
  }
  static octroi::ImportTable fixture_table(const std::string& name) {
    return table_from(read_file(fixture_path(name)),
                      std::filesystem::path(name).filename().string());
  }

  octroi::Result<octroi::ImportReport> import_with(const octroi::ImportTable& t,
                                                   const octroi::ImportOptions& o) {
    return write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      return octroi::import_scdl(tx, ctx, store_->hasher(), t, o);
    });
  }
  // The report of an import the use case accepts (fails the test otherwise).
  octroi::ImportReport imported(const octroi::ImportTable& t, bool dry_run = false) {
    octroi::ImportOptions o;
    o.dry_run = dry_run;
    auto r = import_with(t, o);
    if (!r.ok()) {
      ADD_FAILURE() << "import_scdl refused: " << r.refusal().describe();
      return {};
    }
    return std::move(r).value();
  }
  octroi::ImportReport imported(std::string_view bytes, const std::string& source) {
    return imported(table_from(bytes, source));
  }

  std::vector<octroi::Party> parties() {
    return octroi::run_read(
        *store_, [&](octroi::Transaction& tx) { return tx.parties().list_parties(idf_); });
  }
  std::vector<octroi::Party> parties_named(const std::string& name) {
    std::vector<octroi::Party> out;
    for (auto& p : parties())
      if (p.legal_name == name) out.push_back(p);
    return out;
  }
  // The one party with this name (fails the test if there is none or several).
  octroi::Party party_named(const std::string& name) {
    auto found = parties_named(name);
    if (found.size() != 1) {
      ADD_FAILURE() << found.size() << " parties named " << name;
      return {};
    }
    return found[0];
  }
  std::vector<octroi::ImportedAwardRecord> awards_of(octroi::PartyId p) {
    return octroi::run_read(
        *store_, [&](octroi::Transaction& tx) { return octroi::imported_awards_of(tx, idf_, p); });
  }
  std::vector<octroi::ImportedAwardRecord> awards_of(const std::string& party_name) {
    return awards_of(party_named(party_name).id);
  }
  // Every imported award, party by party (through the port, not SQL).
  std::size_t all_awards() {
    std::size_t n = 0;
    for (const auto& p : parties())
      n += awards_of(p.id).size();
    return n;
  }
  std::vector<octroi::AuditEntry> trail() {
    return octroi::run_read(*store_,
                            [&](octroi::Transaction& tx) { return tx.audit().audit_trail(idf_); });
  }
  std::vector<octroi::AidRecord> de_minimis_aids_from(const std::string& grantor) {
    std::vector<octroi::AidRecord> out;
    for (auto& a : octroi::run_read(
             *store_, [&](octroi::Transaction& tx) { return tx.awards().de_minimis_aids(idf_); }))
      if (a.source == grantor) out.push_back(a);
    return out;
  }
  octroi::PartyView party_view(octroi::PartyId p) {
    auto v = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
      return octroi::show_party(tx, idf_, std::to_string(p.value), clock_.today());
    });
    if (!v.ok()) {
      ADD_FAILURE() << v.refusal().describe();
      return {};
    }
    return std::move(v).value();
  }
};

// ---- the two real files --------------------------------------------------------------------

TEST_F(ScdlImportTest, TheNievreFileIsImportedWithItsScdl1Names) {
  const auto t = fixture_table(kNievre);
  EXPECT_EQ(t.encoding, "Windows-1252");
  EXPECT_EQ(t.delimiter, ',');
  const std::size_t parties_before = parties().size();
  const auto r = imported(t);
  EXPECT_EQ(r.source, kNievreName);
  EXPECT_EQ(r.encoding, "Windows-1252");
  EXPECT_EQ(r.delimiter, ',');
  EXPECT_FALSE(r.dry_run);
  EXPECT_EQ(r.columns_kept,
            (std::vector<std::string>{"COLL_TYPE", "ATTRIB_TYPE", "SUB_DISPOSITIF", "ID_ENT"}));
  EXPECT_EQ(r.lines.size(), 97u);
  EXPECT_EQ(r.accepted, 0);
  EXPECT_EQ(r.with_warnings, 90);  // every line: the grantor's SIREN given as its SIRET
  EXPECT_EQ(r.rejected, 7);
  EXPECT_EQ(r.already, 0);
  EXPECT_EQ(r.parties_created, 90);
  EXPECT_EQ(lines_with(r, LineOutcome::Rejected), (std::vector<int>{8, 60, 91, 94, 95, 96, 97}));

  // Line 8: "NC" for the amount, rejected naming SUB_MONTANT (the grantor's warning follows).
  const auto& l8 = line(r, 8);
  EXPECT_EQ(l8.outcome, LineOutcome::Rejected);
  EXPECT_EQ(l8.beneficiary, "ASSOCIATION PREVENTION ROUTIERE");
  EXPECT_EQ(l8.amount, "NC");
  EXPECT_EQ(notes(l8), (std::vector<Note>{{"SUB_MONTANT", "« NC » n'est pas un montant"},
                                          {"COLL_SIRET", kGrantorSirenWarning}}));
  EXPECT_EQ(notes(line(r, 60))[0], (Note{"SUB_MONTANT", "le montant est vide"}));
  EXPECT_EQ(notes(line(r, 95))[0], (Note{"SUB_MONTANT", "« ODHLM » n'est pas un montant"}));
  for (const auto& l : r.lines) {
    if (l.outcome == LineOutcome::AcceptedWithWarnings) {
      EXPECT_EQ(notes(l), (std::vector<Note>{{"COLL_SIRET", kGrantorSirenWarning}}))
          << "line " << l.line;
    }
  }

  // What is stored: one award and one new party per accepted line, none for a rejected one.
  EXPECT_EQ(count_rows(db_, "imported_awards"), 90);
  EXPECT_EQ(all_awards(), 90u);
  EXPECT_EQ(parties().size(), parties_before + 90);
  for (const char* rejected :
       {"ASSOCIATION PREVENTION ROUTIERE", "Centre Socio Culturel Puisaye Forterre",
        "NIEVRE HABITAT", "SEMPAT"})
    EXPECT_TRUE(parties_named(rejected).empty()) << rejected;

  // Line 2: "17 833" with a no-break space is 17 833,00 €.
  const auto agora = awards_of("AGORA");
  ASSERT_EQ(agora.size(), 1u);
  const auto& a = agora[0];
  EXPECT_EQ(a.amount.cents(), 1783300);
  EXPECT_EQ(a.part.cents(), 1783300);
  EXPECT_EQ(a.share_bp, 10000);
  EXPECT_EQ(a.grantor, "Département de la Nièvre");
  EXPECT_EQ(a.granted_on, octroi::Date(2016, 1, 1));
  EXPECT_EQ(a.reference, "");
  EXPECT_EQ(a.object, "Subvention");
  EXPECT_EQ(a.payment_period, "");
  EXPECT_EQ(a.regime, octroi::AidRegime::None);
  EXPECT_EQ(a.source, kNievreName);
  EXPECT_EQ(a.source_line, 2);
  EXPECT_EQ(a.imported_at.iso(), FixedClock::kNow);
  EXPECT_EQ(a.imported_by, "test:instructeur");
  EXPECT_EQ(a.import_key.size(), 64u);
  EXPECT_EQ(awards_of("SDIS").at(0).amount.cents(), 964422300);  // "9 644 223", line 9
  EXPECT_EQ(awards_of("RESO").at(0).amount.cents(), 145700000);  // "1 457 000", line 45
  EXPECT_EQ(awards_of("SMETCN").at(0).source_line, 98);
  // Accented names, decoded from Windows-1252.
  const auto premery = awards_of("Centre Social Intercommunal de Prémery");
  ASSERT_EQ(premery.size(), 1u);
  EXPECT_EQ(premery[0].amount.cents(), 1445000);
  EXPECT_EQ(premery[0].source_line, 59);
  EXPECT_EQ(awards_of("Secours Populaire Français").at(0).source_line, 78);
  EXPECT_EQ(awards_of("Société d'Histoire Naturelle d'Autun").at(0).amount.cents(), 1074400);
  const auto agora_party = party_named("AGORA");
  EXPECT_EQ(agora_party.siret, "");
  EXPECT_EQ(agora_party.siren, "");

  // The import is in the audit trail, with its counts.
  const auto last = trail().back();
  EXPECT_EQ(last.action, "import.scdl");
  EXPECT_EQ(last.entity, "import");
  EXPECT_EQ(last.entity_key, kNievreName);
  EXPECT_EQ(last.actor, "test:instructeur");
  EXPECT_EQ(
      last.after,
      std::string("{\"file\":\"") + kNievreName +
          "\",\"encoding\":\"Windows-1252\",\"accepted\":90,\"rejected\":7,"
          "\"already\":0,\"duplicates\":0,\"parties_created\":90,\"establishments_added\":0}");
}

// ImportedAwardRecord::grantor_id is "its SIRET or SIREN as read, "" if none or damaged": the
// Nièvre gives its SIREN (flagged, since the column wants a SIRET, but not damaged).
TEST_F(ScdlImportTest, AGrantorGivenByItsSirenKeepsIt) {
  imported(fixture_table(kNievre));
  const auto agora = awards_of("AGORA");
  ASSERT_EQ(agora.size(), 1u);
  EXPECT_EQ(agora[0].grantor_id, "225800010");
  // The same in the schema's example: Poitiers's SIREN on line 7.
  const auto r = imported(fixture_table("exemple_invalide_erreurs_cellules.csv"));
  EXPECT_EQ(notes(line(r, 7)),
            (std::vector<Note>{
                {"idAttribuant", "« 218601946 » est un SIREN (9 chiffres), pas un SIRET"}}));
  const auto rodriguez = awards_of("Rodriguez SA");
  ASSERT_EQ(rodriguez.size(), 1u);
  EXPECT_EQ(rodriguez[0].grantor_id, "218601946");
}

TEST_F(ScdlImportTest, TheSommeFileIsImportedDespiteItsMisleadingBom) {
  const auto t = fixture_table(kSomme);
  EXPECT_EQ(t.encoding, "Windows-1252 (précédé d'un BOM UTF-8)");
  EXPECT_EQ(t.delimiter, ';');
  const std::size_t parties_before = parties().size();
  const auto r = imported(t);
  EXPECT_EQ(r.encoding, "Windows-1252 (précédé d'un BOM UTF-8)");
  EXPECT_EQ(r.delimiter, ';');
  EXPECT_EQ(r.columns_kept, (std::vector<std::string>{"type"}));
  std::vector<int> expected_lines;
  for (int n = 2; n <= 42; ++n)
    expected_lines.push_back(n);
  EXPECT_EQ(lines_with(r, LineOutcome::Accepted), expected_lines);
  EXPECT_EQ(r.accepted, 41);
  EXPECT_EQ(r.with_warnings, 0);
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.already, 0);
  // 41 lines, 34 beneficiaries: CCAS AMIENS ×3, AMIENS METROPOLE ×3, VILLE D'AMIENS ×2, the
  // Conseil départemental ×2, SOMME PATRIMOINE EPCC ×2 (the same SIRET each time).
  EXPECT_EQ(r.parties_created, 34);
  EXPECT_EQ(parties().size(), parties_before + 34);
  EXPECT_EQ(count_rows(db_, "imported_awards"), 41);
  EXPECT_EQ(all_awards(), 41u);
  const auto& l2 = line(r, 2);
  EXPECT_EQ(l2.beneficiary, "AILLY SUR NOYE");
  EXPECT_EQ(l2.amount, "26 956,00");
  EXPECT_TRUE(l2.notes.empty());

  // Line 2, as stored.
  const auto ailly_party = party_named("AILLY SUR NOYE");
  EXPECT_EQ(ailly_party.siret, "21800009900018");
  EXPECT_EQ(ailly_party.siren, "218000099");
  const auto ailly = awards_of(ailly_party.id);
  ASSERT_EQ(ailly.size(), 1u);
  const auto& a = ailly[0];
  EXPECT_EQ(a.party, ailly_party.id);
  EXPECT_EQ(a.grantor, "Département de la Somme");
  EXPECT_EQ(a.grantor_id, "22800001400016");
  EXPECT_EQ(a.granted_on, octroi::Date(2017, 9, 8));  // 2017/09/08
  EXPECT_EQ(a.reference, "6.2");
  EXPECT_EQ(a.object,
            "Création d'une aire de camping-cars au plan d'eau de Berny-sur-Noye, sur une "
            "assiette subventionnable estimée à 89 852 € HT");
  EXPECT_EQ(a.amount.cents(), 2695600);  // "26 956,00"
  EXPECT_EQ(a.amount.to_decimal_string(), "26956.00");
  EXPECT_EQ(a.share_bp, 10000);  // "1"
  EXPECT_EQ(a.part.cents(), 2695600);
  EXPECT_EQ(a.nature, "aide en numéraire");
  EXPECT_EQ(a.payment_terms.rfind("une avance unique peut, sur demande du Bénéficiaire, lui être "
                                  "versée jusqu’à hauteur de 5 %",
                                  0),
            0u)
      << a.payment_terms;
  EXPECT_EQ(a.payment_period, "2017-09-08/2021-09-07");  // "2017/09/08_2021/09/07"
  EXPECT_EQ(a.regime, octroi::AidRegime::None);
  EXPECT_EQ(a.source, kSommeName);
  EXPECT_EQ(a.source_line, 2);

  // One party for the three lines of CCAS AMIENS, its awards newest first.
  const auto ccas = awards_of("CCAS AMIENS");
  ASSERT_EQ(ccas.size(), 3u);
  EXPECT_EQ(ccas[0].source_line, 26);
  EXPECT_EQ(ccas[0].amount.cents(), 3000000);
  EXPECT_EQ(ccas[1].source_line, 25);
  EXPECT_EQ(ccas[1].amount.cents(), 4200000);
  EXPECT_EQ(ccas[2].source_line, 21);
  EXPECT_EQ(ccas[2].granted_on, octroi::Date(2017, 10, 3));
  EXPECT_EQ(party_named("CCAS AMIENS").siret, "26800067600018");
  EXPECT_EQ(awards_of("AMIENS METROPOLE COMMUN.AGLO.").size(), 3u);
  EXPECT_EQ(awards_of("Artois Insertion Ressourcerie").at(0).amount.cents(), 2871964);
  EXPECT_EQ(party_named("LA POSTE").siret, "35600000000048");  // La Poste's own rule
  const auto amiens = awards_of("VILLE D'AMIENS");
  ASSERT_EQ(amiens.size(), 2u);
  EXPECT_EQ(amiens[1].object, "action \"\"Chantier de la citadelle\"");  // line 6, as written
  EXPECT_EQ(amiens[1].payment_period, "2017-09-19/2019-09-18");
  EXPECT_EQ(awards_of("SOMME PATRIMOINE EPCC").at(0).reference, "17.1.43");  // line 41

  const auto last = trail().back();
  EXPECT_EQ(last.action, "import.scdl");
  EXPECT_EQ(
      last.after,
      std::string("{\"file\":\"") + kSommeName +
          "\",\"encoding\":\"Windows-1252 (précédé d'un BOM UTF-8)\","
          "\"accepted\":41,\"rejected\":0,\"already\":0,\"duplicates\":0,\"parties_created\":34,"
          "\"establishments_added\":34}");
}

TEST_F(ScdlImportTest, ProgressIsReportedEveryNLinesAndAtTheEnd) {
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  octroi::ImportOptions o;
  o.progress_every = 10;
  o.progress = [&](std::size_t done, std::size_t all) { calls.emplace_back(done, all); };
  ASSERT_TRUE(import_with(fixture_table(kSomme), o).ok());
  EXPECT_EQ(calls, (std::vector<std::pair<std::size_t, std::size_t>>{
                       {10, 41}, {20, 41}, {30, 41}, {40, 41}, {41, 41}}));
}

// ---- re-import -----------------------------------------------------------------------------

TEST_F(ScdlImportTest, ImportingTheSameFileAgainAddsNothingButTheAuditLine) {
  const auto t = fixture_table(kSomme);
  const auto first = imported(t);
  ASSERT_EQ(first.accepted, 41);
  const std::string before = dump_database(db_);
  const std::size_t parties_before = parties().size();
  const auto second = imported(t);
  EXPECT_EQ(second.lines.size(), 41u);
  EXPECT_EQ(lines_with(second, LineOutcome::AlreadyImported), line_numbers(first));
  for (const auto& l : second.lines)
    EXPECT_TRUE(l.notes.empty()) << "line " << l.line;
  EXPECT_EQ(second.accepted, 0);
  EXPECT_EQ(second.with_warnings, 0);
  EXPECT_EQ(second.rejected, 0);
  EXPECT_EQ(second.already, 41);
  EXPECT_EQ(second.parties_created, 0);
  EXPECT_EQ(parties().size(), parties_before);
  EXPECT_EQ(all_awards(), 41u);
  EXPECT_EQ(awards_of("CCAS AMIENS").size(), 3u);
  const auto [added, removed] = dump_changes(before, dump_database(db_));
  EXPECT_TRUE(removed.empty()) << removed.front();
  ASSERT_EQ(added.size(), 1u) << first_difference(before, dump_database(db_));
  EXPECT_NE(added[0].find("import.scdl"), std::string::npos) << added[0];
  EXPECT_NE(
      added[0].find(
          "\"accepted\":0,\"rejected\":0,\"already\":41,\"duplicates\":0,\"parties_created\":0"),
      std::string::npos)
      << added[0];
}

TEST_F(ScdlImportTest, ReimportingTheNievreKeepsItsRejectionsAndWarnings) {
  const auto t = fixture_table(kNievre);
  imported(t);
  const auto again = imported(t);
  EXPECT_EQ(again.already, 90);
  EXPECT_EQ(again.rejected, 7);
  EXPECT_EQ(again.accepted + again.with_warnings + again.parties_created, 0);
  EXPECT_EQ(lines_with(again, LineOutcome::Rejected),
            (std::vector<int>{8, 60, 91, 94, 95, 96, 97}));
  // An already imported line still says what was wrong with it.
  EXPECT_EQ(line(again, 2).outcome, LineOutcome::AlreadyImported);
  EXPECT_EQ(notes(line(again, 2)), (std::vector<Note>{{"COLL_SIRET", kGrantorSirenWarning}}));
  EXPECT_EQ(count_rows(db_, "imported_awards"), 90);
}

TEST_F(ScdlImportTest, TheSameFileInAnotherEncodingImportsNothingNew) {
  imported(fixture_table(kSomme));
  const std::size_t parties_before = parties().size();
  // The Somme file saved again in UTF-8 without BOM (by iconv, not by octroi).
  const std::string utf8 =
      shell("tail -c +4 '" + fixture_path(kSomme) + "' | iconv -f WINDOWS-1252 -t UTF-8");
  ASSERT_EQ(utf8.rfind("nomAttribuant;idAttribuant;", 0), 0u);
  const auto t = table_from(utf8, "somme-utf8.csv");
  EXPECT_EQ(t.encoding, "UTF-8");
  const auto r = imported(t);
  EXPECT_EQ(r.already, 41);
  EXPECT_EQ(r.accepted + r.with_warnings + r.rejected + r.parties_created, 0);
  EXPECT_EQ(parties().size(), parties_before);
  EXPECT_EQ(count_rows(db_, "imported_awards"), 41);

  // The same line written by hand in UTF-8, then in Windows-1252 with other columns in another
  // order, another case, another amount and date spelling: the same meaning, imported once.
  const auto first = imported(
      "nomAttribuant;dateConvention;nomBeneficiaire;montant;objet\n"
      "Région Île-de-France;2017-04-13;Association Éole;1 500,00;Élan\n",
      "eole-utf8.csv");
  EXPECT_EQ(first.accepted, 1);
  EXPECT_EQ(first.parties_created, 1);
  const auto t1252 = table_from(
      "MONTANT,Objet,NomBeneficiaire,nomattribuant,date_convention\r\n"
      "1500,\xC9lan,ASSOCIATION \xC9OLE,R\xE9gion \xCEle-de-France,13/04/2017\r\n",
      "eole-1252.csv");
  EXPECT_EQ(t1252.encoding, "Windows-1252");
  const auto second = imported(t1252);
  EXPECT_EQ(second.already, 1) << render(second);
  EXPECT_EQ(second.accepted + second.parties_created, 0);
  EXPECT_EQ(awards_of("Association Éole").size(), 1u);
  EXPECT_EQ(count_rows(db_, "imported_awards"), 42);
}

// ---- the schema's examples -----------------------------------------------------------------

TEST_F(ScdlImportTest, EveryLineOfTheSchemasValidExampleIsAccepted) {
  const auto r = imported(fixture_table("exemple_valide.csv"));
  EXPECT_EQ(r.encoding, "UTF-8");
  EXPECT_EQ(r.columns_kept, (std::vector<std::string>{"idRAE", "dispositifAide"}));
  EXPECT_EQ(r.lines.size(), 29u);
  EXPECT_EQ(r.accepted, 25);
  EXPECT_EQ(r.with_warnings, 4);
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.parties_created, 29);
  // The warnings: periods that end before they begin (the schema only checks their shape), and
  // a period whose end is not a date (2017-30-05), ignored.
  EXPECT_EQ(lines_with(r, LineOutcome::AcceptedWithWarnings), (std::vector<int>{24, 25, 27, 29}));
  EXPECT_EQ(notes(line(r, 24)),
            (std::vector<Note>{{"datesPeriodeVersement",
                                "la période « 2017-04-12/2017-03-09 » finit avant de commencer"}}));
  EXPECT_EQ(notes(line(r, 25)),
            (std::vector<Note>{{"datesPeriodeVersement",
                                "la période « 2017-12-20/2017-03-09 » finit avant de commencer"}}));
  EXPECT_EQ(notes(line(r, 27)),
            (std::vector<Note>{{"datesPeriodeVersement",
                                "« 2017-03-02/2017-30-05 » n'est ni une date ni une période : "
                                "ignorée"}}));
  EXPECT_EQ(notes(line(r, 29)),
            (std::vector<Note>{{"datesPeriodeVersement",
                                "la période « 2017-03-02/2017-01-10 » finit avant de commencer"}}));
  EXPECT_EQ(count_rows(db_, "imported_awards"), 29);

  // Flagged, not fixed: the backward period is kept as written, the bad one dropped.
  EXPECT_EQ(awards_of("HARMONIE ANTIBOISE").at(0).payment_period, "2017-04-12/2017-03-09");
  EXPECT_EQ(awards_of("ANTIBEA COMEDIE D'ANTIBES").at(0).payment_period, "");
  // Names are trimmed; the share and the part (0.05 of 99 786,57 € = 4 989,33 €).
  const auto cea = awards_of("CEA DU PERSONNEL DE LA VILLE D'ANTIBES JUAN-LES-PINS");
  ASSERT_EQ(cea.size(), 1u);
  EXPECT_EQ(cea[0].amount.cents(), 9978657);
  EXPECT_EQ(cea[0].share_bp, 500);
  EXPECT_EQ(cea[0].part.cents(), 498933);
  EXPECT_EQ(cea[0].grantor, "ANTIBES");
  EXPECT_EQ(cea[0].grantor_id, "21060004500392");
  EXPECT_EQ(cea[0].reference, "CONV N° 2074-15 2015-06-19");
  EXPECT_EQ(cea[0].nature, "aide en numéraire");
  EXPECT_EQ(cea[0].payment_terms, "échelonné");
  EXPECT_EQ(cea[0].regime, octroi::AidRegime::None);  // notificationUE "non"
  EXPECT_EQ(party_named("CEA DU PERSONNEL DE LA VILLE D'ANTIBES JUAN-LES-PINS").rna, "W333216789");
  // notificationUE "oui" (lines 13 to 30): de minimis, counted for its part.
  const auto gym = awards_of("OAJLP GYMNASTIQUE");
  ASSERT_EQ(gym.size(), 1u);
  EXPECT_EQ(gym[0].regime, octroi::AidRegime::DeMinimis1407);
  EXPECT_EQ(gym[0].share_bp, 6000);
  EXPECT_EQ(gym[0].part.cents(), 10923255);  // 0.6 × 182 054,25 €
  EXPECT_EQ(awards_of("SOCIETE DES REGATES D ANTIBES JUAN LES PINS").at(0).nature,
            "aide en numéraire;aide en nature");
  EXPECT_EQ(de_minimis_aids_from("ANTIBES").size(), 18u);
}

TEST_F(ScdlImportTest, TheSchemasInvalidExampleIsFlaggedLineByLine) {
  const std::size_t parties_before = parties().size();
  const auto r = imported(fixture_table("exemple_invalide_erreurs_cellules.csv"));
  EXPECT_EQ(r.lines.size(), 29u);
  EXPECT_EQ(r.accepted, 0);
  EXPECT_EQ(r.with_warnings, 28);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.parties_created, 26);
  EXPECT_EQ(parties().size(), parties_before + 26);
  EXPECT_EQ(count_rows(db_, "imported_awards"), 28);
  const std::string bad_grantor =
      "le SIRET « 21860194600000 » a une clé de contrôle fausse : identifiant ignoré";

  // Line 6: the SIRET a spreadsheet turned into "32402138500000.0", flagged and not stored.
  EXPECT_EQ(notes(line(r, 6)),
            (std::vector<Note>{{"idAttribuant", bad_grantor},
                               {"idBeneficiaire",
                                "« 32402138500000.0 » a été abîmé par un tableur (nombre "
                                "décimal) : identifiant ignoré, à corriger dans le fichier "
                                "source"}}));
  const auto beaulieu = party_named("Centre d'animation de beaulieu");
  EXPECT_EQ(beaulieu.siret, "");
  EXPECT_EQ(beaulieu.siren, "");
  const auto b = awards_of(beaulieu.id);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].amount.cents(), 10000010);  // "100000,1"
  EXPECT_EQ(b[0].grantor, "Poitiers");
  EXPECT_EQ(b[0].grantor_id, "");                   // its SIRET's check digit is wrong
  EXPECT_EQ(b[0].regime, octroi::AidRegime::None);  // "no"

  // Line 10: no amount, rejected naming the column; nothing of it is stored.
  const auto& l10 = line(r, 10);
  EXPECT_EQ(l10.outcome, LineOutcome::Rejected);
  EXPECT_EQ(l10.beneficiary, "Stade poitevin hockey club");
  ASSERT_FALSE(l10.notes.empty());
  EXPECT_EQ(notes(l10)[0], (Note{"montant", "le montant est vide"}));
  EXPECT_TRUE(parties_named("Stade poitevin hockey club").empty());

  // Line 5: a RNA number that is not one, flagged and not stored; a date 05/12/2016.
  EXPECT_EQ(notes(line(r, 5)),
            (std::vector<Note>{
                {"idAttribuant", bad_grantor},
                {"idBeneficiaire",
                 "le SIRET « 44088714900000 » a une clé de contrôle fausse : identifiant ignoré"},
                {"rnaBeneficiaire", "« W3222 » n'est pas un numéro RNA : ignoré"}}));
  const auto pic = party_named("Pic la poule");
  EXPECT_EQ(pic.rna, "");
  EXPECT_EQ(pic.siret, "");
  EXPECT_EQ(awards_of(pic.id).at(0).granted_on, octroi::Date(2016, 12, 5));
  EXPECT_EQ(party_named("Association de gestion de la maison des 3 quartiers").rna, "");  // W12455
  EXPECT_EQ(party_named("Association sportive des cheminots poitiers/biard rugby").rna,
            "W123456789");

  // Shares: "100" is not one (read as 1), "0,5" is.
  EXPECT_EQ(notes(line(r, 2))[1],
            (Note{"pourcentageSubvention",
                  "« 100 » n'est pas un pourcentage entre 0,01 et 1 : lu comme 1,00 (bénéficiaire "
                  "unique)"}));
  EXPECT_EQ(awards_of(party_named("Trouver sonnette a son pied").id).size(), 2u);  // lines 2, 20
  EXPECT_EQ(party_named("Trouver sonnette a son pied").siret, "52499120500013");
  const auto cyclo = awards_of("Amicale des coureurs cyclistes et anciens coureurs de la vienne");
  ASSERT_EQ(cyclo.size(), 1u);
  EXPECT_EQ(cyclo[0].share_bp, 5000);
  EXPECT_EQ(cyclo[0].part.cents(), 41500);
  // "yes", 20 % of 5 500,20 € under de minimis; a period with "_".
  const auto bellandier = awards_of("Bellandier SAS");
  ASSERT_EQ(bellandier.size(), 1u);
  EXPECT_EQ(bellandier[0].regime, octroi::AidRegime::DeMinimis1407);
  EXPECT_EQ(bellandier[0].part.cents(), 110004);
  EXPECT_EQ(bellandier[0].payment_period, "2017-06-27/2018-06-27");
  EXPECT_EQ(party_named("Bellandier SAS").siret, "");  // 67895644300011: wrong check digit
  const auto poitiers = de_minimis_aids_from("Ville de Poitiers");
  ASSERT_EQ(poitiers.size(), 1u);
  EXPECT_EQ(poitiers[0].amount.cents(), 110004);
}

// ---- dry run -------------------------------------------------------------------------------

TEST_F(ScdlImportTest, ADryRunStoresNothingAndReportsWhatTheImportWouldDo) {
  for (const char* name : {kNievre, kSomme, "exemple_invalide_erreurs_cellules.csv"}) {
    SCOPED_TRACE(name);
    const auto t = fixture_table(name);
    const std::string before = dump_database(db_);
    const auto dry = imported(t, true);
    EXPECT_TRUE(dry.dry_run);
    EXPECT_EQ(dump_database(db_), before) << first_difference(before, dump_database(db_));
    const auto real = imported(t);
    EXPECT_FALSE(real.dry_run);
    EXPECT_EQ(render(dry), render(real));
    EXPECT_GT(real.accepted + real.with_warnings, 0);
    // After the import, a dry run says every line is already there.
    const auto after = dump_database(db_);
    const auto again = imported(t, true);
    EXPECT_EQ(again.already, real.accepted + real.with_warnings);
    EXPECT_EQ(again.parties_created, 0);
    EXPECT_EQ(dump_database(db_), after);
  }
}

// ---- files written here ----------------------------------------------------------------------

TEST_F(ScdlImportTest, SemicolonsDecimalCommasFrenchDatesAndEuNotifications) {
  const auto r = imported(
      "nomAttribuant;dateConvention;nomBeneficiaire;montant;notificationUE;pourcentageSubvention;"
      "datesPeriodeVersement\n"
      "Ville de Test;13/04/2017;Association Alpha;1 000,10;Oui;0,45;13/04/2017/12/04/2018\n"
      "Ville de Test;2024-03-01;Association Beta;2 000;oui;;2024-03-01_2025-02-28\n"
      "Ville de Test;14/04/2017;Association Gamma;3000;NON;45 %;\n"
      "Ville de Test;15-04-2017;Association Delta;4000,5;true;;\n"
      "Ville de Test;2017-04-16;Association Epsilon;5000;peut-être;;\n",
      "a-la-main.csv");
  EXPECT_EQ(r.delimiter, ';');
  EXPECT_EQ(r.encoding, "UTF-8");
  EXPECT_EQ(lines_with(r, LineOutcome::Accepted), (std::vector<int>{2, 3, 4, 5}));
  EXPECT_EQ(
      notes(line(r, 6)),
      (std::vector<Note>{{"notificationUE", "« peut-être » n'est ni oui ni non : lu comme non"}}));
  EXPECT_EQ(r.parties_created, 5);

  const auto alpha = awards_of("Association Alpha");
  ASSERT_EQ(alpha.size(), 1u);
  EXPECT_EQ(alpha[0].amount.cents(), 100010);
  EXPECT_EQ(alpha[0].granted_on, octroi::Date(2017, 4, 13));
  EXPECT_EQ(alpha[0].payment_period, "2017-04-13/2018-04-12");
  EXPECT_EQ(alpha[0].regime, octroi::AidRegime::DeMinimis1407);
  EXPECT_EQ(alpha[0].share_bp, 4500);
  EXPECT_EQ(alpha[0].part.cents(), 45005);  // 0.45 × 1 000,10 € = 450,045 €: half up
  const auto beta = awards_of("Association Beta");
  EXPECT_EQ(beta.at(0).regime, octroi::AidRegime::DeMinimis2831);  // granted in 2024
  EXPECT_EQ(beta.at(0).payment_period, "2024-03-01/2025-02-28");
  const auto gamma = awards_of("Association Gamma");
  EXPECT_EQ(gamma.at(0).regime, octroi::AidRegime::None);
  EXPECT_EQ(gamma.at(0).share_bp, 4500);  // "45 %"
  EXPECT_EQ(gamma.at(0).part.cents(), 135000);
  const auto delta = awards_of("Association Delta");
  EXPECT_EQ(delta.at(0).amount.cents(), 400050);
  EXPECT_EQ(delta.at(0).granted_on, octroi::Date(2017, 4, 15));
  EXPECT_EQ(delta.at(0).regime, octroi::AidRegime::DeMinimis1407);
  EXPECT_EQ(awards_of("Association Epsilon").at(0).regime, octroi::AidRegime::None);

  // The de minimis cumulation sees the notified awards, for their part.
  const auto aids = de_minimis_aids_from("Ville de Test");
  ASSERT_EQ(aids.size(), 3u);
  std::vector<std::tuple<std::int64_t, std::int64_t, octroi::AidRegime, std::string>> got;
  for (const auto& a : aids)
    got.emplace_back(a.party.value, a.amount.cents(), a.regime, a.granted_on.iso());
  std::sort(got.begin(), got.end());
  std::vector<std::tuple<std::int64_t, std::int64_t, octroi::AidRegime, std::string>> expected = {
      {party_named("Association Alpha").id.value, 45005, octroi::AidRegime::DeMinimis1407,
       "2017-04-13"},
      {party_named("Association Beta").id.value, 200000, octroi::AidRegime::DeMinimis2831,
       "2024-03-01"},
      {party_named("Association Delta").id.value, 400050, octroi::AidRegime::DeMinimis1407,
       "2017-04-15"}};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected);
}

TEST_F(ScdlImportTest, AmountsAsFilesWriteThemAndTheOnesThatAreRefused) {
  const auto r = imported(
      "nomAttribuant,dateConvention,nomBeneficiaire,montant\n"
      "V,2017-04-13,A1,\"26 956,00\"\n"                // 2
      "V,2017/09/08,A2,47800.20\n"                     // 3
      "V,13/04/2017,A3,\"1.234,56\"\n"                 // 4
      "V,2017-04-13,A4,\"1,234.56\"\n"                 // 5
      "V,2017-04-13T10:00:00,A5,\"1 500 €\"\n"         // 6
      "V,2017-04-13,A6,\"1,234,567\"\n"                // 7
      "V,2017-04-13,A7,17.833\n"                       // 8
      "V,2017-04-13,A8,\"17,833\"\n"                   // 9
      "V,2017-04-13,A9,-500\n"                         // 10
      "V,2017-04-13,A10,0\n"                           // 11
      "V,2017-04-13,A11,beaucoup\n"                    // 12
      "V,,A12,100\n"                                   // 13
      "V,2017-04-13,,100\n"                            // 14
      ",2017-04-13,A14,100\n"                          // 15
      "V,2017-04-13,Commune de Montfermeil,17.833\n",  // 16: a party of the demo
      "montants.csv");
  EXPECT_EQ(lines_with(r, LineOutcome::Accepted), (std::vector<int>{2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(r.rejected, 9);
  EXPECT_EQ(r.parties_created, 6);
  EXPECT_EQ(awards_of("A1").at(0).amount.cents(), 2695600);
  EXPECT_EQ(awards_of("A2").at(0).amount.cents(), 4780020);
  EXPECT_EQ(awards_of("A2").at(0).granted_on, octroi::Date(2017, 9, 8));
  EXPECT_EQ(awards_of("A3").at(0).amount.cents(), 123456);
  EXPECT_EQ(awards_of("A4").at(0).amount.cents(), 123456);
  EXPECT_EQ(awards_of("A5").at(0).amount.cents(), 150000);
  EXPECT_EQ(awards_of("A5").at(0).granted_on, octroi::Date(2017, 4, 13));
  EXPECT_EQ(awards_of("A6").at(0).amount.cents(), 123456700);
  // An ambiguous amount is refused, naming its column; never guessed.
  EXPECT_EQ(notes(line(r, 8)),
            (std::vector<Note>{
                {"montant", "« 17.833 » est ambigu (séparateur de milliers ou décimales ?)"}}));
  EXPECT_EQ(notes(line(r, 9)),
            (std::vector<Note>{
                {"montant", "« 17,833 » est ambigu (séparateur de milliers ou décimales ?)"}}));
  EXPECT_EQ(notes(line(r, 10)),
            (std::vector<Note>{{"montant", "le montant « -500 » n'est pas positif"}}));
  EXPECT_EQ(notes(line(r, 11)),
            (std::vector<Note>{{"montant", "le montant « 0 » n'est pas positif"}}));
  EXPECT_EQ(notes(line(r, 12)),
            (std::vector<Note>{{"montant", "« beaucoup » n'est pas un montant"}}));
  EXPECT_EQ(notes(line(r, 13)), (std::vector<Note>{{"dateConvention", "la date est vide"}}));
  EXPECT_EQ(notes(line(r, 14)),
            (std::vector<Note>{{"nomBeneficiaire", "le nom du bénéficiaire est vide"}}));
  EXPECT_EQ(notes(line(r, 15)),
            (std::vector<Note>{{"nomAttribuant", "le nom de l'attribuant est vide"}}));
  for (const char* name : {"A7", "A8", "A9", "A10", "A11", "A12", "A14"})
    EXPECT_TRUE(parties_named(name).empty()) << name;
  // A rejected line adds nothing to a party that exists either.
  EXPECT_EQ(line(r, 16).outcome, LineOutcome::Rejected);
  EXPECT_TRUE(awards_of(octroi::PartyId{party_id("Commune de Montfermeil")}).empty());
  EXPECT_EQ(count_rows(db_, "imported_awards"), 6);
}

// Every other message quotes the value « like this »; the date's lacks the space before ».
TEST_F(ScdlImportTest, AnImpossibleDateIsRejectedNamingItsColumn) {
  const auto r = imported(
      "nomAttribuant,dateConvention,nomBeneficiaire,montant\n"
      "V,2017-02-30,Trente février,100\n"
      "V,le 3 mars,Trois mars,100\n",
      "dates.csv");
  EXPECT_EQ(r.rejected, 2);
  EXPECT_EQ(notes(line(r, 2)),
            (std::vector<Note>{{"dateConvention", "« 2017-02-30 » n'est pas une date"}}));
  EXPECT_EQ(notes(line(r, 3)),
            (std::vector<Note>{{"dateConvention", "« le 3 mars » n'est pas une date"}}));
  EXPECT_TRUE(parties_named("Trente février").empty());
}

TEST_F(ScdlImportTest, IdentifiersDamagedOrWrongAreFlaggedAndNeverStored) {
  const auto r = imported(
      "nomAttribuant,idAttribuant,dateConvention,nomBeneficiaire,idBeneficiaire,rnaBeneficiaire,"
      "montant\n"
      "V,21060004500392.0,2017-04-13,B1,2.18601946E+13,,100\n"  // 2
      "V,,2017-04-13,B2,21860194600012,,100\n"                  // 3
      "V,,2017-04-13,B3,12345,,100\n"                           // 4
      "V,,2017-04-13,B4,,W123,100\n"                            // 5
      "V,,2017-04-13,B5,218 000 099 00018,w751234567,100\n",    // 6
      "identifiants.csv");
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.with_warnings, 4);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(notes(line(r, 2)),
            (std::vector<Note>{
                {"idAttribuant",
                 "« 21060004500392.0 » a été abîmé par un tableur (nombre décimal) : identifiant "
                 "ignoré, à corriger dans le fichier source"},
                {"idBeneficiaire",
                 "« 2.18601946E+13 » a été abîmé par un tableur (nombre décimal) : identifiant "
                 "ignoré, à corriger dans le fichier source"}}));
  EXPECT_EQ(awards_of("B1").at(0).grantor_id, "");
  EXPECT_EQ(party_named("B1").siret, "");
  EXPECT_EQ(party_named("B1").siren, "");
  EXPECT_EQ(
      notes(line(r, 3)),
      (std::vector<Note>{
          {"idBeneficiaire",
           "le SIRET « 21860194600012 » a une clé de contrôle fausse : identifiant ignoré"}}));
  EXPECT_EQ(party_named("B2").siret, "");
  EXPECT_EQ(notes(line(r, 4)),
            (std::vector<Note>{{"idBeneficiaire",
                                "« 12345 » n'est ni un SIRET ni un SIREN : identifiant ignoré"}}));
  EXPECT_EQ(notes(line(r, 5)),
            (std::vector<Note>{{"rnaBeneficiaire", "« W123 » n'est pas un numéro RNA : ignoré"}}));
  EXPECT_EQ(party_named("B4").rna, "");
  // Spaces in a SIRET are no damage; a RNA in lower case is one.
  EXPECT_TRUE(line(r, 6).notes.empty());
  EXPECT_EQ(party_named("B5").siret, "21800009900018");
  EXPECT_EQ(party_named("B5").rna, "W751234567");
}

TEST_F(ScdlImportTest, TabsAndColumnNamesInAnyCase) {
  const auto tab = imported(
      "nomAttribuant\tidBeneficiaire\tdateConvention\tnomBeneficiaire\tmontant\tobjet\n"
      "Ville\t\t2017-04-13\tAsso Tab\t1 600,50\tdeux mots\n",
      "tab.tsv");
  EXPECT_EQ(tab.delimiter, '\t');
  EXPECT_EQ(tab.accepted, 1);
  const auto t = awards_of("Asso Tab");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].amount.cents(), 160050);
  EXPECT_EQ(t[0].object, "deux mots");
  EXPECT_EQ(t[0].grantor, "Ville");

  const auto cased = imported(
      "NOMATTRIBUANT;Date_Convention;NOMBENEFICIAIRE;Montant;Objet;Colonne inconnue;"
      "Notification_UE\n"
      "Ville;2017-04-13;Asso Casse;1500;o;x;OUI\n",
      "casse.csv");
  EXPECT_EQ(cased.columns_kept, (std::vector<std::string>{"Colonne inconnue"}));
  EXPECT_EQ(cased.accepted, 1);
  const auto c = awards_of("Asso Casse");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].amount.cents(), 150000);
  EXPECT_EQ(c[0].object, "o");
  EXPECT_EQ(c[0].regime, octroi::AidRegime::DeMinimis1407);
}

TEST_F(ScdlImportTest, QuotedFieldsWithSeparatorsAndLineBreaksKeepTheLineNumbersRight) {
  const auto r = imported(
      "nomAttribuant,dateConvention,nomBeneficiaire,objet,montant\n"          // 1
      "V,2017-04-13,Q1,\"objet, avec virgule\net saut de ligne\",100\n"       // 2-3
      "V,2017-04-13,Q2,simple,17.833\n"                                       // 4
      "V,2017-04-13,\"Q3, dite \"\"trois\"\"\",\"trois\nlignes\nici\",300\n"  // 5-7
      "V,2017-04-13,,x,400\n"                                                 // 8
      ",,,,\n"                                                                // 9: blank row
      "\n",                                                                   // 10
      "guillemets.csv");
  EXPECT_EQ(line_numbers(r), (std::vector<int>{2, 4, 5, 8}));
  EXPECT_EQ(lines_with(r, LineOutcome::Accepted), (std::vector<int>{2, 5}));
  EXPECT_EQ(lines_with(r, LineOutcome::Rejected), (std::vector<int>{4, 8}));
  const auto q1 = awards_of("Q1");
  ASSERT_EQ(q1.size(), 1u);
  EXPECT_EQ(q1[0].object, "objet, avec virgule\net saut de ligne");
  EXPECT_EQ(q1[0].source_line, 2);
  const auto q3 = awards_of("Q3, dite \"trois\"");
  ASSERT_EQ(q3.size(), 1u);
  EXPECT_EQ(q3[0].source_line, 5);
  EXPECT_EQ(q3[0].object, "trois\nlignes\nici");
}

// The report and the stored award name the line the row is on, even after a blank line.
TEST_F(ScdlImportTest, ABlankLineInTheMiddleDoesNotShiftTheReportedLines) {
  const auto r = imported(
      "nomAttribuant,dateConvention,nomBeneficiaire,montant\n"  // 1
      "V,2017-04-13,Avant,100\n"                                // 2
      "\n"                                                      // 3
      "V,2017-04-13,Apres,17.833\n"                             // 4
      "V,2017-04-13,Ensuite,300\n",                             // 5
      "trou.csv");
  EXPECT_EQ(line_numbers(r), (std::vector<int>{2, 4, 5}));
  EXPECT_EQ(lines_with(r, LineOutcome::Rejected), (std::vector<int>{4}));
  EXPECT_EQ(awards_of("Ensuite").at(0).source_line, 5);
}

TEST_F(ScdlImportTest, BlankTrailingLinesAreNotLinesOfData) {
  const auto r = imported(
      "nomAttribuant;dateConvention;nomBeneficiaire;montant\r\n"
      "V;2017-04-13;Seule;100\r\n"
      ";;;\r\n"
      " ; ;\t; \r\n"
      "\r\n"
      "\r\n",
      "fin.csv");
  EXPECT_EQ(line_numbers(r), (std::vector<int>{2}));
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.rejected, 0);
}

TEST_F(ScdlImportTest, AFileWithoutTheColumnsItNeedsIsRefusedAsAWhole) {
  const std::string before = dump_database(db_);
  auto refused = [&](const std::string& bytes, const std::string& source) {
    auto r = import_with(table_from(bytes, source), {});
    EXPECT_FALSE(r.ok()) << source;
    return r.ok() ? octroi::Problem{} : r.refusal().first();
  };
  auto p = refused("nomAttribuant,dateConvention,montant\nV,2017-04-13,100\n", "sans-nom.csv");
  EXPECT_EQ(p.code, "import.columns");
  EXPECT_EQ(p.field, "file");
  EXPECT_EQ(p.message,
            "Le fichier « sans-nom.csv » n'a pas de colonne pour le bénéficiaire "
            "(nomBeneficiaire, ATTRIB_NOM) : est-ce bien un fichier de subventions ?");
  p = refused("nomBeneficiaire,dateConvention\nB,2017-04-13\n", "sans-montant.csv");
  EXPECT_EQ(p.code, "import.columns");
  EXPECT_EQ(p.message,
            "Le fichier « sans-montant.csv » n'a pas de colonne pour le montant (montant, "
            "SUB_MONTANT) : est-ce bien un fichier de subventions ?");
  p = refused("nomBeneficiaire;montant\nB;100\n", "sans-date.csv");
  EXPECT_EQ(p.code, "import.columns");
  EXPECT_NE(p.message.find("la date (dateConvention, ACTE_DATE)"), std::string::npos) << p.message;
  p = refused("a,b,c\n1,2,3\n", "autre.csv");
  EXPECT_EQ(p.code, "import.columns");
  EXPECT_NE(p.message.find("le bénéficiaire (nomBeneficiaire, ATTRIB_NOM), le montant (montant, "
                           "SUB_MONTANT), la date (dateConvention, ACTE_DATE)"),
            std::string::npos)
      << p.message;
  for (const std::string empty : {"", "\r\n", "\xEF\xBB\xBF"}) {
    p = refused(empty, "vide.csv");
    EXPECT_EQ(p.code, "import.empty");
    EXPECT_EQ(p.field, "file");
  }
  EXPECT_EQ(dump_database(db_), before) << first_difference(before, dump_database(db_));
}

// ---- the party's 360° view -------------------------------------------------------------------

TEST_F(ScdlImportTest, ALineIsAttachedToThePartyWithItsSiretSirenOrName) {
  // A party registered with the SIRET of the Somme's line 2.
  auto registered = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::PartyInput in;
    in.legal_name = "Commune d'Ailly-sur-Noye";
    in.siret = "21800009900018";
    return octroi::register_party(tx, ctx, in);
  });
  ASSERT_TRUE(registered.ok()) << registered.refusal().describe();
  const octroi::PartyId ailly = registered->party.id;
  const std::size_t parties_before = parties().size();
  const auto somme = imported(fixture_table(kSomme));
  EXPECT_EQ(somme.accepted, 41);
  EXPECT_EQ(somme.parties_created, 33);
  EXPECT_EQ(parties().size(), parties_before + 33);
  EXPECT_TRUE(parties_named("AILLY SUR NOYE").empty());
  const auto view = party_view(ailly);
  ASSERT_EQ(view.imported.size(), 1u);
  EXPECT_EQ(view.imported[0].source_line, 2);
  EXPECT_EQ(view.imported[0].grantor, "Département de la Somme");
  EXPECT_EQ(view.total_imported.cents(), 2695600);

  // The demonstration's parties: Casaco by the SIREN of an establishment's SIRET, the SCI by
  // its SIREN, Montfermeil by its name (in another case); a de minimis award counts for Casaco.
  const octroi::PartyId casaco{party_id("SAS SCIC Casaco")};
  const auto used_before = party_view(casaco).de_minimis.used;
  const auto r = imported(
      "nomAttribuant,dateConvention,nomBeneficiaire,idBeneficiaire,montant,notificationUE\n"
      "Région Hauts-de-France,2022-05-02,SCIC CASACO (Bagnolet),80156829600017,12000,oui\n"
      "Région Hauts-de-France,2022-05-03,SCI 6 AVENUE JJ,910876390,5000,non\n"
      "Région Hauts-de-France,2022-05-04,COMMUNE DE MONTFERMEIL,,7000,non\n",
      "demo.csv");
  EXPECT_EQ(r.parties_created, 0);
  EXPECT_EQ(r.accepted, 2);
  EXPECT_EQ(notes(line(r, 3)),
            (std::vector<Note>{{"idBeneficiaire",
                                "« 910876390 » est un SIREN (9 chiffres), pas un SIRET : le tiers "
                                "est rattaché par son SIREN"}}));
  const auto c = party_view(casaco);
  ASSERT_EQ(c.imported.size(), 1u);
  EXPECT_EQ(c.imported[0].amount.cents(), 1200000);
  EXPECT_EQ(c.imported[0].regime, octroi::AidRegime::DeMinimis1407);
  EXPECT_EQ(c.total_imported.cents(), 1200000);
  EXPECT_EQ(c.de_minimis.used.cents() - used_before.cents(), 1200000);
  EXPECT_EQ(c.party.siret, "");  // the party is found, not changed
  ASSERT_EQ(awards_of(octroi::PartyId{party_id("SCI 6 avenue JJ")}).size(), 1u);
  const auto montfermeil = awards_of(octroi::PartyId{party_id("Commune de Montfermeil")});
  ASSERT_EQ(montfermeil.size(), 1u);
  EXPECT_EQ(montfermeil[0].amount.cents(), 700000);
  EXPECT_TRUE(parties_named("COMMUNE DE MONTFERMEIL").empty());
}

// ---- the command -----------------------------------------------------------------------------

TEST_F(ScdlImportTest, TheCommandPrintsTheReportLineByLine) {
  const std::string somme = fixture_path(kSomme);
  const auto run = run_octroi({"import", "scdl", somme}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find(std::string("Fichier : ") + kSommeName +
                         " (Windows-1252 (précédé d'un BOM UTF-8), séparateur « ; »)\n"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.find("essai"), std::string::npos);
  EXPECT_NE(run.out.find("colonne conservée telle quelle : type\n"), std::string::npos);
  EXPECT_NE(run.out.find("ligne 2 : acceptée — AILLY SUR NOYE, 26 956,00\n"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("ligne 42 : acceptée — HARBONNIERES, 40 000,00\n"), std::string::npos);
  EXPECT_NE(
      run.out.find(
          "41 ligne(s) acceptée(s) (dont 0 avec avertissements), 0 rejetée(s), 0 "
          "déjà importée(s), 0 en double dans le fichier ; 34 tiers créé(s), 34 établissement(s) "
          "enregistré(s).\n"),
      std::string::npos)
      << run.out;
  EXPECT_EQ(count_rows(db_, "imported_awards"), 41);

  // Again: every line is already there.
  const auto again = run_octroi({"import", "scdl", somme}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find("ligne 2 : déjà importée — AILLY SUR NOYE, 26 956,00\n"),
            std::string::npos)
      << again.out;
  EXPECT_NE(
      again.out.find(
          "0 ligne(s) acceptée(s) (dont 0 avec avertissements), 0 rejetée(s), "
          "41 déjà importée(s), 0 en double dans le fichier ; 0 tiers créé(s), 0 établissement(s) "
          "enregistré(s).\n"),
      std::string::npos)
      << again.out;
  EXPECT_EQ(count_rows(db_, "imported_awards"), 41);
}

// --report writes the report to a file as the lines are read (as JSON lines with --json); the
// summary stays on the standard output. A report file that cannot be written is refused before
// anything is read or stored.
TEST_F(ScdlImportTest, TheCommandWritesItsReportToAFileAsItGoes) {
  TempDir dir;
  const std::string report = dir.file("rapport.jsonl");
  const auto run = run_octroi(
      {"import", "scdl", fixture_path(kSomme), "--json", "--report", report}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(run.status, 0) << run.err;
  std::ifstream in(report);
  std::vector<nlohmann::json> lines;
  for (std::string l; std::getline(in, l);)
    lines.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(lines.size(), 1u + 41u + 1u);
  EXPECT_EQ(lines.front()["separator"], ";");
  EXPECT_EQ(lines[1]["line"], 2);
  EXPECT_EQ(lines[1]["outcome"], "accepted");
  EXPECT_EQ(lines.back()["accepted"], 41);
  EXPECT_EQ(lines.back()["establishments_added"], 34);
  // Only the counts on the standard output.
  EXPECT_EQ(nlohmann::json::parse(run.out)["accepted"], 41) << run.out;

  const std::string before = dump_database(db_);
  const auto bad = run_octroi(
      {"import", "scdl", fixture_path(kNievre), "--report", dir.file("absent/rapport.txt")},
      {{"OCTROI_DB", db_}});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("Impossible d'écrire le rapport"), std::string::npos) << bad.err;
  EXPECT_EQ(dump_database(db_), before);
}

TEST_F(ScdlImportTest, TheCommandsDryRunSaysNothingIsStored) {
  const std::string before = dump_database(db_);
  const auto run =
      run_octroi({"import", "scdl", fixture_path(kNievre), "--dry-run"}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find(std::string("Fichier : ") + kNievreName +
                         " (Windows-1252, séparateur « , ») — essai, rien n'est enregistré\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(
      run.out.find("ligne 8 : rejetée — ASSOCIATION PREVENTION ROUTIERE, NC\n"
                   "    SUB_MONTANT : « NC » n'est pas un montant\n"
                   "    COLL_SIRET : « 225800010 » est un SIREN (9 chiffres), pas un SIRET\n"),
      std::string::npos)
      << run.out;
  EXPECT_NE(
      run.out.find(
          "90 ligne(s) acceptée(s) (dont 90 avec avertissements), 7 rejetée(s), 0 "
          "déjà importée(s), 0 en double dans le fichier ; 90 tiers créé(s), 0 établissement(s) "
          "enregistré(s).\n"),
      std::string::npos)
      << run.out;
  EXPECT_EQ(dump_database(db_), before) << first_difference(before, dump_database(db_));
}

TEST_F(ScdlImportTest, TheCommandsProblemsOnlyHidesPlainAcceptedLines) {
  const auto run = run_octroi(
      {"import", "scdl", fixture_path("exemple_valide.csv"), "--problems-only", "--dry-run"},
      {{"OCTROI_DB", db_}});
  ASSERT_EQ(run.status, 0) << run.err;
  std::vector<std::string> shown;
  std::istringstream out(run.out);
  for (std::string l; std::getline(out, l);)
    if (l.rfind("ligne ", 0) == 0) shown.push_back(l);
  EXPECT_EQ(shown, (std::vector<std::string>{
                       "ligne 24 : acceptée avec avertissements — HARMONIE ANTIBOISE, 24500",
                       "ligne 25 : acceptée avec avertissements — LES VOILES D'ANTIBES, 52000",
                       "ligne 27 : acceptée avec avertissements — ANTIBEA COMEDIE D'ANTIBES, 56000",
                       "ligne 29 : acceptée avec avertissements — LABEL NOTE, 95000"}))
      << run.out;
  EXPECT_NE(run.out.find("    datesPeriodeVersement : la période « 2017-04-12/2017-03-09 » finit "
                         "avant de commencer\n"),
            std::string::npos);
  // The summary still counts every line.
  EXPECT_NE(run.out.find("29 ligne(s) acceptée(s) (dont 4 avec avertissements), 0 rejetée(s)"),
            std::string::npos)
      << run.out;
}

TEST_F(ScdlImportTest, TheCommandRefusesWhatItCannotRead) {
  const std::string before = dump_database(db_);
  const std::string missing = dir_.file("absent.csv");
  auto run = run_octroi({"import", "scdl", missing}, {{"OCTROI_DB", db_}});
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find("Impossible de lire le fichier « " + missing + " »"), std::string::npos)
      << run.err;

  const std::string no_columns = dir_.file("autre.csv");
  write_file(no_columns, "a,b,c\n1,2,3\n");
  run = run_octroi({"import", "scdl", no_columns}, {{"OCTROI_DB", db_}});
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find("[import.columns]"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("est-ce bien un fichier de subventions ?"), std::string::npos) << run.err;

  const std::string empty = dir_.file("vide.csv");
  write_file(empty, "");
  run = run_octroi({"import", "scdl", empty}, {{"OCTROI_DB", db_}});
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find("[import.empty]"), std::string::npos) << run.err;
  EXPECT_EQ(dump_database(db_), before) << first_difference(before, dump_database(db_));
}

// A directory given for the file: a French message and a refusal, not an abort.
TEST_F(ScdlImportTest, TheCommandRefusesADirectoryWithAMessage) {
  const auto run = run_octroi({"import", "scdl", dir_.path()}, {{"OCTROI_DB", db_}});
  EXPECT_NE(run.status, 0);
  EXPECT_LT(run.status, 128) << "killed by signal " << run.status - 128 << "\n" << run.err;
  EXPECT_NE(run.err.find("Impossible de lire le fichier « " + dir_.path() + " »"),
            std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace octroi_test
