// The back office's pages (issue 6), in-process through Api::handle: log in by the form, see the
// dashboard and a dossier with its figures, edit the plan as a whole, move a dossier, and the
// refusals (no session, no CSRF token, a role without the right, a plan that does not balance)
// that leave the database as it was. Runs on both stores like every integration test.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>

#include "adapters/crypto/sodium_passwords.h"
#include "adapters/http/api.h"
#include "integration/test_support.h"

namespace octroi::http {
const std::map<std::string, std::string>& html_templates();
}

namespace octroi_test {
namespace {

using octroi::http::HttpRequest;
using octroi::http::HttpResponse;

class WebPagesTest : public DemoDatabaseTest {
 protected:
  void SetUp() override {
    DemoDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    for (const auto& [login, role] :
         {std::pair{"instructeur", "instructor"}, std::pair{"lecteur", "reader"},
          std::pair{"greffe", "clerk"}}) {
      auto u = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
        return octroi::create_user(
            tx, ctx, {login, login, role, "", std::string("mot-de-passe-") + login}, passwords_);
      });
      ASSERT_TRUE(u.ok()) << u.refusal().describe();
    }
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
  }

  HttpResponse get(const std::string& path, const std::string& cookie = "") {
    HttpRequest r;
    r.method = "GET";
    const auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) {
      std::string rest = path.substr(q + 1);
      std::size_t at = 0;
      while (at <= rest.size()) {
        auto end = rest.find('&', at);
        if (end == std::string::npos) end = rest.size();
        const auto kv = rest.substr(at, end - at);
        const auto eq = kv.find('=');
        if (eq != std::string::npos) r.query[kv.substr(0, eq)] = kv.substr(eq + 1);
        at = end + 1;
      }
    }
    if (!cookie.empty()) r.headers["cookie"] = "octroi_session=" + cookie;
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  }

  HttpResponse post(const std::string& path, std::map<std::string, std::string> form,
                    const std::string& cookie = "") {
    HttpRequest r;
    r.method = "POST";
    r.path = path;
    for (auto& [k, v] : form)
      r.query[k] = v;  // cpp-httplib puts url-encoded form fields with the query's
    if (!cookie.empty()) r.headers["cookie"] = "octroi_session=" + cookie;
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  }

  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  // Logs in through the form; returns the session cookie's token.
  std::string login(const std::string& who) {
    const auto r = post("/login", {{"login", who}, {"password", "mot-de-passe-" + who}});
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(header(r, "Location"), "/");
    const std::string cookie = header(r, "Set-Cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    const auto start = cookie.find('=') + 1;
    return cookie.substr(start, cookie.find(';') - start);
  }

  static std::string csrf_of(const std::string& html) {
    std::smatch m;
    static const std::regex re("name=\"csrf\" value=\"([0-9a-f]{64})\"");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }

  octroi::crypto::SodiumPasswordHasher passwords_;
  octroi::crypto::SodiumTokenSource tokens_;
  std::unique_ptr<octroi::http::Api> api_;
};

TEST_F(WebPagesTest, WithoutASessionEveryPageSendsToTheLoginForm) {
  for (const char* path : {"/", "/dossiers", "/dossiers/EX070158", "/rapports"}) {
    const auto r = get(path);
    EXPECT_EQ(r.status, 303) << path;
    EXPECT_EQ(header(r, "Location"), "/login") << path;
  }
  const auto form = get("/login");
  EXPECT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<label for=\"login\">Identifiant</label>"), std::string::npos);
  EXPECT_NE(form.body.find("lang=\"fr\""), std::string::npos);
}

TEST_F(WebPagesTest, AWrongPasswordIsRefusedOnTheFormWithoutSayingWhichPartWasWrong) {
  const auto wrong = post("/login", {{"login", "instructeur"}, {"password", "pas-le-bon-mot"}});
  const auto unknown = post("/login", {{"login", "personne"}, {"password", "pas-le-bon-mot"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_NE(wrong.body.find("Identifiant ou mot de passe incorrect."), std::string::npos);
  EXPECT_EQ(header(wrong, "Set-Cookie"), "");
}

TEST_F(WebPagesTest, DashboardAndDossierShowTheFiguresOfCp2023040) {
  const std::string s = login("lecteur");
  const auto home = get("/", s);
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("1" OCTROI_NNBSP "000" OCTROI_NNBSP "000,00" OCTROI_NBSP "€"),
            std::string::npos);
  EXPECT_NE(home.body.find("proposé en commission"), std::string::npos);
  const auto dossier = get("/dossiers/EX070158", s);
  ASSERT_EQ(dossier.status, 200);
  for (const char* figure :
       {"51,62" OCTROI_NBSP "%", "100,01" OCTROI_NBSP "%",
        "16" OCTROI_NNBSP "717,68" OCTROI_NBSP "€", "8" OCTROI_NNBSP "000,00" OCTROI_NBSP "€"})
    EXPECT_NE(dossier.body.find(figure), std::string::npos) << figure;
  // A reader sees no form that changes anything.
  EXPECT_EQ(dossier.body.find("method=\"post\" action=\"/dossiers/"), std::string::npos);
  const auto missing = get("/dossiers/EX999999", s);
  EXPECT_EQ(missing.status, 404);
}

TEST_F(WebPagesTest, AnInstructorEditsThePlanAsAWholeAndTheAwardFollows) {
  const std::string s = login("instructeur");
  auto page = get("/dossiers/EX070162", s);
  const std::string csrf = csrf_of(page.body);
  ASSERT_EQ(csrf.size(), 64u);
  // Proposed to the committee: first back to instruction, by the workflow form.
  const auto moved = post("/dossiers/EX070162/evenement",
                          {{"csrf", csrf}, {"event", "reopen"}, {"reason", "plan à revoir"}}, s);
  ASSERT_EQ(moved.status, 303) << moved.body;
  // Under instruction the plan must balance: an expense alone is refused, nothing changes.
  const std::string before = dump_database(db_);
  const auto lone = post("/dossiers/EX070162/plan", {{"csrf", csrf}, {"expense-1", "5000.00"}}, s);
  EXPECT_EQ(lone.status, 422);
  EXPECT_NE(lone.body.find("plan.unbalanced"), std::string::npos);
  EXPECT_EQ(dump_database(db_), before);
  // Both sides at once: the base falls to 9 200 €, 50 % of it is 4 600 €.
  const auto both = post("/dossiers/EX070162/plan",
                         {{"csrf", csrf}, {"expense-1", "5000.00"}, {"resource-1", "2200.00"}}, s);
  ASSERT_EQ(both.status, 303) << both.body;
  page = get("/dossiers/EX070162?modifie=1", s);
  EXPECT_NE(page.body.find("Plan de financement enregistré."), std::string::npos);
  EXPECT_NE(page.body.find("id=\"award\">4" OCTROI_NNBSP "600,00" OCTROI_NBSP "€"),
            std::string::npos)
      << page.body;
}

TEST_F(WebPagesTest, FormsWithoutTheCsrfTokenOrBeyondTheRoleAreRefused) {
  const std::string s = login("lecteur");
  const std::string csrf = csrf_of(get("/", s).body);
  const std::string before = dump_database(db_);
  const auto no_token = post("/dossiers/EX070158/evenement", {{"event", "reopen"}}, s);
  EXPECT_EQ(no_token.status, 403);
  EXPECT_NE(no_token.body.find("auth.csrf"), std::string::npos);
  const auto reader =
      post("/dossiers/EX070158/evenement", {{"csrf", csrf}, {"event", "reopen"}}, s);
  EXPECT_EQ(reader.status, 403);
  EXPECT_NE(reader.body.find("auth.forbidden"), std::string::npos);
  const auto adopt = post("/rapports/CP 2023-040/adoption", {{"csrf", csrf}}, s);
  EXPECT_EQ(adopt.status, 403);
  EXPECT_EQ(dump_database(db_), before);
}

TEST_F(WebPagesTest, TheClerkAdoptsAReportOnlyOnceConfirmed) {
  const std::string s = login("greffe");
  auto page = get("/rapports/CP 2023-040", s);
  ASSERT_EQ(page.status, 200);
  const std::string csrf = csrf_of(page.body);
  EXPECT_NE(page.body.find("action=\"/rapports/CP%202023-040/adoption\""), std::string::npos);
  const std::string before = dump_database(db_);
  const auto unconfirmed = post("/rapports/CP 2023-040/adoption", {{"csrf", csrf}}, s);
  EXPECT_EQ(unconfirmed.status, 422);
  EXPECT_NE(unconfirmed.body.find("report.confirm"), std::string::npos);
  EXPECT_EQ(dump_database(db_), before);
  const auto adopted =
      post("/rapports/CP 2023-040/adoption", {{"csrf", csrf}, {"confirm", "1"}}, s);
  EXPECT_EQ(adopted.status, 303) << adopted.body;
  EXPECT_NE(get("/rapports/CP 2023-040?adopte=1", s).body.find("Adoption enregistrée."),
            std::string::npos);
  EXPECT_NE(get("/", s).body.find("23" OCTROI_NNBSP "000,00" OCTROI_NBSP "€"), std::string::npos);
}

TEST_F(WebPagesTest, LogoutEndsTheSession) {
  const std::string s = login("lecteur");
  const std::string csrf = csrf_of(get("/", s).body);
  const auto out = post("/logout", {{"csrf", csrf}}, s);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(get("/", s).status, 303);  // back to the login form
}

TEST_F(WebPagesTest, TextFromUsersIsEscapedAndTemplatesNeverUnescape) {
  for (const auto& [name, text] : octroi::http::html_templates()) {
    EXPECT_EQ(text.find("{{{"), std::string::npos) << name;
    EXPECT_EQ(text.find("{{&"), std::string::npos) << name;
    EXPECT_EQ(text.find("<script"), std::string::npos) << name;
  }
  auto party = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::PartyInput in;
    in.legal_name = "<script>alert(1)</script>";
    return octroi::register_party(tx, ctx, in);
  });
  ASSERT_TRUE(party.ok());
  auto created = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::ApplicationInput in;
    in.scheme_number = "00001176";
    in.party_id = party->party.id.value;
    in.title = "<img src=x onerror=alert(1)>";
    in.start = "2023-03-01";
    in.end = "2023-12-31";
    in.reference_year = "2023";
    in.expenses = {{"Abonnement", "1000.00", true}};
    in.resources = {{"Autofinancement", "1000.00", "self_funding", ""}};
    return octroi::create_application(tx, ctx, in);
  });
  ASSERT_TRUE(created.ok()) << created.refusal().describe();
  const std::string s = login("lecteur");
  const auto page = get("/dossiers/" + created->number, s);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_EQ(page.body.find("<img src=x"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"), std::string::npos);
  EXPECT_NE(header(page, "Content-Security-Policy").find("default-src 'none'"), std::string::npos);
}

}  // namespace
}  // namespace octroi_test
