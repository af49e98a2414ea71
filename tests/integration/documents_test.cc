// The project sheets of CP 2023-040 (annex 1 of the report), from the demonstration's data on
// the store under test, through the default template, the .odt package and LibreOffice: the PDF's
// text holds each figure of the dossier as the seed prints it.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "adapters/documents/odt_package.h"
#include "adapters/documents/pdf_converter.h"
#include "adapters/documents/render.h"
#include "app/use_cases.h"
#include "common/pdf_text.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

class ProjectSheetTest : public DemoDatabaseTest {
 protected:
  octroi::Result<octroi::DocRecord> data(const std::string& number) {
    return octroi::run_read(*store_, [&](octroi::Transaction& tx) {
      return octroi::project_sheet_data(tx, idf_, number);
    });
  }
};

TEST_F(ProjectSheetTest, TheSheetsOfCp2023040PrintTheirFiguresAsTheSeedDoes) {
  std::vector<std::string> odts;
  for (const std::string number : {"EX070162", "EX070158", "EX069984", "EX065392"}) {
    auto d = data(number);
    ASSERT_TRUE(d.ok()) << number << ": " << d.refusal().describe();
    auto odt = octroi::documents::render_odt("fiche_projet", d.value());
    ASSERT_TRUE(odt.ok()) << odt.refusal().describe();
    EXPECT_EQ(octroi::documents::check_odt(odt.value()), std::vector<std::string>{}) << number;
    if (number == "EX070162") {  // French typography: no-break spaces in figures
      EXPECT_NE(octroi::documents::odt_entry(odt.value(), "content.xml")
                    .find("10" OCTROI_NNBSP "580,00</text:p>"),
                std::string::npos);
    }
    odts.push_back(dir_.file(number + ".odt"));
    std::ofstream(odts.back(), std::ios::binary) << odt.value();
  }
  // One LibreOffice run for the four sheets.
  auto pdfs = octroi::documents::convert_to_pdf(odts, dir_.path());
  ASSERT_TRUE(pdfs.ok()) << pdfs.refusal().describe();
  ASSERT_EQ(pdfs->size(), 4u);

  const std::string text = pdf_text(pdfs->at(0));  // EX070162, Les Clayes-sous-Bois
  for (const std::string expected :
       {"DOSSIER N° EX070162", "(n° 00001176)", "Imputation budgétaire : 936-632-657341-163003-400",
        "Action : 16300302 - Soutien à l'artisanat et aux TPE", "7 000,00 €",
        "Représentant : Monsieur Philippe Guiguen, Maire",
        "Dates prévisionnelles : 1er novembre 2022 - 31 octobre 2023",
        "Démarrage anticipé de projet : Oui", "Exercice de référence : 2023",
        "L’organisme ne récupère pas la TVA.",
        "Commission permanente du 25 janvier 2023 - CP 2023-040"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  // Each line of the plan with its amount and share, in order.
  std::size_t at = 0;
  for (const std::string expected :
       {"Communication", "10 580,00", "71,58 %", "4 200,00", "28,42 %", "14 780,00",
        "Autofinancement", "7 780,00", "52,64 %", "Région", "47,36 %"}) {
    const auto found = text.find(expected, at);
    ASSERT_NE(found, std::string::npos) << expected << "\n" << text;
    at = found + expected.size();
  }
  EXPECT_NE(pdf_text(pdfs->at(1)).find("DOSSIER N° EX070158"), std::string::npos);
}

TEST_F(ProjectSheetTest, AnAvenantIsOnlyForADossierTheReportTransfers) {
  auto refused = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
    return octroi::transfer_amendment_data(tx, idf_, "CP 2023-040", "EX070162");
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.refusal().first().code, "document.no_transfer");
  EXPECT_EQ(refused.refusal().first().field, "number");
  auto data = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
    return octroi::transfer_amendment_data(tx, idf_, "CP 2023-040", "EX065392");
  });
  ASSERT_TRUE(data.ok()) << data.refusal().describe();
  EXPECT_EQ(data->text.at("cedant_nom"), "SAS SCIC Casaco");
  EXPECT_EQ(data->text.at("cessionnaire_nom"), "SCI 6 avenue JJ");
  EXPECT_EQ(data->text.at("numero_avenant"), "1");
  // Adopted, the vote records the amendment: its number stays 1, the transferee is the dossier's
  // beneficiary and the transferor is still named.
  auto adopted = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::adopt_report(tx, ctx, "CP 2023-040");
  });
  ASSERT_TRUE(adopted.ok()) << adopted.refusal().describe();
  data = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
    return octroi::transfer_amendment_data(tx, idf_, "CP 2023-040", "EX065392");
  });
  ASSERT_TRUE(data.ok()) << data.refusal().describe();
  EXPECT_EQ(data->text.at("numero_avenant"), "1");
  EXPECT_EQ(data->text.at("cedant_nom"), "SAS SCIC Casaco");
  EXPECT_EQ(data->text.at("cessionnaire_nom"), "SCI 6 avenue JJ");
}

TEST_F(ProjectSheetTest, AnUnknownDossierOrTemplateIsRefusedByName) {
  auto d = data("EX999999");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.refusal().first().code, "application.unknown");
  auto ok = data("EX070162");
  ASSERT_TRUE(ok.ok());
  auto odt = octroi::documents::render_odt("convention_inconnue", ok.value());
  ASSERT_FALSE(odt.ok());
  EXPECT_EQ(odt.refusal().first().code, "document.unknown_template");
  // Data that lacks a field the template prints is refused, naming it.
  octroi::DocRecord partial = ok.value();
  partial.text.erase("imputation");
  odt = octroi::documents::render_odt("fiche_projet", partial);
  ASSERT_FALSE(odt.ok());
  EXPECT_EQ(odt.refusal().first().code, "document.missing_field");
  EXPECT_NE(odt.refusal().first().message.find("« imputation »"), std::string::npos);
}

// The draft deliberation of CP 2023-040 and the sheets of its annexes, written by the real
// command (one LibreOffice run for the six documents): each article's amount and imputation,
// the beneficiaries of article 2, the transfer of article 4, the VU clauses the data gives.
TEST_F(ProjectSheetTest, TheWholeSessionIsRenderedByTheCommand) {
  const std::string out = dir_.file("cp-2023-040");
  const auto run =
      run_octroi({"document", "render", "--report", "CP 2023-040", "--out", out, "--pdf"},
                 {{"OCTROI_DB", db_}});
  ASSERT_EQ(run.status, 0) << run.err;
  for (const std::string name :
       {"rapport", "deliberation", "annexe-1-EX070162", "annexe-1-EX070158", "annexe-1-EX069984",
        "annexe-2-avenant-EX065392", "annexe-2-EX065392"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + name + ".odt")) << name;
    EXPECT_TRUE(std::filesystem::exists(out + "/" + name + ".pdf")) << name;
  }
  // A progress line per document, naming the template version that filled it.
  EXPECT_NE(run.err.find("[1/7] rapport.odt (modèle rapport intégré)"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("[7/7] annexe-2-EX065392.odt"), std::string::npos) << run.err;
  // The report (exposé des motifs): one section per article, its figures from the data.
  std::string report = pdf_text(out + "/rapport.pdf");
  for (auto& ch : report)
    if (ch == '\n') ch = ' ';
  std::size_t at = 0;
  for (const std::string expected : {"RAPPORT N° CP 2023-040",
                                     "commission permanente du 25 janvier 2023",
                                     "montant total de 5 615 900,00 €",
                                     "1. Soutien à Choose Paris Region",
                                     "60 %",
                                     "9 150 000,00 €",
                                     "5 490 000,00 € d’autorisation d’engagement",
                                     "2. Chèque numérique",
                                     "3 subventions",
                                     "Commune des Clayes-sous-Bois (78)",
                                     "Commune de Montfermeil (93)",
                                     "Commune du Perreux-sur-Marne (94)",
                                     "23 000,00 € d’autorisation",
                                     "3. Participation",
                                     "24 500,00 €",
                                     "4. Transfert",
                                     "CP 2022-285 du 7 juillet 2022",
                                     "SAS SCIC Casaco",
                                     "78 400,00 €",
                                     "EX065392",
                                     "SCI 6 avenue JJ",
                                     "Je vous prie de bien vouloir en délibérer",
                                     "Valérie Pécresse"}) {
    const auto found = report.find(expected, at);
    ASSERT_NE(found, std::string::npos) << expected << "\n" << report;
    at = found + expected.size();
  }

  std::string text = pdf_text(out + "/deliberation.pdf");
  for (auto& ch : text)
    if (ch == '\n') ch = ' ';
  at = 0;
  for (const std::string expected :
       {"Projet de délibération",
        "DU 25 janvier 2023",
        "Attractivité et aménagement économique",
        "VU le règlement (UE) n° 1407/2013",
        "VU la délibération n° CR 2019-043",
        "VU le budget de la collectivité (Région Île-de-France) pour 2023",
        "VU le rapport n° CP 2023-040",
        "Article 1er",
        "5 490 000,00 €",
        "chapitre 936 « Action économique », code fonctionnel 62 « Structure d’animation et de "
        "développement économique »",
        "action",
        "16200102",
        "Article 2",
        "78",
        "EX070162",
        "Commune des Clayes-sous-Bois",
        "7 000,00 €",
        "93",
        "EX070158",
        "8 000,00 €",
        "94",
        "EX069984",
        "CP 2022-111",
        "23 000,00 €",
        "code fonctionnel 63 « Actions sectorielles »",
        "16300302",
        "Article 3",
        "24 500,00 €",
        "code fonctionnel 61 « Interventions économiques transversales »",
        "16100107",
        "Article 4",
        "78 400,00 €",
        "SCI 6 avenue JJ",
        "CP 2022-285 du 7 juillet 2022",
        "SAS SCIC Casaco",
        "EX065392"}) {
    const auto found = text.find(expected, at);
    ASSERT_NE(found, std::string::npos) << expected << "\n" << text;
    at = found + expected.size();
  }
  // Annex 2: the avenant de transfert, with the figures of the data (the seed's own avenant
  // prints "78 4000 €").
  ASSERT_TRUE(std::filesystem::exists(out + "/annexe-2-avenant-EX065392.pdf"));
  const std::string avenant = pdf_text(out + "/annexe-2-avenant-EX065392.pdf");
  at = 0;
  for (const std::string expected :
       {"AVENANT N° 1", "À LA CONVENTION N° EX065392", "AVENANT DE TRANSFERT",
        "en vertu de la délibération n° CP 2023-040 du", "SAS SCIC Casaco", "« Cédant »",
        "SCI 6 avenue JJ", "« Cessionnaire »", "CP 2022-285 du 7 juillet 2022", "de 78 400,00 €",
        "40,00 %", "196 000,00 € HT", "soixante-dix-huit mille quatre cents euros",
        "Aucun versement", "à savoir 78 400,00 € (soixante-dix-huit mille quatre cents euros)",
        "7 juillet 2022 - 7 juillet 2025", "Fait à Saint-Ouen-sur-Seine"}) {
    // The layout may break a line anywhere: compare on text with its line breaks as spaces.
    std::string flat = avenant;
    for (auto& ch : flat)
      if (ch == '\n') ch = ' ';
    const auto found = flat.find(expected, at);
    ASSERT_NE(found, std::string::npos) << expected << "\n" << avenant;
    at = found + expected.size();
  }
  EXPECT_EQ(avenant.find("78 4000"), std::string::npos);

  // Every sheet of both annexes prints each line of its financing plan, amount and share, in the
  // order of the data (the labels may wrap in the table: their first word is looked for).
  for (const std::string number : {"EX070162", "EX070158", "EX069984", "EX065392"}) {
    SCOPED_TRACE(number);
    const std::string file = std::string(number == "EX065392" ? "annexe-2-" : "annexe-1-") + number;
    std::string sheet = pdf_text(out + "/" + file + ".pdf");
    for (auto& ch : sheet)
      if (ch == '\n') ch = ' ';
    const auto d = data(number);
    ASSERT_TRUE(d.ok());
    std::size_t from = 0;
    for (const char* side : {"depenses", "recettes"})
      for (const auto& line : d->lists.at(side)) {
        const std::string& label = line.text.at("libelle");
        for (const std::string& expected :
             {label.substr(0, label.find(' ')), flat_spaces(line.text.at("montant")),
              flat_spaces(line.text.at("part"))}) {
          const auto found = sheet.find(expected, from);
          ASSERT_NE(found, std::string::npos) << side << ": " << expected << "\n" << sheet;
          from = found + expected.size();
        }
      }
  }

  // One document of the report only.
  const std::string one = dir_.file("one");
  const auto only = run_octroi({"document", "render", "--report", "CP 2023-040", "--out", one,
                                "--only", "annexe-2-avenant-EX065392"},
                               {{"OCTROI_DB", db_}});
  ASSERT_EQ(only.status, 0) << only.err;
  EXPECT_TRUE(std::filesystem::exists(one + "/annexe-2-avenant-EX065392.odt"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(one),
                          std::filesystem::directory_iterator()),
            1);
  const auto wrong = run_octroi({"document", "render", "--report", "CP 2023-040", "--out",
                                 dir_.file("wrong"), "--only", "annexe-9"},
                                {{"OCTROI_DB", db_}});
  EXPECT_NE(wrong.status, 0);
  EXPECT_NE(wrong.err.find("annexe-9"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find("annexe-2-avenant-EX065392"), std::string::npos) << wrong.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("wrong")));

  // A report that does not exist: a refusal naming it, nothing written.
  const auto unknown =
      run_octroi({"document", "render", "--report", "CP 1999-001", "--out", dir_.file("none")},
                 {{"OCTROI_DB", db_}});
  EXPECT_NE(unknown.status, 0);
  EXPECT_NE(unknown.err.find("CP 1999-001"), std::string::npos) << unknown.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("none")));
}

// The agreement and the notification letter of an award (EX070158 after the demonstration's
// life: adopted, signed, paid), by the real commands: the amount in figures and in words, the
// scheme's model act, the signatures, the payment rules.
TEST_F(ProjectSheetTest, TheAgreementAndTheLetterOfAnAwardPrintItsAmountInWords) {
  const std::string out = dir_.file("award");
  // Before the vote: no agreement, no letter, nothing written.
  auto early =
      run_octroi({"document", "agreement", "EX070158", "--out", out}, {{"OCTROI_DB", db_}});
  EXPECT_NE(early.status, 0);
  EXPECT_NE(early.err.find("document.no_award"), std::string::npos) << early.err;
  EXPECT_FALSE(std::filesystem::exists(out));

  auto life = octroi::run_write(
      *store_, [&](octroi::Transaction& tx) { return octroi::play_demo_life(tx, "demo", clock_); });
  ASSERT_TRUE(life.ok()) << life.refusal().describe();
  auto run = run_octroi({"document", "agreement", "EX070158", "--out", out, "--pdf"},
                        {{"OCTROI_DB", db_}});
  ASSERT_EQ(run.status, 0) << run.err;
  std::string agreement = pdf_text(out + "/convention-EX070158.pdf");
  for (auto& ch : agreement)
    if (ch == '\n') ch = ' ';
  std::size_t at = 0;
  for (const std::string expected :
       {"CONVENTION N° EX070158", "Région Île-de-France", "CP 2023-040 du 25 janvier 2023",
        "Commune de Montfermeil", "Monsieur Xavier Lemoine, Maire", "CR 2019-043", "CP 2022-111",
        "47,85 %", "8 000,00 € (huit mille euros)", "Abonnement sur 12 mois", "51,62 %",
        "Autofinancement", "43,88 %", "30 %", "Signée par le bénéficiaire le",
        "Signée par la collectivité le"}) {
    const auto found = agreement.find(expected, at);
    ASSERT_NE(found, std::string::npos) << expected << "\n" << agreement;
    at = found + expected.size();
  }
  run = run_octroi({"document", "letter", "EX070158", "--out", out, "--pdf"}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(run.status, 0) << run.err;
  std::string letter = pdf_text(out + "/notification-EX070158.pdf");
  for (auto& ch : letter)
    if (ch == '\n') ch = ' ';
  for (const std::string expected :
       {"À l’attention de Monsieur Xavier Lemoine, Maire", "dossier n° EX070158", "Monsieur,",
        "CP 2023-040 du 25 janvier 2023", "8 000,00 € (huit mille euros)"})
    EXPECT_NE(letter.find(expected), std::string::npos) << expected << "\n" << letter;
  // The agreement is signed: the letter does not ask for it.
  EXPECT_EQ(letter.find("retourner signée"), std::string::npos) << letter;
}

}  // namespace
}  // namespace octroi_test
