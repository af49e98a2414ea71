// The lists as an .xlsx workbook (issue 8), opened and read back by LibreOffice (Calc, headless:
// every sheet converted to CSV with its raw values): the same amounts as the data, to the cent,
// the dates as dates, one sheet per list.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/documents/odt_package.h"
#include "app/use_cases.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every sheet of `xlsx` as CSV text (raw values, comma, UTF-8), by sheet name, through one
// LibreOffice run with a private profile.
std::map<std::string, std::string> read_back(const std::string& xlsx, const std::string& dir) {
  std::filesystem::create_directories(dir + "/csv");
  const std::string cmd =
      "cd '" + dir +
      "' && timeout 180 soffice --headless --norestore --nolockcheck "
      "'-env:UserInstallation=file://" +
      dir +
      "/profile' --convert-to "
      "'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' "
      "--outdir '" +
      dir + "/csv' '" + xlsx + "' >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::map<std::string, std::string> out;
  const std::string stem = std::filesystem::path(xlsx).stem().string() + "-";
  for (const auto& e : std::filesystem::directory_iterator(dir + "/csv")) {
    const std::string name = e.path().stem().string();
    if (name.rfind(stem, 0) == 0) out[name.substr(stem.size())] = slurp(e.path());
  }
  return out;
}

class XlsxExportTest : public DemoDatabaseTest {
 protected:
  // The demonstration's award life (EX070158 signed and paid), and the authority's SIRET, which
  // the SCDL sheet needs.
  void play_life_and_publish_siret() {
    auto life = octroi::run_write(*store_, [&](octroi::Transaction& tx) {
      return octroi::play_demo_life(tx, "demo", clock_);
    });
    ASSERT_TRUE(life.ok()) << life.refusal().describe();
    octroi::AuthorityInput siret;
    siret.siret = "23750007900312";
    ASSERT_TRUE(write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
                  return octroi::edit_authority(tx, ctx, siret);
                }).ok());
  }
};

TEST_F(XlsxExportTest, LibreOfficeReadsBackTheSameAmounts) {
  play_life_and_publish_siret();
  if (HasFatalFailure()) return;

  // Refusals first: nothing written.
  const std::string xlsx = dir_.file("octroi.xlsx");
  auto bad = run_octroi({"export", "xlsx", "--out", xlsx, "--sheets", "dossiers,tableau"},
                        {{"OCTROI_DB", db_}});
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.err.find("tableau"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(xlsx));

  const auto run = run_octroi({"export", "xlsx", "--out", xlsx}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(run.status, 0) << run.err;
  const std::string bytes = slurp(xlsx);
  ASSERT_EQ(bytes.substr(0, 2), "PK");  // a zip, as every .xlsx
  EXPECT_FALSE(octroi::documents::odt_entry(bytes, "xl/workbook.xml").empty());

  const auto sheets = read_back(xlsx, dir_.file("lo"));
  for (const std::string name : {"Dossiers", "Lignes budgétaires", "Journal 2023-16300302",
                                 "Versements", "SCDL subventions"})
    EXPECT_TRUE(sheets.count(name)) << name;

  // The payments: the same amounts as the data, to the cent (2 400,00 € advance, 3 342,42 €
  // balance of EX070158), and their total is what the awards overview says was paid.
  const auto overview = octroi::run_read(
      *store_, [&](octroi::Transaction& tx) { return octroi::list_awards(tx, idf_); });
  ASSERT_TRUE(overview.ok());
  const std::string& payments = sheets.at("Versements");
  octroi::Money sum;
  for (const auto& aw : overview->awards)
    for (const auto& p : aw.payments) {
      const std::string amount = p.amount.to_decimal_string();  // "3342.42"
      const std::string shown =
          amount.substr(amount.size() - 3) == ".00" ? amount.substr(0, amount.size() - 3) : amount;
      EXPECT_NE(payments.find("," + shown + ","), std::string::npos) << shown << "\n" << payments;
      sum = sum + p.amount;
    }
  EXPECT_EQ(sum, overview->total_paid);
  EXPECT_NE(payments.find("EX070158,Commune de Montfermeil,avance"), std::string::npos) << payments;

  // The dossiers: each award, and the eligible bases (EX070158: 16 717,68 €).
  const std::string& dossiers = sheets.at("Dossiers");
  for (const std::string expected : {"EX070162", "EX070158", "EX069984", "EX065392", ",16717.68,",
                                     ",78400,", ",196000,", "CP 2022-285"})
    EXPECT_NE(dossiers.find(expected), std::string::npos) << expected << "\n" << dossiers;

  // The budget lines: each line's voted, allocated and available amounts as the ledger holds
  // them (after the life of EX070158: 2023/16300302 allocated 20 742,42 €).
  const std::string& budget = sheets.at("Lignes budgétaires");
  const auto lines = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
    return octroi::budget_overview(tx, idf_, std::nullopt);
  });
  ASSERT_TRUE(lines.ok());
  auto shown = [](octroi::Money m) {
    const std::string s = m.to_decimal_string();
    return s.substr(s.size() - 3) == ".00" ? s.substr(0, s.size() - 3) : s;
  };
  for (const auto& l : lines.value()) {
    const std::string row = l.line.key() + "," + l.line.imputation.str() + "," +
                            l.line.action_label + "," + shown(l.balances.ae_voted) + "," +
                            shown(l.balances.allocated) + "," + shown(l.balances.available());
    EXPECT_NE(budget.find(row), std::string::npos) << row << "\n" << budget;
  }
  EXPECT_NE(budget.find(",20742.42,"), std::string::npos) << budget;

  // The SCDL rows, the amount as a number, the share as a percentage.
  const std::string& scdl = sheets.at("SCDL subventions");
  EXPECT_NE(scdl.find("SCI 6 avenue JJ"), std::string::npos) << scdl;
  EXPECT_NE(scdl.find(",78400,"), std::string::npos) << scdl;

  // One sheet only, by name.
  const std::string one = dir_.file("one.xlsx");
  const auto only =
      run_octroi({"export", "xlsx", "--out", one, "--sheets", "payments"}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(only.status, 0) << only.err;
  EXPECT_NE(only.err.find("Versements : 2 ligne(s)"), std::string::npos) << only.err;
  EXPECT_EQ(only.err.find("Dossiers"), std::string::npos) << only.err;
}

// A workbook is imported by cell value (adapters/workbook): the SCDL rows published as .csv and
// then as .xlsx are the same awards, so that importing the workbook after the CSV adds nothing.
TEST_F(XlsxExportTest, ASpreadsheetOfSubsidiesIsImportedLikeItsCsv) {
  play_life_and_publish_siret();
  if (HasFatalFailure()) return;
  const std::string pub = dir_.file("pub");
  ASSERT_EQ(
      run_octroi({"export", "scdl", "--out", pub, "--threshold", "0"}, {{"OCTROI_DB", db_}}).status,
      0);
  const std::string csv = std::filesystem::directory_iterator(pub)->path().string();
  const std::string xlsx = dir_.file("scdl.xlsx");
  ASSERT_EQ(run_octroi({"export", "xlsx", "--out", xlsx, "--sheets", "scdl"}, {{"OCTROI_DB", db_}})
                .status,
            0);

  auto first = run_octroi({"import", "scdl", csv}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_NE(first.out.find("4 ligne(s) acceptée(s)"), std::string::npos) << first.out;
  auto again = run_octroi({"import", "scdl", xlsx}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find("scdl.xlsx"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("ligne 2 : déjà importée — SCI 6 avenue JJ"), std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find("0 ligne(s) acceptée(s)"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("4 déjà importée(s)"), std::string::npos) << again.out;

  // A file that is not a spreadsheet, named like one: refused, nothing stored.
  const std::string fake = dir_.file("faux.xlsx");
  std::ofstream(fake) << "ceci n'est pas un classeur";
  const std::string before = dump_database(db_);
  auto bad = run_octroi({"import", "scdl", fake}, {{"OCTROI_DB", db_}});
  EXPECT_NE(bad.status, 0);
  EXPECT_EQ(dump_database(db_), before);
}

}  // namespace
}  // namespace octroi_test
