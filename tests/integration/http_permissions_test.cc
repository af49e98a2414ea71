// Who may call what (issue 6): every route of the router's table that needs a login or an
// action (the API's, and the pages' once they are on the router), called by every role, is
// refused (403: problem+json auth.forbidden for the API, the « accès refusé » page for a page)
// exactly when `access.admits(role)` says no, and a permitted call is never refused for its
// credentials. The routes and their parameters come from the table itself: a route added to the
// router is in the matrix without anything to add here. The table of app/permissions.h's header
// comment is transcribed here by hand, so that the test does not only compare the code with
// itself. Public routes need no credentials; every other route refuses a call without them (API:
// 401 auth.required; pages: a redirection to /login) or, on the API, with a revoked, unknown or
// malformed token (401 auth.bad_token).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "integration/http_support.h"

namespace octroi_test {
namespace {

using nlohmann::json;
using octroi::Action;
using octroi::Role;
using octroi::http::Access;
using octroi::http::HttpRequest;
using octroi::http::RouteInfo;
using octroi::http::Surface;

// The value of a path parameter: the demo's object of that kind where there is one (the segment
// before the parameter says which kind), a placeholder that exists nowhere otherwise.
std::string demo_value(const std::string& before, const std::string& name) {
  static const std::map<std::string, std::string> by_collection = {{"applications", "EX070158"},
                                                                   {"dossiers", "EX070158"},
                                                                   {"reports", "CP 2023-040"},
                                                                   {"rapports", "CP 2023-040"},
                                                                   {"schemes", "00001176"},
                                                                   {"dispositifs", "00001176"},
                                                                   {"parties", "1"},
                                                                   {"tiers", "1"},
                                                                   {"conventions", "EX065392"},
                                                                   {"tokens", "999999"},
                                                                   {"documents", "agreement"},
                                                                   {"articles", "99"}};
  static const std::map<std::string, std::string> by_name = {
      {"year", "2023"}, {"action", "16300302"}, {"position", "99"}, {"file", "inconnu"}};
  if (const auto it = by_collection.find(before); it != by_collection.end()) return it->second;
  if (const auto it = by_name.find(name); it != by_name.end()) return it->second;
  return "inconnu";
}

std::string filled(const std::string& pattern) {
  std::string out, before;
  for (const auto& seg : octroi::http::path_segments(pattern)) {
    const bool param = seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
    out += "/" + (param ? demo_value(before, seg.substr(1, seg.size() - 2)) : seg);
    before = seg;
  }
  return out;
}

// A request of `route` with the smallest body: "{}" for the API, an empty form for a page.
HttpRequest request_of(const RouteInfo& route, const Auth& auth) {
  const std::string target = filled(route.pattern);
  if (route.method == "GET") return make_request("GET", target, auth);
  if (route.surface() == Surface::Api)
    return send_json(route.method, target, auth, std::string("{}"));
  // A form carries the session's CSRF token as a field.
  auto r = make_request(route.method, target, auth, "", "application/x-www-form-urlencoded");
  if (!auth.csrf.empty()) r.query["csrf"] = auth.csrf;
  return r;
}

std::string name(Role r) {
  return std::string(to_string(r));
}

bool is_guarded(const RouteInfo& r) {
  return r.access.kind() != Access::Kind::Public;
}

// The refusals a gate words for a caller's credentials, not for what the handler found.
bool refused_for_credentials(const RouteInfo& route, const octroi::http::HttpResponse& out) {
  if (route.surface() == Surface::Page) {
    const std::string location = header_of(out, "Location");
    // A sign-out also sends to /login, clearing the cookie; a refusal never clears it.
    const bool signs_out = header_of(out, "Set-Cookie").find("Max-Age=0") != std::string::npos;
    return (out.status == 303 && location.rfind("/login", 0) == 0 && !signs_out) ||
           (out.status == 403 &&
            (out.body.find("ne permet pas cette action") != std::string::npos ||
             out.body.find("Jeton CSRF") != std::string::npos));
  }
  static const std::set<std::string> gate_codes = {"auth.required",   "auth.bad_token",
                                                   "auth.no_session", "auth.session_expired",
                                                   "auth.forbidden",  "auth.csrf"};
  return gate_codes.count(code_of(out)) > 0;
}

class HttpPermissions : public HttpTest {
 protected:
  // The routes that need a login or an action, each with a request that reaches it.
  std::vector<RouteInfo> guarded_routes() {
    std::vector<RouteInfo> out;
    for (const auto& r : api_->routes()) {
      if (!is_guarded(r)) continue;
      EXPECT_TRUE(pattern_matches(r.pattern, filled(r.pattern))) << r.pattern;
      out.push_back(r);
    }
    return out;
  }

  // The credentials of each role on each surface: an API token, a session for the pages.
  Auth credentials_of(Role role, Surface surface) {
    if (surface == Surface::Api) {
      if (!tokens_.count(role)) tokens_[role] = bearer(role);
      return tokens_[role];
    }
    if (!sessions_.count(role))
      for (const auto& a : octroi::demo_accounts())
        if (a.role == name(role)) sessions_[role] = login(a.login);
    return sessions_[role];
  }

  std::map<Role, Auth> tokens_, sessions_;
};

TEST_F(HttpPermissions, EachRoleIsRefusedExactlyWhatItsRoleDoesNotPermit) {
  const auto routes = guarded_routes();
  EXPECT_GE(routes.size(), 40u);
  std::map<Role, int> allowed, refused;
  for (const auto& route : routes) {
    // The portal's routes take no agent's credentials at all: web_routes_test's portal matrix
    // and PortalApi.AnAgentsTokenOrSessionOpensNoApplicantsRoute.
    if (route.surface() == Surface::Portal || route.surface() == Surface::PortalApi) continue;
    for (Role role : octroi::all_roles()) {
      SCOPED_TRACE(route.method + " " + route.pattern + " as " + name(role) + " (" +
                   (route.action() ? std::string(to_string(*route.action())) : "signed in") + ")");
      const auto out = call(request_of(route, credentials_of(role, route.surface())));
      // Signing out ends the session the later pages use: the next page opens a new one.
      if (route.pattern == "/logout") sessions_.erase(role);
      if (route.access.admits(role)) {
        ++allowed[role];
        EXPECT_FALSE(refused_for_credentials(route, out)) << describe(out);
        EXPECT_NE(out.status, 500) << describe(out);
      } else {
        ++refused[role];
        EXPECT_EQ(out.status, 403) << describe(out);
        EXPECT_NE(out.body.find(std::string(octroi::role_label(role))), std::string::npos)
            << describe(out);
        if (route.surface() == Surface::Api) {
          EXPECT_EQ(code_of(out), "auth.forbidden") << describe(out);
          EXPECT_EQ(field_of(out), "role") << describe(out);
        }
      }
    }
  }
  // Every role reads; only the administrator may do everything the site offers.
  EXPECT_EQ(refused[Role::Administrator], 0);
  for (Role role : octroi::all_roles())
    EXPECT_GT(allowed[role], 0) << name(role);
  for (Role role : {Role::Instructor, Role::Approver, Role::Clerk, Role::Finance, Role::Reader})
    EXPECT_GT(refused[role], 0) << name(role);
}

// app/permissions.h's header comment, transcribed by hand:
//   action \ role            admin instr. approver clerk finance reader
//   read (dossiers, budget…)   x     x      x       x     x       x
//   edit dossiers/plans/notes  x     x
//   workflow (instruction)     x     x      x
//   manage reports, vote       x                    x
//   manage budget lines        x                          x
//   agreements, payments       x                          x
//   schemes, parties           x     x(parties)
//   users, API tokens          x
//   audit trail                x            x       x     x
TEST_F(HttpPermissions, PermitsFollowsTheTableOfTheHeaderComment) {
  using enum Role;
  const std::map<Action, std::set<Role>> table = {
      {Action::Read, {Administrator, Instructor, Approver, Clerk, Finance, Reader}},
      {Action::EditDossier, {Administrator, Instructor}},
      {Action::MoveDossier, {Administrator, Instructor, Approver}},
      {Action::ManageReports, {Administrator, Clerk}},
      {Action::ManageBudget, {Administrator, Finance}},
      {Action::ManagePayments, {Administrator, Finance}},
      {Action::ManageSchemes, {Administrator}},
      {Action::ManageParties, {Administrator, Instructor}},
      {Action::ManageUsers, {Administrator}},
      {Action::ReadAudit, {Administrator, Approver, Clerk, Finance}},
      {Action::Apply, {}},  // the applicant's only (portal), no agent's
  };
  EXPECT_EQ(octroi::all_roles().size(), 6u);
  EXPECT_EQ(octroi::all_actions().size(), table.size());
  for (Action a : octroi::all_actions())
    for (Role r : octroi::all_roles())
      EXPECT_EQ(octroi::permits(r, a), table.at(a).count(r) == 1)
          << name(r) << " / " << to_string(a);
  // The routes name the actions the table speaks of.
  std::map<RouteKey, Action> actions;
  for (const auto& r : api_->routes())
    if (r.action()) actions[{r.method, r.pattern}] = *r.action();
  EXPECT_EQ(actions.at({"POST", "/api/v1/parties"}), Action::ManageParties);
  EXPECT_EQ(actions.at({"POST", "/api/v1/applications/{number}/events"}), Action::MoveDossier);
  EXPECT_EQ(actions.at({"PATCH", "/api/v1/applications/{number}/plan"}), Action::EditDossier);
  EXPECT_EQ(actions.at({"POST", "/api/v1/reports/{number}/adoption"}), Action::ManageReports);
  EXPECT_EQ(actions.at({"GET", "/api/v1/audit"}), Action::ReadAudit);
  EXPECT_EQ(actions.at({"POST", "/api/v1/applications/{number}/agreement"}),
            Action::ManagePayments);
  EXPECT_EQ(actions.at({"POST", "/api/v1/applications/{number}/agreement/signatures"}),
            Action::ManagePayments);
  EXPECT_EQ(actions.at({"POST", "/api/v1/applications/{number}/payments"}), Action::ManagePayments);
  EXPECT_EQ(actions.at({"POST", "/api/v1/applications/{number}/notes"}), Action::EditDossier);
  // Open to any signed-in caller (so also to one who must first change their password).
  for (const auto& r : api_->routes())
    if ((r.method == "POST" && r.pattern == "/api/v1/me/password") ||
        (r.method == "GET" && r.pattern == "/api/v1/me")) {
      EXPECT_EQ(r.access.kind(), octroi::http::Access::Kind::SignedIn) << r.pattern;
    }
  EXPECT_EQ(actions.at({"POST", "/api/v1/applications"}), Action::EditDossier);
  EXPECT_EQ(actions.at({"POST", "/api/v1/applications/{number}/state-aid-checks"}),
            Action::EditDossier);
  EXPECT_EQ(actions.at({"POST", "/api/v1/reports"}), Action::ManageReports);
  EXPECT_EQ(actions.at({"POST", "/api/v1/reports/{number}/articles"}), Action::ManageReports);
  EXPECT_EQ(actions.at({"DELETE", "/api/v1/reports/{number}/articles/{position}"}),
            Action::ManageReports);
  EXPECT_EQ(actions.at({"POST", "/api/v1/budget/lines"}), Action::ManageBudget);
  EXPECT_EQ(actions.at({"POST", "/api/v1/budget/lines/{year}/{action}/movements"}),
            Action::ManageBudget);
  EXPECT_EQ(actions.at({"POST", "/api/v1/tokens"}), Action::ManageUsers);
  EXPECT_EQ(actions.at({"DELETE", "/api/v1/tokens/{id}"}), Action::ManageUsers);
  EXPECT_EQ(actions.at({"POST", "/api/v1/users"}), Action::ManageUsers);
  EXPECT_EQ(actions.at({"POST", "/api/v1/users/{login}/deactivate"}), Action::ManageUsers);
  EXPECT_EQ(actions.at({"POST", "/api/v1/users/{login}/reactivate"}), Action::ManageUsers);
  EXPECT_EQ(actions.at({"POST", "/api/v1/users/{login}/password-reset"}), Action::ManageUsers);
  EXPECT_EQ(actions.at({"POST", "/api/v1/users/{login}/password-change"}), Action::ManageUsers);
  // Every read is open to every role but the audit trail and the lists of accounts and tokens.
  EXPECT_EQ(actions.at({"GET", "/api/v1/tokens"}), Action::ManageUsers);
  EXPECT_EQ(actions.at({"GET", "/api/v1/users"}), Action::ManageUsers);
  for (const auto& [route, action] : actions)
    if (route.first == "GET" && route.second != "/api/v1/audit" &&
        route.second != "/api/v1/tokens" && route.second != "/api/v1/users" &&
        !route.second.starts_with("/admin/") && !route.second.starts_with("/portail") &&
        !route.second.starts_with("/api/v1/portal")) {
      EXPECT_EQ(action, Action::Read) << route.second;
    }

  // A few cells of the table through the API, with real inputs.
  const auto reopen = json{{"event", "reopen"}, {"reason", "Devis actualisé"}};
  json plan = {{"changes", json::array()}};
  plan["changes"].push_back({{"op", "set"}, {"side", "expense"}, {"line", 1}, {"amount", "12000"}});
  plan["changes"].push_back({{"op", "set"}, {"side", "resource"}, {"line", 1}, {"amount", "9200"}});
  // The reader reads, nothing more.
  EXPECT_EQ(call(get("/api/v1/applications/EX070162", bearer(Reader))).status, 200);
  expect_refused(send_json("POST", "/api/v1/parties", bearer(Reader), json{{"legal_name", "X"}}),
                 403, "auth.forbidden");
  expect_refused(get("/api/v1/audit", bearer(Reader)), 403, "auth.forbidden");
  // The approver moves dossiers but does not edit their plans.
  EXPECT_EQ(
      call(send_json("POST", "/api/v1/applications/EX070162/events", bearer(Approver), reopen))
          .status,
      200);
  expect_refused(send_json("PATCH", "/api/v1/applications/EX070162/plan", bearer(Approver), plan),
                 403, "auth.forbidden");
  // The instructor edits plans and registers parties, but reads no audit trail.
  EXPECT_EQ(call(send_json("PATCH", "/api/v1/applications/EX070162/plan", bearer(Instructor), plan))
                .status,
            200);
  EXPECT_EQ(call(send_json("POST", "/api/v1/parties", bearer(Instructor),
                           json{{"legal_name", "Tiers de l'instructeur"}}))
                .status,
            201);
  expect_refused(get("/api/v1/audit", bearer(Instructor)), 403, "auth.forbidden");
  expect_refused(make_request("POST", "/api/v1/reports/CP 2023-040/adoption", bearer(Instructor)),
                 403, "auth.forbidden");
  // Finance reads the audit trail but neither moves dossiers nor records votes.
  EXPECT_EQ(call(get("/api/v1/audit", bearer(Finance))).status, 200);
  expect_refused(send_json("POST", "/api/v1/applications/EX070162/events", bearer(Finance),
                           json{{"event", "propose"}}),
                 403, "auth.forbidden");
  expect_refused(make_request("POST", "/api/v1/reports/CP 2023-040/adoption", bearer(Finance)), 403,
                 "auth.forbidden");
  // The clerk records the vote (once EX070162 is proposed again) and registers no party.
  EXPECT_EQ(call(send_json("POST", "/api/v1/applications/EX070162/events", bearer(Instructor),
                           json{{"event", "propose"}}))
                .status,
            200);
  expect_refused(send_json("POST", "/api/v1/parties", bearer(Clerk), json{{"legal_name", "X"}}),
                 403, "auth.forbidden");
  const auto adopted =
      call(make_request("POST", "/api/v1/reports/CP 2023-040/adoption", bearer(Clerk)));
  EXPECT_EQ(adopted.status, 200) << describe(adopted);
  EXPECT_EQ(json_of(adopted)["state"], "adopted");
  // Agreements and payments are the finance service's (and the administrator's): the instructor
  // and the clerk may not draw up an agreement; finance may, but writes no note.
  const std::string ex = "/api/v1/applications/EX070158";
  for (Role r : {Instructor, Approver, Clerk, Reader})
    expect_refused(send_json("POST", ex + "/agreement", bearer(r), json::object()), 403,
                   "auth.forbidden");
  EXPECT_EQ(call(send_json("POST", ex + "/agreement", bearer(Finance), json::object())).status,
            201);
  expect_refused(send_json("POST", ex + "/agreement/signatures", bearer(Instructor),
                           json{{"signatory", "beneficiary"}, {"on", "2023-02-10"}}),
                 403, "auth.forbidden");
  EXPECT_EQ(call(send_json("POST", ex + "/agreement/signatures", bearer(Finance),
                           json{{"signatory", "beneficiary"}, {"on", "2023-02-10"}}))
                .status,
            200);
  expect_refused(send_json("POST", ex + "/notes", bearer(Finance), json{{"text", "Note"}}), 403,
                 "auth.forbidden");
  expect_refused(send_json("POST", ex + "/notes", bearer(Approver), json{{"text", "Note"}}), 403,
                 "auth.forbidden");
  EXPECT_EQ(
      call(send_json("POST", ex + "/notes", bearer(Instructor), json{{"text", "Note"}})).status,
      201);
  EXPECT_EQ(json_of(call(get(ex + "/notes", bearer(Reader)))).size(), 1u);
}

TEST_F(HttpPermissions, PublicRoutesNeedNoCredentials) {
  // One account (one argon2 hash), to show that logging in needs nothing but the password.
  auto user = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::create_user(
        tx, ctx, {"lea.lectrice", "Léa Lectrice", "reader", "", "un mot de passe assez long"},
        passwords_);
  });
  ASSERT_TRUE(user.ok()) << user.refusal().describe();

  const auto doc = call(get("/api/v1/openapi.json"));
  EXPECT_EQ(doc.status, 200) << describe(doc);
  EXPECT_TRUE(json_of(doc).contains("paths"));
  const auto logout = call(make_request("DELETE", "/api/v1/session"));
  EXPECT_EQ(logout.status, 204) << describe(logout);
  expect_refused(send_json("POST", "/api/v1/session", {},
                           credentials("lea.lectrice", "pas le bon mot de passe")),
                 401, "auth.invalid");
  const auto login = call(send_json("POST", "/api/v1/session", {},
                                    credentials("lea.lectrice", "un mot de passe assez long")));
  ASSERT_EQ(login.status, 201) << describe(login);
  const Auth session = session_of(login);
  EXPECT_EQ(json_of(call(get("/api/v1/me", session)))["role"], "reader");
  // A session has its user's role: the reader is forbidden to write, CSRF token or not (the
  // role is checked first).
  expect_refused(send_json("POST", "/api/v1/parties", session, json{{"legal_name", "X"}}), 403,
                 "auth.forbidden");
  Auth no_csrf = session;
  no_csrf.csrf.clear();
  expect_refused(send_json("POST", "/api/v1/parties", no_csrf, json{{"legal_name", "X"}}), 403,
                 "auth.forbidden");
  // Every public route, and only those, answers without credentials.
  for (const auto& r : api_->routes()) {
    if (is_guarded(r) || r.surface() != Surface::Api) continue;
    EXPECT_TRUE(r.pattern == "/api/v1/session" || r.pattern == "/api/v1/openapi.json") << r.pattern;
  }
}

TEST_F(HttpPermissions, EveryOtherRouteWithoutCredentialsIsRefused) {
  all_unchanged([&] {
    for (const auto& route : guarded_routes()) {
      SCOPED_TRACE(route.method + " " + route.pattern);
      auto none = request_of(route, {});
      // A cookie header without the session cookie is no credential either, nor an empty one.
      auto other_cookie = request_of(route, {});
      other_cookie.headers["cookie"] = "theme=dark; octroi_sessionx=abc";
      auto empty_session = request_of(route, {});
      empty_session.headers["cookie"] = "octroi_session=";
      if (route.surface() == Surface::Page || route.surface() == Surface::Portal) {
        // The portal's pages send to the portal's login (its session cookie is octroi_portail:
        // neither of those cookies is one).
        const std::string to = route.surface() == Surface::Portal ? "/portail/connexion" : "/login";
        for (const auto& r : {none, other_cookie, empty_session}) {
          const auto out = call(r);
          EXPECT_EQ(out.status, 303) << describe(out);
          EXPECT_EQ(header_of(out, "Location").rfind(to, 0), 0u) << describe(out);
        }
        continue;
      }
      expect_refused(none, 401, "auth.required", "session");
      expect_refused(other_cookie, 401, "auth.required");
      expect_refused(empty_session, 401, "auth.required");
    }
  });
}

TEST_F(HttpPermissions, RevokedUnknownOrMalformedTokensAre401) {
  const std::string revoked = token(Role::Administrator, "to-revoke");
  const std::string kept = token(Role::Administrator, "kept");
  EXPECT_EQ(call(get("/api/v1/me", Auth::token(revoked))).status, 200);
  ASSERT_EQ(exec_sql(db_,
                     "UPDATE api_tokens SET revoked_at = '2023-01-20T09:00:00Z' "
                     "WHERE label = 'to-revoke'"),
            SqlOutcome::Ok);
  std::string unknown = kept;
  unknown[0] = unknown[0] == '0' ? '1' : '0';
  all_unchanged([&] {
    for (const auto& route : guarded_routes()) {
      if (route.surface() != Surface::Api) continue;  // the pages take no token
      SCOPED_TRACE(route.method + " " + route.pattern);
      expect_refused(request_of(route, Auth::token(revoked)), 401, "auth.bad_token",
                     "authorization");
      expect_refused(request_of(route, Auth::token(unknown)), 401, "auth.bad_token");
      expect_refused(request_of(route, Auth::token(kept + "0")), 401, "auth.bad_token");
      for (const std::string& header : std::vector<std::string>{
               "Basic YWRtaW46ZGVtby1hZG1pbi0yMDIz", "Bearer", "Bearer ", "Token " + kept, kept}) {
        auto r = request_of(route, {});
        r.headers["authorization"] = header;
        expect_refused(r, 401, "auth.bad_token");
      }
    }
  });
  // The token that was not revoked still works.
  EXPECT_EQ(call(get("/api/v1/me", Auth::token(kept))).status, 200);
}

}  // namespace
}  // namespace octroi_test
