// The back office's route table (Web::add_routes on a Router): every page is declared with the
// access it needs, and the router refuses each form to every role its action does not permit
// (403 "auth.forbidden", nothing changed), while every role reads every page. Runs on both stores
// like every integration test.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <utility>

#include "adapters/crypto/sodium_passwords.h"
#include "adapters/http/file_tools.h"
#include "adapters/http/job_runner.h"
#include "adapters/http/router.h"
#include "adapters/http/web.h"
#include "common/db_dump.h"
#include "integration/test_support.h"
#include "integration/web_login.h"

namespace octroi_test {
namespace {

using octroi::Action;
using octroi::Role;
using octroi::http::Access;
using octroi::http::HttpRequest;
using octroi::http::HttpResponse;
using octroi::http::RouteInfo;

class WebRoutesTest : public DemoDatabaseTest {
 protected:
  void SetUp() override {
    DemoDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    for (Role role : octroi::all_roles()) {
      const std::string login(to_string(role));
      auto u = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
        return octroi::create_user(
            tx, ctx,
            {login, login, login, role == Role::Instructor ? "Service de l'artisanat" : "",
             "mot-de-passe-" + login},
            passwords_);
      });
      ASSERT_TRUE(u.ok()) << u.refusal().describe();
    }
    throttle_ = std::make_unique<octroi::LoginThrottle>(*store_);
    jobs_ = std::make_unique<octroi::http::JobRunner>(*store_, clock_, 1, 1000, nullptr);
    files_ = std::make_unique<octroi::http::FileTools>(options_, store_->hasher());
    web_ = std::make_unique<octroi::http::Web>(*store_, clock_, passwords_, tokens_, *throttle_,
                                               *jobs_, options_, files_->services());
    web_->add_routes(router_);
    router_.set_gate(octroi::http::Surface::Api, dummy_api_gate_);
  }

  HttpResponse send(const std::string& method, const std::string& path,
                    std::map<std::string, std::string> form, const std::string& cookie) {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.query = std::move(form);
    if (!cookie.empty()) r.headers["cookie"] = "octroi_session=" + cookie;
    r.remote_addr = "127.0.0.1";
    if (method == "POST" && path == "/login")
      with_login_token(r, [&](const HttpRequest& q) { return router_.dispatch(q); });
    return router_.dispatch(r);
  }

  // Logs in by the form; returns the session's token and its CSRF token.
  std::pair<std::string, std::string> login(const std::string& who) {
    const auto r =
        send("POST", "/login", {{"login", who}, {"password", "mot-de-passe-" + who}}, "");
    EXPECT_EQ(r.status, 303) << r.body;
    std::string cookie;
    for (const auto& [k, v] : r.headers)
      if (k == "Set-Cookie") cookie = v;
    const auto start = cookie.find('=') + 1;
    const std::string token = cookie.substr(start, cookie.find(';') - start);
    std::smatch m;
    static const std::regex re("name=\"csrf\" value=\"([0-9a-f]{64})\"");
    const std::string home = send("GET", "/", {}, token).body;
    EXPECT_TRUE(std::regex_search(home, m, re));
    return {token, m[1].str()};
  }

  // A path of the pattern, its parameters filled with the demonstration's values.
  static std::string concrete(const std::string& pattern) {
    static const std::map<std::string, std::string> values = {{"{number}", "EX070158"},
                                                              {"{position}", "1"},
                                                              {"{step}", "autre"},
                                                              {"{file}", "documents.zip"},
                                                              {"{id}", "1"},
                                                              {"{name}", "convention"},
                                                              {"{year}", "2023"},
                                                              {"{action}", "16300302"},
                                                              {"{login}", "lecteur"}};
    std::string out = pattern;
    if (out.rfind("/rapports/{number}", 0) == 0) out.replace(10, 8, "CP 2023-040");
    for (const auto& [k, v] : values)
      for (auto at = out.find(k); at != std::string::npos; at = out.find(k))
        out.replace(at, k.size(), v);
    return out;
  }

  // Refuses what no test should reach.
  class NoApi final : public octroi::http::Gate {
   public:
    octroi::Result<octroi::Principal> authenticate(const HttpRequest&, bool&) override {
      return octroi::refuse("auth.required", "token", "no API here");
    }
    bool csrf_valid(const HttpRequest&, const octroi::Principal&, bool) override { return false; }
    HttpResponse deny(const HttpRequest&, octroi::http::Denial, const octroi::Principal*,
                      const octroi::Refusal*) override {
      ADD_FAILURE() << "a page test reached the API gate";
      return {};
    }
  };

  octroi::crypto::SodiumPasswordHasher passwords_;
  octroi::crypto::SodiumTokenSource tokens_;
  std::unique_ptr<octroi::LoginThrottle> throttle_;
  octroi::http::ApiOptions options_;
  std::unique_ptr<octroi::http::JobRunner> jobs_;  // made in SetUp, once the store is open
  NoApi dummy_api_gate_;
  octroi::http::Router router_;
  std::unique_ptr<octroi::http::FileTools> files_;
  std::unique_ptr<octroi::http::Web> web_;
};

TEST_F(WebRoutesTest, EveryPageStatesItsAccessGetPagesReadAndFormsNameTheirAction) {
  // The forms and the action each performs; every other POST route is listed here too.
  const std::map<std::string, std::optional<Action>> forms = {
      {"/login", std::nullopt},
      {"/logout", std::nullopt},
      {"/compte", std::nullopt},
      {"/dossiers/{number}/plan", Action::EditDossier},
      {"/dossiers/{number}/evenement", Action::MoveDossier},
      {"/dossiers/{number}/notes", Action::EditDossier},
      {"/dossiers/{number}/minimis", Action::EditDossier},
      {"/dossiers/{number}/messages", Action::EditDossier},
      {"/tiers/{id}/demandeurs", Action::ManageParties},
      {"/dossiers/{number}/aide/convention", Action::ManagePayments},
      {"/dossiers/{number}/aide/signature", Action::ManagePayments},
      {"/dossiers/{number}/aide/versement", Action::ManagePayments},
      {"/dossiers/{number}/aide/demandes/{id}/paiement", Action::ManagePayments},
      {"/dossiers/{number}/aide/demandes/{id}/refus", Action::ManagePayments},
      {"/dossiers/{number}/aide/{step}", Action::ManagePayments},
      {"/rapports", Action::ManageReports},
      {"/rapports/{number}/articles", Action::ManageReports},
      {"/rapports/{number}/articles/{position}/retrait", Action::ManageReports},
      {"/rapports/{number}/adoption", Action::ManageReports},
      {"/rapports/{number}/dossiers/{dossier}/montant", Action::ManageReports},
      {"/modeles", Action::ManageSchemes},
      {"/imports", Action::ManageParties},
      {"/admin/comptes", Action::ManageUsers},
      {"/admin/comptes/{login}/desactivation", Action::ManageUsers},
      {"/admin/comptes/{login}/reactivation", Action::ManageUsers},
      {"/admin/comptes/{login}/mot-de-passe", Action::ManageUsers},
      {"/admin/comptes/{login}/changement", Action::ManageUsers},
      {"/admin/jetons", Action::ManageUsers},
      {"/admin/services", Action::ManageUsers},
      {"/admin/jetons/{id}/revocation", Action::ManageUsers},
      {"/admin/collectivite", Action::ManageUsers},
      {"/dispositifs", Action::ManageSchemes},
      {"/dispositifs/{number}", Action::ManageSchemes},
      {"/dispositifs/{number}/circuit", Action::ManageSchemes},
      {"/dispositifs/{number}/portail", Action::ManageSchemes},
      {"/budget/lignes", Action::ManageBudget},
      {"/budget/votes", Action::ManageBudget},
      {"/dossiers/{number}/attribution", Action::MoveDossier},
      {"/dossiers/{number}/suivi", Action::Read},
      {"/dossiers/lot", Action::MoveDossier},
      {"/recherches", Action::Read},
      {"/dossiers/{number}/avis", Action::MoveDossier},
      {"/dossiers/{number}/avis/{id}", Action::MoveDossier},
      {"/recherches/{id}/suppression", Action::Read},
  };
  // The portal's public pages and forms (sign-up, login, the e-mails' links…); every other portal
  // route is the applicant's (Action::Apply), which no agent's role permits.
  const std::set<std::pair<std::string, std::string>> portal_public = {
      {"GET", "/portail"},
      {"GET", "/portail/dispositifs/{number}"},
      {"GET", "/portail/donnees-personnelles"},
      {"GET", "/portail/inscription"},
      {"POST", "/portail/inscription"},
      {"GET", "/portail/verifier"},
      {"POST", "/portail/verifier"},
      {"GET", "/portail/connexion"},
      {"POST", "/portail/connexion"},
      {"GET", "/portail/mot-de-passe"},
      {"POST", "/portail/mot-de-passe"},
      {"GET", "/portail/reinitialiser"},
      {"POST", "/portail/reinitialiser"},
  };
  std::size_t posts = 0, gets = 0, portal = 0;
  for (const RouteInfo& r : router_.table()) {
    SCOPED_TRACE(r.method + " " + r.pattern);
    if (r.surface() == octroi::http::Surface::Portal) {
      ++portal;
      if (portal_public.count({r.method, r.pattern}))
        EXPECT_EQ(r.access.kind(), Access::Kind::Public);
      else
        EXPECT_EQ(r.action(), Action::Apply);
      continue;
    }
    EXPECT_EQ(r.surface(), octroi::http::Surface::Page);
    EXPECT_FALSE(r.summary.empty());
    if (r.method == "GET") {
      ++gets;
      if (r.pattern == "/login" || r.pattern == "/static/{name}") {
        EXPECT_EQ(r.access.kind(), Access::Kind::Public);
      } else if (r.pattern == "/compte") {
        // Also served to an account that must choose a new password first (nothing else is).
        EXPECT_EQ(r.access.kind(), Access::Kind::SignedIn);
      } else if (r.pattern.starts_with("/admin/")) {
        EXPECT_EQ(r.action(), Action::ManageUsers);  // the accounts are the administrators'
      } else {
        EXPECT_EQ(r.action(), Action::Read);
      }
      continue;
    }
    ASSERT_EQ(r.method, "POST");
    ++posts;
    ASSERT_EQ(forms.count(r.pattern), 1u);
    EXPECT_EQ(r.action(), forms.at(r.pattern));
    const auto expected = r.pattern == "/login" ? Access::Kind::Public
                          : forms.at(r.pattern) ? Access::Kind::Permission
                                                : Access::Kind::SignedIn;
    EXPECT_EQ(r.access.kind(), expected);
  }
  EXPECT_EQ(posts, forms.size());
  EXPECT_EQ(gets, 37u);
  EXPECT_EQ(portal, 37u);
}

TEST_F(WebRoutesTest, EachFormIsRefusedToEveryRoleItsActionDoesNotPermitAndEveryRoleReads) {
  for (Role role : octroi::all_roles()) {
    const std::string who(to_string(role));
    SCOPED_TRACE(who);
    const auto [session, csrf] = login(who);
    const std::string before = dump_database(db_);
    for (const RouteInfo& r : router_.table()) {
      if (r.surface() != octroi::http::Surface::Page) continue;  // the portal: below
      if (r.method != "POST" || !r.action() || octroi::permits(role, *r.action())) continue;
      const std::string path = concrete(r.pattern);
      SCOPED_TRACE(path);
      const auto refused = send("POST", path, {{"csrf", csrf}}, session);
      EXPECT_EQ(refused.status, 403) << refused.body;
      EXPECT_NE(refused.body.find("auth.forbidden"), std::string::npos);
    }
    EXPECT_EQ(dump_database(db_), before);
    for (const RouteInfo& r : router_.table()) {
      const std::string path = concrete(r.pattern);
      // PDF, zip and the exports are jobs, whose work would go on in the background while the
      // next role checks that nothing changed: their own tests (jobs_test, web_documents_test,
      // web_open_data_test).
      if (r.surface() != octroi::http::Surface::Page || r.method != "GET" ||
          path.ends_with(".pdf") || path.ends_with(".zip") || path.ends_with(".csv") ||
          path.ends_with(".xlsx"))
        continue;
      SCOPED_TRACE(path);
      const auto page = send("GET", path, {}, session);
      if (r.action() && !octroi::permits(role, *r.action())) {  // the administration's pages
        EXPECT_EQ(page.status, 403) << page.body;
        continue;
      }
      EXPECT_NE(page.status, 403) << page.body;
      EXPECT_EQ(page.body.find("auth.forbidden"), std::string::npos);
    }
  }
}

// The route × role matrix of the portal (issue 19): no agent's session opens an applicant's route
// (each is sent to the portal's login, nothing served, nothing changed), and an applicant's session
// opens none of the back office's pages, whatever their action.
TEST_F(WebRoutesTest, NoAgentRoleOpensThePortalAndTheApplicantNoPageOfTheBackOffice) {
  std::map<Role, std::pair<std::string, std::string>> sessions;
  for (Role role : octroi::all_roles())
    sessions[role] = login(std::string(to_string(role)));
  const std::string before = dump_database(db_);
  for (Role role : octroi::all_roles()) {
    const std::string who(to_string(role));
    SCOPED_TRACE(who);
    const auto& [session, csrf] = sessions[role];
    for (const RouteInfo& r : router_.table()) {
      if (r.surface() != octroi::http::Surface::Portal || r.action() != Action::Apply) continue;
      EXPECT_FALSE(r.access.admits(role));
      const std::string path = concrete(r.pattern);
      SCOPED_TRACE(r.method + " " + path);
      HttpRequest q;
      q.method = r.method;
      q.path = path;
      q.query = {{"csrf", csrf}};
      // The agent's cookie, under its own name and under the portal's.
      for (const std::string& cookie : {"octroi_session=" + session, "octroi_portail=" + session}) {
        q.headers["cookie"] = cookie;
        q.remote_addr = "127.0.0.1";
        const auto out = router_.dispatch(q);
        EXPECT_EQ(out.status, 303) << out.body;
        for (const auto& [k, v] : out.headers)
          if (k == "Location") {
            EXPECT_EQ(v, "/portail/connexion");
          }
      }
    }
  }
  EXPECT_EQ(dump_database(db_), before);
  // The applicant's role permits Apply only, and nothing the agents do.
  for (Action a : octroi::all_actions())
    EXPECT_EQ(octroi::permits(Role::Applicant, a), a == Action::Apply) << to_string(a);
  for (Role role : octroi::all_roles())
    EXPECT_FALSE(octroi::permits(role, Action::Apply)) << to_string(role);
  EXPECT_FALSE(Access::signed_in().admits(Role::Applicant));
}

}  // namespace
}  // namespace octroi_test
