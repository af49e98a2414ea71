// The real `octroi` executable (OCTROI_BINARY), run as a user would: exit statuses, French text
// with its typography, JSON with amounts as strings, refusals on stderr leaving the database as
// it was. `--db` takes the store under test: a SQLite file or a PostgreSQL URL.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integration/test_support.h"

namespace octroi_test {
namespace {

#define EUR(x) x OCTROI_NBSP "€"

std::string describe(const ProcessResult& r) {
  return "exit " + std::to_string(r.status) + "\n--- stdout ---\n" + r.out + "--- stderr ---\n" +
         r.err;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>(dir_.path());
    db_ = database_->locator();
    auto init = run_octroi({"init", "--db", db_});
    ASSERT_EQ(init.status, 0) << describe(init);
    auto demo = run_octroi({"demo", "--db", db_});
    ASSERT_EQ(demo.status, 0) << describe(demo);
  }

  TempDir dir_;
  std::unique_ptr<TestDatabase> database_;
  std::string db_;  // the locator: a SQLite file or a PostgreSQL URL
};

TEST_F(Cli, ShowPrintsTheReferenceFiguresOfMontfermeil) {
  auto r = run_octroi({"application", "show", "EX070158", "--db", db_});
  ASSERT_EQ(r.status, 0) << describe(r);
  EXPECT_EQ(r.err, "");
  for (const std::string& expected : {
           std::string(EUR("10" OCTROI_NNBSP "117,08")),
           std::string("51,62" OCTROI_NBSP "%"),
           std::string(EUR("2" OCTROI_NNBSP "200,20")),
           std::string("11,23" OCTROI_NBSP "%"),
           std::string(EUR("4" OCTROI_NNBSP "400,40")),
           std::string("22,45" OCTROI_NBSP "%"),
           std::string(EUR("2" OCTROI_NNBSP "882,32")),
           std::string("14,71" OCTROI_NBSP "%"),
           std::string("NON ÉLIGIBLE"),
           std::string(EUR("19" OCTROI_NNBSP "600,00")),
           std::string(EUR("8" OCTROI_NNBSP "600,00")),
           std::string("43,88" OCTROI_NBSP "%"),
           std::string("40,82" OCTROI_NBSP "%"),
           std::string(EUR("3" OCTROI_NNBSP "000,00")),
           std::string("15,31" OCTROI_NBSP "%"),
           std::string(EUR("16" OCTROI_NNBSP "717,68")),
           std::string(EUR("8" OCTROI_NNBSP "000,00")),
           std::string("Base éligible " EUR("16" OCTROI_NNBSP "717,68") " TTC × 50" OCTROI_NBSP
                                                                        "% = " EUR("8" OCTROI_NNBSP
                                                                                   "358,84")),
           std::string("Subvention calculée : " EUR("8" OCTROI_NNBSP "000,00")),
           std::string("Montant proposé : " EUR("8" OCTROI_NNBSP "000,00")),
           std::string("Xavier Lemoine"),
           std::string("93370 Montfermeil"),
           std::string("1er décembre 2022 - 30 novembre 2023"),
       }) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << "missing: " << expected;
  }
  // The ineligible line is the one flagged, and only it.
  EXPECT_NE(r.out.find("Développement solution pour autres cibles (NON ÉLIGIBLE)"),
            std::string::npos);
  EXPECT_EQ(r.out.find("NON ÉLIGIBLE"), r.out.rfind("NON ÉLIGIBLE"));
  // Plain spaces never group digits.
  EXPECT_EQ(r.out.find("10 117,08"), std::string::npos);
}

TEST_F(Cli, ShowCasacoAwardedByCp2022285) {
  auto r = run_octroi({"application", "show", "EX065392", "--db", db_});
  ASSERT_EQ(r.status, 0) << describe(r);
  EXPECT_NE(r.out.find("Base éligible " EUR("196" OCTROI_NNBSP
                                            "000,00") " HT × 40" OCTROI_NBSP
                                                      "% = " EUR("78" OCTROI_NNBSP "400,00")),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Montant attribué : " EUR("78" OCTROI_NNBSP
                                                 "400,00") " par délibération n° CP 2022-285 du "
                                                           "7 juillet 2022"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("65,75" OCTROI_NBSP "%"), std::string::npos);
  EXPECT_NE(r.out.find("39,20" OCTROI_NBSP "%"), std::string::npos);
}

TEST_F(Cli, JsonAmountsAreStrings) {
  auto r = run_octroi({"application", "show", "EX070158", "--json", "--db", db_});
  ASSERT_EQ(r.status, 0) << describe(r);
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(r.out)) << r.out;
  EXPECT_EQ(j.at("number"), "EX070158");
  EXPECT_EQ(j.at("state"), "proposed");
  EXPECT_EQ(j.at("basis"), "TTC");
  const auto& expenses = j.at("plan").at("expenses");
  ASSERT_EQ(expenses.size(), 4u);
  const char* amounts[] = {"10117.08", "2200.20", "4400.40", "2882.32"};
  const char* shares[] = {"51.62", "11.23", "22.45", "14.71"};
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    ASSERT_TRUE(expenses[i].at("amount").is_string());
    EXPECT_EQ(expenses[i].at("amount"), amounts[i]);
    EXPECT_EQ(expenses[i].at("share_percent"), shares[i]);
    EXPECT_EQ(expenses[i].at("eligible"), i != 3);
  }
  const auto& resources = j.at("plan").at("resources");
  ASSERT_EQ(resources.size(), 3u);
  EXPECT_EQ(resources[0].at("amount"), "8600.00");
  EXPECT_EQ(resources[1].at("amount"), "8000.00");
  EXPECT_EQ(resources[1].at("kind"), "authority");
  EXPECT_EQ(resources[2].at("amount"), "3000.00");
  ASSERT_TRUE(j.at("plan").at("total_expenses").is_string());
  EXPECT_EQ(j.at("plan").at("total_expenses"), "19600.00");
  EXPECT_EQ(j.at("plan").at("total_resources"), "19600.00");
  EXPECT_EQ(j.at("plan").at("expense_shares_sum_percent"), "100.01");
  EXPECT_EQ(j.at("plan").at("balanced"), true);
  ASSERT_TRUE(j.at("eligible_base").is_string());
  EXPECT_EQ(j.at("eligible_base"), "16717.68");
  EXPECT_EQ(j.at("requested"), "8000.00");
  ASSERT_TRUE(j.at("computed_award").at("amount").is_string());
  EXPECT_EQ(j.at("computed_award").at("amount"), "8000.00");
  EXPECT_EQ(j.at("computed_award").at("capped"), true);
  EXPECT_EQ(j.at("proposed_award"), "8000.00");
  EXPECT_TRUE(j.at("award").is_null());
  EXPECT_EQ(j.at("party").at("departement"), "93");
  EXPECT_EQ(j.at("project").at("start"), "2022-12-01");
  EXPECT_EQ(j.at("early_start").at("date"), "2022-12-01");
}

TEST_F(Cli, OctroiDbEnvironmentVariableReplacesTheOption) {
  auto r = run_octroi({"application", "show", "EX070162"}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(r.status, 0) << describe(r);
  EXPECT_NE(r.out.find("Dossier EX070162"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(EUR("10" OCTROI_NNBSP "580,00")), std::string::npos) << r.out;
  // Without either, the database is not found anywhere: the command fails.
  auto none = run_octroi({"application", "show", "EX070162"});
  EXPECT_NE(none.status, 0) << describe(none);
  EXPECT_EQ(none.out.find("Dossier EX070162"), std::string::npos);
  EXPECT_NE(none.err.find("L'option --db est obligatoire (ou la variable OCTROI_DB)."),
            std::string::npos)
      << none.err;
  EXPECT_EQ(none.err.find("is required"), std::string::npos) << none.err;
}

// Finding 2 of issue 18: every subcommand shares one --db variable, and CLI11's envname() filled
// it from OCTROI_DB for the subcommands not run, after the explicit --db of the one run.
TEST_F(Cli, AnExplicitDbBeatsTheEnvironmentVariable) {
  const std::string other = dir_.path() + "/other.db";
  auto init = run_octroi({"init", "--db", other}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(init.status, 0) << describe(init);
  EXPECT_NE(init.out.find("other.db"), std::string::npos) << init.out;
  EXPECT_TRUE(std::filesystem::exists(other));
  // The explicit, empty database has no authority: the command reads it, not OCTROI_DB's.
  auto show = run_octroi({"application", "show", "EX070162", "--db", other}, {{"OCTROI_DB", db_}});
  EXPECT_EQ(show.status, 1) << describe(show);
  EXPECT_NE(show.err.find("authority.none"), std::string::npos) << show.err;
  // --authority beats OCTROI_AUTHORITY the same way.
  auto named = run_octroi({"application", "show", "EX070162", "--authority", "nowhere"},
                          {{"OCTROI_DB", db_}, {"OCTROI_AUTHORITY", "demo"}});
  EXPECT_EQ(named.status, 1) << describe(named);
  EXPECT_NE(named.err.find("authority.unknown"), std::string::npos) << named.err;
  auto from_env = run_octroi({"application", "show", "EX070162"},
                             {{"OCTROI_DB", db_}, {"OCTROI_AUTHORITY", "nowhere"}});
  EXPECT_EQ(from_env.status, 1) << describe(from_env);
  EXPECT_NE(from_env.err.find("authority.unknown"), std::string::npos) << from_env.err;
}

TEST_F(Cli, ListShowsTheFourDossiers) {
  auto r = run_octroi({"application", "list", "--db", db_});
  ASSERT_EQ(r.status, 0) << describe(r);
  for (const char* n : {"EX070162", "EX070158", "EX069984", "EX065392"})
    EXPECT_NE(r.out.find(n), std::string::npos) << n << "\n" << r.out;
  auto j = run_octroi({"application", "list", "--json", "--db", db_});
  ASSERT_EQ(j.status, 0) << describe(j);
  const auto arr = nlohmann::json::parse(j.out);
  ASSERT_EQ(arr.size(), 4u);
  auto proposed = run_octroi({"application", "list", "--state", "proposed", "--db", db_});
  ASSERT_EQ(proposed.status, 0) << describe(proposed);
  EXPECT_EQ(proposed.out.find("EX065392"), std::string::npos) << proposed.out;
  EXPECT_NE(proposed.out.find("EX069984"), std::string::npos) << proposed.out;
}

TEST_F(Cli, PlanEditOnAProposedDossierIsRefused) {
  const std::string before = dump_database(db_);
  auto r = run_octroi({"application", "plan", "EX070162", "--set", "expense:1=9000", "--db", db_});
  const std::string after = dump_database(db_);
  EXPECT_EQ(r.status, 1) << describe(r);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("Refusé"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ne peut plus être modifié"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[application.not_editable]"), std::string::npos) << r.err;
  EXPECT_EQ(before, after) << first_difference(before, after);
}

TEST_F(Cli, PlanEditRefusalInJsonGoesToStdout) {
  const std::string before = dump_database(db_);
  auto r = run_octroi(
      {"application", "plan", "EX070162", "--set", "expense:1=9000", "--json", "--db", db_});
  const std::string after = dump_database(db_);
  EXPECT_EQ(r.status, 1) << describe(r);
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.at("refused").size(), 1u);
  EXPECT_EQ(j.at("refused")[0].at("code"), "application.not_editable");
  EXPECT_EQ(j.at("refused")[0].at("field"), "plan");
  EXPECT_EQ(before, after) << first_difference(before, after);
}

TEST_F(Cli, FullEditFlow) {
  auto reopen = run_octroi({"application", "event", "EX070162", "reopen", "--reason",
                            "Plan de financement à corriger", "--db", db_});
  ASSERT_EQ(reopen.status, 0) << describe(reopen);
  EXPECT_EQ(reopen.out, "Dossier EX070162 : en instruction.\n");

  // Unbalanced: refused, nothing written.
  const std::string before = dump_database(db_);
  auto unbalanced =
      run_octroi({"application", "plan", "EX070162", "--set", "expense:1=12000", "--db", db_});
  EXPECT_EQ(unbalanced.status, 1) << describe(unbalanced);
  EXPECT_NE(unbalanced.err.find("[plan.unbalanced]"), std::string::npos) << unbalanced.err;
  EXPECT_EQ(before, dump_database(db_));

  auto edit = run_octroi({"application", "plan", "EX070162", "--set", "expense:1=12000", "--set",
                          "resource:1=9200", "--db", db_});
  ASSERT_EQ(edit.status, 0) << describe(edit);
  EXPECT_EQ(
      edit.out.rfind("Base subventionnable : " EUR("14" OCTROI_NNBSP "780,00") " → " EUR(
                         "16" OCTROI_NNBSP
                         "200,00") "\n"
                                   "Aide calculée : " EUR("7" OCTROI_NNBSP "000,00") " → " EUR(
                                       "7" OCTROI_NNBSP "000,00") "\n",
                     0),
      0u)
      << edit.out;

  auto edit2 = run_octroi({"application", "plan", "EX070162", "--set", "resource:2=8000", "--set",
                           "resource:1=8200", "--db", db_});
  ASSERT_EQ(edit2.status, 0) << describe(edit2);
  EXPECT_NE(edit2.out.find("Aide calculée : " EUR("7" OCTROI_NNBSP "000,00") " → " EUR(
                "8" OCTROI_NNBSP "000,00") "\n"),
            std::string::npos)
      << edit2.out;

  // History: reopen then two plan edits, by the CLI's actor.
  auto events = query(db_,
                      "SELECT e.event, e.reason FROM application_events e JOIN applications a "
                      "ON a.id = e.application_id WHERE a.number = 'EX070162' ORDER BY e.id");
  ASSERT_EQ(events.size(), 7u);
  EXPECT_EQ(events[4], (std::vector<std::string>{"reopen", "Plan de financement à corriger"}));
  EXPECT_EQ(events[5], (std::vector<std::string>{"plan_edit", ""}));
  EXPECT_EQ(events[6], (std::vector<std::string>{"plan_edit", ""}));
}

TEST_F(Cli, UnknownDossierExitsOne) {
  auto r = run_octroi({"application", "show", "EX000001", "--db", db_});
  EXPECT_EQ(r.status, 1) << describe(r);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("[application.unknown]"), std::string::npos) << r.err;
}

TEST_F(Cli, DemoTwiceExitsOneAndChangesNothing) {
  const std::string before = dump_database(db_);
  auto r = run_octroi({"demo", "--db", db_});
  EXPECT_EQ(r.status, 1) << describe(r);
  EXPECT_NE(r.err.find("[demo.exists]"), std::string::npos) << r.err;
  EXPECT_EQ(before, dump_database(db_));
}

// A database octroi never initialised: a missing SQLite file, or an empty PostgreSQL schema.
TEST_F(Cli, MissingDatabaseExitsThreeAndCreatesNothing) {
  const TestDatabase absent(dir_.path(), "absent");
  const std::string missing = absent.locator();
  auto r = run_octroi({"application", "show", "EX070158", "--db", missing});
  EXPECT_EQ(r.status, 3) << describe(r);
  EXPECT_NE(r.err.find("« octroi init"), std::string::npos) << r.err;
  if (octroi_testing::testing_postgres()) {
    EXPECT_EQ(query(missing,
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                    "current_schema()"),
              (std::vector<std::vector<std::string>>{{"0"}}))
        << "the schema stays empty";
  } else {
    EXPECT_FALSE(std::filesystem::exists(missing));
  }
}

TEST_F(Cli, BadOptionIsAUsageErrorExitingTwo) {
  const std::string before = dump_database(db_);
  auto r = run_octroi({"application", "show", "EX070158", "--bogus", "--db", db_});
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("--bogus"), std::string::npos) << r.err;
  EXPECT_EQ(before, dump_database(db_));
}

TEST_F(Cli, MalformedPlanChangeIsAUsageErrorExitingTwo) {
  // Caught by octroi itself (UsageError), not by the option parser.
  const std::string before = dump_database(db_);
  auto r = run_octroi({"application", "plan", "EX070162", "--set", "expense-1=9000", "--db", db_});
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_NE(r.err.find("Erreur d'usage"), std::string::npos) << r.err;
  EXPECT_EQ(before, dump_database(db_));
}

}  // namespace
}  // namespace octroi_test
