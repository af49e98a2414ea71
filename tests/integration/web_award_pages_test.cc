// The back office's search, dossier, award, awards and party pages (issue 6), in-process through
// Api::handle, after the reference demonstration (CP 2023-040): the search form and its
// refusals, the dossier's audit trail and state-aid section, a refused plan form that keeps what
// was typed, an instructor of another service who may read but not change, the agreement,
// signatures and payments of an award by the finance service, and the refusals that leave the
// database as it was. Runs on both stores like every integration test.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "adapters/crypto/sodium_passwords.h"
#include "adapters/documents/odt_package.h"
#include "adapters/http/api.h"
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

class WebAwardPagesTest : public DemoDatabaseTest {
 protected:
  void SetUp() override {
    DemoDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    struct Account {
      const char *login, *name, *role, *service;
    };
    for (const Account& a :
         {Account{"instructeur", "Inès Martin", "instructor", "Service de l'artisanat"},
          Account{"innovation", "Noé Durand", "instructor", "Service de l'innovation"},
          Account{"lecteur", "Léa Petit", "reader", ""},
          Account{"finances", "Fanny Roux", "finance", ""},
          Account{"greffe", "Gaël Moreau", "clerk", ""}}) {
      auto u = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
        return octroi::create_user(
            tx, ctx, {a.login, a.name, a.role, a.service, std::string("mot-de-passe-") + a.login},
            passwords_);
      });
      ASSERT_TRUE(u.ok()) << u.refusal().describe();
    }
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
  }

  // GET `path` with these query parameters (decoded, as cpp-httplib hands them over).
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

  HttpResponse post(const std::string& path, const Form& form, const std::string& cookie) {
    HttpRequest r;
    r.method = "POST";
    r.path = path;
    for (const auto& [k, v] : form)
      r.query[k] = v;  // cpp-httplib puts url-encoded form fields with the query's
    if (!cookie.empty()) r.headers["cookie"] = "octroi_session=" + cookie;
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  }

  // The database is as `before` (a dump_database); else the first difference.
  ::testing::AssertionResult unchanged(const std::string& before) {
    const std::string after = dump_database(db_);
    if (after == before) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << first_difference(before, after);
  }

  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  // Logs in through the form; keeps the session's CSRF token in csrf_[who].
  std::string login(const std::string& who) {
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

  // POST with the session's CSRF token.
  // Posts a form of the award page as the browser would: with the session's CSRF token and, for
  // the payment form, the one-time key of the page as it is shown now (unless `form` has one).
  HttpResponse submit(const std::string& path, Form form, const std::string& session) {
    form["csrf"] = csrf_[session];
    const std::string suffix = "/versement";
    if (path.size() > suffix.size() && path.substr(path.size() - suffix.size()) == suffix &&
        !form.count("cle")) {
      form["cle"] = payment_key_of(get(path.substr(0, path.size() - suffix.size()), session).body);
      // A post the page does not offer (no payment form shown yet): a key of its own.
      if (form["cle"].empty()) form["cle"] = std::string(64, 'f');
    }
    return post(path, form, session);
  }

  static std::string payment_key_of(const std::string& html) {
    std::smatch m;
    static const std::regex re("name=\"cle\" value=\"([0-9a-f]{64})\"");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }

  static std::string csrf_of(const std::string& html) {
    std::smatch m;
    static const std::regex re("name=\"csrf\" value=\"([0-9a-f]{64})\"");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }

  // The rows of the dossier page's de minimis table.
  static std::vector<std::string> check_rows(const std::string& html) {
    std::vector<std::string> out;
    const auto table = html.find("<caption>Contrôles du cumul de minimis");
    if (table == std::string::npos) return out;
    const std::string body = html.substr(table, html.find("</table>", table) - table);
    static const std::regex re("<tr><td>[^<]*</td><td>(instruction|vote)</td>.*?</tr>");
    for (auto it = std::sregex_iterator(body.begin(), body.end(), re); it != std::sregex_iterator();
         ++it)
      out.push_back(it->str());
    return out;
  }

  static bool has(const std::string& body, const std::string& s) {
    return body.find(s) != std::string::npos;
  }

  // The dossier numbers listed in a /dossiers page's table, in order.
  static std::vector<std::string> listed(const std::string& html) {
    std::vector<std::string> out;
    static const std::regex re("<th scope=\"row\"><a href=\"/dossiers/(EX[0-9]{6})\">");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator();
         ++it)
      out.push_back((*it)[1].str());
    return out;
  }

  // The payment ceilings of décret 2018-514 on the chèque numérique, then the vote of CP 2023-040
  // (tests/scenarios/award-payments.scn): EX070158 is awarded 8 000 €.
  void adopt_cp_2023_040() {
    auto done = write([&](octroi::Transaction& tx, const octroi::Context& ctx) -> octroi::Status {
      auto scheme = octroi::scheme_by_number(tx, ctx.authority, "00001176");
      if (!scheme.ok()) return scheme.refusal();
      octroi::SchemeInput rules = octroi::scheme_input_of(scheme.value());
      rules.advance_max = "30";
      rules.interim_max = "80";
      if (auto r = octroi::edit_scheme(tx, ctx, "00001176", rules); !r.ok()) return r.refusal();
      if (auto r = octroi::adopt_report(tx, ctx, "CP 2023-040"); !r.ok()) return r.refusal();
      return octroi::done();
    });
    ASSERT_TRUE(done.ok()) << done.refusal().describe();
  }

  octroi::crypto::SodiumPasswordHasher passwords_;
  octroi::crypto::SodiumTokenSource tokens_;
  std::unique_ptr<octroi::http::Api> api_;
  std::map<std::string, std::string> csrf_;
};

// ---- the search form -------------------------------------------------------------------------

TEST_F(WebAwardPagesTest, TheSearchFormFindsByWordsWithoutAccentsOrCase) {
  const std::string s = login("lecteur");
  auto page = get("/dossiers", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(listed(page.body),
            (std::vector<std::string>{"EX065392", "EX069984", "EX070158", "EX070162"}));
  EXPECT_TRUE(has(page.body, "role=\"search\""));

  page = get("/dossiers", s, {{"q", "achete perreux"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(listed(page.body), std::vector<std::string>{"EX069984"});
  EXPECT_TRUE(has(page.body, "<caption>1 dossier(s) — page 1 sur 1</caption>")) << page.body;
  EXPECT_TRUE(has(page.body, "name=\"q\" type=\"search\" value=\"achete perreux\""));
  // The row: beneficiary, title, state, base and award, French-style.
  EXPECT_TRUE(has(page.body, "<td>Commune du Perreux-sur-Marne</td>"));
  EXPECT_TRUE(has(page.body, "<td>proposé en commission</td>"));
  EXPECT_TRUE(has(page.body, EUROS("17" OCTROI_NNBSP "280,00")));
  EXPECT_TRUE(has(page.body, EUROS("8" OCTROI_NNBSP "000,00")));

  page = get("/dossiers", s, {{"q", "MONTFERMEIL"}});
  EXPECT_EQ(listed(page.body), std::vector<std::string>{"EX070158"});
  page = get("/dossiers", s, {{"q", "CHÈQUE numerique"}});
  EXPECT_EQ(listed(page.body), (std::vector<std::string>{"EX069984", "EX070158", "EX070162"}));
  page = get("/dossiers", s, {{"q", "scic malakoff"}});
  EXPECT_EQ(listed(page.body), std::vector<std::string>{"EX065392"});
  // Nothing found: said so. Markup typed in the box comes back as text.
  page = get("/dossiers", s, {{"q", "montfermeil <b>casaco</b>"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(listed(page.body).empty());
  EXPECT_TRUE(has(page.body, "Aucun dossier ne répond à ces critères."));
  EXPECT_FALSE(has(page.body, "<b>casaco</b>"));
  EXPECT_TRUE(has(page.body, "value=\"montfermeil &lt;b&gt;casaco&lt;&#x2F;b&gt;\""));
  // Query syntax is no syntax.
  page = get("/dossiers", s, {{"q", "montfermeil OR casaco"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(listed(page.body).empty());
  page = get("/dossiers", s, {{"q", "casaco' OR '1'='1"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(listed(page.body).empty());
}

TEST_F(WebAwardPagesTest, FiltersCombineAndKeepTheirValuesInTheForm) {
  const std::string s = login("lecteur");
  auto page = get("/dossiers", s, {{"departement", "93"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(listed(page.body), std::vector<std::string>{"EX070158"});
  EXPECT_TRUE(has(page.body, "name=\"departement\" value=\"93\""));
  page = get("/dossiers", s, {{"state", "awarded"}});
  EXPECT_EQ(listed(page.body), std::vector<std::string>{"EX065392"});
  EXPECT_TRUE(has(page.body, "<option value=\"awarded\" selected>attribué</option>")) << page.body;
  page = get("/dossiers", s, {{"scheme", "00001176"}, {"q", "clayes"}});
  EXPECT_EQ(listed(page.body), std::vector<std::string>{"EX070162"});
  EXPECT_TRUE(has(page.body, "<option value=\"00001176\" selected>00001176 — "));
  page = get("/dossiers", s, {{"state", "awarded"}, {"q", "montfermeil"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(listed(page.body).empty());
  // Past the last page: empty, with a link back.
  page = get("/dossiers", s, {{"q", "cheque"}, {"page", "2"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(listed(page.body).empty());
  EXPECT_TRUE(has(page.body, "page 2"));
  EXPECT_TRUE(has(page.body, "Page précédente"));
  EXPECT_FALSE(has(page.body, "Page suivante"));
  // A page that is not a number is the first.
  page = get("/dossiers", s, {{"page", "deux"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(listed(page.body).size(), 4u);
}

TEST_F(WebAwardPagesTest, TheSessionSelectListsTheCommitteeSessions) {
  const std::string s = login("lecteur");
  auto page = get("/dossiers", s);
  ASSERT_EQ(page.status, 200);
  const auto jan = page.body.find(
      "<option value=\"2023-01-25\">commission permanente du 25 janvier 2023</option>");
  const auto jul = page.body.find(
      "<option value=\"2022-07-07\">commission permanente du 7 juillet 2022</option>");
  ASSERT_NE(jan, std::string::npos) << page.body;
  ASSERT_NE(jul, std::string::npos);
  EXPECT_LT(jan, jul);  // newest first
  page = get("/dossiers", s, {{"session", "2022-07-07"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(listed(page.body), std::vector<std::string>{"EX065392"});
  EXPECT_TRUE(has(page.body,
                  "<option value=\"2022-07-07\" selected>commission permanente du 7 juillet "
                  "2022</option>"));
  page = get("/dossiers", s, {{"session", "2023-01-25"}, {"q", "montfermeil"}});
  EXPECT_EQ(listed(page.body), std::vector<std::string>{"EX070158"});
}

TEST_F(WebAwardPagesTest, AMalformedFilterIsRefusedInFrenchWithThePageStillThere) {
  const std::string s = login("lecteur");
  const std::string before = dump_database(db_);
  auto page = get("/dossiers", s, {{"departement", "9A"}, {"q", "cheque"}});
  EXPECT_EQ(page.status, 422);
  EXPECT_TRUE(
      has(page.body, "Département « 9A » : deux chiffres (75), 2A, 2B ou trois chiffres (971)."))
      << page.body;
  EXPECT_TRUE(has(page.body, "data-code=\"search.departement\""));
  EXPECT_TRUE(has(page.body, "role=\"alert\""));
  EXPECT_TRUE(listed(page.body).empty());
  EXPECT_TRUE(has(page.body, "name=\"departement\" value=\"9A\""));  // kept, to be corrected
  EXPECT_TRUE(has(page.body, "value=\"cheque\""));
  page = get("/dossiers", s, {{"session", "hier"}});
  EXPECT_EQ(page.status, 422);
  EXPECT_TRUE(has(page.body,
                  "La séance se désigne par sa date (AAAA-MM-JJ ou JJ&#x2F;MM&#x2F;AAAA) : « "
                  "hier »."))
      << page.body;
  page = get("/dossiers", s, {{"state", "perdu"}});
  EXPECT_EQ(page.status, 422);
  EXPECT_TRUE(has(page.body, "État de dossier inconnu « perdu »."));
  page = get("/dossiers", s, {{"q", std::string(201, 'x')}});
  EXPECT_EQ(page.status, 422);
  EXPECT_TRUE(has(page.body, "La recherche tient en 200 caractères au plus."));
  page = get("/dossiers", s, {{"scheme", "00000000"}});
  EXPECT_EQ(page.status, 422);
  EXPECT_TRUE(has(page.body, "scheme.unknown"));
  EXPECT_TRUE(unchanged(before));
}

// ---- the dossier page: audit trail, refused plan, services -----------------------------------

TEST_F(WebAwardPagesTest, TheDossierPageShowsItsAuditTrailWithWhoDidIt) {
  const std::string s = login("instructeur");
  auto page = get("/dossiers/EX070162", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "<caption>Journal d'audit du dossier et de sa convention"));
  EXPECT_TRUE(has(page.body, "<td>demo</td><td>création du dossier</td>")) << page.body;
  EXPECT_FALSE(has(page.body, "plan de financement modifié"));
  // Back to instruction, then both sides of the plan at once (as web_pages_test does).
  auto moved =
      submit("/dossiers/EX070162/evenement", {{"event", "reopen"}, {"reason", "plan à revoir"}}, s);
  ASSERT_EQ(moved.status, 303) << moved.body;
  auto edited =
      submit("/dossiers/EX070162/plan", {{"expense-1", "5000.00"}, {"resource-1", "2200.00"}}, s);
  ASSERT_EQ(edited.status, 303) << edited.body;
  page = get("/dossiers/EX070162", s);
  ASSERT_EQ(page.status, 200);
  const auto audit = page.body.find("<caption>Journal d'audit du dossier");
  ASSERT_NE(audit, std::string::npos);
  const auto created = page.body.find("<td>demo</td><td>création du dossier</td>", audit);
  const auto reopened = page.body.find("<td>Inès Martin</td><td>retour en instruction</td>", audit);
  const auto plan =
      page.body.find("<td>Inès Martin</td><td>plan de financement modifié</td>", audit);
  ASSERT_NE(created, std::string::npos);
  ASSERT_NE(plan, std::string::npos) << page.body;
  ASSERT_NE(reopened, std::string::npos) << page.body;
  EXPECT_LT(created, reopened);
  EXPECT_LT(reopened, plan);
  EXPECT_FALSE(has(page.body, "<td>web:instructeur</td>"));
  EXPECT_FALSE(has(page.body, "<td>application.plan_edit</td>"));
  // The history table says it too, in its own words.
  EXPECT_TRUE(has(page.body, "<td>Inès Martin</td><td>modification du plan de financement</td>"));
  // The change's detail: the plan before and after, as recorded (escaped).
  const std::string row = page.body.substr(plan, page.body.find("</tr>", plan) - plan);
  const auto before_at = row.find("Avant : <code>");
  const auto after_at = row.find("Après : <code>");
  ASSERT_NE(before_at, std::string::npos) << row;
  ASSERT_NE(after_at, std::string::npos) << row;
  EXPECT_TRUE(has(row.substr(before_at, after_at - before_at), "&quot;10580.00&quot;")) << row;
  EXPECT_TRUE(has(row.substr(after_at), "&quot;5000.00&quot;")) << row;
  EXPECT_FALSE(has(row.substr(after_at), "&quot;10580.00&quot;")) << row;
}

TEST_F(WebAwardPagesTest, ARefusedPlanFormShowsWhatWasTypedAndChangesNothing) {
  const std::string s = login("instructeur");
  ASSERT_EQ(
      submit("/dossiers/EX070162/evenement", {{"event", "reopen"}, {"reason", "plan à revoir"}}, s)
          .status,
      303);
  const std::string before = dump_database(db_);
  auto refused = submit("/dossiers/EX070162/plan",
                        {{"expense-1", "12x5"},
                         {"expense-2", "4200\"><b>x"},
                         {"resource-1", "2200.00"},
                         {"resource-2", "7000.00"}},
                        s);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(has(refused.body, "role=\"alert\""));
  // The message stands next to its field, which is marked; no API code or path is shown.
  EXPECT_FALSE(has(refused.body, "plan.expenses[1].amount")) << refused.body;
  {
    const auto at = refused.body.find("name=\"expense-1\"");
    ASSERT_NE(at, std::string::npos);
    const std::string tag = refused.body.substr(at, refused.body.find('>', at) - at);
    EXPECT_TRUE(has(tag, "aria-invalid=\"true\" aria-describedby=\"erreur-1\" autofocus")) << tag;
  }
  EXPECT_TRUE(has(refused.body, "data-code=\"amount.invalid\""));
  // The typed values are in their inputs (escaped), not the stored ones.
  EXPECT_TRUE(has(refused.body, "name=\"expense-1\" value=\"12x5\"")) << refused.body;
  EXPECT_TRUE(has(refused.body, "name=\"expense-2\" value=\"4200&quot;&gt;&lt;b&gt;x\""))
      << refused.body;
  EXPECT_FALSE(has(refused.body, "<b>x"));
  EXPECT_TRUE(has(refused.body, "name=\"resource-1\" value=\"2200.00\""));
  EXPECT_TRUE(has(refused.body, "name=\"resource-2\" value=\"7000.00\""));
  // The tables still show the stored amounts.
  EXPECT_TRUE(has(refused.body, EUROS("10" OCTROI_NNBSP "580,00")));
  EXPECT_TRUE(unchanged(before));
  // A plan that would not balance under instruction: 422 too, typed values kept.
  auto unbalanced = submit("/dossiers/EX070162/plan", {{"expense-1", "9999.99"}}, s);
  EXPECT_EQ(unbalanced.status, 422);
  EXPECT_TRUE(has(unbalanced.body, "data-code=\"plan.unbalanced\""));
  EXPECT_TRUE(has(unbalanced.body, "name=\"expense-1\" value=\"9999.99\""));
  EXPECT_TRUE(has(unbalanced.body, "name=\"expense-2\" value=\"4" OCTROI_NNBSP "200,00\""));
  EXPECT_TRUE(unchanged(before));
  // Reloaded, the page shows the stored amounts again, the French way.
  const auto page = get("/dossiers/EX070162", s);
  EXPECT_TRUE(has(page.body, "name=\"expense-1\" value=\"10" OCTROI_NNBSP "580,00\""));
  // Sent back as shown, nothing changes (no line is taken for an edit).
  ASSERT_EQ(submit("/dossiers/EX070162/plan",
                   {{"expense-1", "10" OCTROI_NNBSP "580,00"}, {"resource-1", "7 780,00"}}, s)
                .status,
            303);
  EXPECT_TRUE(unchanged(before));
}

TEST_F(WebAwardPagesTest, AnInstructorOfAnotherServiceReadsButCannotChange) {
  // EX070158 back under instruction, so that its own service could edit its plan.
  auto reopened = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::EventInput in;
    in.event = "reopen";
    in.reason = "plan à revoir";
    return octroi::apply_application_event(tx, ctx, "EX070158", in);
  });
  ASSERT_TRUE(reopened.ok()) << reopened.refusal().describe();
  const std::string own = login("instructeur");
  auto page = get("/dossiers/EX070158", own);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "action=\"/dossiers/EX070158/plan\""));
  EXPECT_FALSE(has(page.body, "vous pouvez le lire, pas le modifier"));

  const std::string other = login("innovation");
  page = get("/dossiers/EX070158", other);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body,
                  "Ce dossier relève de Service de l&#39;artisanat : vous pouvez le lire, pas le "
                  "modifier."))
      << page.body;
  EXPECT_TRUE(has(page.body, "instruit par Service de l&#39;artisanat"));
  for (const char* form :
       {"action=\"/dossiers/EX070158/plan\"", "action=\"/dossiers/EX070158/evenement\"",
        "action=\"/dossiers/EX070158/notes\"", "name=\"expense-1\""})
    EXPECT_FALSE(has(page.body, form)) << form;
  // Forged posts: 403 auth.service, nothing changed.
  const std::string before = dump_database(db_);
  for (const auto& [path, form] :
       {std::pair{std::string("/dossiers/EX070158/plan"),
                  Form{{"expense-1", "10000.00"}, {"resource-1", "8482.92"}}},
        std::pair{std::string("/dossiers/EX070158/evenement"),
                  Form{{"event", "propose"}, {"reason", ""}}},
        std::pair{std::string("/dossiers/EX070158/notes"), Form{{"text", "Note forgée"}}}}) {
    SCOPED_TRACE(path);
    const auto r = submit(path, form, other);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_TRUE(has(r.body, "data-code=\"auth.service\"")) << r.body;
  }
  EXPECT_TRUE(unchanged(before));
  // And the other way round: Casaco's dossier is the innovation service's.
  page = get("/dossiers/EX065392", own);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Ce dossier relève de Service de l&#39;innovation"));
  const auto r = submit("/dossiers/EX065392/notes", {{"text", "Note forgée"}}, own);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(unchanged(before));
  // A reader is not told about services: reading is all they do anyway.
  page = get("/dossiers/EX070158", login("lecteur"));
  EXPECT_FALSE(has(page.body, "vous pouvez le lire, pas le modifier"));
}

// ---- state aid on the dossier page -----------------------------------------------------------

TEST_F(WebAwardPagesTest, ADeMinimisDossierIsCheckedFromItsPage) {
  const std::string s = login("innovation");
  auto page = get("/dossiers/EX065392", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "<h3>Aides d'État</h3>"));
  EXPECT_TRUE(has(page.body, "de minimis, règlement (UE) n° 1407&#x2F;2013")) << page.body;
  // The checks of its instruction and of the vote of CP 2022-285.
  EXPECT_EQ(check_rows(page.body).size(), 2u) << page.body;
  EXPECT_TRUE(has(page.body, "action=\"/dossiers/EX065392/minimis\""));
  const std::int64_t checks = count_rows(db_, "state_aid_checks");
  const auto checked = submit("/dossiers/EX065392/minimis", {}, s);
  ASSERT_EQ(checked.status, 303) << checked.body;
  EXPECT_EQ(header(checked, "Location"), "/dossiers/EX065392?minimis=1");
  EXPECT_EQ(count_rows(db_, "state_aid_checks"), checks + 1);
  page = get("/dossiers/EX065392", s, {{"minimis", "1"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Contrôle de minimis enregistré."));
  const auto rows = check_rows(page.body);
  ASSERT_EQ(rows.size(), 3u) << page.body;
  // The new one, like the first: granted on the award's date (7 July 2022), at instruction,
  // 78 400 € under the 200 000 € ceiling of regulation 1407/2013, its own award not counted.
  EXPECT_EQ(rows[2], rows[0]);
  EXPECT_EQ(rows[2], "<tr><td>7 juillet 2022</td><td>instruction</td>"
                     "<td class=\"num\">" EUROS("78" OCTROI_NNBSP "400,00") "</td>"
                     "<td class=\"num\">" EUROS("0,00") "</td>"
                     "<td class=\"num\">" EUROS("200" OCTROI_NNBSP "000,00") "</td>"
                     "<td class=\"num\">" EUROS("200" OCTROI_NNBSP "000,00") "</td>"
                     "<td>sous le plafond</td></tr>");
  // Its audit line.
  EXPECT_TRUE(has(page.body, "<td>Noé Durand</td><td>contrôle de minimis</td>")) << page.body;
  // The instructing service of the chèque numérique sees the checks but no button.
  page = get("/dossiers/EX065392", login("instructeur"));
  EXPECT_TRUE(has(page.body, "<td>7 juillet 2022</td><td>instruction</td>"));
  EXPECT_FALSE(has(page.body, "action=\"/dossiers/EX065392/minimis\""));
}

TEST_F(WebAwardPagesTest, ANewDeMinimisDossierCountsTheEarlierAidOfItsBeneficiary) {
  // A second dossier of Casaco under the lieux d'innovation (40 %): 4 000 € proposed.
  auto created = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::ApplicationInput in;
    in.scheme_number = "00001033";
    in.party_id = party_id("SAS SCIC Casaco");
    in.title = "Casaco : aménagement de la terrasse";
    in.start = "2023-03-01";
    in.end = "2023-12-31";
    in.reference_year = "2023";
    in.expenses = {{"Travaux", "10000", true}};
    in.resources = {{"Région", "4000", "authority", "sollicité"},
                    {"Fonds propres", "6000", "self_funding", ""}};
    return octroi::create_application(tx, ctx, in);
  });
  ASSERT_TRUE(created.ok()) << created.refusal().describe();
  const std::string path = "/dossiers/" + created->number;
  const std::string s = login("innovation");
  auto page = get(path, s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Aucun contrôle enregistré."));
  EXPECT_TRUE(check_rows(page.body).empty());
  ASSERT_TRUE(has(page.body, "action=\"" + path + "/minimis\"")) << page.body;
  const auto checked = submit(path + "/minimis", {}, s);
  ASSERT_EQ(checked.status, 303) << checked.body;
  page = get(path, s, {{"minimis", "1"}});
  EXPECT_FALSE(has(page.body, "Aucun contrôle enregistré."));
  const auto rows = check_rows(page.body);
  ASSERT_EQ(rows.size(), 1u) << page.body;
  // Granted today (no award yet), 78 400 € already received (CP 2022-285), 121 600 € left.
  EXPECT_EQ(rows[0], "<tr><td>20 janvier 2023</td><td>instruction</td>"
                     "<td class=\"num\">" EUROS("4" OCTROI_NNBSP "000,00") "</td>"
                     "<td class=\"num\">" EUROS("78" OCTROI_NNBSP "400,00") "</td>"
                     "<td class=\"num\">" EUROS("200" OCTROI_NNBSP "000,00") "</td>"
                     "<td class=\"num\">" EUROS("121" OCTROI_NNBSP "600,00") "</td>"
                     "<td>sous le plafond</td></tr>");
}

TEST_F(WebAwardPagesTest, ADossierOutsideStateAidHasNoDeMinimisCheck) {
  const std::string s = login("instructeur");
  const std::string reader = login("lecteur");
  const auto page = get("/dossiers/EX070158", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Régime : hors aide d&#39;État.")) << page.body;
  EXPECT_FALSE(has(page.body, "Contrôles du cumul de minimis"));
  EXPECT_FALSE(has(page.body, "/minimis"));
  EXPECT_FALSE(has(page.body, "Contrôler le cumul de minimis"));
  // Posted anyway: refused, nothing recorded.
  const std::string before = dump_database(db_);
  const auto r = submit("/dossiers/EX070158/minimis", {}, s);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(has(r.body, "stateaid.not_de_minimis"));
  EXPECT_TRUE(unchanged(before));
  // A reader may not post it either.
  const auto refused = submit("/dossiers/EX065392/minimis", {}, reader);
  EXPECT_EQ(refused.status, 403);
  EXPECT_TRUE(has(refused.body, "auth.forbidden"));
  EXPECT_TRUE(unchanged(before));
}

// ---- the award: agreement, signatures, payments ----------------------------------------------

TEST_F(WebAwardPagesTest, TheFinanceServiceDraftsSignsAndPaysTheAward) {
  adopt_cp_2023_040();
  const std::string s = login("finances");
  const std::string award = "/dossiers/EX070158/aide";
  auto page = get(award, s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "id=\"awarded\">" EUROS("8" OCTROI_NNBSP "000,00"))) << page.body;
  EXPECT_TRUE(has(page.body, "par la délibération CP 2023-040 du 25 janvier 2023"));
  EXPECT_TRUE(has(page.body, "id=\"paid\">" EUROS("0,00")));
  EXPECT_TRUE(has(page.body, "id=\"remaining\">" EUROS("8" OCTROI_NNBSP "000,00")));
  EXPECT_TRUE(has(page.body, "Aucune convention établie."));
  EXPECT_TRUE(has(page.body, "action=\"/dossiers/EX070158/aide/convention\""));
  EXPECT_FALSE(has(page.body, "action=\"/dossiers/EX070158/aide/versement\""));
  EXPECT_TRUE(has(page.body, "Aucun versement."));

  // A payment before the agreement is signed: refused on the page, nothing changed.
  std::string before = dump_database(db_);
  auto refused = submit(award + "/versement", {{"kind", "advance"}, {"amount", "2400"}}, s);
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(has(refused.body,
                  "Le versement est subordonné à la signature de la convention du dossier "
                  "EX070158."))
      << refused.body;
  EXPECT_TRUE(has(refused.body, "payment.no_agreement"));
  EXPECT_TRUE(unchanged(before));

  // The agreement, from the scheme's model.
  auto r = submit(award + "/convention", {{"eligibility_start", ""}, {"eligibility_end", ""}}, s);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(header(r, "Location"), "/dossiers/EX070158/aide?convention=1");
  page = get(award, s, {{"convention", "1"}});
  EXPECT_TRUE(has(page.body, "Convention établie."));
  EXPECT_TRUE(has(page.body, "Convention conforme au modèle adopté par CP 2022-111."));
  EXPECT_TRUE(has(page.body, "Signature du bénéficiaire : attendue"));
  EXPECT_TRUE(has(page.body, "action=\"/dossiers/EX070158/aide/signature\""));
  EXPECT_FALSE(has(page.body, "action=\"/dossiers/EX070158/aide/convention\""));
  // Drafted twice: refused.
  before = dump_database(db_);
  r = submit(award + "/convention", {}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "agreement.exists"));
  // Still unsigned: no payment.
  r = submit(award + "/versement", {{"kind", "advance"}, {"amount", "2400"}}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "payment.no_agreement"));
  EXPECT_TRUE(unchanged(before));

  // Both signatures; the second commits the award.
  r = submit(award + "/signature", {{"signatory", "beneficiary"}, {"on", "2023-02-10"}}, s);
  ASSERT_EQ(r.status, 303) << r.body;
  page = get(award, s, {{"signature", "1"}});
  EXPECT_TRUE(has(page.body, "Signature enregistrée."));
  EXPECT_TRUE(has(page.body, "Signature du bénéficiaire : le 10 février 2023"));
  EXPECT_TRUE(has(page.body, "Signature de la collectivité : attendue"));
  r = submit(award + "/signature", {{"signatory", "authority"}, {"on", "15/02/2023"}}, s);
  ASSERT_EQ(r.status, 303) << r.body;
  page = get(award, s);
  EXPECT_TRUE(has(page.body, "Signature de la collectivité : le 15 février 2023"));
  EXPECT_TRUE(has(page.body, "Signée par les deux parties : l'aide est engagée."));
  EXPECT_FALSE(has(page.body, "action=\"/dossiers/EX070158/aide/signature\""));
  EXPECT_TRUE(has(page.body, "action=\"/dossiers/EX070158/aide/versement\""));

  // Bad payments: over the advance ceiling (30 % of 8 000 €), before the signature, unknown kind.
  before = dump_database(db_);
  r = submit(award + "/versement",
             {{"kind", "advance"}, {"amount", "2400.01"}, {"on", "2023-03-01"}}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "payment.advance_ceiling")) << r.body;
  EXPECT_TRUE(has(r.body, "dépasse son plafond")) << r.body;
  EXPECT_TRUE(has(r.body, EUROS("2" OCTROI_NNBSP "400,01")));
  EXPECT_TRUE(has(r.body, EUROS("2" OCTROI_NNBSP "400,00")));
  EXPECT_TRUE(has(r.body, "<h1>Dossier EX070158 — convention et versements</h1>"));
  r = submit(award + "/versement", {{"kind", "advance"}, {"amount", "2400"}, {"on", "2023-02-01"}},
             s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "payment.date")) << r.body;
  EXPECT_TRUE(has(r.body, "précède la signature de la convention"));
  r = submit(award + "/versement", {{"kind", "cadeau"}, {"amount", "10"}}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "payment.kind"));
  r = submit(award + "/versement", {{"kind", "advance"}, {"amount", "beaucoup"}}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(unchanged(before));

  // The advance: 2 400 €.
  const std::string key = payment_key_of(get(award, s).body);
  ASSERT_EQ(key.size(), 64u);
  const Form advance{{"kind", "advance"},
                     {"amount", "2400"},
                     {"on", "2023-03-01"},
                     {"reference", "MDT-2023-0042"},
                     {"cle", key}};
  r = submit(award + "/versement", advance, s);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(header(r, "Location"), "/dossiers/EX070158/aide?versement=1");
  // Issue 16, finding 4: the same form posted again (a double click, a reload) pays nothing more
  // and answers as the first time; its key with other fields is refused; no key, no payment; the
  // reference again in a new form is refused too.
  {
    const std::string after_first = dump_database(db_);
    const auto again = submit(award + "/versement", advance, s);
    EXPECT_EQ(again.status, 303);
    EXPECT_EQ(header(again, "Location"), header(r, "Location"));
    Form other = advance;
    other["amount"] = "2300";
    const auto mismatch = submit(award + "/versement", other, s);
    EXPECT_EQ(mismatch.status, 422);
    EXPECT_TRUE(has(mismatch.body, "idempotency.mismatch")) << mismatch.body;
    Form keyless = advance;
    keyless["cle"] = "";
    const auto no_key = submit(award + "/versement", keyless, s);
    EXPECT_EQ(no_key.status, 422);
    EXPECT_TRUE(has(no_key.body, "payment.key_required"));
    Form fresh = advance;
    fresh.erase("cle");  // submit takes the page's new key
    const auto same_reference = submit(award + "/versement", fresh, s);
    EXPECT_EQ(same_reference.status, 422);
    EXPECT_TRUE(has(same_reference.body, "payment.reference_taken")) << same_reference.body;
    EXPECT_EQ(dump_database(db_), after_first);
  }
  page = get(award, s, {{"versement", "1"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Versement enregistré."));
  EXPECT_TRUE(has(page.body, "id=\"paid\">" EUROS("2" OCTROI_NNBSP "400,00"))) << page.body;
  EXPECT_TRUE(has(page.body, "id=\"remaining\">" EUROS("5" OCTROI_NNBSP "600,00")));
  EXPECT_TRUE(
      has(page.body,
          "<tr><td>1er mars 2023</td><td>avance</td><td class=\"num\">—</td>"
          "<td class=\"num\">" EUROS("2" OCTROI_NNBSP "400,00") "</td>"
                                                                "<td>MDT-2023-0042</td></tr>"))
      << page.body;
  EXPECT_FALSE(has(page.body, "Aucun versement."));
  // A second advance: refused (an advance comes first, alone).
  r = submit(award + "/versement", {{"kind", "advance"}, {"amount", "100"}, {"on", "2023-03-02"}},
             s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "payment.advance_ceiling"));

  // The dossier page sums it up, and its audit trail says who did what.
  page = get("/dossiers/EX070158", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Convention : signée. Versé : " EUROS("2" OCTROI_NNBSP "400,00")));
  EXPECT_TRUE(has(page.body, "<a href=\"/dossiers/EX070158/aide\">"));
  EXPECT_TRUE(has(page.body, "<td>test:instructeur</td><td>aide attribuée par le vote</td>"))
      << page.body;
  EXPECT_TRUE(has(page.body, "<td>Fanny Roux</td><td>convention établie</td>"));
  EXPECT_TRUE(has(page.body, "<td>Fanny Roux</td><td>signature de la convention</td>"));
  EXPECT_TRUE(has(page.body, "<td>Fanny Roux</td><td>avance versée</td>"));

  // The list of awards: EX070158 signed, paid and remaining; the totals.
  page = get("/conventions", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body,
                  "<tr><th scope=\"row\"><a href=\"/dossiers/EX070158/aide\">EX070158</a></th>"
                  "<td>Commune de Montfermeil</td><td>attribué</td><td>signée</td>"
                  "<td class=\"num\">" EUROS(
                      "8" OCTROI_NNBSP
                      "000,00") "</td>"
                                "<td class=\"num\">" EUROS(
                                    "2" OCTROI_NNBSP
                                    "400,00") "</td>"
                                              "<td class=\"num\">" EUROS("5" OCTROI_NNBSP
                                                                         "600,00") "</td></tr>"))
      << page.body;
  EXPECT_TRUE(has(page.body,
                  "<a href=\"/dossiers/EX070162/aide\">EX070162</a></th>"
                  "<td>Commune des Clayes-sous-Bois</td><td>attribué</td>"
                  "<td>à établir</td>"));
  // Casaco's award of 2022, transferred by CP 2023-040 to SCI 6 avenue JJ.
  EXPECT_TRUE(has(page.body,
                  "<a href=\"/dossiers/EX065392/aide\">EX065392</a></th>"
                  "<td>SCI 6 avenue JJ</td>"))
      << page.body;
  EXPECT_TRUE(has(page.body, "<caption>4 aide(s) attribuée(s)</caption>"));
  // 78 400 + 7 000 + 8 000 + 8 000 awarded; 2 400 paid.
  EXPECT_TRUE(has(
      page.body,
      "<th scope=\"row\" colspan=\"4\">Total</th>"
      "<td class=\"num\">" EUROS(
          "101" OCTROI_NNBSP
          "400,00") "</td>"
                    "<td class=\"num\">" EUROS(
                        "2" OCTROI_NNBSP
                        "400,00") "</td>"
                                  "<td class=\"num\">" EUROS("99" OCTROI_NNBSP "000,00") "</td>"))
      << page.body;
}

TEST_F(WebAwardPagesTest, OnlyFinanceAndAdministratorsMayActOnTheAward) {
  adopt_cp_2023_040();
  const std::string reader = login("lecteur");
  const std::string instructor = login("instructeur");
  const std::string finance = login("finances");
  // They see the page, without a form.
  auto page = get("/dossiers/EX070158/aide", reader);
  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(has(page.body, "/aide/convention"));
  EXPECT_FALSE(has(page.body, "/aide/versement"));
  EXPECT_TRUE(has(page.body, "id=\"awarded\">" EUROS("8" OCTROI_NNBSP "000,00")));
  page = get("/conventions", reader);
  EXPECT_EQ(page.status, 200);
  const std::string before = dump_database(db_);
  for (const std::string& who : {reader, instructor}) {
    for (const auto& [path, form] :
         {std::pair{std::string("/dossiers/EX070158/aide/convention"), Form{}},
          std::pair{std::string("/dossiers/EX070158/aide/signature"),
                    Form{{"signatory", "beneficiary"}, {"on", "2023-02-10"}}},
          std::pair{std::string("/dossiers/EX070158/aide/versement"),
                    Form{{"kind", "advance"}, {"amount", "2400"}}}}) {
      SCOPED_TRACE(path);
      const auto r = submit(path, form, who);
      EXPECT_EQ(r.status, 403) << r.body;
      EXPECT_TRUE(has(r.body, "auth.forbidden"));
    }
  }
  // Without the CSRF token, even the finance service is refused.
  const auto no_token = post("/dossiers/EX070158/aide/convention", {}, finance);
  EXPECT_EQ(no_token.status, 403);
  EXPECT_TRUE(has(no_token.body, "auth.csrf"));
  EXPECT_TRUE(unchanged(before));
  // An unknown dossier's award page: not found.
  EXPECT_EQ(get("/dossiers/EX999999/aide", finance).status, 404);
  EXPECT_EQ(submit("/dossiers/EX999999/aide/convention", {}, finance).status, 404);
  EXPECT_TRUE(unchanged(before));
}

TEST_F(WebAwardPagesTest, ADossierNotYetAwardedHasNothingToDraftOrPay) {
  const std::string s = login("finances");
  auto page = get("/dossiers/EX070158/aide", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "État : <strong>proposé en commission</strong>"));
  EXPECT_TRUE(has(page.body, "id=\"awarded\">—"));
  EXPECT_FALSE(has(page.body, "action=\"/dossiers/EX070158/aide/convention\""));
  const std::string before = dump_database(db_);
  const auto r = submit("/dossiers/EX070158/aide/convention", {}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "application.not_awarded")) << r.body;
  EXPECT_TRUE(unchanged(before));
  // Only Casaco's award of 2022 is listed before the vote of CP 2023-040.
  page = get("/conventions", s);
  EXPECT_TRUE(has(page.body, "<caption>1 aide(s) attribuée(s)</caption>")) << page.body;
  EXPECT_TRUE(has(page.body, "<td>SAS SCIC Casaco</td><td>attribué</td><td>à établir</td>"));
}

// ---- the party page: de minimis --------------------------------------------------------------

TEST_F(WebAwardPagesTest, APartysPageShowsItsDeMinimisAid) {
  const std::string s = login("lecteur");
  auto page = get("/tiers/" + std::to_string(party_id("SAS SCIC Casaco")), s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "<h2>Aides de minimis</h2>"));
  EXPECT_TRUE(has(page.body,
                  "<strong id=\"de-minimis-used\">" EUROS("78" OCTROI_NNBSP "400,00") "</strong>"))
      << page.body;
  EXPECT_TRUE(has(page.body, "plafond de " EUROS("200" OCTROI_NNBSP "000,00")));
  EXPECT_TRUE(has(page.body, "<td>7 juillet 2022</td><td class=\"num\">" EUROS("78" OCTROI_NNBSP
                                                                               "400,00") "</td>"))
      << page.body;
  EXPECT_TRUE(has(page.body, "règlement (UE) n° 1407&#x2F;2013"));
  // A commune without de minimis aid.
  page = get("/tiers/" + std::to_string(party_id("Commune de Montfermeil")), s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "<strong id=\"de-minimis-used\">" EUROS("0,00") "</strong>"));
  EXPECT_TRUE(has(page.body, "Aucune aide de minimis sur la période."));
}

// ---- the report page: the vote played before it happens ----------------------------------------

TEST_F(WebAwardPagesTest, AReportShowsWhetherItsVoteWouldPass) {
  const std::string s = login("lecteur");
  auto page = get("/rapports/CP 2023-040", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "serait accepté")) << page.body;
  EXPECT_TRUE(
      has(page.body, "<tr><th scope=\"row\">2023&#x2F;16300302</th><td class=\"num\">" EUROS(
                         "23" OCTROI_NNBSP "000,00") "</td>"))
      << page.body;
  EXPECT_FALSE(has(page.body, "insuffisant"));
  // The line of the Journées Européennes des Métiers d'Art reduced below the article's 24 500 €.
  auto cut = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::MovementInput in;
    in.line = "2023/16100107";
    in.ae = "-190000";
    in.reference = "DM 2023-1";
    in.label = "Décision modificative";
    return octroi::vote_budget(tx, ctx, in);
  });
  ASSERT_TRUE(cut.ok()) << cut.refusal().describe();
  page = get("/rapports/CP 2023-040", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Le vote serait refusé aujourd'hui :")) << page.body;
  EXPECT_TRUE(has(page.body, "<td>insuffisant</td>"));
  EXPECT_FALSE(has(page.body, "serait accepté"));
  // Once adopted, no dry run.
  ASSERT_TRUE(write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
                return octroi::vote_budget(
                    tx, ctx,
                    {"2023/16100107", "", "190000", "", "DM 2023-2", "Rétablissement", ""});
              }).ok());
  adopt_cp_2023_040();
  page = get("/rapports/CP 2023-040", s);
  EXPECT_FALSE(has(page.body, "serait accepté"));
  EXPECT_FALSE(has(page.body, "Contrôle des autorisations d'engagement"));
}

// A clerk removes an article from a draft report: the following articles move up, the AE/AP
// check follows, the audit trail keeps the report before and after. A wrong position, a reader
// and an adopted report are refused, and nothing changes.
TEST_F(WebAwardPagesTest, AClerkRemovesAnArticleFromADraftReport) {
  const std::string s = login("greffe");
  const std::string href = "/rapports/CP%202023-040";
  auto page = get("/rapports/CP 2023-040", s);
  ASSERT_EQ(page.status, 200);
  const std::string csrf = csrf_of(page.body);
  EXPECT_NE(page.body.find("action=\"" + href + "/articles/4/retrait\""), std::string::npos);
  const auto heading = [](const std::string& body, int n) {
    const auto at = body.find("<h2>Article " + std::to_string(n) + " — ");
    return at == std::string::npos ? std::string() : body.substr(at, body.find("</h2>", at) - at);
  };
  const std::string third = heading(page.body, 3);
  ASSERT_FALSE(third.empty());

  const std::string reader = login("lecteur");
  const std::string reader_csrf = csrf_of(get("/", reader).body);
  std::string before = dump_database(db_);
  // Without the confirmation box ticked, nothing is removed.
  auto refused = post("/rapports/CP 2023-040/articles/2/retrait", {{"csrf", csrf}}, s);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("data-code=\"report.confirm\""), std::string::npos);
  EXPECT_TRUE(unchanged(before));
  refused =
      post("/rapports/CP 2023-040/articles/9/retrait", {{"csrf", csrf}, {"confirm-9", "1"}}, s);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("article.unknown"), std::string::npos);
  EXPECT_NE(refused.body.find("article n° « 9 »"), std::string::npos);
  refused = post("/rapports/CP 2023-040/articles/2/retrait", {{"csrf", reader_csrf}}, reader);
  EXPECT_EQ(refused.status, 403);
  refused = post("/rapports/CP 2023-040/articles/2/retrait", {}, s);  // no CSRF token
  EXPECT_EQ(refused.status, 403);
  EXPECT_TRUE(unchanged(before));

  const auto removed =
      post("/rapports/CP 2023-040/articles/2/retrait", {{"csrf", csrf}, {"confirm-2", "1"}}, s);
  ASSERT_EQ(removed.status, 303) << removed.body;
  page = get("/rapports/CP 2023-040", s, {{"retrait", "1"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Article retiré."), std::string::npos);
  EXPECT_TRUE(heading(page.body, 4).empty());
  // The former third article is now the second, under the same kind.
  EXPECT_EQ(heading(page.body, 2).substr(heading(page.body, 2).find(" — ")),
            third.substr(third.find(" — ")));
  auto trail = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
    return tx.audit().audit_of(idf_, "report", "CP 2023-040");
  });
  ASSERT_FALSE(trail.empty());
  EXPECT_EQ(trail.back().action, "report.remove_article");
  EXPECT_EQ(trail.back().actor, "web:greffe");

  // Once adopted, the report is the deliberation: nothing is removed from it.
  auto adopted = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::adopt_report(tx, ctx, "CP 2023-040");
  });
  ASSERT_TRUE(adopted.ok()) << adopted.refusal().describe();
  page = get("/rapports/CP 2023-040", s);
  EXPECT_EQ(page.body.find("/retrait\""), std::string::npos);
  before = dump_database(db_);
  refused =
      post("/rapports/CP 2023-040/articles/1/retrait", {{"csrf", csrf}, {"confirm-1", "1"}}, s);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("report.adopted"), std::string::npos);
  EXPECT_TRUE(unchanged(before));
}

// The project sheet is downloaded from the dossier page, as .odt and as .pdf, by any reader; an
// unknown dossier is a 404 page.
TEST_F(WebAwardPagesTest, TheProjectSheetIsDownloadedFromTheDossierPage) {
  const std::string s = login("lecteur");
  auto page = get("/dossiers/EX070162", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("href=\"/dossiers/EX070162/fiche.odt\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/dossiers/EX070162/fiche.pdf\""), std::string::npos);
  const auto odt = get("/dossiers/EX070162/fiche.odt", s);
  ASSERT_EQ(odt.status, 200);
  EXPECT_EQ(odt.content_type, "application/vnd.oasis.opendocument.text");
  EXPECT_EQ(octroi::documents::check_odt(odt.body), std::vector<std::string>{});
  EXPECT_NE(octroi::documents::odt_entry(odt.body, "content.xml").find("DOSSIER N° EX070162"),
            std::string::npos);
  const auto pdf = follow_job(get("/dossiers/EX070162/fiche.pdf", s),
                              [&](const std::string& p) { return get(p, s); });
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_EQ(get("/dossiers/EX999999/fiche.odt", s).status, 404);
  EXPECT_EQ(get("/dossiers/EX070162/fiche.odt", "").status, 303);  // to the login page
}

}  // namespace

}  // namespace octroi_test
