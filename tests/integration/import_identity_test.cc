// Imports that never lose a line (issue 17, findings 1 and 3): a real city file's SCDL 1.x
// column SUB_OBJ was "ignored", so lines that differed only by their object were dropped as
// "déjà importée" on the first import (15 awards, 27 400 €). Every column is now read or kept, a
// line is a duplicate only when every field the file gives is equal, a duplicate inside one file
// is reported as such, and awards stored under the older, coarser key answer for one line each.
// The header is found below a title and may use the schema's French titles.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/opendata/table_reader.h"
#include "app/audit_json.h"
#include "app/import_columns.h"
#include "app/scdl_import.h"
#include "app/use_cases.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::LineOutcome;

class ImportIdentityTest : public DemoDatabaseTest {
 protected:
  octroi::ImportReport imported(std::string_view csv, const std::string& source = "ville.csv") {
    auto t = octroi::opendata::read_table(csv, source);
    if (!t.ok()) {
      ADD_FAILURE() << t.refusal().describe();
      return {};
    }
    auto r = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      return octroi::import_scdl(tx, ctx, store_->hasher(), t.value());
    });
    if (!r.ok()) {
      ADD_FAILURE() << r.refusal().describe();
      return {};
    }
    return std::move(r).value();
  }
  octroi::ImportReport dry_run(std::string_view csv) {
    auto t = octroi::opendata::read_table(csv, "essai.csv");
    if (!t.ok()) {
      ADD_FAILURE() << t.refusal().describe();
      return {};
    }
    octroi::ImportOptions options;
    options.dry_run = true;
    auto r = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      return octroi::import_scdl(tx, ctx, store_->hasher(), t.value(), options);
    });
    if (!r.ok()) {
      ADD_FAILURE() << r.refusal().describe();
      return {};
    }
    return std::move(r).value();
  }
  static std::vector<LineOutcome> outcomes(const octroi::ImportReport& r) {
    std::vector<LineOutcome> out;
    for (const auto& l : r.lines)
      out.push_back(l.outcome);
    return out;
  }
};

TEST_F(ImportIdentityTest, LinesThatDifferOnlyByAColumnOnceIgnoredAreDistinctAwards) {
  // SCDL 1.x with SUB_OBJ (not SUB_OBJET), and a column of the city's own.
  const std::string csv =
      "COLL_NOM,ACTE_DATE,ACTE_REF,ATTRIB_NOM,SUB_OBJ,SUB_MONTANT,Commentaire\n"
      "Ville de Test,2019-03-01,DEL-12,Comité des fêtes,Carnaval,1 800,\n"
      "Ville de Test,2019-03-01,DEL-12,Comité des fêtes,Fête de la musique,1 800,\n"
      "Ville de Test,2019-03-01,DEL-12,Comité des fêtes,Marché de Noël,1 800,versée en deux fois\n"
      "Ville de Test,2019-03-01,DEL-12,Comité des fêtes,Marché de Noël,1 800,versée en une fois\n"
      "Ville de Test,2019-03-01,DEL-12,Comité des fêtes,Carnaval,1 800,\n";
  const auto r = imported(csv);
  EXPECT_EQ(r.columns_kept, (std::vector<std::string>{"Commentaire"}));
  EXPECT_EQ(outcomes(r), (std::vector<LineOutcome>{LineOutcome::Accepted, LineOutcome::Accepted,
                                                   LineOutcome::Accepted, LineOutcome::Accepted,
                                                   LineOutcome::Duplicate}));
  ASSERT_EQ(r.lines[4].notes.size(), 1u);
  EXPECT_EQ(r.lines[4].notes[0].message,
            "identique en tout à la ligne 2 : non importée une seconde fois");
  EXPECT_EQ(r.duplicates, 1);
  EXPECT_NE(octroi::import_summary(r).find("1 en double dans le fichier"), std::string::npos);
  const auto stored = query(db_,
                            "SELECT source_line, object, other_fields FROM imported_awards "
                            "ORDER BY source_line");
  ASSERT_EQ(stored.size(), 4u);
  EXPECT_EQ(stored[0], (std::vector<std::string>{"2", "Carnaval", "{}"}));
  EXPECT_EQ(stored[2], (std::vector<std::string>{"4", "Marché de Noël",
                                                 "{\"Commentaire\":\"versée en deux fois\"}"}));
  // Again: every line was imported before, the duplicate is still one.
  const auto again = imported(csv);
  EXPECT_EQ(outcomes(again),
            (std::vector<LineOutcome>{LineOutcome::AlreadyImported, LineOutcome::AlreadyImported,
                                      LineOutcome::AlreadyImported, LineOutcome::AlreadyImported,
                                      LineOutcome::Duplicate}));
  EXPECT_EQ(count_rows(db_, "imported_awards"), 4);
}

TEST_F(ImportIdentityTest, AnAwardStoredUnderTheOlderKeyAnswersForOneLineOnly) {
  // As an octroi of before issue 17 left it: one of two lines that differ only by their nature
  // (which the older key did not cover) stored, the other dropped as its duplicate.
  const std::string csv =
      "nomAttribuant,dateConvention,nomBeneficiaire,montant,nature\n"
      "Ville de Test,2019-03-01,Association Alpha,500,aide en numéraire\n"
      "Ville de Test,2019-03-01,Association Alpha,500,aide en nature\n";
  // The older key of the first line: grantor, date, reference, beneficiary, amount, share,
  // object (frozen: databases hold awards under it).
  const std::string legacy = store_->hasher().sha256_hex(
      octroi::audit_json::quote("ville de test") + "|2019-03-01|" + octroi::audit_json::quote("") +
      "|" + octroi::audit_json::quote("association alpha") + "|50000|10000|" +
      octroi::audit_json::quote(""));
  auto stored = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::PartyInput in;
    in.legal_name = "Association Alpha";
    auto party = octroi::register_party(tx, ctx, in);
    if (!party.ok()) return octroi::Result<std::int64_t>(party.refusal());
    octroi::ImportedAwardRecord rec;
    rec.party = party->party.id;
    rec.import_key = legacy;
    rec.grantor = "Ville de Test";
    rec.granted_on = octroi::Date(2019, 3, 1);
    rec.amount = rec.part = octroi::Money::from_cents(50000);
    rec.nature = "aide en numéraire";
    rec.source = "ancien.csv";
    rec.source_line = 2;
    rec.imported_at = ctx.clock->now();
    rec.imported_by = "octroi d'avant";
    return octroi::Result<std::int64_t>(tx.imports().insert_imported_award(ctx.authority, rec));
  });
  ASSERT_TRUE(stored.ok()) << stored.refusal().describe();
  // Read in another order than the older octroi read them: the line that was swallowed is
  // imported now, the stored award is recognised by its fields (not by its place in the file).
  const std::string header = csv.substr(0, csv.find('\n') + 1);
  const std::string numeraire = csv.substr(header.size(), csv.rfind("Ville") - header.size());
  const std::string nature = csv.substr(csv.rfind("Ville"));
  const auto r = imported(header + nature + numeraire);
  EXPECT_EQ(outcomes(r),
            (std::vector<LineOutcome>{LineOutcome::Accepted, LineOutcome::AlreadyImported}));
  EXPECT_EQ(count_rows(db_, "imported_awards"), 2);
  // And from now on both are known by their keys.
  EXPECT_EQ(outcomes(imported(csv)),
            (std::vector<LineOutcome>{LineOutcome::AlreadyImported, LineOutcome::AlreadyImported}));
}

TEST_F(ImportIdentityTest, TheHeaderIsFoundBelowATitleAndMayUseTheSchemasFrenchTitles) {
  const std::string csv =
      "Subventions attribuées par la Ville de Test en 2019;;;\n"
      ";;;\n"
      "Nom de l'attribuant;Date de la convention de subvention;Nom du bénéficiaire;Montant total "
      "de la subvention\n"
      "Ville de Test;01/03/2019;Association Alpha;1 500,50\n"
      "Ville de Test;02/03/2019;Association Beta;800\n";
  const auto r = imported(csv);
  EXPECT_EQ(r.header_line, 3);
  EXPECT_EQ(r.accepted, 2);
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].line, 4);
  EXPECT_EQ(r.lines[1].line, 5);
  EXPECT_TRUE(r.columns_kept.empty());
}

// Issue 17, finding 5: a SIRET damaged by a spreadsheet took the valid SIREN beside it away too.
TEST_F(ImportIdentityTest, AValidSirenIsKeptWhenTheSiretBesideItIsDamaged) {
  const auto r = imported(
      "nomAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;SIREN;montant\n"
      "Ville de Test;2019-03-01;Société Alpha;32402138500000.0;324021385;1000\n"
      "Ville de Test;2019-03-02;Société Beta;;356000000;2000\n"
      "Ville de Test;2019-03-03;Société Gamma;;12345;3000\n");
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[0].outcome, LineOutcome::AcceptedWithWarnings);  // the SIRET flagged
  EXPECT_EQ(r.lines[2].outcome, LineOutcome::AcceptedWithWarnings);
  EXPECT_EQ(r.lines[2].notes.back().message, "« 12345 » n'est pas un SIREN valide : ignoré");
  const auto parties = query(db_,
                             "SELECT legal_name, siren FROM parties WHERE legal_name LIKE "
                             "'Société %' ORDER BY legal_name");
  ASSERT_EQ(parties.size(), 3u);
  EXPECT_EQ(parties[0], (std::vector<std::string>{"Société Alpha", "324021385"}));
  EXPECT_EQ(parties[1], (std::vector<std::string>{"Société Beta", "356000000"}));
  EXPECT_EQ(parties[2], (std::vector<std::string>{"Société Gamma", ""}));
}

// Issue 17, finding 5: beneficiaries with distinct SIRETs of one SIREN were merged under the
// first one's name. Each SIRET is now an establishment of the party of its SIREN, with the name
// the file gave it; each award keeps the name and SIRET of its line; the database refuses an
// establishment whose SIRET is not of its party's SIREN.
TEST_F(ImportIdentityTest, EstablishmentsOfOneCompanyStayDistinctWithTheFilesNames) {
  const auto r = imported(
      "nomAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;montant\n"
      "Ville de Test;2019-03-01;Croix-Rouge – délégation de Paris;77567227200017;1000\n"
      "Ville de Test;2019-03-02;Croix-Rouge – délégation de Lyon;77567227200025;2000\n"
      "Ville de Test;2019-03-03;CRF Lyon;77567227200025;500\n");
  EXPECT_EQ(outcomes(r), (std::vector<LineOutcome>{LineOutcome::Accepted, LineOutcome::Accepted,
                                                   LineOutcome::Accepted}));
  EXPECT_EQ(r.parties_created, 1);
  EXPECT_EQ(r.establishments_added, 2);
  EXPECT_NE(octroi::import_summary(r).find("1 tiers créé(s), 2 établissement(s) enregistré(s)"),
            std::string::npos);
  const auto parties = query(db_, "SELECT id, legal_name FROM parties WHERE siren = '775672272'");
  ASSERT_EQ(parties.size(), 1u);
  const std::string party = parties[0][0];
  EXPECT_EQ(query(db_,
                  "SELECT party_id, siret, name, source FROM party_establishments ORDER BY "
                  "siret"),
            (std::vector<std::vector<std::string>>{
                {party, "77567227200017", "Croix-Rouge – délégation de Paris", "ville.csv"},
                {party, "77567227200025", "Croix-Rouge – délégation de Lyon", "ville.csv"}}));
  EXPECT_EQ(query(db_,
                  "SELECT party_id, beneficiary_name, beneficiary_siret FROM imported_awards "
                  "ORDER BY source_line"),
            (std::vector<std::vector<std::string>>{
                {party, "Croix-Rouge – délégation de Paris", "77567227200017"},
                {party, "Croix-Rouge – délégation de Lyon", "77567227200025"},
                {party, "CRF Lyon", "77567227200025"}}));

  // Another file, a third establishment: added to the same party; the known ones unchanged.
  const auto again = imported(
      "nomAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;montant\n"
      "Département de Test;2020-05-01;Croix-Rouge Marseille;77567227200033;700\n"
      "Département de Test;2020-05-02;Croix-Rouge (Paris);77567227200017;800\n",
      "departement.csv");
  EXPECT_EQ(again.parties_created, 0);
  EXPECT_EQ(again.establishments_added, 1);
  EXPECT_EQ(query(db_, "SELECT party_id, siret, name FROM party_establishments ORDER BY siret"),
            (std::vector<std::vector<std::string>>{
                {party, "77567227200017", "Croix-Rouge – délégation de Paris"},
                {party, "77567227200025", "Croix-Rouge – délégation de Lyon"},
                {party, "77567227200033", "Croix-Rouge Marseille"}}));
  const auto view = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
    return octroi::show_party(tx, idf_, party, octroi::Date(2023, 3, 1));
  });
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->establishments.size(), 3u);
  EXPECT_EQ(view->establishments[2].source, "departement.csv");
  EXPECT_EQ(count_rows(db_, "audit_log WHERE action = 'party.establishment'"), 3);

  // The database refuses an establishment of another SIREN, whatever the code does.
  const std::string before = dump_database(db_);
  EXPECT_EQ(exec_sql(db_,
                     "INSERT INTO party_establishments (authority_id, party_id, siret, name, "
                     "source, created_at, created_by) VALUES (" +
                         std::to_string(idf_.value) + ", " + party +
                         ", '32402138500018', 'Autre', 'x.csv', "
                         "'2023-03-01T09:00:00Z', 'test')"),
            SqlOutcome::Constraint);
  EXPECT_EQ(dump_database(db_), before);
}

// A workbook's 12,5 % is the number 0.125: four decimals of a fraction are read.
TEST_F(ImportIdentityTest, AShareWithFourDecimalsIsReadExactly) {
  const auto r = imported(
      "nomAttribuant,dateConvention,nomBeneficiaire,montant,pourcentageSubvention\n"
      "Ville de Test,2019-03-01,Association Alpha,1000,0.125\n"
      "Ville de Test,2019-03-01,Association Beta,1000,0.33335\n");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].outcome, LineOutcome::Accepted);
  EXPECT_EQ(r.lines[1].outcome, LineOutcome::AcceptedWithWarnings);  // five decimals: not read
  EXPECT_EQ(query(db_, "SELECT share_bp, part_cents FROM imported_awards ORDER BY source_line")[0],
            (std::vector<std::string>{"1250", "12500"}));
}

TEST(ImportColumns, EverySchemaFieldAndTitleIsKnown) {
  // The SCDL "subventions" schema octroi publishes with: each field's name and French title
  // name the same column.
  std::ifstream in(std::string(OCTROI_SOURCE_DIR) + "/schemas/scdl/subventions-2.1.0.json");
  const auto schema = nlohmann::json::parse(in);
  ASSERT_EQ(schema["fields"].size(), 16u);
  for (const auto& f : schema["fields"]) {
    const std::string name = f["name"], title = f["title"];
    ASSERT_TRUE(octroi::column_named(name).has_value()) << name;
    ASSERT_TRUE(octroi::column_named(title).has_value()) << title;
    EXPECT_EQ(octroi::column_named(name), octroi::column_named(title)) << name;
  }
  EXPECT_EQ(octroi::column_named("SUB_OBJ"), octroi::ImportColumn::Object);
  EXPECT_EQ(octroi::column_named("Montant (€)"), octroi::ImportColumn::Amount);
  EXPECT_FALSE(octroi::column_named("Commentaire").has_value());
  EXPECT_EQ(octroi::header_key("Nom du BÉNÉFICIAIRE"), "nomdubeneficiaire");
}

// One RNA number is one association: a line naming it differently, without a SIREN or with the
// same one, is that party; a line giving it with another SIREN is refused at its RNA column, in a
// dry run as in the import, and no party is registered twice.
TEST_F(ImportIdentityTest, ARnaNumberFindsItsAssociationUnlessTheSirensDisagree) {
  const std::string csv =
      "nomAttribuant,dateConvention,nomBeneficiaire,idBeneficiaire,rnaBeneficiaire,objet,montant\n"
      "V,2019-03-01,Amicale des Lilas,21800009900018,W751234567,Fête,100\n"  // 2
      "V,2019-03-01,AMICALE LES LILAS,,W751234567,Bal,200\n"                 // 3
      "V,2019-03-01,Amicale (antenne),21800009900026,W751234567,Loto,300\n"  // 4
      "V,2019-03-01,Autre association,552100554,W751234567,Brocante,400\n";  // 5
  for (const bool dry : {true, false}) {
    SCOPED_TRACE(dry ? "dry run" : "import");
    const auto r = dry ? dry_run(csv) : imported(csv);
    ASSERT_EQ(r.lines.size(), 4u);
    EXPECT_EQ(outcomes(r), (std::vector<LineOutcome>{LineOutcome::Accepted, LineOutcome::Accepted,
                                                     r.lines[2].outcome, LineOutcome::Rejected}));
    EXPECT_NE(r.lines[2].outcome, LineOutcome::Rejected);
    ASSERT_EQ(r.lines[3].notes.size(), 1u);
    EXPECT_EQ(r.lines[3].notes[0].column, "rnaBeneficiaire");
    EXPECT_EQ(r.lines[3].notes[0].message,
              "le n° RNA W751234567 est celui du tiers « Amicale des Lilas » (SIREN 218000099), "
              "pas du SIREN 552100554");
    EXPECT_EQ(r.parties_created, 1);
  }
  const auto parties = query(db_, "SELECT legal_name, rna FROM parties WHERE rna = 'W751234567'");
  EXPECT_EQ(parties, (std::vector<std::vector<std::string>>{{"Amicale des Lilas", "W751234567"}}));
  const auto awards = query(db_,
                            "SELECT count(*) FROM imported_awards i JOIN parties p ON "
                            "p.id = i.party_id WHERE p.rna = 'W751234567'");
  EXPECT_EQ(awards, (std::vector<std::vector<std::string>>{{"3"}}));
  EXPECT_TRUE(query(db_, "SELECT id FROM parties WHERE legal_name = 'Autre association'").empty());
}

}  // namespace
}  // namespace octroi_test
