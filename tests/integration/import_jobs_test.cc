// Imports as jobs (issue 15, item 4): a subsidy file uploaded through the API (POST
// /api/v1/imports, the body is the file) or the back office (/imports, a multipart form) waits
// in a job; a worker reads and imports it, and the job's file is the line-by-line report (CSV).
// A trial keeps nothing; refusals leave no job; only a role that may register parties imports.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "integration/http_support.h"
#include "integration/job_support.h"

namespace octroi_test {
namespace {

class ImportJobsTest : public HttpTest {
 protected:
  static std::string fixture(const std::string& name) {
    std::ifstream in(std::string(OCTROI_SOURCE_DIR) + "/tests/fixtures/scdl/" + name,
                     std::ios::binary);
    EXPECT_TRUE(in) << name;
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }

  std::int64_t pending_inputs() {
    return std::stoll(
        octroi_testing::query(db_, "SELECT count(*) FROM jobs WHERE input_hex IS NOT NULL")[0][0]);
  }

  octroi::http::HttpResponse upload(const std::string& target, const Auth& who,
                                    const std::string& bytes) {
    return call(make_request("POST", target, who, bytes, "text/csv"));
  }
};

TEST_F(ImportJobsTest, AnUploadedFileIsImportedByAJobWhoseFileIsTheReport) {
  const Auth admin = bearer(octroi::Role::Administrator);
  const auto before = count_rows(db_, "imported_awards");
  const auto r =
      upload("/api/v1/imports?file=exemple_valide.csv", admin, fixture("exemple_valide.csv"));
  ASSERT_EQ(r.status, 202) << describe(r);
  const auto job = json_of(r);
  EXPECT_EQ(job["title"], "Import de exemple_valide.csv");
  EXPECT_EQ(header_of(r, "Location"), job["url"]);
  const auto ended = wait_for_job(job["url"], admin);
  ASSERT_EQ(ended["state"], "done") << ended.dump();
  const std::string summary = ended["stage"];
  EXPECT_NE(summary.find("ligne(s) acceptée(s)"), std::string::npos) << summary;
  EXPECT_EQ(ended["file"]["name"], "rapport-import-exemple_valide.csv");
  const auto after = count_rows(db_, "imported_awards");
  EXPECT_GT(after, before);

  const auto report = call(get(ended["file"]["url"].get<std::string>(), admin));
  ASSERT_EQ(report.status, 200) << describe(report);
  EXPECT_EQ(report.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(
      report.body.rfind("\xEF\xBB\xBFligne;résultat;colonne;message;bénéficiaire;montant\r\n", 0),
      0u)
      << report.body.substr(0, 200);
  // Every line of the file has its row: line 2 is the first after the header.
  EXPECT_NE(report.body.find("\r\n2;"), std::string::npos) << report.body.substr(0, 400);
  EXPECT_NE(report.body.find("ANTIBES RALLYE ASSOCIATION"), std::string::npos);
  // The file waited in the job only while it ran.
  EXPECT_EQ(pending_inputs(), 0);

  // The same file again: every line is already imported, nothing more is stored.
  const auto again =
      upload("/api/v1/imports?file=exemple_valide.csv", admin, fixture("exemple_valide.csv"));
  ASSERT_EQ(again.status, 202) << describe(again);
  const auto second = wait_for_job(json_of(again)["url"], admin);
  ASSERT_EQ(second["state"], "done") << second.dump();
  EXPECT_NE(second["stage"].get<std::string>().find(" 0 rejetée(s)"), std::string::npos);
  EXPECT_EQ(count_rows(db_, "imported_awards"), after);
}

TEST_F(ImportJobsTest, ATrialReportsAndKeepsNothing) {
  const Auth admin = bearer(octroi::Role::Administrator);
  const auto r = upload("/api/v1/imports?file=exemple_valide.csv&dry_run=true", admin,
                        fixture("exemple_valide.csv"));
  ASSERT_EQ(r.status, 202) << describe(r);
  EXPECT_EQ(json_of(r)["title"], "Essai d'import de exemple_valide.csv");
  const auto before = count_rows(db_, "imported_awards");
  const auto parties = count_rows(db_, "parties");
  const auto ended = wait_for_job(json_of(r)["url"], admin);
  ASSERT_EQ(ended["state"], "done") << ended.dump();
  EXPECT_EQ(ended["stage"].get<std::string>().rfind("Essai, rien n'est enregistré : ", 0), 0u)
      << ended.dump();
  EXPECT_EQ(count_rows(db_, "imported_awards"), before);
  EXPECT_EQ(count_rows(db_, "parties"), parties);
}

TEST_F(ImportJobsTest, AFileTheImportCannotReadFailsTheJobInWords) {
  const Auth admin = bearer(octroi::Role::Administrator);
  const auto r = upload("/api/v1/imports?file=colonnes.csv", admin, "a,b,c\n1,2,3\n");
  ASSERT_EQ(r.status, 202) << describe(r);
  const auto ended = wait_for_job(json_of(r)["url"], admin);
  ASSERT_EQ(ended["state"], "failed") << ended.dump();
  EXPECT_NE(ended["failure"].get<std::string>().find("colonne"), std::string::npos) << ended.dump();
  EXPECT_EQ(pending_inputs(), 0);
}

TEST_F(ImportJobsTest, RefusedUploadsLeaveNoJob) {
  const Auth admin = bearer(octroi::Role::Administrator);
  const Auth reader = bearer(octroi::Role::Reader);
  const std::string before = dump();
  const auto jobs = count_rows(db_, "jobs");
  struct Case {
    std::string target, body, code, field;
  };
  for (const Case& c : {
           Case{"/api/v1/imports?file=vide.csv", "", "job.request", "file"},
           Case{"/api/v1/imports?file=rapport.pdf", "%PDF-1.4", "job.request", "file"},
           Case{"/api/v1/imports", "a,b\n", "job.request", "file"},
           Case{"/api/v1/imports?file=a\tb.csv", "a,b\n", "job.request", "file"},
           Case{"/api/v1/imports?file=a.csv&dry_run=peut-etre", "a,b\n", "request.type", "dry_run"},
       }) {
    const auto r = upload(c.target, admin, c.body);
    EXPECT_EQ(r.status, 422) << c.target << "\n" << describe(r);
    EXPECT_EQ(code_of(r), c.code) << c.target;
    EXPECT_EQ(field_of(r), c.field) << c.target;
  }
  // A reader may not import.
  const auto refused = upload("/api/v1/imports?file=a.csv", reader, "a,b\n");
  EXPECT_EQ(refused.status, 403) << describe(refused);
  EXPECT_EQ(count_rows(db_, "jobs"), jobs);
  EXPECT_EQ(dump(), before);
}

TEST_F(ImportJobsTest, TheBackOfficesFormUploadsTheFileAndShowsTheJob) {
  const Auth admin = login("admin");
  const auto page = call(get("/imports", admin));
  ASSERT_EQ(page.status, 200) << describe(page);
  EXPECT_NE(page.body.find("enctype=\"multipart/form-data\""), std::string::npos);
  EXPECT_NE(page.body.find("name=\"fichier\""), std::string::npos);

  // As the server hands a multipart body over: the file in `files`, its name and the other
  // fields in `query`.
  auto form = make_request("POST", "/imports", admin);
  form.headers["content-type"] = "multipart/form-data; boundary=----octroi";
  form.query["csrf"] = admin.csrf;
  form.query["fichier.filename"] = "exemple_valide.csv";
  form.query["essai"] = "1";
  form.files["fichier"] = fixture("exemple_valide.csv");
  const auto r = call(form);
  ASSERT_EQ(r.status, 303) << describe(r);
  const auto report =
      follow_job(r, [&](const std::string& path) { return call(get(path, admin)); });
  ASSERT_EQ(report.status, 200) << describe(report);
  EXPECT_NE(report.body.find("ligne;résultat"), std::string::npos);

  // Without a file: the form again, with the reason, and no job.
  const auto jobs = count_rows(db_, "jobs");
  auto empty = make_request("POST", "/imports", admin);
  empty.headers["content-type"] = "multipart/form-data; boundary=----octroi";
  empty.query["csrf"] = admin.csrf;
  const auto refused = call(empty);
  EXPECT_EQ(refused.status, 422) << describe(refused);
  EXPECT_NE(refused.body.find("Le fichier à importer est vide."), std::string::npos);
  EXPECT_EQ(count_rows(db_, "jobs"), jobs);
}

}  // namespace
}  // namespace octroi_test
