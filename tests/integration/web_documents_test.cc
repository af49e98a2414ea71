// The official documents in the back office (issue 7), in-process through Api::handle on the
// reference demonstration (CP 2023-040): the session's documents listed on the report page and
// downloaded one by one (.odt) or all together (.zip of their PDFs and ODTs, one LibreOffice run),
// the agreement and the notification letter of an award, each generation recorded in the audit
// trail; the page of templates, their built-in versions, and the upload of a new version by an
// administrator (multipart form, as the server delivers it) with its refusals, which leave the
// database as it was. Runs on both stores like every integration test.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "adapters/crypto/sodium_passwords.h"
#include "adapters/documents/odt_package.h"
#include "adapters/http/api.h"
#include "app/documents.h"
#include "app/ports/audit.h"
#include "integration/job_support.h"
#include "integration/test_support.h"
#include "integration/web_login.h"

namespace octroi_test {
namespace {

using octroi::http::HttpRequest;
using octroi::http::HttpResponse;
using Form = std::map<std::string, std::string>;

#define EUROS(x) x OCTROI_NBSP "€"

const std::string kReport = "/rapports/CP 2023-040";  // the path as the server decodes it
const std::string kHref = "/rapports/CP%202023-040";  // the same, as the pages link it
const std::vector<std::string> kSessionFiles = {"rapport",           "deliberation",
                                                "annexe-1-EX070162", "annexe-1-EX070158",
                                                "annexe-1-EX069984", "annexe-2-avenant-EX065392",
                                                "annexe-2-EX065392"};
const std::vector<std::string> kTemplateNames = {"rapport",    "deliberation",      "fiche_projet",
                                                 "convention", "avenant_transfert", "notification"};

class WebDocumentsTest : public DemoDatabaseTest {
 protected:
  void SetUp() override {
    DemoDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
  }

  // The account `who` (created on first use: one argon2 hash each), logged in through the form;
  // keeps the session's CSRF token in csrf_[session].
  std::string login(const std::string& who) {
    struct Account {
      const char *login, *name, *role, *service;
    };
    static const std::vector<Account> accounts = {
        {"admin", "Adèle Bernard", "administrator", ""},
        {"instructeur", "Inès Martin", "instructor", "Service de l'artisanat"},
        {"chef", "Charles Lefèvre", "approver", ""},
        {"greffe", "Gaël Moreau", "clerk", ""},
        {"finances", "Fanny Roux", "finance", ""},
        {"lecteur", "Léa Petit", "reader", ""}};
    if (!created_.count(who)) {
      const Account* a = nullptr;
      for (const auto& candidate : accounts)
        if (who == candidate.login) a = &candidate;
      if (!a) {
        ADD_FAILURE() << "no account " << who;
        return "";
      }
      auto u = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
        return octroi::create_user(
            tx, ctx, {a->login, a->name, a->role, a->service, "mot-de-passe-" + who}, passwords_);
      });
      EXPECT_TRUE(u.ok()) << u.refusal().describe();
      created_.insert(who);
    }
    HttpRequest r;
    r.method = "POST";
    r.path = "/login";
    r.query = {{"login", who}, {"password", "mot-de-passe-" + who}};
    r.remote_addr = "127.0.0.1";
    with_login_token(r, [&](const HttpRequest& q) { return api_->handle(q); });
    const auto out = api_->handle(r);
    EXPECT_EQ(out.status, 303) << out.body;
    const std::string cookie = header(out, "Set-Cookie");
    const auto start = cookie.find('=') + 1;
    const std::string session = cookie.substr(start, cookie.find(';') - start);
    csrf_[session] = csrf_of(get("/", session).body);
    EXPECT_EQ(csrf_[session].size(), 64u);
    return session;
  }

  HttpResponse get(const std::string& path, const std::string& cookie, const Form& params = {}) {
    HttpRequest r;
    r.method = "GET";
    r.path = path;
    for (const auto& [k, v] : params)
      r.query[k] = v;
    if (!cookie.empty()) r.headers["cookie"] = "octroi_session=" + cookie;
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  }

  // POST /modeles as the server hands a multipart/form-data body over (server.cc, to_request):
  // the parts without a file name in `query`, the file part in `files`. With the session's CSRF
  // token unless `csrf` is false.
  HttpResponse upload(const std::string& session, const Form& fields, const std::string& content,
                      bool csrf = true) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/modeles";
    for (const auto& [k, v] : fields)
      r.query[k] = v;
    if (csrf) r.query["csrf"] = csrf_[session];
    r.files["content"] = content;
    r.headers["cookie"] = "octroi_session=" + session;
    r.headers["content-type"] = "multipart/form-data; boundary=----octroi";
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  }

  static Form convention_fields() {
    return {{"name", "convention"},
            {"adopted_by", "CP 2022-111"},
            {"applies_from", "2022-07-01"},
            {"note", "modifiée par CR 2022-078"}};
  }

  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  static std::string csrf_of(const std::string& html) {
    static const std::string marker = "name=\"csrf\" value=\"";
    const auto at = html.find(marker);
    return at == std::string::npos ? "" : html.substr(at + marker.size(), 64);
  }

  static bool has(const std::string& body, const std::string& s) {
    return body.find(s) != std::string::npos;
  }

  static std::size_t occurrences(const std::string& body, const std::string& s) {
    std::size_t n = 0;
    for (auto at = body.find(s); at != std::string::npos; at = body.find(s, at + s.size()))
      ++n;
    return n;
  }

  ::testing::AssertionResult unchanged(const std::string& before) {
    const std::string after = dump_database(db_);
    if (after == before) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << first_difference(before, after);
  }

  // The "document.generate" lines of the audit trail, oldest first.
  std::vector<octroi::AuditEntry> generations() {
    std::vector<octroi::AuditEntry> out;
    for (auto& e : octroi::run_read(
             *store_, [&](octroi::Transaction& tx) { return tx.audit().audit_trail(idf_); }))
      if (e.action == "document.generate") out.push_back(std::move(e));
    return out;
  }

  // Every stored template version, as "convention v1 CP 2022-111".
  std::vector<std::string> versions() {
    std::vector<std::string> out;
    for (const auto& f : octroi::run_read(
             *store_, [&](octroi::Transaction& tx) { return octroi::list_templates(tx, idf_); }))
      for (const auto& v : f.versions)
        out.push_back(v.name + " v" + std::to_string(v.version) + " " + v.adopted_by);
    return out;
  }

  std::string sha256(const std::string& bytes) { return store_->hasher().sha256_hex(bytes); }

  // The text of a PDF (pdftotext), no-break spaces and line breaks as spaces.
  std::string pdf_text(const std::string& pdf) {
    const std::string path = dir_.file("document-" + std::to_string(++files_) + ".pdf");
    std::ofstream(path, std::ios::binary) << pdf;
    std::string out;
    if (FILE* p = popen(("pdftotext '" + path + "' -").c_str(), "r")) {
      char buf[4096];
      for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
        out.append(buf, n);
      pclose(p);
    }
    for (const std::string& nb : {std::string(OCTROI_NNBSP), std::string(OCTROI_NBSP)})
      for (auto at = out.find(nb); at != std::string::npos; at = out.find(nb, at))
        out.replace(at, nb.size(), " ");
    for (auto& ch : out)
      if (ch == '\n') ch = ' ';
    return out;
  }

  // The names of a zip archive's entries, in order (zipinfo -1).
  std::vector<std::string> zip_names(const std::string& zip) {
    const std::string path = dir_.file("archive-" + std::to_string(++files_) + ".zip");
    std::ofstream(path, std::ios::binary) << zip;
    std::string listing;
    if (FILE* p = popen(("zipinfo -1 '" + path + "' 2>/dev/null").c_str(), "r")) {
      char buf[4096];
      for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
        listing.append(buf, n);
      pclose(p);
    }
    std::vector<std::string> out;
    std::size_t at = 0;
    for (auto end = listing.find('\n'); end != std::string::npos;
         at = end + 1, end = listing.find('\n', at))
      out.push_back(listing.substr(at, end - at));
    return out;
  }

  // The life of EX070158 after the vote of CP 2023-040: agreement signed by both parties, advance
  // and balance paid (app/demo.cc).
  void play_life() {
    auto life = octroi::run_write(*store_, [&](octroi::Transaction& tx) {
      return octroi::play_demo_life(tx, "demo", clock_);
    });
    ASSERT_TRUE(life.ok()) << life.refusal().describe();
  }

  // A new report of the standing committee of 15 March 2023, as a clerk creates it: no article
  // yet.
  void create_empty_report() {
    auto created = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      octroi::ReportInput in;
      in.number = "CP 2023-041";
      in.title = "Rapport en cours de composition";
      in.body = "standing_committee";
      in.session_date = "2023-03-15";
      return octroi::create_report(tx, ctx, in);
    });
    ASSERT_TRUE(created.ok()) << created.refusal().describe();
  }

  octroi::crypto::SodiumPasswordHasher passwords_;
  octroi::crypto::SodiumTokenSource tokens_;
  std::unique_ptr<octroi::http::Api> api_;
  std::map<std::string, std::string> csrf_;
  std::set<std::string> created_;
  int files_ = 0;
};

// ---- the session's documents ------------------------------------------------------------------

TEST_F(WebDocumentsTest, TheReportPageListsTheSessionsDocuments) {
  const std::string s = login("lecteur");
  const auto page = get(kReport, s);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(has(page.body, "<h2>Documents de séance</h2>"));
  EXPECT_TRUE(has(page.body, "<a href=\"" + kHref + "/documents.zip\">")) << page.body;
  for (const auto& file : kSessionFiles) {
    SCOPED_TRACE(file);
    EXPECT_TRUE(has(page.body, "<a href=\"" + kHref + "/" + file + ".pdf\">PDF</a>"));
    EXPECT_TRUE(has(page.body, "<a href=\"" + kHref + "/" + file + ".odt\">ODT</a>"));
  }
  // In the order of the session's file, each with its label.
  std::size_t at = 0;
  for (const std::string& label : std::vector<std::string>{
           "<li>Rapport (exposé des motifs) : <a href=\"" + kHref + "/rapport.pdf\">",
           "<li>Projet de délibération : <a href=\"" + kHref + "/deliberation.pdf\">",
           "<li>Fiche projet EX070162 : <a href=\"" + kHref + "/annexe-1-EX070162.pdf\">",
           std::string("<li>Fiche projet EX070158 : "), std::string("<li>Fiche projet EX069984 : "),
           "<li>Avenant de transfert EX065392 : <a href=\"" + kHref +
               "/annexe-2-avenant-EX065392.pdf\">",
           "<li>Fiche projet EX065392 : <a href=\"" + kHref + "/annexe-2-EX065392.pdf\">"}) {
    const auto found = page.body.find(label, at);
    ASSERT_NE(found, std::string::npos) << label << "\n" << page.body;
    at = found + label.size();
  }
  EXPECT_EQ(occurrences(page.body, ".pdf\">PDF</a>"), kSessionFiles.size());
  // Listing them generates nothing.
  EXPECT_TRUE(generations().empty());
}

TEST_F(WebDocumentsTest, TheReportsListLinksEachReportsArchive) {
  const std::string s = login("greffe");
  const auto page = get("/rapports", s);
  ASSERT_EQ(page.status, 200);
  const auto reports = octroi::run_read(
      *store_, [&](octroi::Transaction& tx) { return octroi::list_reports(tx, idf_); });
  ASSERT_TRUE(reports.ok()) << reports.refusal().describe();
  ASSERT_FALSE(reports->empty());
  for (const auto& r : reports.value()) {
    std::string href = r.number;
    for (auto at = href.find(' '); at != std::string::npos; at = href.find(' ', at))
      href.replace(at, 1, "%20");
    EXPECT_TRUE(has(
        page.body, "<a href=\"/rapports/" + href + "/documents.zip\">dossier de séance (.zip)</a>"))
        << r.number << "\n"
        << page.body;
  }
  EXPECT_EQ(occurrences(page.body, "/documents.zip\""), reports->size());
  EXPECT_TRUE(has(page.body, "<a href=\"" + kHref + "/documents.zip\">"));
}

TEST_F(WebDocumentsTest, TheDeliberationIsDownloadedAsOdtAndAudited) {
  const std::string s = login("lecteur");
  const auto odt = get(kReport + "/deliberation.odt", s);
  ASSERT_EQ(odt.status, 200) << odt.body;
  EXPECT_EQ(odt.content_type, "application/vnd.oasis.opendocument.text");
  EXPECT_EQ(header(odt, "Content-Disposition"), "attachment; filename=\"deliberation.odt\"");
  EXPECT_EQ(odt.body.substr(0, 2), "PK");
  EXPECT_EQ(octroi::documents::check_odt(odt.body), std::vector<std::string>{});
  const std::string content = octroi::documents::odt_entry(odt.body, "content.xml");
  EXPECT_TRUE(has(content, EUROS("5" OCTROI_NNBSP "490" OCTROI_NNBSP "000,00"))) << content;
  EXPECT_TRUE(has(content, "Action économique")) << content;
  EXPECT_TRUE(has(content, "CP 2023-040"));
  EXPECT_FALSE(has(content, "{{")) << "a field left unfilled";

  // Its audit line: who, which template, the hashes of the data and of the very bytes served.
  const auto lines = generations();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].entity, "document");
  EXPECT_EQ(lines[0].entity_key, "deliberation");
  EXPECT_EQ(lines[0].actor, "web:lecteur");
  EXPECT_EQ(lines[0].at.iso(), FixedClock::kNow);
  const auto after = nlohmann::json::parse(lines[0].after, nullptr, false);
  ASSERT_TRUE(after.is_object()) << lines[0].after;
  EXPECT_EQ(after.value("kind", ""), "deliberation");
  EXPECT_EQ(after.value("report", ""), "CP 2023-040");
  EXPECT_EQ(after.value("template", ""), "deliberation");
  EXPECT_EQ(after.value("template_version", -1), 0);
  EXPECT_EQ(after.value("document_sha256", ""), sha256(odt.body));
  EXPECT_EQ(after.value("data_sha256", "").size(), 64u);

  // The same document twice: the same bytes, a second line.
  const auto again = get(kReport + "/deliberation.odt", s);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body, odt.body);
  EXPECT_EQ(generations().size(), 2u);
  // One of the annexes, by its file name.
  const auto annex = get(kReport + "/annexe-2-avenant-EX065392.odt", s);
  ASSERT_EQ(annex.status, 200) << annex.body;
  EXPECT_EQ(header(annex, "Content-Disposition"),
            "attachment; filename=\"annexe-2-avenant-EX065392.odt\"");
  EXPECT_TRUE(has(octroi::documents::odt_entry(annex.body, "content.xml"), "SCI 6 avenue JJ"));
  ASSERT_EQ(generations().size(), 3u);
  EXPECT_EQ(generations().back().entity_key, "annexe-2-avenant-EX065392");
}

TEST_F(WebDocumentsTest, TheSessionsArchiveHoldsEveryDocumentAsPdfAndOdt) {
  const std::string s = login("greffe");
  // A job: the link answers at once with the job's page; its file comes when it is done.
  const auto asked = get(kReport + "/documents.zip", s);
  ASSERT_EQ(asked.status, 303) << asked.body;
  const auto zip = follow_job(asked, [&](const std::string& p) { return get(p, s); });
  ASSERT_EQ(zip.status, 200) << zip.body;
  EXPECT_EQ(zip.content_type, "application/zip");
  EXPECT_EQ(header(zip, "Content-Disposition"),
            "attachment; filename=\"documents-CP-2023-040.zip\"");
  std::vector<std::string> expected;
  for (const auto& f : kSessionFiles) {
    expected.push_back(f + ".pdf");
    expected.push_back(f + ".odt");
  }
  EXPECT_EQ(zip_names(zip.body), expected);
  for (const auto& f : kSessionFiles) {
    SCOPED_TRACE(f);
    EXPECT_EQ(octroi::documents::odt_entry(zip.body, f + ".pdf").substr(0, 5), "%PDF-");
    const std::string odt = octroi::documents::odt_entry(zip.body, f + ".odt");
    ASSERT_FALSE(odt.empty());
    EXPECT_EQ(octroi::documents::check_odt(odt), std::vector<std::string>{});
  }
  EXPECT_TRUE(has(pdf_text(octroi::documents::odt_entry(zip.body, "annexe-1-EX070162.pdf")),
                  "DOSSIER N° EX070162"));
  // Seven documents, seven audit lines, in the order of the archive, each with the hash of the
  // .odt the archive holds.
  const auto lines = generations();
  ASSERT_EQ(lines.size(), kSessionFiles.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(kSessionFiles[i]);
    EXPECT_EQ(lines[i].entity_key, kSessionFiles[i]);
    EXPECT_EQ(lines[i].actor, "web:greffe");
    const auto after = nlohmann::json::parse(lines[i].after, nullptr, false);
    ASSERT_TRUE(after.is_object());
    EXPECT_EQ(after.value("document_sha256", ""),
              sha256(octroi::documents::odt_entry(zip.body, kSessionFiles[i] + ".odt")));
  }
}

// A report being composed, without any article yet: its page links its report and deliberation,
// and the links give the documents (with no article), not a refusal about the template.
TEST_F(WebDocumentsTest, AReportWithoutArticlesYetHasItsDocuments) {
  create_empty_report();
  const std::string s = login("greffe");
  const auto page = get("/rapports/CP 2023-041", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "<a href=\"/rapports/CP%202023-041/rapport.odt\">ODT</a>"));
  EXPECT_TRUE(has(page.body, "<a href=\"/rapports/CP%202023-041/deliberation.odt\">ODT</a>"));
  for (const std::string file : {"rapport", "deliberation"}) {
    SCOPED_TRACE(file);
    const auto odt = get("/rapports/CP 2023-041/" + file + ".odt", s);
    EXPECT_EQ(odt.status, 200) << odt.body;
    if (odt.status != 200) continue;
    EXPECT_EQ(odt.content_type, "application/vnd.oasis.opendocument.text");
    EXPECT_EQ(octroi::documents::check_odt(odt.body), std::vector<std::string>{});
    EXPECT_TRUE(has(octroi::documents::odt_entry(odt.body, "content.xml"), "CP 2023-041"));
  }
  EXPECT_EQ(generations().size(), 2u);
}

TEST_F(WebDocumentsTest, AnUnknownReportOrFileIsNotFoundAndGeneratesNothing) {
  const std::string s = login("lecteur");
  const std::string before = dump_database(db_);
  auto r = get(kReport + "/nimportequoi.pdf", s);
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_TRUE(has(r.body, "Le rapport CP 2023-040 n&#39;a pas de document « nimportequoi.pdf »."))
      << r.body;
  EXPECT_EQ(get(kReport + "/deliberation.doc", s).status, 404);
  EXPECT_EQ(get(kReport + "/deliberation", s).status, 404);
  EXPECT_EQ(get(kReport + "/annexe-1-EX070158.zip", s).status, 404);
  EXPECT_EQ(get(kReport + "/annexe-1-EX999999.odt", s).status, 404);
  r = get("/rapports/CP 1999-001/documents.zip", s);
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_TRUE(has(r.body, "CP 1999-001"));
  EXPECT_EQ(get("/rapports/CP 1999-001/deliberation.odt", s).status, 404);
  // Without a session: to the login page.
  r = get(kReport + "/deliberation.odt", "");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(header(r, "Location"), "/login");
  EXPECT_TRUE(unchanged(before));
  EXPECT_TRUE(generations().empty());
}

// ---- the documents of an award ----------------------------------------------------------------

TEST_F(WebDocumentsTest, TheAgreementAndTheLetterOfAnAwardAreDownloaded) {
  play_life();
  const std::string s = login("finances");
  const auto page = get("/dossiers/EX070158/aide", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "<a href=\"/dossiers/EX070158/convention.pdf\">PDF</a>"));
  EXPECT_TRUE(has(page.body, "<a href=\"/dossiers/EX070158/convention.odt\">ODT</a>"));
  EXPECT_TRUE(has(page.body, "<a href=\"/dossiers/EX070158/notification.pdf\">PDF</a>"));
  EXPECT_TRUE(has(page.body, "<a href=\"/dossiers/EX070158/notification.odt\">ODT</a>"));

  const auto pdf = follow_job(get("/dossiers/EX070158/convention.pdf", s),
                              [&](const std::string& p) { return get(p, s); });
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(header(pdf, "Content-Disposition"), "attachment; filename=\"convention-EX070158.pdf\"");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  const std::string text = pdf_text(pdf.body);
  EXPECT_TRUE(has(text, "CONVENTION N° EX070158")) << text;
  EXPECT_TRUE(has(text, "huit mille euros")) << text;
  EXPECT_TRUE(has(text, "8 000,00 €")) << text;

  const auto letter = get("/dossiers/EX070158/notification.odt", s);
  ASSERT_EQ(letter.status, 200) << letter.body;
  EXPECT_EQ(letter.content_type, "application/vnd.oasis.opendocument.text");
  EXPECT_EQ(header(letter, "Content-Disposition"),
            "attachment; filename=\"notification-EX070158.odt\"");
  EXPECT_EQ(octroi::documents::check_odt(letter.body), std::vector<std::string>{});
  const std::string content = octroi::documents::odt_entry(letter.body, "content.xml");
  EXPECT_TRUE(has(content, "huit mille euros")) << content;
  EXPECT_TRUE(has(content, EUROS("8" OCTROI_NNBSP "000,00")));

  // Both recorded, by whom, with the template used (the built-in one: nothing was uploaded).
  const auto lines = generations();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].entity_key, "convention-EX070158");
  EXPECT_EQ(lines[1].entity_key, "notification-EX070158");
  for (const auto& l : lines) {
    EXPECT_EQ(l.actor, "web:finances");
    const auto after = nlohmann::json::parse(l.after, nullptr, false);
    ASSERT_TRUE(after.is_object());
    EXPECT_EQ(after.value("number", ""), "EX070158");
    EXPECT_EQ(after.value("template_version", -1), 0);
  }
  EXPECT_EQ(nlohmann::json::parse(lines[1].after).value("document_sha256", ""),
            sha256(letter.body));
  // Any reader may download them.
  const auto read = get("/dossiers/EX070158/convention.odt", login("lecteur"));
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(generations().size(), 3u);
}

TEST_F(WebDocumentsTest, NoAgreementNorLetterBeforeTheVote) {
  const std::string s = login("finances");
  // EX070158 is still proposed to the committee: no award yet.
  const std::string before = dump_database(db_);
  for (const std::string file :
       {"convention.odt", "convention.pdf", "notification.odt", "notification.pdf"}) {
    SCOPED_TRACE(file);
    const auto r = get("/dossiers/EX070158/" + file, s);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_TRUE(has(r.body,
                    "Le dossier EX070158 n&#39;a pas d&#39;aide attribuée : pas de convention "
                    "ni de notification avant le vote."))
        << r.body;
    EXPECT_TRUE(has(r.body, "data-code=\"document.no_award\""));
    EXPECT_TRUE(has(r.body, "role=\"alert\""));
  }
  // An unknown dossier: not found.
  for (const std::string file : {"convention.odt", "notification.pdf", "fiche.odt"}) {
    SCOPED_TRACE(file);
    const auto r = get("/dossiers/EX999999/" + file, s);
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_TRUE(has(r.body, "EX999999"));
  }
  EXPECT_EQ(get("/dossiers/EX070158/convention.doc", s).status, 404);
  EXPECT_TRUE(unchanged(before));
  EXPECT_TRUE(generations().empty());
  // Its project sheet exists before the vote.
  EXPECT_EQ(get("/dossiers/EX070158/fiche.odt", s).status, 200);
  EXPECT_EQ(generations().size(), 1u);
}

// ---- the templates -----------------------------------------------------------------------------

TEST_F(WebDocumentsTest, EveryRoleSeesTheTemplatesOnlyTheAdministratorMayUpload) {
  for (const std::string who : {"lecteur", "instructeur", "chef", "greffe", "finances", "admin"}) {
    SCOPED_TRACE(who);
    const auto page = get("/modeles", login(who));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_TRUE(has(page.body, "<h1>Modèles de documents</h1>"));
    for (const auto& name : kTemplateNames) {
      EXPECT_TRUE(has(page.body, "<caption>Versions du modèle « " + name + " »</caption>")) << name;
      EXPECT_TRUE(
          has(page.body, "<a href=\"/modeles/" + name + "/0.fodt\">" + name + "-v0.fodt</a>"))
          << name;
    }
    EXPECT_EQ(occurrences(page.body, "<th scope=\"row\">0</th><td>modèle intégré à octroi</td>"),
              kTemplateNames.size());
    EXPECT_EQ(occurrences(page.body, "/1.fodt\""), 0u);
    const bool admin = who == "admin";
    EXPECT_EQ(has(page.body,
                  "<form method=\"post\" action=\"/modeles\" "
                  "enctype=\"multipart/form-data\">"),
              admin);
    EXPECT_EQ(has(page.body, "Déposer une nouvelle version"), admin);
  }
}

TEST_F(WebDocumentsTest, ABuiltInTemplateIsDownloaded) {
  const std::string s = login("lecteur");
  const auto r = get("/modeles/convention/0.fodt", s);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/vnd.oasis.opendocument.text-flat-xml");
  EXPECT_EQ(header(r, "Content-Disposition"), "attachment; filename=\"convention-v0.fodt\"");
  EXPECT_EQ(r.body.substr(0, 5), "<?xml");
  EXPECT_TRUE(has(r.body, "<office:document"));
  EXPECT_TRUE(has(r.body, "CONVENTION N° {{dossier}}"));
  EXPECT_TRUE(has(r.body, "Article 7 : Durée<"));
  for (const auto& name : kTemplateNames) {
    SCOPED_TRACE(name);
    const auto t = get("/modeles/" + name + "/0.fodt", s);
    EXPECT_EQ(t.status, 200);
    EXPECT_EQ(t.body.substr(0, 5), "<?xml");
    EXPECT_TRUE(has(t.body, "office:document"));
  }
  const std::string before = dump_database(db_);
  for (const std::string path :
       {"/modeles/convention/abc.fodt", "/modeles/convention/1.fodt", "/modeles/convention/0.odt",
        "/modeles/convention/0", "/modeles/convention/.fodt", "/modeles/convention/-1.fodt",
        "/modeles/convention/9999999.fodt", "/modeles/inconnu/0.fodt"}) {
    SCOPED_TRACE(path);
    const auto refused = get(path, s);
    EXPECT_EQ(refused.status, 404) << refused.body;
    EXPECT_EQ(refused.content_type, "text/html; charset=utf-8");
  }
  EXPECT_TRUE(unchanged(before));
}

TEST_F(WebDocumentsTest, AnAdministratorUploadsAVersionThatTheNextAgreementUses) {
  play_life();
  const std::string admin = login("admin");
  const std::string builtin = get("/modeles/convention/0.fodt", admin).body;
  const std::string marker = "Article 7 : Durée<";
  const auto at = builtin.find(marker);
  ASSERT_NE(at, std::string::npos);
  std::string amended = builtin;
  amended.replace(at, marker.size(), "Article 7 : Durée du contrat<");
  // Before: the built-in template.
  auto odt = get("/dossiers/EX070158/convention.odt", admin);
  ASSERT_EQ(odt.status, 200) << odt.body;
  EXPECT_FALSE(has(octroi::documents::odt_entry(odt.body, "content.xml"), "Durée du contrat"));

  const auto stored = upload(admin, convention_fields(), amended);
  ASSERT_EQ(stored.status, 303) << stored.body;
  EXPECT_EQ(header(stored, "Location"), "/modeles?depose=convention");
  EXPECT_EQ(versions(), std::vector<std::string>{"convention v1 CP 2022-111"});
  const auto page = get("/modeles", admin, {{"depose", "convention"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Nouvelle version du modèle « convention » déposée."));
  EXPECT_TRUE(has(page.body,
                  "<tr><th scope=\"row\">1</th><td>CP 2022-111</td>"
                  "<td>1er juillet 2022</td><td>—</td>"
                  "<td>modifiée par CR 2022-078</td>"))
      << page.body;
  EXPECT_TRUE(has(page.body, "<a href=\"/modeles/convention/1.fodt\">convention-v1.fodt</a>"));
  EXPECT_TRUE(has(page.body, "<code>" + sha256(amended).substr(0, 16) + "…</code>"));
  EXPECT_EQ(occurrences(page.body, "/1.fodt\""), 1u);
  // The version, downloaded as it was uploaded.
  const auto file = get("/modeles/convention/1.fodt", login("lecteur"));
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.body, amended);
  EXPECT_EQ(header(file, "Content-Disposition"), "attachment; filename=\"convention-v1.fodt\"");
  // Its audit line.
  const auto trail = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
    return tx.audit().audit_of(idf_, "template", "convention v1");
  });
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].action, "template.upload");
  EXPECT_EQ(trail[0].actor, "web:admin");

  // The next agreement of EX070158 (awarded on 25 January 2023, its scheme's model adopted by
  // CP 2022-111) follows the new version.
  odt = get("/dossiers/EX070158/convention.odt", admin);
  ASSERT_EQ(odt.status, 200) << odt.body;
  EXPECT_EQ(octroi::documents::check_odt(odt.body), std::vector<std::string>{});
  const std::string content = octroi::documents::odt_entry(odt.body, "content.xml");
  // (French typography: a no-break space before the colon.)
  EXPECT_TRUE(has(content, "Article 7" OCTROI_NBSP ": Durée du contrat</text:p>")) << content;
  EXPECT_TRUE(has(content, "CONVENTION N° EX070158"));
  const auto lines = generations();
  ASSERT_EQ(lines.size(), 2u);
  const auto after = nlohmann::json::parse(lines.back().after, nullptr, false);
  ASSERT_TRUE(after.is_object());
  EXPECT_EQ(after.value("template_version", -1), 1);
  EXPECT_EQ(after.value("template_adopted_by", ""), "CP 2022-111");
  EXPECT_EQ(after.value("template_sha256", ""), sha256(amended));
  // A version in force only from June 2023 does not fill the agreement of an award of January.
  std::string later = builtin;
  later.replace(later.find(marker), marker.size(), "Article 7 : Durée de la convention<");
  Form fields = convention_fields();
  fields["applies_from"] = "2023-06-01";
  ASSERT_EQ(upload(admin, fields, later).status, 303);
  EXPECT_EQ(versions(),
            (std::vector<std::string>{"convention v1 CP 2022-111", "convention v2 CP 2022-111"}));
  odt = get("/dossiers/EX070158/convention.odt", admin);
  ASSERT_EQ(odt.status, 200);
  EXPECT_TRUE(has(octroi::documents::odt_entry(odt.body, "content.xml"), "Durée du contrat"));
  EXPECT_FALSE(
      has(octroi::documents::odt_entry(odt.body, "content.xml"), "Durée de la convention"));
  EXPECT_EQ(nlohmann::json::parse(generations().back().after).value("template_version", -1), 1);
  // The other documents still use their built-in templates.
  const auto letter = get("/dossiers/EX070158/notification.odt", admin);
  ASSERT_EQ(letter.status, 200);
  EXPECT_EQ(nlohmann::json::parse(generations().back().after).value("template_version", -1), 0);
}

// Issue 16, finding 1: a template whose paragraph nests 60 000 elements (430 KB) killed the
// server; it is refused by name and the server goes on.
TEST_F(WebDocumentsTest, ATemplateNestedTooDeepIsRefusedAndTheServerGoesOn) {
  const std::string admin = login("admin");
  std::string deep = get("/modeles/convention/0.fodt", admin).body;
  const std::string marker = "Article 7 : Durée<";
  const auto at = deep.find(marker);
  ASSERT_NE(at, std::string::npos);
  std::string spans;
  for (int i = 0; i < 60000; ++i)
    spans += "<text:span>";
  std::string closes;
  for (int i = 0; i < 60000; ++i)
    closes += "</text:span>";
  deep.replace(at, marker.size() - 1, spans + "Article 7 : Durée" + closes);
  const std::string before = dump_database(db_);
  const auto r = upload(admin, convention_fields(), deep);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "imbrique ses éléments sur plus de 256 niveaux"))
      << r.body.substr(0, 300);
  EXPECT_EQ(dump_database(db_), before);
  EXPECT_EQ(get("/modeles", admin).status, 200);
}

TEST_F(WebDocumentsTest, OnlyAnAdministratorWithTheTokenMayUpload) {
  const std::string builtin = get("/modeles/convention/0.fodt", login("lecteur")).body;
  ASSERT_EQ(builtin.substr(0, 5), "<?xml");
  for (const std::string who : {"instructeur", "chef", "greffe", "finances", "lecteur"}) {
    SCOPED_TRACE(who);
    const std::string s = login(who);
    const std::string logged_in = dump_database(db_);
    const auto r = upload(s, convention_fields(), builtin);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_TRUE(has(r.body, "auth.forbidden")) << r.body;
    EXPECT_TRUE(unchanged(logged_in));
  }
  EXPECT_TRUE(versions().empty());
  // The administrator without the CSRF token, or with another session's.
  const std::string admin = login("admin");
  const std::string logged_in = dump_database(db_);
  auto r = upload(admin, convention_fields(), builtin, false);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(has(r.body, "auth.csrf"));
  Form forged = convention_fields();
  forged["csrf"] = std::string(64, 'a');
  r = upload(admin, forged, builtin, false);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(has(r.body, "auth.csrf"));
  EXPECT_TRUE(unchanged(logged_in));
  EXPECT_TRUE(versions().empty());
  EXPECT_EQ(occurrences(get("/modeles", admin).body, "/1.fodt\""), 0u);
}

TEST_F(WebDocumentsTest, ATemplateThatCannotBeFilledIsRefusedAndTheFormKept) {
  const std::string admin = login("admin");
  const std::string builtin = get("/modeles/convention/0.fodt", admin).body;
  const std::string marker = "Article 7 : Durée<";
  ASSERT_NE(builtin.find(marker), std::string::npos);
  const std::string before = dump_database(db_);

  // Not XML at all.
  auto r = upload(admin, convention_fields(), "Ceci n'est pas un modèle, mais un texte.");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(has(r.body, "role=\"alert\""));
  EXPECT_TRUE(has(r.body, "Le modèle « convention » n&#39;est pas un XML bien formé")) << r.body;
  EXPECT_TRUE(has(r.body, "data-code=\"document.xml\"")) << r.body;
  // What was typed is still in the form.
  EXPECT_TRUE(has(r.body, "name=\"adopted_by\" value=\"CP 2022-111\"")) << r.body;
  EXPECT_TRUE(has(r.body, "name=\"applies_from\" type=\"date\" value=\"2022-07-01\""));
  EXPECT_TRUE(has(r.body, "name=\"note\" value=\"modifiée par CR 2022-078\""));
  EXPECT_TRUE(has(r.body, "<option value=\"convention\" selected>"));
  EXPECT_TRUE(unchanged(before));

  // XML, but not an OpenDocument text.
  r = upload(admin, convention_fields(), "<?xml version=\"1.0\"?><html><body/></html>");
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"document.not_text\"")) << r.body;

  // A field the data does not have: tried on the authority's data (Casaco's award of 2022).
  std::string unknown_field = builtin;
  unknown_field.replace(unknown_field.find(marker), marker.size(),
                        "Article 7 : Durée {{champ_inexistant}}<");
  r = upload(admin, convention_fields(), unknown_field);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(has(r.body, "champ_inexistant")) << r.body;
  EXPECT_TRUE(has(r.body, "data-code=\"document.missing_field\"")) << r.body;
  EXPECT_TRUE(has(r.body, "essai sur convention du dossier")) << r.body;
  EXPECT_TRUE(has(r.body, "name=\"adopted_by\" value=\"CP 2022-111\""));

  // No file, no act, a bad date.
  Form fields = convention_fields();
  fields["adopted_by"] = "";
  fields["applies_from"] = "31/02/2023";
  r = upload(admin, fields, "");
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "Le fichier du modèle (.fodt) est vide."));
  // Each message stands next to its field, which is marked invalid; the first has the focus.
  EXPECT_TRUE(has(r.body, "data-code=\"text.required\"")) << r.body;
  EXPECT_TRUE(has(r.body, "data-code=\"date.nonexistent\"")) << r.body;
  for (const char* field : {"adopted_by", "applies_from"}) {
    const auto at = r.body.find(std::string("name=\"") + field + "\"");
    ASSERT_NE(at, std::string::npos) << field;
    const auto tag_end = r.body.find('>', at);
    EXPECT_NE(r.body.substr(at, tag_end - at).find("aria-invalid=\"true\""), std::string::npos)
        << field << "\n"
        << r.body;
  }
  EXPECT_TRUE(has(r.body, "name=\"applies_from\" type=\"date\" value=\"31&#x2F;02&#x2F;2023\""))
      << r.body;
  // An unknown template name.
  fields = convention_fields();
  fields["name"] = "facture";
  r = upload(admin, fields, builtin);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "Modèle inconnu « facture »")) << r.body;
  EXPECT_TRUE(has(r.body, "data-code=\"template.name\""));

  EXPECT_TRUE(unchanged(before));
  EXPECT_TRUE(versions().empty());
  const auto page = get("/modeles", admin);
  EXPECT_EQ(occurrences(page.body, "/1.fodt\""), 0u);
  // The built-in template itself is accepted.
  r = upload(admin, convention_fields(), builtin);
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(versions(), std::vector<std::string>{"convention v1 CP 2022-111"});
}

// A new version of the report's or the deliberation's template is tried on the newest report: a
// report just created, without articles yet, must not stop an administrator from uploading even
// octroi's own built-in templates.
TEST_F(WebDocumentsTest, TheReportTemplatesMayBeUploadedWhileTheNewestReportIsEmpty) {
  create_empty_report();
  const std::string admin = login("admin");
  for (const std::string name : {"rapport", "deliberation"}) {
    SCOPED_TRACE(name);
    const std::string builtin = get("/modeles/" + name + "/0.fodt", admin).body;
    ASSERT_EQ(builtin.substr(0, 5), "<?xml");
    Form fields = convention_fields();
    fields["name"] = name;
    const auto r = upload(admin, fields, builtin);
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(header(r, "Location"), "/modeles?depose=" + name);
  }
  EXPECT_EQ(versions(),
            (std::vector<std::string>{"rapport v1 CP 2022-111", "deliberation v1 CP 2022-111"}));
}

// ---- the layout ---------------------------------------------------------------------------------

TEST_F(WebDocumentsTest, TheNavigationLinksTheTemplates) {
  const std::string s = login("lecteur");
  for (const std::string path : {"/", "/dossiers", "/rapports", "/modeles"}) {
    SCOPED_TRACE(path);
    const auto page = get(path, s);
    ASSERT_EQ(page.status, 200);
    const auto nav = page.body.find("<nav aria-label=\"Navigation principale\">");
    ASSERT_NE(nav, std::string::npos);
    const std::string links = page.body.substr(nav, page.body.find("</nav>", nav) - nav);
    EXPECT_TRUE(has(links, "<li><a href=\"/modeles\">Modèles</a></li>")) << links;
  }
  // Not on the login page, which has no navigation.
  EXPECT_FALSE(has(get("/login", "").body, "href=\"/modeles\""));
}

}  // namespace
}  // namespace octroi_test
