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
#include "integration/web_page_support.h"

namespace octroi::http {
const std::map<std::string, std::string>& html_templates();
}

namespace octroi_test {
namespace {

using octroi::http::HttpRequest;
using octroi::http::HttpResponse;

class WebPagesTest : public WebPageTest {
 protected:
  void SetUp() override {
    DemoDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    add_users({{"instructeur", "instructor"}, {"lecteur", "reader"}, {"greffe", "clerk"}});
    if (HasFatalFailure()) return;
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
  }
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

// Issue 16, finding 6: the login form had no CSRF defence. Its POST must now carry the token that
// GET /login put in a cookie and in the form; without it (a page of another site posting a login
// in the user's name), 403 and nothing happens: no session, no attempt counted.
TEST_F(WebPagesTest, TheLoginFormRefusesAPostWithoutItsToken) {
  const auto form = get("/login");
  std::string cookie;
  for (const auto& [k, v] : form.headers)
    if (k == "Set-Cookie") cookie = v;
  EXPECT_EQ(cookie.rfind("octroi_login=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly; SameSite=Strict"), std::string::npos) << cookie;
  const std::string token = cookie.substr(13, cookie.find(';') - 13);
  EXPECT_NE(form.body.find("name=\"login_csrf\" value=\"" + token + "\""), std::string::npos);

  auto forged = [&](const std::string& field, const std::string& in_cookie) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/login";
    r.query = {{"login", "lecteur"}, {"password", "mot-de-passe-lecteur"}};
    if (!field.empty()) r.query["login_csrf"] = field;
    if (!in_cookie.empty()) r.headers["cookie"] = "octroi_login=" + in_cookie;
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  };
  login("lecteur");  // the account exists and its password is right
  const auto sessions = count_rows(db_, "login_sessions");
  const auto counted = query(db_, "SELECT key, failures FROM login_failures ORDER BY key");
  for (const auto& [field, in_cookie] : std::vector<std::pair<std::string, std::string>>{
           {"", ""}, {token, ""}, {"", token}, {std::string(64, 'a'), token}}) {
    const auto r = forged(field, in_cookie);
    EXPECT_EQ(r.status, 403) << r.body.substr(0, 200);
    EXPECT_NE(r.body.find("Le formulaire de connexion a expiré"), std::string::npos);
    for (const auto& [k, v] : r.headers)
      EXPECT_NE(k + v.substr(0, 15), "Set-Cookieoctroi_session=");
  }
  EXPECT_EQ(count_rows(db_, "login_sessions"), sessions);
  EXPECT_EQ(query(db_, "SELECT key, failures FROM login_failures ORDER BY key"), counted);
  // With both, the login goes through.
  EXPECT_EQ(forged(token, token).status, 303);
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
  // A reader sees no form that changes the dossier: only the one that follows it, which is theirs.
  const std::string form = "method=\"post\" action=\"/dossiers/";
  const auto first = dossier.body.find(form);
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(dossier.body.compare(first + form.size(), 14, "EX070158/suivi"), 0) << dossier.body;
  EXPECT_EQ(dossier.body.find(form, first + 1), std::string::npos) << dossier.body;
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

// ---- private notes on the dossier page --------------------------------------------------------

TEST_F(WebPagesTest, AnInstructorAddsANoteThatReadersSeeButCannotWrite) {
  const std::string s = login("instructeur");
  auto page = get("/dossiers/EX070158", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<h2 id=\"h-echanges\">Échanges : notes privées</h2>"), std::string::npos);
  EXPECT_NE(page.body.find("Aucune note."), std::string::npos);
  EXPECT_NE(page.body.find("method=\"post\" action=\"/dossiers/EX070158/notes\""),
            std::string::npos);
  const std::string csrf = csrf_of(page.body);
  ASSERT_EQ(csrf.size(), 64u);

  // Refusals change nothing: an empty note (spaces only), no CSRF token, an unknown dossier.
  const std::string before = dump_database(db_);
  const auto empty = post("/dossiers/EX070158/notes", {{"csrf", csrf}, {"text", "  \n  "}}, s);
  EXPECT_EQ(empty.status, 422);
  EXPECT_NE(empty.body.find("text.required"), std::string::npos);
  EXPECT_NE(empty.body.find("La note est obligatoire."), std::string::npos);
  const auto missing = post("/dossiers/EX070158/notes", {{"text", "Sans jeton"}}, s);
  EXPECT_EQ(missing.status, 403);
  EXPECT_NE(missing.body.find("auth.csrf"), std::string::npos);
  const auto unknown = post("/dossiers/EX999999/notes", {{"csrf", csrf}, {"text", "Note"}}, s);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(dump_database(db_), before);

  // The note, with markup in it, shown as text with its author and time.
  const std::string text = "Devis <b>reçu</b> & \"validé\" <script>alert('note')</script>";
  const auto added = post("/dossiers/EX070158/notes", {{"csrf", csrf}, {"text", text}}, s);
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_EQ(header(added, "Location"), "/dossiers/EX070158?note=1");
  EXPECT_EQ(count_rows(db_, "application_notes"), 1);
  page = get("/dossiers/EX070158?note=1", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Note ajoutée."), std::string::npos);
  EXPECT_EQ(page.body.find("Aucune note."), std::string::npos);
  EXPECT_NE(page.body.find("<strong>instructeur</strong>, 20 janvier 2023, 10 h 00 :"),
            std::string::npos)
      << page.body;
  EXPECT_EQ(page.body.find("<b>reçu</b>"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.body.find("Devis &lt;b&gt;reçu&lt;&#x2F;b&gt; &amp; &quot;validé&quot; "
                           "&lt;script&gt;alert(&#39;note&#39;)&lt;&#x2F;script&gt;"),
            std::string::npos)
      << page.body;
  // Another dossier has none.
  EXPECT_NE(get("/dossiers/EX070162", s).body.find("Aucune note."), std::string::npos);

  // A reader sees the note but no form, and a note posted anyway is refused.
  const std::string r = login("lecteur");
  page = get("/dossiers/EX070158", r);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Devis &lt;b&gt;reçu"), std::string::npos);
  EXPECT_EQ(page.body.find("action=\"/dossiers/EX070158/notes\""), std::string::npos);
  EXPECT_EQ(page.body.find("name=\"text\""), std::string::npos);
  const std::string reader_csrf = csrf_of(page.body);
  ASSERT_EQ(reader_csrf.size(), 64u);  // the logout form's
  const std::string with_note = dump_database(db_);
  const auto refused =
      post("/dossiers/EX070158/notes", {{"csrf", reader_csrf}, {"text", "Note du lecteur"}}, r);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("auth.forbidden"), std::string::npos);
  EXPECT_EQ(dump_database(db_), with_note);
}

// ---- the account page: changing one's password -----------------------------------------------

TEST_F(WebPagesTest, ChangingThePasswordEndsTheSessionsAndOnlyTheNewOneOpensAnother) {
  const std::string s = login("lecteur");
  const std::string other = login("lecteur");  // the same user, elsewhere
  auto page = get("/compte", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<h1>Mon compte</h1>"), std::string::npos);
  EXPECT_NE(page.body.find("method=\"post\" action=\"/compte\""), std::string::npos);
  EXPECT_NE(page.body.find("<a href=\"/compte\">Mon compte</a>"), std::string::npos);
  const std::string csrf = csrf_of(page.body);
  ASSERT_EQ(csrf.size(), 64u);
  const std::string old_password = "mot-de-passe-lecteur";
  const std::string new_password = "un tout nouveau mot de passe";

  // The wrong current password, or no CSRF token: refused, nothing changed, still logged in.
  const std::string before = dump_database(db_);
  const auto wrong =
      post("/compte", {{"csrf", csrf}, {"current", "pas-le-bon-mot"}, {"next", new_password}}, s);
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("user.password_wrong"), std::string::npos);
  EXPECT_NE(wrong.body.find("Le mot de passe actuel est incorrect."), std::string::npos);
  EXPECT_EQ(header(wrong, "Set-Cookie"), "");
  const auto no_token = post("/compte", {{"current", old_password}, {"next", new_password}}, s);
  EXPECT_EQ(no_token.status, 403);
  EXPECT_NE(no_token.body.find("auth.csrf"), std::string::npos);
  EXPECT_EQ(dump_database(db_), before);
  EXPECT_EQ(get("/", s).status, 200);

  // The change: back to the login form, with a notice; both sessions are over.
  const auto changed =
      post("/compte", {{"csrf", csrf}, {"current", old_password}, {"next", new_password}}, s);
  ASSERT_EQ(changed.status, 303) << changed.body;
  EXPECT_EQ(header(changed, "Location"), "/login?motdepasse=1");
  EXPECT_EQ(header(changed, "Set-Cookie"),
            "octroi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  const auto notice = get("/login?motdepasse=1");
  EXPECT_EQ(notice.status, 200);
  EXPECT_NE(notice.body.find("Mot de passe changé : reconnectez-vous avec le nouveau."),
            std::string::npos);
  for (const std::string& old_session : {s, other}) {
    const auto r = get("/", old_session);
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(header(r, "Location"), "/login");
  }
  EXPECT_EQ(count_rows(db_, "login_sessions"), 0);

  // The old password is refused; the new one opens a session.
  const auto refused = post("/login", {{"login", "lecteur"}, {"password", old_password}});
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(header(refused, "Set-Cookie"), "");
  const auto opened = post("/login", {{"login", "lecteur"}, {"password", new_password}});
  ASSERT_EQ(opened.status, 303) << opened.body;
  const std::string cookie = header(opened, "Set-Cookie");
  const auto start = cookie.find('=') + 1;
  EXPECT_EQ(get("/", cookie.substr(start, cookie.find(';') - start)).status, 200);
}

// ---- the party page --------------------------------------------------------------------------

TEST_F(WebPagesTest, APartysPageListsItsDossiersWithWhatWasAwardedAndPaid) {
  const std::int64_t montfermeil = party_id("Commune de Montfermeil");
  const std::string href = "/tiers/" + std::to_string(montfermeil);
  const std::string s = login("lecteur");
  // The dossier page links to its party.
  const auto dossier = get("/dossiers/EX070158", s);
  ASSERT_EQ(dossier.status, 200);
  EXPECT_NE(dossier.body.find("<a href=\"" + href + "\">Commune de Montfermeil</a>"),
            std::string::npos);
  // Before the vote: EX070158 is listed, nothing awarded nor paid.
  auto page = get(href, s);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<h1>Commune de Montfermeil</h1>"), std::string::npos);
  EXPECT_NE(page.body.find("<a href=\"/dossiers/EX070158\">EX070158</a>"), std::string::npos);
  EXPECT_NE(page.body.find("proposé en commission"), std::string::npos);
  EXPECT_NE(page.body.find("TVA : non récupérée (montants TTC)."), std::string::npos);
  for (const char* other : {"EX070162", "EX069984", "EX065392"})
    EXPECT_EQ(page.body.find(other), std::string::npos) << other;

  // After the vote, the agreement and a 2 400 € advance (tests/scenarios/award-payments.scn).
  auto life = write([&](octroi::Transaction& tx, const octroi::Context& ctx) -> octroi::Status {
    auto scheme = octroi::scheme_by_number(tx, ctx.authority, "00001176");
    if (!scheme.ok()) return scheme.refusal();
    octroi::SchemeInput rules = octroi::scheme_input_of(scheme.value());
    rules.advance_max = "30";
    rules.interim_max = "80";
    if (auto r = octroi::edit_scheme(tx, ctx, "00001176", rules); !r.ok()) return r.refusal();
    if (auto r = octroi::adopt_report(tx, ctx, "CP 2023-040"); !r.ok()) return r.refusal();
    if (auto r = octroi::create_agreement(tx, ctx, "EX070158", {}); !r.ok()) return r.refusal();
    if (auto r = octroi::sign_agreement(tx, ctx, "EX070158", {"beneficiary", "2023-02-10"});
        !r.ok())
      return r.refusal();
    if (auto r = octroi::sign_agreement(tx, ctx, "EX070158", {"authority", "2023-02-15"}); !r.ok())
      return r.refusal();
    octroi::PaymentInput advance;
    advance.kind = "advance";
    advance.amount = "2400";
    advance.on = "2023-03-01";
    if (auto r = octroi::request_payment(tx, ctx, "EX070158", advance); !r.ok()) return r.refusal();
    return octroi::done();
  });
  ASSERT_TRUE(life.ok()) << life.refusal().describe();
  page = get(href, s);
  ASSERT_EQ(page.status, 200);
  const std::string row = "<tr><th scope=\"row\"><a href=\"/dossiers/EX070158\">EX070158</a></th>";
  const auto at = page.body.find(row);
  ASSERT_NE(at, std::string::npos) << page.body;
  const std::string line = page.body.substr(at, page.body.find("</tr>", at) - at);
  EXPECT_NE(line.find("<td>attribué</td>"), std::string::npos) << line;
  EXPECT_NE(line.find("<td class=\"num\">8" OCTROI_NNBSP "000,00" OCTROI_NBSP "€</td>"
                      "<td class=\"num\">2" OCTROI_NNBSP "400,00" OCTROI_NBSP "€</td>"),
            std::string::npos)
      << line;
  EXPECT_NE(page.body.find("<th scope=\"row\" colspan=\"4\">Total</th>"
                           "<td class=\"num\" id=\"total-awarded\">8" OCTROI_NNBSP
                           "000,00" OCTROI_NBSP "€</td>"
                           "<td class=\"num\" id=\"total-paid\">2" OCTROI_NNBSP "400,00" OCTROI_NBSP
                           "€</td>"),
            std::string::npos)
      << page.body;
}

TEST_F(WebPagesTest, AnUnknownOrMalformedPartyIdIsNotFound) {
  // A party of another authority is unknown here too.
  auto cd93 = octroi::run_write(*store_, [&](octroi::Transaction& tx) {
    return octroi::create_authority(tx, "test:admin", clock_,
                                    {"cd93", "Département de la Seine-Saint-Denis", "", "", ""});
  });
  ASSERT_TRUE(cd93.ok()) << cd93.refusal().describe();
  auto foreign = octroi::run_write(*store_, [&](octroi::Transaction& tx) {
    const octroi::Context ctx{cd93->id, "test:admin", &clock_};
    octroi::PartyInput in;
    in.legal_name = "Commune de Bobigny";
    return octroi::register_party(tx, ctx, in);
  });
  ASSERT_TRUE(foreign.ok()) << foreign.refusal().describe();
  const std::string s = login("lecteur");
  for (const std::string& id :
       {std::string("999999"), std::string("abc"), std::string("-1"), std::string("1x"),
        std::string("0x10"), std::string("99999999999999999999"), std::string("1 OR 1=1"),
        std::to_string(foreign->party.id.value)}) {
    SCOPED_TRACE(id);
    const auto r = get("/tiers/" + id, s);
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_NE(r.body.find("Introuvable"), std::string::npos);
    EXPECT_EQ(r.body.find("Bobigny"), std::string::npos);
  }
  EXPECT_EQ(get("/tiers/" + std::to_string(party_id("Commune de Montfermeil")), s).status, 200);
  // Without a session, the login form.
  const auto anonymous = get("/tiers/" + std::to_string(party_id("Commune de Montfermeil")));
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(header(anonymous, "Location"), "/login");
}

TEST_F(WebPagesTest, TextFromUsersIsEscapedAndTemplatesNeverUnescape) {
  for (const auto& [name, text] : octroi::http::html_templates()) {
    EXPECT_EQ(text.find("{{{"), std::string::npos) << name;
    EXPECT_EQ(text.find("{{&"), std::string::npos) << name;
    // One script only, external (the CSP allows 'self', never inline code): the layout's
    // progressive enhancement.
    for (auto at = text.find("<script"); at != std::string::npos; at = text.find("<script", at + 1))
      EXPECT_EQ(text.compare(at, 47, "<script src=\"/static/octroi.js\" defer></script>"), 0)
          << name;
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
