// Who may call what (issue 6): every route of the JSON API v1 that names an action, called with
// an API token of every role, is refused (403 auth.forbidden, nothing changed) exactly when
// `permits(role, action)` says no; a permitted call is never refused for its credentials. The
// table of app/permissions.h's header comment is transcribed here by hand, so that the test does
// not only compare the code with itself. Public routes need no credentials; every other route
// refuses a call without them (401 auth.required) or with a revoked, unknown or malformed token
// (401 auth.bad_token).
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
using octroi::http::HttpRequest;

// A request of each route that names an action, small enough that a permitted caller reaches the
// use case and gets `status` (and `code`): a read answers, a write refuses its input. So no call
// of the matrix changes the database. A route added to the API without an entry here fails the
// matrix test.
struct Minimal {
  std::string target;
  std::string body;  // JSON; "" for none
  int status;
  std::string code;  // "" for a success
};

const std::map<RouteKey, Minimal>& minimal_requests() {
  static const std::map<RouteKey, Minimal> m = {
      {{"GET", "/api/v1/me"}, {"/api/v1/me", "", 200, ""}},
      {{"GET", "/api/v1/schemes"}, {"/api/v1/schemes", "", 200, ""}},
      {{"GET", "/api/v1/schemes/{number}"}, {"/api/v1/schemes/00001176", "", 200, ""}},
      {{"GET", "/api/v1/parties"}, {"/api/v1/parties", "", 200, ""}},
      {{"POST", "/api/v1/parties"},
       {"/api/v1/parties", R"({"legal_name": ""})", 422, "text.required"}},
      {{"GET", "/api/v1/applications"}, {"/api/v1/applications?limit=2", "", 200, ""}},
      {{"GET", "/api/v1/applications/{number}"}, {"/api/v1/applications/EX070158", "", 200, ""}},
      {{"POST", "/api/v1/applications/{number}/events"},
       {"/api/v1/applications/EX070158/events", R"({"event": "reopen"})", 422,
        "workflow.reason_required"}},
      {{"PATCH", "/api/v1/applications/{number}/plan"},
       {"/api/v1/applications/EX070158/plan",
        R"({"changes": [{"op": "set", "side": "expense", "line": 1, "amount": "1.00"}]})", 422,
        "application.not_editable"}},
      {{"GET", "/api/v1/budget/lines"}, {"/api/v1/budget/lines", "", 200, ""}},
      {{"GET", "/api/v1/budget/lines/{year}/{action}/journal"},
       {"/api/v1/budget/lines/2023/16300302/journal", "", 200, ""}},
      {{"GET", "/api/v1/reports"}, {"/api/v1/reports", "", 200, ""}},
      {{"GET", "/api/v1/reports/{number}"}, {"/api/v1/reports/CP 2023-040", "", 200, ""}},
      {{"POST", "/api/v1/reports/{number}/adoption"},
       {"/api/v1/reports/CP 1999-001/adoption", "", 404, "report.unknown"}},
      {{"GET", "/api/v1/audit"}, {"/api/v1/audit", "", 200, ""}},
      {{"GET", "/api/v1/applications/{number}/award"},
       {"/api/v1/applications/EX065392/award", "", 200, ""}},
      {{"POST", "/api/v1/applications/{number}/agreement"},
       {"/api/v1/applications/EX070158/agreement", "{}", 422, "application.not_awarded"}},
      {{"POST", "/api/v1/applications/{number}/agreement/signatures"},
       {"/api/v1/applications/EX070158/agreement/signatures",
        R"({"signatory": "beneficiary", "on": "2023-02-10"})", 422, "application.not_awarded"}},
      {{"POST", "/api/v1/applications/{number}/payments"},
       {"/api/v1/applications/EX070158/payments",
        R"({"kind": "advance", "amount": "100.00", "on": "2023-02-10"})", 422,
        "application.not_awarded"}},
      {{"GET", "/api/v1/applications/{number}/notes"},
       {"/api/v1/applications/EX070158/notes", "", 200, ""}},
      {{"POST", "/api/v1/applications/{number}/notes"},
       {"/api/v1/applications/EX070158/notes", R"({"text": " "})", 422, "text.required"}},
      // Every role may change its own password, but an API token has none: the permitted call
      // of the matrix, made with tokens, is refused for that (and only that) reason.
      {{"POST", "/api/v1/me/password"},
       {"/api/v1/me/password", R"({"current": "x", "next": "y"})", 401, "auth.no_user"}},
      {{"POST", "/api/v1/applications"},
       {"/api/v1/applications", R"({"title": ""})", 404, "scheme.unknown"}},
      {{"GET", "/api/v1/applications/{number}/history"},
       {"/api/v1/applications/EX070158/history", "", 200, ""}},
      // EX070158's scheme is not de minimis (and is the service of the matrix's instructor).
      {{"POST", "/api/v1/applications/{number}/state-aid-checks"},
       {"/api/v1/applications/EX070158/state-aid-checks", "{}", 422, "stateaid.not_de_minimis"}},
      {{"GET", "/api/v1/parties/{id}"}, {"/api/v1/parties/1", "", 200, ""}},
      {{"GET", "/api/v1/sessions"}, {"/api/v1/sessions", "", 200, ""}},
      {{"POST", "/api/v1/reports"},
       {"/api/v1/reports", R"({"number": "CP 2023-999", "session_date": ""})", 422, "date.empty"}},
      {{"POST", "/api/v1/reports/{number}/articles"},
       {"/api/v1/reports/CP 2023-040/articles", R"({"kind": "gift"})", 422, "article.kind"}},
      {{"DELETE", "/api/v1/reports/{number}/articles/{position}"},
       {"/api/v1/reports/CP 2023-040/articles/99", "", 404, "article.unknown"}},
      {{"POST", "/api/v1/budget/lines"},
       {"/api/v1/budget/lines", R"({"year": "2023", "nomenclature": "M14"})", 422,
        "budget.nomenclature"}},
      {{"POST", "/api/v1/budget/lines/{year}/{action}/movements"},
       {"/api/v1/budget/lines/2023/16300302/movements", R"({"kind": "nope"})", 422,
        "request.value"}},
      {{"GET", "/api/v1/awards"}, {"/api/v1/awards", "", 200, ""}},
      {{"GET", "/api/v1/tokens"}, {"/api/v1/tokens", "", 200, ""}},
      {{"POST", "/api/v1/tokens"},
       {"/api/v1/tokens", R"({"label": "", "role": "reader"})", 422, "token.label"}},
      {{"DELETE", "/api/v1/tokens/{id}"}, {"/api/v1/tokens/999999", "", 404, "token.unknown"}},
      {{"GET", "/api/v1/templates"}, {"/api/v1/templates", "", 200, ""}},
      {{"POST", "/api/v1/templates"},
       {"/api/v1/templates", R"({"name": "lettre_au_pere_noel"})", 422, "template.name"}},
      // A generated document is audited: the matrix asks for one the data refuses (EX070158 is
      // not awarded before CP 2023-040 is adopted), so that no call changes the database.
      {{"GET", "/api/v1/applications/{number}/documents/{kind}"},
       {"/api/v1/applications/EX070158/documents/agreement", "", 422, "document.no_award"}},
      {{"GET", "/api/v1/reports/{number}/documents"},
       {"/api/v1/reports/CP 2023-040/documents", "", 200, ""}},
      // The publication is audited: the matrix asks for one refused (a negative threshold).
      {{"GET", "/api/v1/open-data/scdl"},
       {"/api/v1/open-data/scdl?threshold=-1", "", 422, "scdl.threshold"}},
      {{"GET", "/api/v1/reports/{number}/documents/{file}"},
       {"/api/v1/reports/CP 2023-040/documents/nimportequoi", "", 404, "request.not_found"}},
  };
  return m;
}

HttpRequest minimal_request(const octroi::http::RouteInfo& route, const Auth& auth) {
  const Minimal& m = minimal_requests().at({route.method, route.pattern});
  return m.body.empty() ? make_request(route.method, m.target, auth)
                        : send_json(route.method, m.target, auth, m.body);
}

std::string name(Role r) {
  return std::string(to_string(r));
}

class HttpPermissions : public HttpTest {
 protected:
  // The routes that name an action, each with its minimal request (fails if one has none).
  std::vector<octroi::http::RouteInfo> guarded_routes() {
    std::vector<octroi::http::RouteInfo> out;
    for (const auto& r : api_->routes()) {
      if (!r.action) continue;
      const auto it = minimal_requests().find({r.method, r.pattern});
      if (it == minimal_requests().end()) {
        ADD_FAILURE() << r.method << " " << r.pattern
                      << " has no minimal request: add it to minimal_requests()";
        continue;
      }
      EXPECT_TRUE(pattern_matches(r.pattern, make_request("GET", it->second.target).path))
          << it->second.target;
      out.push_back(r);
    }
    return out;
  }
};

TEST_F(HttpPermissions, EachRoleIsRefusedExactlyWhatItsRoleDoesNotPermit) {
  std::map<Role, Auth> tokens;
  for (Role role : octroi::all_roles())
    tokens[role] = bearer(role);
  const std::string before = dump();
  const auto routes = guarded_routes();
  EXPECT_EQ(routes.size() + 3, api_->routes().size());  // all but the three public ones
  EXPECT_EQ(routes.size(), minimal_requests().size());
  std::map<Role, int> allowed, refused;
  for (const auto& route : routes) {
    const Minimal& m = minimal_requests().at({route.method, route.pattern});
    for (Role role : octroi::all_roles()) {
      SCOPED_TRACE(route.method + " " + route.pattern + " as " + name(role) + " (" +
                   std::string(to_string(*route.action)) + ")");
      const auto request = minimal_request(route, tokens[role]);
      if (octroi::permits(role, *route.action)) {
        ++allowed[role];
        const auto out = call(request);
        if (m.code != "auth.no_user") {
          EXPECT_NE(out.status, 401) << describe(out);
        }
        EXPECT_NE(out.status, 403) << describe(out);
        EXPECT_EQ(out.status, m.status) << describe(out);
        EXPECT_EQ(code_of(out), m.code) << describe(out);
      } else {
        ++refused[role];
        const auto out = expect_refused(request, 403, "auth.forbidden", "role");
        EXPECT_NE(
            json_of(out)["detail"].get<std::string>().find(std::string(octroi::role_label(role))),
            std::string::npos)
            << describe(out);
      }
    }
  }
  const std::string after = dump();
  EXPECT_EQ(before, after) << first_difference(before, after);
  // Every role reads; only the administrator may do everything the API offers.
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
    if (r.action) actions[{r.method, r.pattern}] = *r.action;
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
  EXPECT_EQ(actions.at({"POST", "/api/v1/me/password"}), Action::Read);
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
  // Every read is open to every role but the audit trail and the list of API tokens.
  EXPECT_EQ(actions.at({"GET", "/api/v1/tokens"}), Action::ManageUsers);
  for (const auto& [route, action] : actions)
    if (route.first == "GET" && route.second != "/api/v1/audit" &&
        route.second != "/api/v1/tokens") {
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
    if (r.action) continue;
    EXPECT_TRUE(r.pattern == "/api/v1/session" || r.pattern == "/api/v1/openapi.json") << r.pattern;
  }
}

TEST_F(HttpPermissions, EveryOtherRouteWithoutCredentialsIs401) {
  all_unchanged([&] {
    for (const auto& route : guarded_routes()) {
      SCOPED_TRACE(route.method + " " + route.pattern);
      expect_refused(minimal_request(route, {}), 401, "auth.required", "session");
      // A cookie header without the session cookie is no credential either.
      auto other_cookie = minimal_request(route, {});
      other_cookie.headers["cookie"] = "theme=dark; octroi_sessionx=abc";
      expect_refused(other_cookie, 401, "auth.required");
      auto empty_session = minimal_request(route, {});
      empty_session.headers["cookie"] = "octroi_session=";
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
      SCOPED_TRACE(route.method + " " + route.pattern);
      expect_refused(minimal_request(route, Auth::token(revoked)), 401, "auth.bad_token",
                     "authorization");
      expect_refused(minimal_request(route, Auth::token(unknown)), 401, "auth.bad_token");
      expect_refused(minimal_request(route, Auth::token(kept + "0")), 401, "auth.bad_token");
      for (const std::string& header : std::vector<std::string>{
               "Basic YWRtaW46ZGVtby1hZG1pbi0yMDIz", "Bearer", "Bearer ", "Token " + kept, kept}) {
        auto r = minimal_request(route, {});
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
