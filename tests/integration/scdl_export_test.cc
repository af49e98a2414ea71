// The SCDL "subventions" 2.1.0 publication of the demonstration's awards (issue 8): the rows as
// the schema wants them, the legal threshold and the period, what is left out and why, the file
// written by the command and recorded in the audit trail, and the file checked by an independent
// Table Schema validator (npm's tableschema, scripts/validate-scdl.mjs), not by octroi's code.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <sys/resource.h>

#include "adapters/opendata/scdl_csv.h"
#include "app/open_data.h"
#include "app/ports/audit.h"
#include "app/use_cases.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

constexpr const char* kSiret = "23750007900312";  // passes the Luhn check; SIREN 237500079

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Validation {
  int status = -1;
  std::string out;
};

// node scripts/validate-scdl.mjs SCHEMA FILE (the test tooling is installed by `make test`:
// scripts/install-node-modules.sh).
Validation validate(const std::string& csv) {
  const std::string source = OCTROI_SOURCE_DIR;
  const std::string command = "cd '" + source + "' && node scripts/validate-scdl.mjs " +
                              "schemas/scdl/subventions-2.1.0.json '" + csv + "' 2>&1";
  Validation v;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
      v.out.append(buf, n);
    const int status = pclose(p);
    v.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  return v;
}

class ScdlExportTest : public DemoDatabaseTest {
 protected:
  void give_siret() {
    octroi::AuthorityInput in;
    in.siret = kSiret;
    auto r = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      return octroi::edit_authority(tx, ctx, in);
    });
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
  }
  void play_life() {
    auto life = octroi::run_write(*store_, [&](octroi::Transaction& tx) {
      return octroi::play_demo_life(tx, "demo", clock_);
    });
    ASSERT_TRUE(life.ok()) << life.refusal().describe();
  }
  octroi::Result<octroi::ScdlExport> exported(const octroi::ScdlOptions& o) {
    return octroi::run_read(*store_, [&](octroi::Transaction& tx) {
      return octroi::scdl_export(tx, idf_, o, octroi::Date(2023, 3, 1));
    });
  }
  // `n` more awards, copies of EX070162 under the numbers EX900000…, dated out of order over
  // 2023 (2023-01-01 plus i × 37 days, modulo 300), of 1 000 € plus i cents.
  void add_awards(int n) {
    auto added = write([&](octroi::Transaction& tx, const octroi::Context&) {
      auto model = tx.applications().find_application(idf_, "EX070162");
      if (!model) return octroi::Result<int>(octroi::refuse("test", "", "no model"));
      for (int i = 0; i < n; ++i) {
        octroi::Application app = *model;
        char number[16];
        std::snprintf(number, sizeof number, "EX9%05d", i);
        app.number = number;
        app.award = octroi::Award{octroi::Money::from_cents(100000 + i),
                                  octroi::Date(2023, 1, 1).add_days((i * 37) % 300), "CP test"};
        tx.applications().insert_application(app);
      }
      return octroi::Result<int>(n);
    });
    ASSERT_TRUE(added.ok()) << added.refusal().describe();
  }
  static octroi::ScdlOptions all() {
    octroi::ScdlOptions o;
    o.threshold = octroi::Money::from_cents(0);
    return o;
  }
};

TEST_F(ScdlExportTest, AnAuthorityWithoutSiretCannotPublish) {
  play_life();
  auto r = exported(all());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "scdl.id_attribuant");
  EXPECT_EQ(r.refusal().first().field, "siret");
  EXPECT_NE(r.refusal().first().message.find("SIRET"), std::string::npos);
  // An invalid SIRET is refused by name and changes nothing.
  const std::string before = dump_database(db_);
  octroi::AuthorityInput bad;
  bad.siret = "23750007900313";
  auto edited = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::edit_authority(tx, ctx, bad);
  });
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.refusal().first().field, "siret");
  EXPECT_EQ(dump_database(db_), before);
}

TEST_F(ScdlExportTest, EachAwardIsARowAsTheSchemaWantsIt) {
  give_siret();
  play_life();
  auto r = exported(all());
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r->file_name, "20230301_237500079_subventions.csv");
  EXPECT_TRUE(r->skipped.empty());
  ASSERT_EQ(r->rows.size(), 4u);
  // By date of agreement, then dossier: Casaco's 2022 award (transferred to SCI 6 avenue JJ, no
  // agreement: dated by its decision), the two chèques without agreement (dated by CP 2023-040),
  // Montfermeil's signed agreement (its second signature, 15 February 2023).
  std::vector<std::vector<std::string>> got;
  for (const auto& row : r->rows)
    got.push_back({row.dossier, row.date_convention, row.reference_decision, row.nom_beneficiaire,
                   row.montant, row.conditions_versement, row.dates_periode_versement,
                   row.notification_ue, row.pourcentage_subvention});
  const std::vector<std::vector<std::string>> expected = {
      {"EX065392", "2022-07-07", "CP 2022-285", "SCI 6 avenue JJ", "78400.00", "unique",
       "2022-07-07/2025-07-07", "oui", "1.00"},
      {"EX069984", "2023-01-25", "CP 2023-040", "Commune du Perreux-sur-Marne", "8000.00",
       "échelonné", "2023-01-25/2026-01-25", "non", "1.00"},
      {"EX070162", "2023-01-25", "CP 2023-040", "Commune des Clayes-sous-Bois", "7000.00",
       "échelonné", "2023-01-25/2026-01-25", "non", "1.00"},
      // Paid twice (a 30 % advance, then the balance): staggered, from the first to the last.
      {"EX070158", "2023-02-15", "CP 2023-040", "Commune de Montfermeil", "8000.00", "échelonné",
       "2023-03-01/2023-12-15", "non", "1.00"}};
  EXPECT_EQ(got, expected);
  for (const auto& row : r->rows) {
    EXPECT_EQ(row.nom_attribuant, "Région Île-de-France");
    EXPECT_EQ(row.id_attribuant, kSiret);
    EXPECT_EQ(row.nature, "aide en numéraire");
    EXPECT_FALSE(row.objet.empty());
  }
}

// Issue 17, finding 6: the export reads the awards 500 at a time by bulk queries, in the file's
// order, instead of a dozen queries per award. 1 234 more awards (three batches and a part),
// dated out of order, come out by date then dossier, each once; the command's file, written as
// it goes, is byte for byte the file made in memory.
TEST_F(ScdlExportTest, ManyAwardsComeOutInTheFilesOrderAcrossBatches) {
  give_siret();
  play_life();
  constexpr int kMore = 1234;
  add_awards(kMore);
  auto r = exported(all());
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  ASSERT_EQ(r->rows.size(), 4u + kMore);
  EXPECT_EQ(r->row_count, r->rows.size());
  std::set<std::string> dossiers;
  for (std::size_t i = 0; i < r->rows.size(); ++i) {
    dossiers.insert(r->rows[i].dossier);
    if (i > 0) {
      const auto& a = r->rows[i - 1];
      const auto& b = r->rows[i];
      EXPECT_LT(std::tie(a.date_convention, a.dossier), std::tie(b.date_convention, b.dossier))
          << "row " << i;
    }
  }
  EXPECT_EQ(dossiers.size(), r->rows.size());
  const auto z = std::find_if(r->rows.begin(), r->rows.end(),
                              [](const octroi::ScdlRow& row) { return row.dossier == "EX900010"; });
  ASSERT_NE(z, r->rows.end());
  EXPECT_EQ(z->date_convention, octroi::Date(2023, 1, 1).add_days(370 % 300).iso());
  EXPECT_EQ(z->montant, "1000.10");

  const std::string out = dir_.file("gros");
  const auto run =
      run_octroi({"export", "scdl", "--out", out, "--threshold", "0"}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find(std::to_string(4 + kMore) + " ligne(s) publiée(s)"), std::string::npos)
      << run.err;
  ASSERT_EQ(std::distance(std::filesystem::directory_iterator(out),
                          std::filesystem::directory_iterator()),
            1);  // the partial file renamed, not left beside it
  const std::filesystem::path file = *std::filesystem::directory_iterator(out);
  EXPECT_EQ(read_file(file.string()), octroi::opendata::scdl_csv(r->rows));
}

TEST_F(ScdlExportTest, TheLegalThresholdAndThePeriodChooseTheRows) {
  give_siret();
  play_life();
  auto r = exported(octroi::ScdlOptions{});  // 23 000 €: only Casaco's 78 400 €
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].dossier, "EX065392");
  octroi::ScdlOptions o = all();
  o.threshold = octroi::Money::from_euros(8000);  // "above": 8 000 € itself is left out
  r = exported(o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 1u);
  o.threshold = octroi::Money::from_cents(799999);
  r = exported(o);
  ASSERT_EQ(r->rows.size(), 3u);
  o = all();
  o.from = octroi::Date(2023, 2, 1);
  r = exported(o);
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].dossier, "EX070158");
  o = all();
  o.until = octroi::Date(2023, 1, 25);
  r = exported(o);
  ASSERT_EQ(r->rows.size(), 3u);
  o.from = octroi::Date(2023, 1, 25);
  r = exported(o);
  ASSERT_EQ(r->rows.size(), 2u);
}

TEST_F(ScdlExportTest, AnAgreementNotYetSignedIsLeftOutWithItsReason) {
  give_siret();
  auto adopted = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::adopt_report(tx, ctx, "CP 2023-040");
  });
  ASSERT_TRUE(adopted.ok()) << adopted.refusal().describe();
  auto drafted = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::create_agreement(tx, ctx, "EX070162", {});
  });
  ASSERT_TRUE(drafted.ok()) << drafted.refusal().describe();
  auto r = exported(all());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_EQ(r->skipped[0].dossier, "EX070162");
  EXPECT_NE(r->skipped[0].reason.find("pas encore signée"), std::string::npos);
  for (const auto& row : r->rows)
    EXPECT_NE(row.dossier, "EX070162");
  EXPECT_EQ(r->rows.size(), 3u);
}

// The disk filling up in the middle of the file (the process's file-size limit, RLIMIT_FSIZE,
// standing for it: 64 KiB for a file of about 250 KB): the pieces the second thread writes fail,
// the export is refused naming the folder, no partial file is left and nothing is recorded.
TEST_F(ScdlExportTest, AFileThatCannotBeWrittenToItsEndIsRefusedAndNothingRecorded) {
  give_siret();
  play_life();
  add_awards(1234);
  const std::string out = dir_.file("plein");
  std::filesystem::create_directories(out);
  const std::string before = dump_database(db_);
  rlimit old{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  rlimit small = old;
  small.rlim_cur = 64 * 1024;
  // The child inherits both: the signal ignored, a write past the limit fails with EFBIG.
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const auto run =
      run_octroi({"export", "scdl", "--out", out, "--threshold", "0"}, {{"OCTROI_DB", db_}});
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_NE(run.status, 0) << run.out;
  EXPECT_NE(run.err.find("Impossible d'écrire dans le dossier"), std::string::npos) << run.err;
  EXPECT_TRUE(std::filesystem::is_empty(out));
  EXPECT_EQ(dump_database(db_), before);
  // Without the limit, the same export is written whole.
  const auto again =
      run_octroi({"export", "scdl", "--out", out, "--threshold", "0"}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(again.status, 0) << again.err;
  const std::filesystem::path file = *std::filesystem::directory_iterator(out);
  EXPECT_GT(std::filesystem::file_size(file), 200u * 1024);
}

// Issue 17: the day each row is dated is kept by the database with its dossier
// (applications.published_on, migration 0024), the export reading the awards in that order along
// an index. Whatever writes the agreement, the file follows: an agreement signed by both moves
// the award to its second signature, a signature withdrawn leaves it out (unsigned), and signed
// again earlier it comes back in its new place.
TEST_F(ScdlExportTest, TheFilesOrderFollowsTheAgreementsSignatures) {
  give_siret();
  play_life();
  const auto order = [&] {
    auto r = exported(all());
    std::vector<std::string> got;
    if (!r.ok()) return got;
    for (const auto& row : r->rows)
      got.push_back(row.dossier + " " + row.date_convention);
    return got;
  };
  const auto sign = [&](std::optional<octroi::Date> beneficiary,
                        std::optional<octroi::Date> authority) {
    auto r = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      const auto app = tx.applications().find_application(idf_, "EX069984");
      if (!app) return octroi::Result<int>(octroi::refuse("test", "", "no dossier"));
      auto ag = tx.awards().find_agreement(idf_, app->id);
      const bool is_new = !ag;
      if (is_new) {
        ag = octroi::Agreement{};
        ag->authority = ctx.authority;
        ag->application = app->id;
        ag->model_deliberation = "CP 2023-040";
        ag->eligibility_start = octroi::Date(2023, 1, 25);
        ag->eligibility_end = octroi::Date(2026, 1, 25);
      }
      ag->signed_by_beneficiary_on = beneficiary;
      ag->signed_by_authority_on = authority;
      if (is_new)
        tx.awards().insert_agreement(*ag);
      else
        tx.awards().update_agreement(*ag);
      return octroi::Result<int>(1);
    });
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(order(), (V{"EX065392 2022-07-07", "EX069984 2023-01-25", "EX070162 2023-01-25",
                        "EX070158 2023-02-15"}));
  sign(octroi::Date(2023, 3, 10), octroi::Date(2023, 3, 20));  // inserted signed: the later day
  EXPECT_EQ(order(), (V{"EX065392 2022-07-07", "EX070162 2023-01-25", "EX070158 2023-02-15",
                        "EX069984 2023-03-20"}));
  sign(octroi::Date(2023, 3, 10), std::nullopt);  // the authority's signature withdrawn
  EXPECT_EQ(order(), (V{"EX065392 2022-07-07", "EX070162 2023-01-25", "EX070158 2023-02-15"}));
  sign(octroi::Date(2023, 2, 1), octroi::Date(2023, 1, 30));  // signed again, earlier
  EXPECT_EQ(order(), (V{"EX065392 2022-07-07", "EX070162 2023-01-25", "EX069984 2023-02-01",
                        "EX070158 2023-02-15"}));
}

// The validator on the schema's own examples: the valid one passes, the invalid ones are
// rejected for the reasons their names give (cells; columns).
TEST(ScdlValidator, TheSchemasExamplesAreJudgedForTheRightReasons) {
  const std::string dir = std::string(OCTROI_SOURCE_DIR) + "/tests/fixtures/scdl/";
  const Validation valid = validate(dir + "exemple_valide.csv");
  EXPECT_EQ(valid.status, 0) << valid.out;
  EXPECT_NE(valid.out.find("{\"rows\":29,\"errors\":0}"), std::string::npos) << valid.out;

  const Validation cells = validate(dir + "exemple_invalide_erreurs_cellules.csv");
  EXPECT_EQ(cells.status, 1) << cells.out;
  for (const std::string expected :
       {"{\"row\":2,\"field\":\"pourcentageSubvention\"", "{\"row\":5,\"field\":\"dateConvention\"",
        "{\"row\":6,\"field\":\"montant\"", "{\"row\":7,\"field\":\"idAttribuant\"",
        "{\"row\":8,\"field\":\"datesPeriodeVersement\"", "{\"row\":10,\"field\":\"montant\"",
        "{\"row\":16,\"field\":\"nature\""})
    EXPECT_NE(cells.out.find(expected), std::string::npos) << expected << "\n" << cells.out;

  const Validation columns = validate(dir + "exemple_invalide_erreurs_colonnes.csv");
  EXPECT_EQ(columns.status, 1) << columns.out;
  EXPECT_NE(columns.out.find("unknown column \\\"NOM_Beneficiaire\\\""), std::string::npos)
      << columns.out;
}

// The options, as each front end types them, are read by one use case that names the fields.
TEST(ScdlOptions, TheOptionsAreReadOnceAndTheirFieldsNamed) {
  auto d = octroi::scdl_options({});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->threshold, octroi::Money::from_euros(23000));
  EXPECT_FALSE(d->from || d->until);
  auto ok = octroi::scdl_options({"26 956,00", "2023-01-01", "31/12/2023"});
  ASSERT_TRUE(ok.ok()) << ok.refusal().describe();
  EXPECT_EQ(ok->threshold, octroi::Money::from_cents(2695600));
  EXPECT_EQ(ok->from, octroi::Date(2023, 1, 1));
  EXPECT_EQ(ok->until, octroi::Date(2023, 12, 31));
  auto bad = octroi::scdl_options({"-1", "2023-02-30", "hier", "seuil", "du", "au"});
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.refusal().problems.size(), 3u);
  EXPECT_EQ(bad.refusal().problems[0].code, "scdl.threshold");
  EXPECT_EQ(bad.refusal().problems[0].field, "seuil");
  EXPECT_EQ(bad.refusal().problems[1].field, "du");
  EXPECT_EQ(bad.refusal().problems[2].field, "au");
}

TEST(ScdlCsv, TheHeaderIsTheSchemasFieldsInOrderAndFieldsAreQuotedWhenTheyMust) {
  const auto schema = nlohmann::json::parse(
      read_file(std::string(OCTROI_SOURCE_DIR) + "/schemas/scdl/subventions-2.1.0.json"));
  std::vector<std::string> names;
  for (const auto& f : schema["fields"])
    names.push_back(f["name"]);
  const auto& ours = octroi::opendata::scdl_field_names();
  EXPECT_EQ(names, std::vector<std::string>(ours.begin(), ours.end()));
  EXPECT_EQ(octroi::opendata::csv_field("simple"), "simple");
  EXPECT_EQ(octroi::opendata::csv_field("a, b"), "\"a, b\"");
  EXPECT_EQ(octroi::opendata::csv_field("dit \"oui\""), "\"dit \"\"oui\"\"\"");
  EXPECT_EQ(octroi::opendata::csv_field("deux\nlignes"), "\"deux\nlignes\"");
  const std::string csv = octroi::opendata::scdl_csv({});
  EXPECT_EQ(csv.substr(0, 28), "nomAttribuant,idAttribuant,d");
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
}

// The command writes AAAAMMJJ_SIREN_subventions.csv, records it in the audit trail with its
// hash, and the file passes the independent validator; a damaged copy does not.
TEST_F(ScdlExportTest, TheCommandWritesAFileTheIndependentValidatorAccepts) {
  give_siret();
  play_life();
  const std::string out = dir_.file("scdl");
  auto bad =
      run_octroi({"export", "scdl", "--out", out, "--threshold", "abc"}, {{"OCTROI_DB", db_}});
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.err.find("threshold"), std::string::npos) << bad.err;
  bad = run_octroi({"export", "scdl", "--out", out, "--threshold", "-1"}, {{"OCTROI_DB", db_}});
  EXPECT_NE(bad.status, 0);
  bad = run_octroi({"export", "scdl", "--out", out, "--from", "2023-02-30"}, {{"OCTROI_DB", db_}});
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.err.find("from"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  // A folder that cannot be written (below a file): refused, nothing recorded.
  {
    std::ofstream(dir_.file("un-fichier")) << "x";
    const std::string audit_before = dump_database(db_);
    bad = run_octroi({"export", "scdl", "--out", dir_.file("un-fichier") + "/scdl"},
                     {{"OCTROI_DB", db_}});
    EXPECT_NE(bad.status, 0);
    EXPECT_NE(bad.err.find("Impossible d'écrire dans le dossier"), std::string::npos) << bad.err;
    EXPECT_EQ(dump_database(db_), audit_before);
  }

  const auto run =
      run_octroi({"export", "scdl", "--out", out, "--threshold", "0"}, {{"OCTROI_DB", db_}});
  ASSERT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(std::distance(std::filesystem::directory_iterator(out),
                          std::filesystem::directory_iterator()),
            1);
  const std::filesystem::path file = *std::filesystem::directory_iterator(out);
  const std::string name = file.filename().string();
  ASSERT_EQ(name.size(), std::string("AAAAMMJJ_237500079_subventions.csv").size()) << name;
  EXPECT_EQ(name.substr(8), "_237500079_subventions.csv");
  const std::string bytes = read_file(file.string());
  EXPECT_EQ(bytes.substr(0, 3) == "\xEF\xBB\xBF", false);  // UTF-8 without BOM
  EXPECT_NE(bytes.find("78400.00"), std::string::npos);
  EXPECT_NE(run.err.find("4 ligne(s) publiée(s)"), std::string::npos) << run.err;

  // The audit trail records the publication and the file's hash.
  const auto trail = octroi::run_read(
      *store_, [&](octroi::Transaction& tx) { return tx.audit().audit_trail(idf_); });
  const auto& last = trail.back();
  EXPECT_EQ(last.action, "opendata.scdl_export");
  EXPECT_EQ(last.entity_key, name);
  EXPECT_NE(last.after.find("\"rows\":4"), std::string::npos) << last.after;
  EXPECT_NE(last.after.find("\"sha256\":\"" + store_->hasher().sha256_hex(bytes) + "\""),
            std::string::npos)
      << last.after;

  const Validation ok = validate(file.string());
  EXPECT_EQ(ok.status, 0) << ok.out;
  EXPECT_NE(ok.out.find("{\"rows\":4,\"errors\":0}"), std::string::npos) << ok.out;
  // The validator is not a rubber stamp: a share of 1.5 and a 13-digit SIRET are caught.
  std::string damaged = bytes;
  damaged.replace(damaged.find(",1.00,"), 6, ",1.50,");
  damaged.replace(damaged.find(kSiret), 14, "2375000790031");
  const std::string damaged_path = dir_.file("damaged.csv");
  std::ofstream(damaged_path, std::ios::binary) << damaged;
  const Validation ko = validate(damaged_path);
  EXPECT_EQ(ko.status, 1) << ko.out;
  EXPECT_NE(ko.out.find("pourcentageSubvention"), std::string::npos) << ko.out;
  EXPECT_NE(ko.out.find("idAttribuant"), std::string::npos) << ko.out;
}

}  // namespace
}  // namespace octroi_test
