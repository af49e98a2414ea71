// Legacy deliberations (issue 8): the text of CP 2023-040 as pdftotext gives it
// (tests/fixtures/seed/cp-2023-040.txt, broken layout and all) read back into its four annex
// sheets, every figure as the seed prints it; then stored as dossiers marked as imported whose
// plans are those of the demonstration (which holds the reference's figures,
// tests/fixtures/cp-2023-040.md), with the amount octroi computes equal to the amount printed.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/deliberation_import.h"
#include "app/ports/applications.h"
#include "app/ports/audit.h"
#include "app/use_cases.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

std::string seed_text() {
  std::ifstream in(std::string(OCTROI_SOURCE_DIR) + "/tests/fixtures/seed/cp-2023-040.txt",
                   std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

octroi::Money eur(std::int64_t cents) {
  return octroi::Money::from_cents(cents);
}

// Issue 16, bounded parsers: a line of 300 000 bytes made the line patterns (std::regex,
// recursive) overflow the stack, and a title of 20 000 lines took 37 s (each line re-cleaned the
// whole title). Both are refused at once, naming the line.
TEST(DeliberationText, ALineOrATitleBeyondItsBoundIsRefusedByLine) {
  const std::string long_line =
      "Annexe\nDOSSIER N° EX123456 - " + std::string(300000, 'a') + "\nDispositif\n";
  auto refused = octroi::parse_project_sheets(long_line);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.refusal().first().code, "import.line_too_long");
  EXPECT_NE(refused.refusal().first().message.find("Ligne 2 "), std::string::npos);
  std::string long_title = "DOSSIER N° EX123456 - Un titre\n";
  for (int i = 0; i < 20000; ++i)
    long_title += "suite du titre sur une autre ligne\n";
  refused = octroi::parse_project_sheets(long_title);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.refusal().first().code, "import.title_too_long");
  EXPECT_NE(refused.refusal().first().message.find("EX123456 (ligne 1)"), std::string::npos);
  // At the bound, a line is still read.
  const std::string at_bound =
      "DOSSIER N° EX123456 - " + std::string(octroi::kMaxDeliberationLineBytes - 23, 'b') + "\n";
  ASSERT_EQ(at_bound.size(), octroi::kMaxDeliberationLineBytes + 1);  // "°" is two bytes
  EXPECT_TRUE(octroi::parse_project_sheets(at_bound).ok());
  EXPECT_FALSE(
      octroi::parse_project_sheets(std::string(octroi::kMaxDeliberationBytes + 1, '\n')).ok());
}

TEST(DeliberationText, TheFourSheetsOfTheSeedComeBackWithEveryFigure) {
  const auto parsed = octroi::parse_project_sheets(seed_text());
  ASSERT_TRUE(parsed.ok()) << parsed.refusal().describe();
  const auto& sheets = parsed.value();
  ASSERT_EQ(sheets.size(), 4u);
  std::map<std::string, const octroi::ParsedSheet*> by;
  for (const auto& s : sheets) {
    by[s.number] = &s;
    EXPECT_TRUE(s.missing.empty()) << s.number << ": " << s.missing.front();
  }

  const auto& clayes = *by.at("EX070162");
  EXPECT_EQ(clayes.scheme_number, "00001176");
  EXPECT_EQ(clayes.framework_deliberation, "CR 2019-043");
  EXPECT_EQ(clayes.imputation, "936-632-657341-163003-400");
  EXPECT_EQ(clayes.action_code, "16300302");
  EXPECT_EQ(clayes.action_label, "Soutien à l'artisanat et aux TPE");
  EXPECT_EQ(clayes.amount, eur(700000));
  EXPECT_EQ(clayes.organisation, "COMMUNE DES CLAYES SOUS BOIS");
  EXPECT_EQ(clayes.address_line, "PLACE CHARLES DE GAULLE");
  EXPECT_EQ(clayes.postal_code, "78340");
  EXPECT_EQ(clayes.city, "LES CLAYES SOUS BOIS");
  EXPECT_EQ(clayes.legal_status, "Commune");
  EXPECT_EQ(clayes.civility, "Monsieur");
  EXPECT_EQ(clayes.first_name, "Philippe");
  EXPECT_EQ(clayes.last_name, "Guiguen");
  EXPECT_EQ(clayes.role, "Maire");
  EXPECT_EQ(clayes.start, octroi::Date(2022, 11, 1));
  EXPECT_EQ(clayes.end, octroi::Date(2023, 10, 31));
  EXPECT_EQ(clayes.early_start, true);
  EXPECT_NE(clayes.early_start_motivation.find("article 29 du règlement budgétaire"),
            std::string::npos);
  EXPECT_EQ(clayes.place, "LES CLAYES-SOUS-BOIS");
  EXPECT_EQ(clayes.reference_year, "2023");
  EXPECT_EQ(clayes.recovers_vat, false);
  ASSERT_EQ(clayes.expenses.size(), 2u);
  EXPECT_EQ(clayes.expenses[0].label, "Communication");
  EXPECT_EQ(clayes.expenses[0].amount, eur(1058000));
  EXPECT_EQ(clayes.expenses[0].share_bp, 7158);
  EXPECT_EQ(clayes.expenses[1].label,
            "Accompagnement / formation à la solution (personnalisation, paramétrage, ...)");
  EXPECT_EQ(clayes.expenses[1].amount, eur(420000));
  EXPECT_EQ(clayes.expenses_total, eur(1478000));
  ASSERT_EQ(clayes.resources.size(), 2u);
  EXPECT_EQ(clayes.resources[1].label, "REGION");
  EXPECT_EQ(clayes.resources[1].amount, eur(700000));
  EXPECT_EQ(clayes.resources[1].share_bp, 4736);

  // Montfermeil: labels over several lines, amounts on the next one, the printed 100,01 %.
  const auto& montfermeil = *by.at("EX070158");
  ASSERT_EQ(montfermeil.expenses.size(), 4u);
  EXPECT_EQ(montfermeil.expenses[0].label, "Abonnement sur 12 mois (pour commerces)");
  EXPECT_EQ(montfermeil.expenses[0].amount, eur(1011708));
  EXPECT_EQ(montfermeil.expenses[0].share_bp, 5162);
  EXPECT_EQ(montfermeil.expenses[3].label,
            "Développement solution pour autres cibles (NON ELIGIBLE)");
  EXPECT_EQ(montfermeil.expenses[3].amount, eur(288232));
  EXPECT_EQ(montfermeil.expenses_total, eur(1960000));
  ASSERT_EQ(montfermeil.resources.size(), 3u);
  EXPECT_EQ(montfermeil.resources[2].label, "ANCT");
  EXPECT_EQ(montfermeil.resources[2].amount, eur(300000));

  // Casaco: the eligible-base table, HT, the transferee's sheet.
  const auto& casaco = *by.at("EX065392");
  EXPECT_EQ(casaco.scheme_number, "00001033");
  EXPECT_EQ(casaco.framework_deliberation, "CR 2017-101");
  EXPECT_EQ(casaco.imputation, "905-56-20421-156001-400");
  EXPECT_EQ(casaco.amount, eur(7840000));
  EXPECT_EQ(casaco.eligible_base, eur(19600000));
  EXPECT_EQ(casaco.organisation, "SCI 6 AVENUE JJ");
  EXPECT_EQ(casaco.postal_code, "92240");
  EXPECT_EQ(casaco.early_start, false);
  EXPECT_EQ(casaco.recovers_vat, true);
  EXPECT_EQ(casaco.reference_year, "2022");
  ASSERT_EQ(casaco.expenses.size(), 4u);
  EXPECT_EQ(casaco.expenses[3].amount, eur(400000));
  ASSERT_EQ(casaco.resources.size(), 5u);
  EXPECT_EQ(casaco.resources[2].label, "Emprunt bancaire (attribué)");
  EXPECT_EQ(casaco.resources[2].amount, eur(10000000));
  EXPECT_EQ(casaco.resources_total, eur(20000000));
}

class DeliberationImportTest : public DemoDatabaseTest {};

// Imported under other numbers (the demonstration holds the originals), the four dossiers have
// the demonstration's plans, dates and eligible bases, and octroi computes the amounts printed.
TEST_F(DeliberationImportTest, TheSeedsSheetsBecomeDossiersWithTheReferencePlans) {
  std::string text = seed_text();
  const std::map<std::string, std::string> renamed = {{"EX070162", "EX170162"},
                                                      {"EX070158", "EX170158"},
                                                      {"EX069984", "EX169984"},
                                                      {"EX065392", "EX165392"}};
  for (const auto& [from, to] : renamed)
    text = replace_all(text, "DOSSIER N° " + from, "DOSSIER N° " + to);

  // A dry run stores nothing.
  const std::string before = dump_database(db_);
  auto dry = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    auto r = octroi::import_deliberation_text(tx, ctx, text, "cp-2023-040.txt", true);
    // (a dry run goes through the same transaction, rolled back by the test's refusal below)
    if (!r.ok()) return r;
    return octroi::Result<octroi::DeliberationImport>(
        octroi::refuse("test.rollback", "", "rolled back"));
  });
  ASSERT_FALSE(dry.ok());
  EXPECT_EQ(dump_database(db_), before);

  auto done = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::import_deliberation_text(tx, ctx, text, "cp-2023-040.txt", false);
  });
  ASSERT_TRUE(done.ok()) << done.refusal().describe();
  ASSERT_EQ(done->sheets.size(), 4u);
  for (const auto& r : done->sheets) {
    SCOPED_TRACE(r.sheet.number);
    std::string notes;
    for (const auto& n : r.notes)
      notes += n + "\n";
    EXPECT_EQ(r.outcome, octroi::SheetOutcome::Imported) << notes;
    EXPECT_NE(notes.find("= calcul d'octroi"), std::string::npos) << notes;
  }

  for (const auto& [original, imported] : renamed) {
    SCOPED_TRACE(original);
    const auto ref = show(original);
    const auto got = show(imported);
    EXPECT_EQ(got.application.state(), octroi::ApplicationState::Draft);
    EXPECT_EQ(got.scheme.number, ref.scheme.number);
    EXPECT_EQ(got.application.project.start, ref.application.project.start);
    EXPECT_EQ(got.application.project.end, ref.application.project.end);
    EXPECT_EQ(got.application.early_start.requested, ref.application.early_start.requested);
    EXPECT_EQ(got.application.reference_year, ref.application.reference_year);
    EXPECT_EQ(got.application.basis, ref.application.basis);
    EXPECT_EQ(got.plan.total_expenses, ref.plan.total_expenses);
    EXPECT_EQ(got.plan.total_resources, ref.plan.total_resources);
    EXPECT_EQ(got.plan.eligible_base, ref.plan.eligible_base);
    ASSERT_EQ(got.plan.expenses.size(), ref.plan.expenses.size());
    for (std::size_t i = 0; i < got.plan.expenses.size(); ++i) {
      EXPECT_EQ(got.plan.expenses[i].amount, ref.plan.expenses[i].amount) << i;
      EXPECT_EQ(got.plan.expenses[i].share_bp, ref.plan.expenses[i].share_bp) << i;
    }
    ASSERT_EQ(got.plan.resources.size(), ref.plan.resources.size());
    for (std::size_t i = 0; i < got.plan.resources.size(); ++i)
      EXPECT_EQ(got.plan.resources[i].amount, ref.plan.resources[i].amount) << i;
    ASSERT_TRUE(got.award.has_value());
    ASSERT_TRUE(ref.award.has_value());
    EXPECT_EQ(got.award->amount, ref.award->amount);
  }
  // The import is in the audit trail, with its source.
  const auto trail = octroi::run_read(
      *store_, [&](octroi::Transaction& tx) { return tx.audit().audit_trail(idf_); });
  int imports = 0;
  for (const auto& e : trail)
    if (e.action == "application.import") {
      ++imports;
      EXPECT_NE(e.after.find("\"source\":\"cp-2023-040.txt\""), std::string::npos) << e.after;
    }
  EXPECT_EQ(imports, 4);

  // Again: each dossier exists, nothing changes.
  const std::string after = dump_database(db_);
  auto again = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::import_deliberation_text(tx, ctx, text, "cp-2023-040.txt", false);
  });
  ASSERT_TRUE(again.ok());
  for (const auto& r : again->sheets)
    EXPECT_EQ(r.outcome, octroi::SheetOutcome::AlreadyPresent) << r.sheet.number;
  EXPECT_EQ(dump_database(db_), after);
}

TEST_F(DeliberationImportTest, WhatCannotBeImportedIsSaidAndNothingIsStored) {
  const std::string before = dump_database(db_);
  // No sheet at all.
  auto none = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::import_deliberation_text(tx, ctx, "EXPOSÉ DES MOTIFS\nRien ici.\n", "x.txt",
                                            false);
  });
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.refusal().first().code, "import.no_sheet");
  // Not UTF-8.
  auto latin = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::import_deliberation_text(tx, ctx, "DOSSIER N\xb0 EX000001 - x\n", "x.txt",
                                            false);
  });
  ASSERT_FALSE(latin.ok());
  EXPECT_EQ(latin.refusal().first().code, "import.encoding");
  EXPECT_EQ(dump_database(db_), before);

  // A sheet of an unknown scheme, and a sheet without its plan: reported, not imported.
  std::string text = seed_text();
  text = replace_all(text, "DOSSIER N° EX070162", "DOSSIER N° EX270162");
  text = replace_all(text, "(n° 00001176)", "(n° 00009999)");
  text = replace_all(text, "DOSSIER N° EX065392", "DOSSIER N° EX265392");
  const auto casaco = text.find("DOSSIER N° EX265392");  // its plan's resources only
  text = text.substr(0, casaco) + replace_all(text.substr(casaco), "Recettes (€)", "Ressources");
  auto partial = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::import_deliberation_text(tx, ctx, text, "modifie.txt", false);
  });
  ASSERT_TRUE(partial.ok());
  std::map<std::string, const octroi::SheetReport*> by;
  for (const auto& r : partial->sheets)
    by[r.sheet.number] = &r;
  const auto joined = [](const octroi::SheetReport& r) {
    std::string out;
    for (const auto& n : r.notes)
      out += n + "\n";
    return out;
  };
  ASSERT_TRUE(by.count("EX270162"));
  EXPECT_EQ(by["EX270162"]->outcome, octroi::SheetOutcome::NotImported);
  EXPECT_NE(joined(*by["EX270162"]).find("00009999"), std::string::npos) << joined(*by["EX270162"]);
  ASSERT_TRUE(by.count("EX265392"));
  EXPECT_EQ(by["EX265392"]->outcome, octroi::SheetOutcome::NotImported);
  EXPECT_NE(joined(*by["EX265392"]).find("recettes"), std::string::npos) << joined(*by["EX265392"]);
  // The two others are the demonstration's own numbers: present, left alone.
  EXPECT_EQ(by["EX070158"]->outcome, octroi::SheetOutcome::AlreadyPresent);
  const auto app = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
    return tx.applications().find_application(idf_, "EX270162");
  });
  EXPECT_FALSE(app.has_value());
}

}  // namespace
}  // namespace octroi_test
