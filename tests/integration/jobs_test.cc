// Long work off the request path (app/jobs.h, issue 15): a document batch asked for through the
// API answers 202 with the job's URL at once; the job runs on the Api's workers (LibreOffice for
// the PDFs) and its file is then fetched. A job is its owner's only; refusals leave nothing
// behind; a job whose worker died is marked failed; a conversion failure is told in words, the
// tool's output going to the log only. The back office's PDF links answer with the job's page.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include "adapters/documents/odt_package.h"
#include "adapters/documents/pdf_converter.h"
#include "adapters/documents/render.h"
#include "app/jobs.h"
#include "app/ports/audit.h"
#include "integration/http_support.h"
#include "integration/job_support.h"

namespace octroi_test {
namespace {

using octroi::Transaction;

class JobsTest : public HttpTest {
 protected:
  std::int64_t count(const std::string& table) { return count_rows(db_, table); }

  std::vector<std::string> audit_actions() {
    std::vector<std::string> out;
    for (const auto& e :
         octroi::run_read(*store_, [&](Transaction& tx) { return tx.audit().audit_trail(idf_); }))
      out.push_back(e.action);
    return out;
  }
};

TEST_F(JobsTest, AReportsArchiveIsAJobAnsweredAtOnceThenItsFile) {
  const Auth greffe = bearer(octroi::Role::Clerk);
  const auto before_audit = audit_actions().size();
  const auto r = call(send_json("POST", "/api/v1/jobs", greffe,
                                nlohmann::json{{"report", "CP 2023-040"}, {"format", "zip"}}));
  ASSERT_EQ(r.status, 202) << describe(r);
  const auto job = json_of(r);
  const std::string url = job["url"];
  EXPECT_EQ(header_of(r, "Location"), url);
  EXPECT_EQ(job["title"], "Documents du rapport CP 2023-040 (.zip)");
  EXPECT_TRUE(job["state"] == "queued" || job["state"] == "running") << job.dump();
  EXPECT_TRUE(job["file"].is_null());

  const auto ended = wait_for_job(url, greffe);
  ASSERT_EQ(ended["state"], "done") << ended.dump();
  EXPECT_EQ(ended["steps_done"], ended["steps_total"]);
  EXPECT_EQ(ended["file"]["name"], "Documents-du-rapport-CP-2023-040.zip");
  const auto file = call(get(ended["file"]["url"].get<std::string>(), greffe));
  ASSERT_EQ(file.status, 200) << describe(file);
  EXPECT_EQ(file.content_type, "application/zip");
  EXPECT_EQ(file.body.substr(0, 2), "PK");
  EXPECT_EQ(octroi::documents::odt_entry(file.body, "deliberation.pdf").substr(0, 5), "%PDF-");
  // The submission and each document generated are in the audit trail, by the job's owner.
  const auto actions = audit_actions();
  ASSERT_GT(actions.size(), before_audit + 1);
  EXPECT_EQ(actions[before_audit], "job.submit");
  EXPECT_EQ(actions[before_audit + 1], "document.generate");
  // Listed among the owner's jobs.
  const auto mine = expect_ok(get("/api/v1/jobs", greffe));
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["url"], url);
}

TEST_F(JobsTest, AnExportIsAJobToo) {
  const Auth reader = bearer(octroi::Role::Reader);
  // Checked at once: the options, then the authority's SIRET (the demonstration has none).
  const std::string before = dump();
  auto r = call(send_json("POST", "/api/v1/jobs", reader,
                          nlohmann::json{{"export", "scdl"}, {"threshold", "beaucoup"}}));
  EXPECT_EQ(r.status, 422) << describe(r);
  EXPECT_EQ(json_of(r)["field"], "threshold");
  r = call(send_json("POST", "/api/v1/jobs", reader, nlohmann::json{{"export", "scdl"}}));
  EXPECT_EQ(r.status, 422) << describe(r);
  EXPECT_EQ(json_of(r)["code"], "scdl.id_attribuant");
  r = call(send_json("POST", "/api/v1/jobs", reader, nlohmann::json{{"export", "tout"}}));
  EXPECT_EQ(r.status, 422) << describe(r);
  EXPECT_EQ(json_of(r)["field"], "export");
  EXPECT_EQ(dump(), before);
  // With a SIRET: the job makes the CSV, and the publication is audited.
  octroi::AuthorityInput in;
  in.siret = "23750007900312";
  ASSERT_TRUE(write([&](Transaction& tx, const octroi::Context& ctx) {
                return octroi::edit_authority(tx, ctx, in);
              }).ok());
  r = call(send_json("POST", "/api/v1/jobs", reader,
                     nlohmann::json{{"export", "scdl"}, {"threshold", "0"}}));
  ASSERT_EQ(r.status, 202) << describe(r);
  const auto ended = wait_for_job(json_of(r)["url"], reader);
  ASSERT_EQ(ended["state"], "done") << ended.dump();
  const auto file = call(get(ended["file"]["url"].get<std::string>(), reader));
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(file.body.substr(0, 27), "nomAttribuant,idAttribuant,");
  EXPECT_EQ(audit_actions().back(), "opendata.scdl_export");
  // A workbook.
  r = call(send_json("POST", "/api/v1/jobs", reader, nlohmann::json{{"export", "budget"}}));
  ASSERT_EQ(r.status, 202) << describe(r);
  const auto book = wait_for_job(json_of(r)["url"], reader);
  ASSERT_EQ(book["state"], "done") << book.dump();
  EXPECT_EQ(book["file"]["name"], "budget.xlsx");
}

TEST_F(JobsTest, AJobIsItsOwnersOnly) {
  const Auth greffe = bearer(octroi::Role::Clerk);
  const auto r = call(send_json(
      "POST", "/api/v1/jobs", greffe,
      nlohmann::json{
          {"application", "EX070162"}, {"document", "project-sheet"}, {"format", "odt"}}));
  ASSERT_EQ(r.status, 202) << describe(r);
  const std::string url = json_of(r)["url"];
  ASSERT_EQ(wait_for_job(url, greffe)["state"], "done");
  // Another caller of the same authority (another token) does not see it, nor its file.
  const Auth other = Auth::token(token(octroi::Role::Clerk, "autre-greffe"));
  for (const std::string& u : {url, url + "/file"}) {
    const auto seen = call(get(u, other));
    EXPECT_EQ(seen.status, 404) << describe(seen);
    EXPECT_EQ(json_of(seen)["code"], "job.unknown");
  }
  EXPECT_TRUE(expect_ok(get("/api/v1/jobs", other))["items"].empty());
  EXPECT_EQ(call(get("/api/v1/jobs/abc", greffe)).status, 404);
  EXPECT_EQ(call(get("/api/v1/jobs/999999", greffe)).status, 404);
  // The owner's file is the project sheet.
  const auto file = call(get(url + "/file", greffe));
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(header_of(file, "Content-Disposition"),
            "attachment; filename=\"fiche-projet-EX070162.odt\"");
  EXPECT_EQ(octroi::documents::check_odt(file.body), std::vector<std::string>{});
}

TEST_F(JobsTest, RefusedRequestsLeaveNoJob) {
  const Auth greffe = bearer(octroi::Role::Clerk);
  const std::string before = dump();
  struct Case {
    nlohmann::json body;
    int status;
    std::string code, field;
  };
  const std::vector<Case> cases = {
      {{{"report", "CP 2023-040"}, {"format", "docx"}}, 422, "request.type", "format"},
      {{{"format", "zip"}}, 422, "request.type", "report"},
      {{{"report", "CP 2023-040"}, {"application", "EX070162"}, {"format", "zip"}},
       422,
       "request.type",
       "report"},
      {{{"report", "CP 2023-040"}, {"format", "pdf"}}, 422, "job.request", "format"},
      {{{"report", "CP 1999-001"}, {"format", "zip"}}, 0, "report.unknown", "report"},
      {{{"report", "CP 2023-040"}, {"files", {"nimportequoi"}}, {"format", "zip"}},
       422,
       "document.unknown_file",
       "only"},
      {{{"application", "EX070158"}, {"document", "agreement"}, {"format", "pdf"}},
       422,
       "document.no_award",
       "number"},
      {{{"application", "EX070162"}, {"document", "lettre"}, {"format", "pdf"}},
       422,
       "request.type",
       "document"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body.dump());
    const auto r = call(send_json("POST", "/api/v1/jobs", greffe, c.body));
    if (c.status) {
      EXPECT_EQ(r.status, c.status) << describe(r);
    }
    EXPECT_GE(r.status, 400);
    const auto j = json_of(r);
    EXPECT_EQ(j["code"], c.code) << r.body;
    EXPECT_EQ(j["field"], c.field) << r.body;
  }
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(count("jobs"), 0);
}

TEST_F(JobsTest, AFileIsNotReadyBeforeTheJobEnds) {
  // Submitted through the use case, without waking any worker: it stays queued.
  auto job = write([&](Transaction& tx, const octroi::Context& ctx) {
    octroi::Context as = ctx;
    as.actor = "api:test-clerk";
    return octroi::submit_document_job(tx, as,
                                       {{octroi::DocumentKind::ProjectSheet, "", "EX070162", ""}},
                                       octroi::DocumentFormat::Pdf, "", "Fiche projet EX070162");
  });
  ASSERT_TRUE(job.ok()) << job.refusal().describe();
  const Auth greffe = bearer(octroi::Role::Clerk);  // actor "api:test-clerk"
  const std::string url = "/api/v1/jobs/" + std::to_string(job->id);
  EXPECT_EQ(expect_ok(get(url, greffe))["state"], "queued");
  const auto file = call(get(url + "/file", greffe));
  EXPECT_EQ(file.status, 409) << describe(file);
  EXPECT_EQ(json_of(file)["code"], "job.not_done");
}

TEST_F(JobsTest, AJobAbandonedByADeadWorkerIsMarkedFailed) {
  auto job = write([&](Transaction& tx, const octroi::Context& ctx) {
    return octroi::submit_document_job(tx, ctx,
                                       {{octroi::DocumentKind::ProjectSheet, "", "EX070162", ""}},
                                       octroi::DocumentFormat::Odt, "", "Fiche projet EX070162");
  });
  ASSERT_TRUE(job.ok());
  // A worker of another process claims it, then dies (no heartbeat any more).
  static_cast<void>(octroi::run_write(*store_, [&](Transaction& tx) {
    auto claimed = tx.jobs().claim_job("ghost:1", clock_m_.now());
    EXPECT_TRUE(claimed.has_value());
    return octroi::Status(octroi::done());
  }));
  clock_m_.advance(octroi::kJobAbandonedSeconds + 1);
  octroi::documents::FodtEngine engine;
  octroi::documents::PdfConverter converter;
  octroi::JobTools tools{engine, converter, store_->hasher()};
  const auto run = octroi::run_next_job(*store_, clock_m_, "test:1", tools);
  EXPECT_FALSE(run.ran);  // nothing else was queued
  const auto j =
      octroi::run_read(*store_, [&](Transaction& tx) { return tx.jobs().find_job(idf_, job->id); });
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->state, octroi::JobState::Failed);
  EXPECT_EQ(j->runner, "ghost:1");
  EXPECT_NE(j->failure.find("s'est arrêté"), std::string::npos) << j->failure;
}

TEST_F(JobsTest, AConversionFailureIsToldInWordsAndItsDetailGoesToTheLog) {
  auto job = write([&](Transaction& tx, const octroi::Context& ctx) {
    return octroi::submit_document_job(tx, ctx,
                                       {{octroi::DocumentKind::ProjectSheet, "", "EX070162", ""}},
                                       octroi::DocumentFormat::Pdf, "", "Fiche projet EX070162");
  });
  ASSERT_TRUE(job.ok());
  octroi::documents::FodtEngine engine;
  octroi::documents::PdfConverter converter({"/nonexistent/soffice", 30});
  octroi::JobTools tools{engine, converter, store_->hasher()};
  const auto run = octroi::run_next_job(*store_, clock_m_, "test:1", tools);
  ASSERT_TRUE(run.ran);
  EXPECT_FALSE(run.done);
  EXPECT_NE(run.detail.find("/nonexistent/soffice"), std::string::npos) << run.detail;
  const auto j =
      octroi::run_read(*store_, [&](Transaction& tx) { return tx.jobs().find_job(idf_, job->id); });
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->state, octroi::JobState::Failed);
  EXPECT_NE(j->failure.find("conversion en PDF a échoué"), std::string::npos) << j->failure;
  EXPECT_EQ(j->failure.find("/nonexistent"), std::string::npos) << j->failure;
}

TEST_F(JobsTest, TheBackOfficesPdfLinkAnswersWithTheJobsPage) {
  const Auth s = login("greffe");
  const auto asked = call(get("/rapports/CP 2023-040/deliberation.pdf", s));
  ASSERT_EQ(asked.status, 303) << describe(asked);
  const std::string page_url = header_of(asked, "Location");
  ASSERT_EQ(page_url.rfind("/travaux/", 0), 0u) << page_url;
  const auto page = call(get(page_url, s));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("« deliberation.pdf » du rapport CP 2023-040"), std::string::npos)
      << page.body;
  const auto pdf = follow_job(asked, [&](const std::string& p) { return call(get(p, s)); });
  ASSERT_EQ(pdf.status, 200) << describe(pdf);
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(header_of(pdf, "Content-Disposition"), "attachment; filename=\"deliberation.pdf\"");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  const auto done = call(get(page_url, s));
  EXPECT_TRUE(header_of(done, "Refresh").empty());
  EXPECT_NE(done.body.find("Télécharger deliberation.pdf"), std::string::npos) << done.body;
  // Listed on « Mes travaux »; another person's session sees neither the job nor its file.
  EXPECT_NE(call(get("/travaux", s)).body.find(page_url), std::string::npos);
  const Auth other = login("lecteur");
  EXPECT_EQ(call(get(page_url, other)).status, 404);
  EXPECT_EQ(call(get(page_url + "/fichier", other)).status, 404);
}

}  // namespace
}  // namespace octroi_test
