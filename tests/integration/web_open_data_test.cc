// Open data in the back office (issue 8), in-process through Api::handle: the SCDL file
// downloaded from the agreements page (refused without the authority's SIRET, its options
// checked, audited), the workbooks of the dossiers, the budget and the payments, and the links
// that lead to them.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "adapters/crypto/sodium_passwords.h"
#include "adapters/documents/odt_package.h"
#include "adapters/http/api.h"
#include "app/ports/audit.h"
#include "app/use_cases.h"
#include "integration/job_support.h"
#include "integration/test_support.h"
#include "integration/web_login.h"

namespace octroi_test {
namespace {

using octroi::http::HttpRequest;
using octroi::http::HttpResponse;

class WebOpenDataTest : public DemoDatabaseTest {
 protected:
  void SetUp() override {
    DemoDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
    auto u = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      return octroi::create_user(
          tx, ctx, {"lecteur", "Léa Petit", "reader", "", "mot-de-passe-lecteur"}, passwords_);
    });
    ASSERT_TRUE(u.ok()) << u.refusal().describe();
    HttpRequest r;
    r.method = "POST";
    r.path = "/login";
    r.query = {{"login", "lecteur"}, {"password", "mot-de-passe-lecteur"}};
    r.remote_addr = "127.0.0.1";
    with_login_token(r, [&](const HttpRequest& q) { return api_->handle(q); });
    const auto out = api_->handle(r);
    ASSERT_EQ(out.status, 303) << out.body;
    for (const auto& [k, v] : out.headers)
      if (k == "Set-Cookie") session_ = v.substr(v.find('=') + 1, v.find(';') - v.find('=') - 1);
    ASSERT_FALSE(session_.empty());
  }

  HttpResponse get(const std::string& path, const std::map<std::string, std::string>& q = {}) {
    HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.query = q;
    r.headers["cookie"] = "octroi_session=" + session_;
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  }

  // The file of a job the page answered with (what a browser gets by following it).
  HttpResponse fetch(const HttpResponse& first) {
    return follow_job(first, [&](const std::string& p) { return get(p); });
  }

  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  octroi::crypto::SodiumPasswordHasher passwords_;
  octroi::crypto::SodiumTokenSource tokens_;
  std::unique_ptr<octroi::http::Api> api_;
  std::string session_;
};

TEST_F(WebOpenDataTest, TheAgreementsPagePublishesTheScdlFile) {
  const auto page = get("/conventions");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("href=\"/conventions/scdl.csv\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/conventions/scdl.csv?seuil=0\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/conventions.xlsx\""), std::string::npos);

  // Without the authority's SIRET: refused in French, nothing written.
  const std::string before = dump_database(db_);
  auto refused = get("/conventions/scdl.csv", {{"seuil", "0"}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("SIRET"), std::string::npos);
  EXPECT_EQ(dump_database(db_), before);

  octroi::AuthorityInput in;
  in.siret = "23750007900312";
  ASSERT_TRUE(write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
                return octroi::edit_authority(tx, ctx, in);
              }).ok());
  // Bad options: each named, nothing written.
  const std::string with_siret = dump_database(db_);
  for (const auto& q : std::vector<std::map<std::string, std::string>>{
           {{"seuil", "beaucoup"}}, {{"seuil", "-1"}}, {{"du", "2023-13-01"}}, {{"au", "hier"}}}) {
    const auto bad = get("/conventions/scdl.csv", q);
    EXPECT_EQ(bad.status, 422) << q.begin()->first;
    // The French message says what is wrong (the API's code stays out of sight, in data-code).
    EXPECT_NE(bad.body.find("data-code=\""), std::string::npos) << bad.body;
    EXPECT_NE(bad.body.find("role=\"alert\""), std::string::npos) << bad.body;
  }
  EXPECT_EQ(dump_database(db_), with_siret);

  // The legal threshold by default: Casaco's 78 400 € only; every award with seuil=0.
  // A job: the link answers with the job's page, whose file comes when it is made.
  const auto asked = get("/conventions/scdl.csv");
  ASSERT_EQ(asked.status, 303) << asked.body;
  auto file = fetch(asked);
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_EQ(file.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(header(file, "Content-Disposition").find("_237500079_subventions.csv"),
            std::string::npos);
  EXPECT_EQ(std::count(file.body.begin(), file.body.end(), '\n'), 2) << file.body;
  EXPECT_NE(file.body.find(",78400.00,"), std::string::npos) << file.body;
  auto all = fetch(get("/conventions/scdl.csv", {{"seuil", "0"}, {"au", "2022-12-31"}}));
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(std::count(all.body.begin(), all.body.end(), '\n'), 2) << all.body;
  // Audited, with the options.
  const auto trail = octroi::run_read(
      *store_, [&](octroi::Transaction& tx) { return tx.audit().audit_trail(idf_); });
  EXPECT_EQ(trail.back().action, "opendata.scdl_export");
  EXPECT_NE(trail.back().after.find("\"until\":\"2022-12-31\""), std::string::npos)
      << trail.back().after;
}

TEST_F(WebOpenDataTest, TheListsAreDownloadedAsWorkbooks) {
  const auto dossiers_page = get("/dossiers", {{"q", "clayes"}});
  ASSERT_EQ(dossiers_page.status, 200);
  // (mstch writes the slash of a value as &#x2F;, which the browser reads as "/")
  EXPECT_NE(dossiers_page.body.find("href=\"&#x2F;dossiers.xlsx?q=clayes&amp;state=&amp;"),
            std::string::npos);
  EXPECT_NE(get("/").body.find("href=\"/budget.xlsx\""), std::string::npos);
  for (const std::string path : {"/dossiers.xlsx", "/budget.xlsx", "/conventions.xlsx"}) {
    const auto out = fetch(get(path, {{"q", "clayes"}}));
    ASSERT_EQ(out.status, 200) << path << out.body;
    EXPECT_EQ(out.content_type,
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(out.body.substr(0, 2), "PK") << path;
    const std::string workbook = octroi::documents::odt_entry(out.body, "xl/workbook.xml");
    EXPECT_FALSE(workbook.empty()) << path;
    if (path == "/dossiers.xlsx") {  // the search applies: one dossier, Les Clayes-sous-Bois
      const std::string strings = octroi::documents::odt_entry(out.body, "xl/sharedStrings.xml");
      EXPECT_NE(strings.find("EX070162"), std::string::npos);
      EXPECT_EQ(strings.find("EX070158"), std::string::npos);
    }
    if (path == "/budget.xlsx") {
      EXPECT_NE(workbook.find("Journal 2023-16300302"), std::string::npos) << workbook;
    }
  }
}

}  // namespace
}  // namespace octroi_test
