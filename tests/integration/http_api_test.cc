// The JSON API v1 in-process (issue 6): Api::handle called directly, as the server calls it, on
// the demo database (SQLite or PostgreSQL), with real argon2id password hashing and real tokens.
// Every documented route answers once and refuses once; every refusal is a problem+json document
// and leaves the database exactly as it was (dump_database before and after); idempotency keys,
// pagination, markup and SQL metacharacters in input; login sessions, CSRF, expiry and
// throttling with a clock the tests move forward.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "integration/http_support.h"

namespace octroi_test {
namespace {

using nlohmann::json;
using octroi::Role;
using octroi::http::HttpRequest;
using octroi::http::HttpResponse;

const std::string kEvents70162 = "/api/v1/applications/EX070162/events";
const std::string kPlan70162 = "/api/v1/applications/EX070162/plan";

json set_line(const std::string& side, int line, const std::string& amount) {
  return {{"op", "set"}, {"side", side}, {"line", line}, {"amount", amount}};
}

json changes(std::initializer_list<json> list) {
  json arr = json::array();
  for (const auto& c : list)
    arr.push_back(c);
  return {{"changes", arr}};
}

class HttpApi : public HttpTest {};

// ---- every route: one answer, one refusal, and the OpenAPI document lists exactly those ------

// The routes that cannot refuse anything: the OpenAPI document, and logging out (which answers
// 204 whatever the cookie, so that a stale cookie can always be cleared).
const std::set<RouteKey> kNothingToRefuse = {{"GET", "/api/v1/openapi.json"},
                                             {"DELETE", "/api/v1/session"}};

TEST_F(HttpApi, EveryDocumentedRouteAnswersAndRefuses) {
  load_accounts();
  const Auth reader = bearer(Role::Reader);
  const Auth clerk = bearer(Role::Clerk);

  // POST /api/v1/session
  expect_refused(
      send_json("POST", "/api/v1/session", {}, credentials("admin", "pas-le-bon-mot-de-passe")),
      401, "auth.invalid", "login");
  const Auth admin = login("admin");
  ASSERT_EQ(admin.cookie.size(), 64u);
  ASSERT_FALSE(admin.csrf.empty());

  // GET /api/v1/openapi.json
  {
    const auto doc = expect_ok(get("/api/v1/openapi.json"));
    EXPECT_EQ(doc.value("openapi", ""), "3.0.3");
  }

  // GET /api/v1/me
  {
    const auto me = expect_ok(get("/api/v1/me", admin));
    EXPECT_EQ(me["actor"], "web:admin");
    EXPECT_EQ(me["role"], "administrator");
    EXPECT_EQ(me["display_name"], "Alice Administratrice");
    EXPECT_EQ(me["csrf_token"], admin.csrf);
    const auto api = expect_ok(get("/api/v1/me", reader));
    EXPECT_EQ(api["actor"], "api:test-reader");
    EXPECT_EQ(api["role"], "reader");
    EXPECT_EQ(api["csrf_token"], "");
    expect_refused(get("/api/v1/me"), 401, "auth.required", "session");
  }

  // GET /api/v1/schemes
  {
    const auto list = expect_ok(get("/api/v1/schemes", reader));
    ASSERT_TRUE(list.is_array());
    std::set<std::string> numbers;
    for (const auto& s : list)
      numbers.insert(s["number"].get<std::string>());
    EXPECT_EQ(numbers, (std::set<std::string>{"00001176", "00001033"}));
    expect_refused(get("/api/v1/schemes"), 401, "auth.required");
  }

  // GET /api/v1/schemes/{number}
  {
    const auto s = expect_ok(get("/api/v1/schemes/00001176", reader));
    EXPECT_EQ(s["number"], "00001176");
    EXPECT_EQ(s["rule"]["cap"], "8000.00");
    EXPECT_EQ(s["rule"]["not_above_request"], true);
    expect_refused(get("/api/v1/schemes/99999999", reader), 404, "scheme.unknown", "scheme");
  }

  // GET /api/v1/parties
  {
    const auto list = expect_ok(get("/api/v1/parties", reader));
    ASSERT_TRUE(list.is_array());
    EXPECT_EQ(list.size(), 6u);
    EXPECT_EQ(list[0]["legal_name"], "Choose Paris Region");
    expect_refused(get("/api/v1/parties", Auth::token(std::string(64, 'f'))), 401, "auth.bad_token",
                   "authorization");
  }

  // POST /api/v1/parties (with the session cookie and its CSRF token)
  {
    const auto before = count_rows(db_, "parties");
    const auto p =
        expect_ok(send_json("POST", "/api/v1/parties", admin,
                            json{{"legal_name", "Association des commerçants de Trappes"},
                                 {"legal_status", "Association"},
                                 {"postal_code", "78190"},
                                 {"city", "Trappes"}}),
                  201);
    EXPECT_EQ(p["legal_name"], "Association des commerçants de Trappes");
    EXPECT_EQ(p["departement"], "78");
    EXPECT_TRUE(p["id"].is_number_integer());
    EXPECT_EQ(p["warnings"], json::array());
    EXPECT_EQ(count_rows(db_, "parties"), before + 1);
    expect_refused(send_json("POST", "/api/v1/parties", admin, json{{"legal_name", "   "}}), 422,
                   "text.required", "legal_name");
  }

  // GET /api/v1/applications
  {
    const auto page = expect_ok(get("/api/v1/applications", reader));
    EXPECT_EQ(page["items"].size(), 4u);
    EXPECT_EQ(page["limit"], 100);
    EXPECT_EQ(page["offset"], 0);
    EXPECT_TRUE(page["next_offset"].is_null());
    expect_refused(get("/api/v1/applications?limit=abc", reader), 422, "request.query", "limit");
  }

  // GET /api/v1/applications/{number}
  {
    const auto a = expect_ok(get("/api/v1/applications/EX070158", reader));
    EXPECT_EQ(a["state"], "proposed");
    EXPECT_EQ(a["eligible_base"], "16717.68");
    EXPECT_EQ(a["computed_award"]["amount"], "8000.00");
    expect_refused(get("/api/v1/applications/EX999999", reader), 404, "application.unknown",
                   "number");
  }

  // POST /api/v1/applications/{number}/events
  {
    expect_refused(send_json("POST", kEvents70162, admin, json{{"event", "reopen"}}), 422,
                   "workflow.reason_required");
    const auto a = expect_ok(send_json("POST", kEvents70162, admin,
                                       json{{"event", "reopen"}, {"reason", "Devis actualisé"}}));
    EXPECT_EQ(a["state"], "under_instruction");
    ASSERT_FALSE(a["history"].empty());
    const auto& last = a["history"].back();
    EXPECT_EQ(last["event"], "reopen");
    EXPECT_EQ(last["from"], "proposed");
    EXPECT_EQ(last["to"], "under_instruction");
    EXPECT_EQ(last["reason"], "Devis actualisé");
    EXPECT_EQ(last["actor"], "web:admin");
  }

  // POST /api/v1/reports/{number}/adoption, refused while EX070162 is back in instruction
  expect_refused(make_request("POST", "/api/v1/reports/CP 2023-040/adoption", clerk), 422,
                 "report.application_state", "articles[2]");

  // PATCH /api/v1/applications/{number}/plan: both sides at once, the award does not move.
  {
    expect_refused(send_json("PATCH", "/api/v1/applications/EX070158/plan", admin,
                             changes({set_line("expense", 1, "12000")})),
                   422, "application.not_editable", "plan");
    const auto a = expect_ok(
        send_json("PATCH", kPlan70162, admin,
                  changes({set_line("expense", 1, "12000"), set_line("resource", 1, "9200")})));
    EXPECT_EQ(a["eligible_base"], "16200.00");
    EXPECT_EQ(a["computed_award"]["amount"], "7000.00");
    EXPECT_EQ(a["plan"]["balanced"], true);
    const auto proposed =
        expect_ok(send_json("POST", kEvents70162, admin, json{{"event", "propose"}}));
    EXPECT_EQ(proposed["state"], "proposed");
    EXPECT_EQ(proposed["proposed_award"], "7000.00");
  }

  // GET /api/v1/budget/lines
  {
    const auto all = expect_ok(get("/api/v1/budget/lines", reader));
    EXPECT_EQ(all.size(), 4u);
    const auto y2023 = expect_ok(get("/api/v1/budget/lines?year=2023", reader));
    EXPECT_EQ(y2023.size(), 3u);
    expect_refused(get("/api/v1/budget/lines?year=20x3", reader), 422, "request.query", "year");
  }

  // GET /api/v1/budget/lines/{year}/{action}/journal
  {
    const auto journal = expect_ok(get("/api/v1/budget/lines/2023/16300302/journal", reader));
    ASSERT_TRUE(journal.is_array());
    ASSERT_FALSE(journal.empty());
    EXPECT_EQ(journal[0]["kind"], "vote_ae");
    expect_refused(get("/api/v1/budget/lines/2023/99999999/journal", reader), 404,
                   "budget.unknown_line");
  }

  // GET /api/v1/reports
  {
    const auto list = expect_ok(get("/api/v1/reports", reader));
    ASSERT_TRUE(list.is_array());
    std::set<std::string> numbers;
    for (const auto& r : list)
      numbers.insert(r["number"].get<std::string>());
    EXPECT_EQ(numbers, (std::set<std::string>{"CP 2022-285", "CP 2023-040"}));
    expect_refused(get("/api/v1/reports"), 401, "auth.required");
  }

  // GET /api/v1/reports/{number}
  {
    const auto r = expect_ok(get("/api/v1/reports/CP 2023-040", reader));
    EXPECT_EQ(r["state"], "draft");
    EXPECT_EQ(r["articles"].size(), 4u);
    expect_refused(get("/api/v1/reports/CP 1999-001", reader), 404, "report.unknown", "report");
  }

  // POST /api/v1/reports/{number}/adoption
  {
    expect_refused(make_request("POST", "/api/v1/reports/CP 1999-001/adoption", clerk), 404,
                   "report.unknown");
    const auto r = expect_ok(make_request("POST", "/api/v1/reports/CP 2023-040/adoption", clerk));
    EXPECT_EQ(r["state"], "adopted");
    EXPECT_EQ(r["adopted_on"], "2023-01-25");
    const auto a = expect_ok(get("/api/v1/applications/EX070162", reader));
    EXPECT_EQ(a["state"], "awarded");
    EXPECT_EQ(a["award"]["amount"], "7000.00");
  }

  // GET /api/v1/audit
  {
    const auto all = expect_ok(get("/api/v1/audit", clerk));
    ASSERT_TRUE(all.is_array());
    EXPECT_GT(all.size(), 3u);
    const auto three = expect_ok(get("/api/v1/audit?limit=3", clerk));
    EXPECT_EQ(three.size(), 3u);
    expect_refused(get("/api/v1/audit", reader), 403, "auth.forbidden", "role");
  }

  // DELETE /api/v1/session
  {
    const auto out = call(make_request("DELETE", "/api/v1/session", admin));
    EXPECT_EQ(out.status, 204) << describe(out);
    expect_refused(get("/api/v1/me", admin), 401, "auth.no_session");
  }

  // The document lists exactly api.routes(), and this test went through each of them.
  const auto doc = json_of(call(get("/api/v1/openapi.json")));
  std::set<RouteKey> documented, listed, exercised;
  for (const auto& [path, ops] : doc["paths"].items())
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (auto& ch : m)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert({m, path});
    }
  for (const auto& r : api_->routes())
    listed.insert({r.method, r.pattern});
  for (const auto& [route, statuses] : statuses_)
    exercised.insert(route);
  EXPECT_EQ(documented, listed);
  EXPECT_EQ(exercised, documented) << "a documented route has no test (or a test calls an "
                                      "undocumented one)";
  for (const auto& route : documented) {
    SCOPED_TRACE(route.first + " " + route.second);
    const auto& seen = statuses_[route];
    EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](int s) { return s < 400; }))
        << "no successful call";
    if (!kNothingToRefuse.count(route)) {
      EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](int s) { return s >= 400; }))
          << "no refused call";
    }
  }
}

TEST_F(HttpApi, OpenApiDocumentIsValidJsonListingExactlyTheRoutes) {
  const auto out = call(get("/api/v1/openapi.json"));
  ASSERT_EQ(out.status, 200) << describe(out);
  EXPECT_EQ(out.content_type, "application/json; charset=utf-8");
  const json doc = json::parse(out.body);  // throws, failing the test, if it is not JSON
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_EQ(doc["info"]["version"], "1");
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("cookie"));
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("bearer"));
  EXPECT_EQ(doc["components"]["securitySchemes"]["cookie"]["name"], "octroi_session");

  const auto routes = api_->routes();
  std::size_t operations = 0;
  for (const auto& [path, ops] : doc["paths"].items())
    operations += ops.size();
  EXPECT_EQ(operations, routes.size());
  std::set<RouteKey> unique;
  for (const auto& r : routes) {
    SCOPED_TRACE(r.method + " " + r.pattern);
    EXPECT_TRUE(unique.insert({r.method, r.pattern}).second) << "route listed twice";
    std::string method = r.method;
    for (auto& ch : method)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    ASSERT_TRUE(doc["paths"].contains(r.pattern));
    ASSERT_TRUE(doc["paths"][r.pattern].contains(method));
    const auto& op = doc["paths"][r.pattern][method];
    EXPECT_EQ(op["summary"], r.summary);
    if (r.action) {
      EXPECT_EQ(op["x-octroi-action"], std::string(to_string(*r.action)));
      EXPECT_EQ(op["security"].size(), 2u);
    } else {
      EXPECT_FALSE(op.contains("x-octroi-action"));
      EXPECT_EQ(op["security"], json::array());
    }
    // Every {parameter} of the path is declared, and the Idempotency-Key of creating routes.
    std::set<std::string> declared;
    if (op.contains("parameters"))
      for (const auto& p : op["parameters"])
        declared.insert(p["in"].get<std::string>() + ":" + p["name"].get<std::string>());
    std::set<std::string> expected;
    for (std::size_t at = r.pattern.find('{'); at != std::string::npos;
         at = r.pattern.find('{', at + 1))
      expected.insert("path:" + r.pattern.substr(at + 1, r.pattern.find('}', at) - at - 1));
    if (r.creates) expected.insert("header:Idempotency-Key");
    EXPECT_EQ(declared, expected);
  }
  // The public routes are the login, the logout and this document.
  std::set<RouteKey> public_routes;
  for (const auto& r : routes)
    if (!r.action) public_routes.insert({r.method, r.pattern});
  EXPECT_EQ(public_routes, (std::set<RouteKey>{{"POST", "/api/v1/session"},
                                               {"DELETE", "/api/v1/session"},
                                               {"GET", "/api/v1/openapi.json"}}));
  EXPECT_EQ(out.body, api_->openapi());
}

// ---- malformed requests ----------------------------------------------------------------------

// Each route that reads a JSON body refuses, before any use case and changing nothing: a body
// that is not JSON (400), not an object (400), not declared as JSON (415), a field it does not
// know (422, naming it) and a field of the wrong type (422, naming it).
TEST_F(HttpApi, MalformedBodiesAreRefusedNamingTheField) {
  const Auth admin = bearer(Role::Administrator);
  struct Case {
    std::string method, target;
    Auth auth;
    json unknown_field;
    std::string unknown_name;
    json wrong_type;
    std::string wrong_name;
  };
  const std::vector<Case> cases = {
      {"POST",
       "/api/v1/parties",
       admin,
       {{"legal_name", "Tiers"}, {"legal_nam", "Tiers"}},
       "legal_nam",
       {{"legal_name", 12}},
       "legal_name"},
      {"POST",
       "/api/v1/parties",
       admin,
       {{"legal_name", "Tiers"}, {"sirene", "1"}},
       "sirene",
       {{"legal_name", "Tiers"}, {"recovers_vat", "oui"}},
       "recovers_vat"},
      {"POST",
       kEvents70162,
       admin,
       {{"event", "reopen"}, {"reason", "x"}, {"motif", "x"}},
       "motif",
       {{"event", "reopen"}, {"reason", "x"}, {"amount", 7000}},
       "amount"},
      {"PATCH",
       kPlan70162,
       admin,
       {{"changes", json::array({set_line("expense", 1, "1")})}, {"dry_run", true}},
       "dry_run",
       changes({{{"op", "set"}, {"side", "expense"}, {"line", 1}, {"amount", 12000}}}),
       "changes[1].amount"},
      {"PATCH", kPlan70162, admin,
       changes({{{"op", "set"}, {"side", "expense"}, {"line", 1}, {"amout", "1"}}}),
       "changes[1].amout", changes({{{"op", "set"}, {"side", "expense"}, {"line", "1"}}}),
       "changes[1].line"},
      {"POST",
       "/api/v1/session",
       {},
       {{"login", "admin"}, {"password", "x"}, {"remember", true}},
       "remember",
       {{"login", "admin"}, {"password", 123456789012}},
       "password"},
  };
  all_unchanged([&] {
    for (const auto& c : cases) {
      SCOPED_TRACE(c.method + " " + c.target);
      expect_refused(send_json(c.method, c.target, c.auth, std::string(R"({"legal_name": )")), 400,
                     "request.malformed_json", "body");
      expect_refused(send_json(c.method, c.target, c.auth, std::string("[1, 2]")), 400,
                     "request.malformed_json", "body");
      expect_refused(send_json(c.method, c.target, c.auth, std::string("")), 400,
                     "request.malformed_json", "body");
      expect_refused(make_request(c.method, c.target, c.auth, c.unknown_field.dump(), "text/plain"),
                     415, "request.content_type", "content-type");
      expect_refused(make_request(c.method, c.target, c.auth, c.unknown_field.dump()), 415,
                     "request.content_type", "content-type");
      expect_refused(make_request(c.method, c.target, c.auth, c.unknown_field.dump(),
                                  "application/x-www-form-urlencoded"),
                     415, "request.content_type");
      expect_refused(send_json(c.method, c.target, c.auth, c.unknown_field), 422,
                     "request.unknown_field", c.unknown_name);
      expect_refused(send_json(c.method, c.target, c.auth, c.wrong_type), 422, "request.type",
                     c.wrong_name);
    }
  });
  // A charset parameter is still JSON.
  const auto ok = call(make_request("POST", "/api/v1/parties", admin,
                                    json{{"legal_name", "Tiers en UTF-8"}}.dump(),
                                    "application/json; charset=utf-8"));
  EXPECT_EQ(ok.status, 201) << describe(ok);
  // The list of changes itself: absent, not a list, empty, or longer than 200.
  expect_refused(send_json("PATCH", kPlan70162, admin, json::object()), 422, "request.type",
                 "changes");
  expect_refused(send_json("PATCH", kPlan70162, admin, json{{"changes", "expense:1=12000"}}), 422,
                 "request.type", "changes");
  expect_refused(send_json("PATCH", kPlan70162, admin, json{{"changes", json::array()}}), 422,
                 "request.type", "changes");
  json many = json::array();
  for (int i = 0; i < 201; ++i)
    many.push_back(set_line("expense", 1, "1"));
  expect_refused(send_json("PATCH", kPlan70162, admin, json{{"changes", many}}), 422,
                 "request.type", "changes");
  expect_refused(send_json("PATCH", kPlan70162, admin,
                           changes({{{"op", "replace"}, {"side", "expense"}, {"line", 1}}})),
                 422, "request.value", "changes[1].op");
  expect_refused(send_json("PATCH", kPlan70162, admin,
                           changes({{{"op", "set"}, {"side", "income"}, {"line", 1}}})),
                 422, "request.value", "changes[1].side");
  expect_refused(send_json("PATCH", kPlan70162, admin,
                           changes({{{"op", "set"}, {"side", "expense"}, {"line", -1}}})),
                 422, "request.type", "changes[1].line");
  expect_refused(send_json("PATCH", kPlan70162, admin, changes({json("expense:1")})), 422,
                 "request.type", "changes[1]");
}

TEST_F(HttpApi, UnknownDossierIs404OnEveryDossierRoute) {
  const Auth admin = bearer(Role::Administrator);
  all_unchanged([&] {
    for (const std::string number : {"EX999999", "EX07015", "ex070158", "nope"}) {
      SCOPED_TRACE(number);
      const std::string base = "/api/v1/applications/" + number;
      expect_refused(get(base, admin), 404, "application.unknown", "number");
      expect_refused(send_json("POST", base + "/events", admin,
                               json{{"event", "reopen"}, {"reason", "Devis actualisé"}}),
                     404, "application.unknown", "number");
      expect_refused(
          send_json("PATCH", base + "/plan", admin, changes({set_line("expense", 1, "12000")})),
          404, "application.unknown", "number");
    }
  });
  // An unknown address is 404 too, and a known address with another method 405.
  expect_refused(get("/api/v1/applications/EX070158/notes", admin), 404, "request.not_found",
                 "path");
  expect_refused(get("/api/v2/applications", admin), 404, "request.not_found");
  expect_refused(make_request("DELETE", "/api/v1/applications/EX070158", admin), 405,
                 "request.method");
  expect_refused(make_request("PUT", "/api/v1/session", admin), 405, "request.method");
}

// ---- the workflow and the financing plan -----------------------------------------------------

TEST_F(HttpApi, WorkflowRefusalsChangeNothing) {
  const Auth instructor = bearer(Role::Instructor);
  const std::string events = "/api/v1/applications/EX070158/events";
  expect_refused(send_json("POST", events, instructor, json{{"event", "reopen"}}), 422,
                 "workflow.reason_required");
  expect_refused(
      send_json("POST", events, instructor, json{{"event", "reopen"}, {"reason", "   "}}), 422,
      "workflow.reason_required");
  expect_refused(send_json("POST", events, instructor, json{{"event", "teleport"}}), 422,
                 "workflow.unknown_event", "event");
  // Awarding happens through the adoption of a report, never as a bare event.
  expect_refused(send_json("POST", events, instructor,
                           json{{"event", "award"},
                                {"deliberation", "CP 2023-040"},
                                {"deliberation_date", "2023-01-25"}}),
                 422, "workflow.by_act", "event");
  expect_refused(send_json("POST", events, instructor, json{{"event", "submit"}}), 422,
                 "workflow.transition", "event");
  expect_refused(send_json("POST", events, instructor,
                           json{{"event", "reopen"}, {"reason", "x"}, {"on", "2023-02-30"}}),
                 422, "date.nonexistent", "on");
  EXPECT_EQ(show("EX070158").application.state, octroi::ApplicationState::Proposed);
}

// tests/scenarios/plan-edit-moves-the-award.scn through the API: a proposed dossier goes back to
// instruction, its plan changes on both sides at once, and the award in the answer moves.
TEST_F(HttpApi, PlanEditMovesTheAward) {
  const Auth instructor = bearer(Role::Instructor);
  expect_refused(
      send_json("PATCH", kPlan70162, instructor,
                changes({set_line("expense", 1, "12000"), set_line("resource", 1, "9200")})),
      422, "application.not_editable", "plan");
  const auto reopened = expect_ok(send_json(
      "POST", kEvents70162, instructor, json{{"event", "reopen"}, {"reason", "Devis actualisé"}}));
  EXPECT_EQ(reopened["state"], "under_instruction");
  EXPECT_TRUE(reopened["proposed_award"].is_null());
  EXPECT_EQ(reopened["computed_award"]["amount"], "7000.00");
  EXPECT_EQ(reopened["eligible_base"], "14780.00");

  // Communication 10 580 -> 12 000 and Autofinancement 7 780 -> 9 200: both totals 16 200 €,
  // 50 % = 8 100 capped at 8 000, limited to the 7 000 requested.
  auto a = expect_ok(
      send_json("PATCH", kPlan70162, instructor,
                changes({set_line("expense", 1, "12000"), set_line("resource", 1, "9200")})));
  EXPECT_EQ(a["eligible_base"], "16200.00");
  EXPECT_EQ(a["computed_award"]["amount"], "7000.00");
  EXPECT_EQ(a["computed_award"]["limited_by_request"], true);

  // The Region is asked for 8 000 € (Autofinancement 8 200): the award reaches the cap.
  a = expect_ok(
      send_json("PATCH", kPlan70162, instructor,
                changes({set_line("resource", 2, "8000"), set_line("resource", 1, "8200")})));
  EXPECT_EQ(a["requested"], "8000.00");
  EXPECT_EQ(a["computed_award"]["amount"], "8000.00");
  EXPECT_EQ(a["computed_award"]["capped"], true);

  // Line 2 declared ineligible: base 12 000, award 6 000; eligible again: 8 000.
  a = expect_ok(
      send_json("PATCH", kPlan70162, instructor,
                changes({{{"op", "set"}, {"side", "expense"}, {"line", 2}, {"eligible", false}}})));
  EXPECT_EQ(a["eligible_base"], "12000.00");
  EXPECT_EQ(a["computed_award"]["amount"], "6000.00");
  EXPECT_EQ(a["plan"]["expenses"][1]["eligible"], false);
  a = expect_ok(
      send_json("PATCH", kPlan70162, instructor,
                changes({{{"op", "set"}, {"side", "expense"}, {"line", 2}, {"eligible", true}}})));
  EXPECT_EQ(a["computed_award"]["amount"], "8000.00");
  EXPECT_EQ(a["plan"]["expenses"][0]["amount"], "12000.00");
  EXPECT_EQ(a["plan"]["resources"][0]["amount"], "8200.00");
  EXPECT_EQ(a["plan"]["resources"][1]["amount"], "8000.00");
  EXPECT_EQ(a["plan"]["balanced"], true);

  // Refused edits under instruction, each leaving the database as it was.
  expect_refused(
      send_json("PATCH", kPlan70162, instructor, changes({set_line("expense", 1, "13000")})), 422,
      "plan.unbalanced", "plan");
  expect_refused(send_json("PATCH", kPlan70162, instructor,
                           changes({set_line("expense", 1, "-5"), set_line("resource", 1, "-5")})),
                 422, "plan.amount_not_positive");
  expect_refused(
      send_json("PATCH", kPlan70162, instructor, changes({set_line("expense", 1, "12,345")})), 422,
      "amount.invalid");
  expect_refused(
      send_json("PATCH", kPlan70162, instructor, changes({set_line("expense", 1, "1e3")})), 422,
      "amount.invalid");
  expect_refused(
      send_json("PATCH", kPlan70162, instructor,
                changes({set_line("expense", 1, "13000"), set_line("resource", 1, "9200"),
                         set_line("resource", 2, "abc")})),
      422, "amount.invalid", "plan.resources[2].amount");
  expect_refused(
      send_json("PATCH", kPlan70162, instructor, changes({set_line("expense", 3, "100")})), 422,
      "plan.no_such_line");
  expect_refused(send_json("PATCH", kPlan70162, instructor,
                           changes({{{"op", "remove"}, {"side", "expense"}, {"line", 5}}})),
                 422, "plan.no_such_line");
  // Adding a line on both sides keeps the plan balanced; removing them again too.
  a = expect_ok(send_json(
      "PATCH", kPlan70162, instructor,
      changes({{{"op", "add"}, {"side", "expense"}, {"label", "Affiches"}, {"amount", "400"}},
               {{"op", "add"},
                {"side", "resource"},
                {"label", "Mécénat"},
                {"amount", "400"},
                {"kind", "private"}}})));
  EXPECT_EQ(a["plan"]["expenses"].size(), 3u);
  EXPECT_EQ(a["plan"]["total_expenses"], "16600.00");
  a = expect_ok(send_json("PATCH", kPlan70162, instructor,
                          changes({{{"op", "remove"}, {"side", "expense"}, {"line", 3}},
                                   {{"op", "remove"}, {"side", "resource"}, {"line", 3}}})));
  EXPECT_EQ(a["plan"]["total_expenses"], "16200.00");

  // Proposed again at the new amount, and locked again.
  const auto proposed =
      expect_ok(send_json("POST", kEvents70162, instructor, json{{"event", "propose"}}));
  EXPECT_EQ(proposed["state"], "proposed");
  EXPECT_EQ(proposed["proposed_award"], "8000.00");
  expect_refused(
      send_json("PATCH", kPlan70162, instructor,
                changes({set_line("expense", 1, "12500"), set_line("resource", 1, "8700")})),
      422, "application.not_editable");
  // The other dossiers did not move.
  const auto other = expect_ok(get("/api/v1/applications/EX070158", instructor));
  EXPECT_EQ(other["eligible_base"], "16717.68");
  EXPECT_EQ(other["proposed_award"], "8000.00");
}

// ---- idempotency, pagination -----------------------------------------------------------------

TEST_F(HttpApi, IdempotencyKeyReplaysTheFirstAnswer) {
  const Auth admin = bearer(Role::Administrator);
  const json party = {
      {"legal_name", "Commune de Trappes"}, {"legal_status", "Commune"}, {"postal_code", "78190"}};
  auto with_key = [](HttpRequest r, const std::string& key) {
    r.headers["idempotency-key"] = key;
    return r;
  };
  const auto before = count_rows(db_, "parties");
  const auto first =
      call(with_key(send_json("POST", "/api/v1/parties", admin, party), "8c1f-trappes"));
  ASSERT_EQ(first.status, 201) << describe(first);
  EXPECT_EQ(header_of(first, "Idempotent-Replayed"), "");
  const std::string after_first = dump();
  const auto second =
      call(with_key(send_json("POST", "/api/v1/parties", admin, party), "8c1f-trappes"));
  EXPECT_EQ(second.status, 201) << describe(second);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.content_type, first.content_type);
  EXPECT_EQ(header_of(second, "Idempotent-Replayed"), "true");
  EXPECT_EQ(count_rows(db_, "parties"), before + 1);
  EXPECT_EQ(dump(), after_first);

  // The same key for another body, or for the same body sent to another route: 409.
  const json other = {{"legal_name", "Commune de Plaisir"}, {"legal_status", "Commune"}};
  expect_refused(with_key(send_json("POST", "/api/v1/parties", admin, other), "8c1f-trappes"), 409,
                 "idempotency.mismatch", "idempotency-key");
  // The key belongs to the authority: another caller of the same authority gets the replay.
  const auto third = call(with_key(
      send_json("POST", "/api/v1/parties", bearer(Role::Instructor), party), "8c1f-trappes"));
  EXPECT_EQ(third.status, 201);
  EXPECT_EQ(third.body, first.body);
  EXPECT_EQ(count_rows(db_, "parties"), before + 1);

  // Without a key, the same request twice creates twice; a key of more than 200 characters is
  // refused; a refused creation is not remembered under its key.
  EXPECT_EQ(call(send_json("POST", "/api/v1/parties", admin, other)).status, 201);
  EXPECT_EQ(call(send_json("POST", "/api/v1/parties", admin, other)).status, 201);
  EXPECT_EQ(count_rows(db_, "parties"), before + 3);
  expect_refused(
      with_key(send_json("POST", "/api/v1/parties", admin, party), std::string(201, 'k')), 422,
      "request.idempotency_key", "idempotency-key");
  expect_refused(with_key(send_json("POST", "/api/v1/parties", admin, json{{"legal_name", ""}}),
                          "refused-once"),
                 422, "text.required");
  const auto retried =
      call(with_key(send_json("POST", "/api/v1/parties", admin, json{{"legal_name", "Corrigé"}}),
                    "refused-once"));
  EXPECT_EQ(retried.status, 201) << describe(retried);
  EXPECT_EQ(count_rows(db_, "idempotency_keys"), 2);
}

TEST_F(HttpApi, ApplicationsArePagedWithLimitOffsetAndNextOffset) {
  const Auth reader = bearer(Role::Reader);
  std::vector<std::string> seen;
  auto page = expect_ok(get("/api/v1/applications?limit=3", reader));
  EXPECT_EQ(page["limit"], 3);
  EXPECT_EQ(page["offset"], 0);
  ASSERT_EQ(page["items"].size(), 3u);
  ASSERT_EQ(page["next_offset"], 3);
  for (const auto& a : page["items"])
    seen.push_back(a["number"]);
  page = expect_ok(get("/api/v1/applications?limit=3&offset=3", reader));
  EXPECT_EQ(page["offset"], 3);
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_TRUE(page["next_offset"].is_null());
  seen.push_back(page["items"][0]["number"]);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()),
            (std::set<std::string>{"EX070162", "EX070158", "EX069984", "EX065392"}));
  // Two pages of two: the second is full, so it points past itself to an empty third.
  page = expect_ok(get("/api/v1/applications?limit=2&offset=2", reader));
  EXPECT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["next_offset"], 4);
  page = expect_ok(get("/api/v1/applications?limit=2&offset=4", reader));
  EXPECT_EQ(page["items"].size(), 0u);
  EXPECT_TRUE(page["next_offset"].is_null());
  // The limit is capped at 1 000.
  page = expect_ok(get("/api/v1/applications?limit=5000", reader));
  EXPECT_EQ(page["limit"], 1000);
  EXPECT_EQ(page["items"].size(), 4u);
  page = expect_ok(get("/api/v1/applications?limit=999999999", reader));
  EXPECT_EQ(page["limit"], 1000);
  // Filters.
  page = expect_ok(get("/api/v1/applications?scheme=00001033", reader));
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["number"], "EX065392");
  page = expect_ok(get("/api/v1/applications?state=proposed", reader));
  EXPECT_EQ(page["items"].size(), 3u);
  page = expect_ok(get("/api/v1/applications?state=awarded", reader));
  EXPECT_EQ(page["items"].size(), 1u);
  // Refusals name the parameter.
  for (const std::string bad : {"abc", "-1", "1.5", "2e3", "1000000000", " 5", "0x10"}) {
    SCOPED_TRACE(bad);
    expect_refused(get("/api/v1/applications?limit=" + bad, reader), 422, "request.query", "limit");
  }
  expect_refused(get("/api/v1/applications?offset=-4", reader), 422, "request.query", "offset");
  const auto both = expect_refused(get("/api/v1/applications?limit=x&offset=y", reader), 422,
                                   "request.query", "limit");
  EXPECT_EQ(json_of(both)["problems"].size(), 2u);
  expect_refused(get("/api/v1/applications?state=lost", reader), 422, "request.query", "state");
  expect_refused(get("/api/v1/applications?scheme=00000000", reader), 404, "scheme.unknown");
}

// ---- hostile input ---------------------------------------------------------------------------

// Markup is data: stored as typed, returned inside a JSON string, never interpreted (the API only
// answers application/json, and the server adds X-Content-Type-Options: nosniff).
TEST_F(HttpApi, MarkupInATextFieldIsStoredAndReturnedAsText) {
  const Auth admin = bearer(Role::Administrator);
  const std::string script = "<script>alert(1)</script>";
  const std::string quotes = R"(Ets "Dupont" \ fils </script><img src=x onerror=alert(1)>)";
  for (const std::string& name : {script, quotes}) {
    SCOPED_TRACE(name);
    const auto out = call(send_json("POST", "/api/v1/parties", admin, json{{"legal_name", name}}));
    ASSERT_EQ(out.status, 201) << describe(out);
    EXPECT_EQ(out.content_type, "application/json; charset=utf-8");
    const auto j = json::parse(out.body);
    EXPECT_EQ(j["legal_name"], name);
    // In the raw body the name sits inside a JSON string, with its quotes escaped.
    EXPECT_NE(out.body.find(json(name).dump()), std::string::npos) << out.body;
    const auto id = j["id"].get<std::int64_t>();
    const auto stored =
        query(db_, "SELECT legal_name FROM parties WHERE id = " + std::to_string(id));
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0][0], name);
  }
  const auto list = expect_ok(get("/api/v1/parties", admin));
  std::set<std::string> names;
  for (const auto& p : list)
    names.insert(p["legal_name"].get<std::string>());
  EXPECT_TRUE(names.count(script));
  EXPECT_TRUE(names.count(quotes));
}

// SQL metacharacters in a path parameter are a value like any other: the dossier does not exist.
TEST_F(HttpApi, SqlMetacharactersInAPathParameterFindNothingAndChangeNothing) {
  const Auth admin = bearer(Role::Administrator);
  all_unchanged([&] {
    for (const std::string number :
         {"EX070158' OR '1'='1", "EX070158'--", "EX070158\"; DROP TABLE applications; --",
          "%' OR 1=1 --", "EX07015_", "EX07015%"}) {
      SCOPED_TRACE(number);
      const std::string base = "/api/v1/applications/" + number;
      expect_refused(get(base, admin), 404, "application.unknown");
      expect_refused(
          send_json("POST", base + "/events", admin, json{{"event", "reopen"}, {"reason", "x"}}),
          404, "application.unknown");
      expect_refused(
          send_json("PATCH", base + "/plan", admin, changes({set_line("expense", 1, "1")})), 404,
          "application.unknown");
    }
  });
  expect_refused(get("/api/v1/reports/CP 2023-040' OR '1'='1", admin), 404, "report.unknown");
  expect_refused(
      make_request("POST", "/api/v1/reports/CP 2023-040'; DELETE FROM reports; --/adoption", admin),
      404, "report.unknown");
  expect_refused(make_request("POST", "/api/v1/reports/x' OR '1'='1/adoption", admin), 404,
                 "report.unknown");
  expect_refused(make_request("POST", "/api/v1/reports/CP 2023-040' OR 'a'='a/adoption", admin),
                 404, "report.unknown");
  expect_refused(get("/api/v1/schemes/00001176' OR '1'='1", admin), 404, "scheme.unknown");
  expect_refused(get("/api/v1/budget/lines/2023/1630030'/journal", admin), 404,
                 "budget.unknown_line");
  expect_refused(get("/api/v1/applications?scheme=00001176' OR '1'='1", admin), 404,
                 "scheme.unknown");
  EXPECT_EQ(count_rows(db_, "applications"), 4);
  EXPECT_EQ(show("EX070158").application.state, octroi::ApplicationState::Proposed);
}

// A token of another authority sees none of the demo authority's data, and its idempotency keys
// are its own.
TEST_F(HttpApi, AnotherAuthoritysTokenSeesNothingOfTheDemo) {
  auto cd93 = octroi::run_write(*store_, [&](octroi::Transaction& tx) {
    return octroi::create_authority(tx, "test:admin", clock_,
                                    {"cd93", "Département de la Seine-Saint-Denis", "", "", ""});
  });
  ASSERT_TRUE(cd93.ok()) << cd93.refusal().describe();
  auto issued = octroi::run_write(*store_, [&](octroi::Transaction& tx) {
    const octroi::Context ctx{cd93->id, "test:admin", &clock_};
    return octroi::issue_api_token(tx, ctx, "cd93-admin", "administrator", tokens_,
                                   store_->hasher());
  });
  ASSERT_TRUE(issued.ok()) << issued.refusal().describe();
  const Auth other = Auth::token(issued->token);
  EXPECT_EQ(expect_ok(get("/api/v1/applications", other))["items"].size(), 0u);
  EXPECT_EQ(expect_ok(get("/api/v1/parties", other)).size(), 0u);
  EXPECT_EQ(expect_ok(get("/api/v1/reports", other)).size(), 0u);
  expect_refused(get("/api/v1/applications/EX070158", other), 404, "application.unknown");
  expect_refused(send_json("POST", "/api/v1/applications/EX070158/events", other,
                           json{{"event", "reopen"}, {"reason", "x"}}),
                 404, "application.unknown");
  expect_refused(make_request("POST", "/api/v1/reports/CP 2023-040/adoption", other), 404,
                 "report.unknown");
  expect_refused(get("/api/v1/budget/lines/2023/16300302/journal", other), 404,
                 "budget.unknown_line");
  // One key, one party in each authority.
  auto with_key = [](HttpRequest r) {
    r.headers["idempotency-key"] = "shared-key";
    return r;
  };
  const json party = {{"legal_name", "Tiers commun"}};
  EXPECT_EQ(call(with_key(send_json("POST", "/api/v1/parties", other, party))).status, 201);
  const auto demo =
      call(with_key(send_json("POST", "/api/v1/parties", bearer(Role::Administrator), party)));
  EXPECT_EQ(demo.status, 201);
  EXPECT_EQ(header_of(demo, "Idempotent-Replayed"), "");
  EXPECT_EQ(expect_ok(get("/api/v1/parties", other)).size(), 1u);
}

// ---- sessions and CSRF -----------------------------------------------------------------------

class HttpSessions : public HttpTest {};

TEST_F(HttpSessions, LoginSetsAStrictHttpOnlyCookieAndGivesTheCsrfToken) {
  load_accounts();
  const auto out =
      call(send_json("POST", "/api/v1/session", {}, credentials("greffe", password_of("greffe"))));
  ASSERT_EQ(out.status, 201) << describe(out);
  const std::string cookie = header_of(out, "Set-Cookie");
  const Auth s = session_of(out);
  ASSERT_EQ(s.cookie.size(), 64u) << cookie;
  EXPECT_EQ(cookie, "octroi_session=" + s.cookie + "; Path=/; HttpOnly; SameSite=Strict");
  const auto j = json::parse(out.body);
  EXPECT_EQ(j["login"], "greffe");
  EXPECT_EQ(j["role"], "clerk");
  EXPECT_EQ(j["expires_at"], "2023-01-20T21:00:00Z");  // 12 hours
  EXPECT_GE(j["csrf_token"].get<std::string>().size(), 32u);
  EXPECT_NE(j["csrf_token"], s.cookie);
  EXPECT_EQ(out.body.find("argon2"), std::string::npos);
  EXPECT_EQ(out.body.find("password"), std::string::npos);
  // Only the SHA-256 of the cookie is stored.
  const auto rows = query(db_, "SELECT token_hash FROM login_sessions");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], store_->hasher().sha256_hex(s.cookie));
  EXPECT_EQ(dump().find(s.cookie), std::string::npos);
  // The cookie opens the session.
  const auto me = expect_ok(get("/api/v1/me", s));
  EXPECT_EQ(me["actor"], "web:greffe");
  EXPECT_EQ(me["csrf_token"], s.csrf);

  // Behind HTTPS (secure_cookies), the cookie is also Secure.
  octroi::http::ApiOptions secure;
  secure.secure_cookies = true;
  octroi::http::Api behind_https(*store_, clock_m_, passwords_, tokens_, secure);
  const auto out2 = behind_https.handle(
      send_json("POST", "/api/v1/session", {}, credentials("greffe", password_of("greffe"))));
  ASSERT_EQ(out2.status, 201) << describe(out2);
  const std::string cookie2 = header_of(out2, "Set-Cookie");
  EXPECT_NE(cookie2.find("; Secure"), std::string::npos) << cookie2;
  EXPECT_NE(cookie2.find("; HttpOnly"), std::string::npos) << cookie2;
  EXPECT_NE(cookie2.find("; SameSite=Strict"), std::string::npos) << cookie2;
}

TEST_F(HttpSessions, CookieWritesNeedTheirSessionsCsrfToken) {
  const Auth admin = login("admin");
  const Auth instructor = login("instructeur");
  const json party = {{"legal_name", "Tiers CSRF"}};
  Auth no_csrf = admin;
  no_csrf.csrf.clear();
  Auth wrong = admin;
  wrong.csrf = std::string(admin.csrf.size(), '0');
  Auth other_session = admin;
  other_session.csrf = instructor.csrf;
  for (const Auth& a : {no_csrf, wrong, other_session}) {
    expect_refused(send_json("POST", "/api/v1/parties", a, party), 403, "auth.csrf",
                   "x-csrf-token");
    expect_refused(send_json("POST", kEvents70162, a,
                             json{{"event", "reopen"}, {"reason", "Devis actualisé"}}),
                   403, "auth.csrf");
    expect_refused(send_json("PATCH", kPlan70162, a, changes({set_line("expense", 1, "1")})), 403,
                   "auth.csrf");
    expect_refused(make_request("POST", "/api/v1/reports/CP 2023-040/adoption", a), 403,
                   "auth.csrf");
  }
  // The CSRF token is checked before the body: a malformed body without it is still a 403.
  expect_refused(send_json("POST", "/api/v1/parties", no_csrf, std::string("{")), 403, "auth.csrf");
  // Reads need no CSRF token; writes with the right one pass.
  EXPECT_EQ(call(get("/api/v1/parties", no_csrf)).status, 200);
  EXPECT_EQ(call(send_json("POST", "/api/v1/parties", admin, party)).status, 201);
  EXPECT_EQ(
      call(send_json("POST", "/api/v1/parties", instructor, json{{"legal_name", "Tiers CSRF 2"}}))
          .status,
      201);
  // A bearer token has no cookie, so no CSRF token.
  EXPECT_EQ(call(send_json("POST", "/api/v1/parties", bearer(Role::Administrator),
                           json{{"legal_name", "Tiers API"}}))
                .status,
            201);
}

TEST_F(HttpSessions, LogoutEndsTheSession) {
  const Auth admin = login("admin");
  EXPECT_EQ(call(get("/api/v1/me", admin)).status, 200);
  EXPECT_EQ(count_rows(db_, "login_sessions"), 1);
  const auto out = call(make_request("DELETE", "/api/v1/session", admin));
  EXPECT_EQ(out.status, 204) << describe(out);
  EXPECT_EQ(out.body, "");
  EXPECT_EQ(header_of(out, "Set-Cookie"),
            "octroi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  EXPECT_EQ(count_rows(db_, "login_sessions"), 0);
  expect_refused(get("/api/v1/me", admin), 401, "auth.no_session", "session");
  expect_refused(send_json("POST", "/api/v1/parties", admin, json{{"legal_name", "Après"}}), 401,
                 "auth.no_session");
  // Logging out again, or without a session, is harmless.
  EXPECT_EQ(call(make_request("DELETE", "/api/v1/session", admin)).status, 204);
  EXPECT_EQ(call(make_request("DELETE", "/api/v1/session")).status, 204);
  // A made-up cookie opens nothing.
  Auth forged;
  forged.cookie = std::string(64, 'a');
  expect_refused(get("/api/v1/me", forged), 401, "auth.no_session");
  forged.cookie = "short";
  expect_refused(get("/api/v1/me", forged), 401, "auth.no_session");
}

TEST_F(HttpSessions, IdleSessionExpiresAfterThirtyMinutes) {
  const Auth s = login("chef");
  // Used every 29 minutes, the session lives on (each use moves last_seen_at).
  for (int i = 1; i <= 3; ++i) {
    clock_m_.advance(29 * 60);
    const auto me = call(get("/api/v1/me", s));
    ASSERT_EQ(me.status, 200) << "use " << i << "\n" << describe(me);
  }
  const auto seen = query(db_, "SELECT last_seen_at FROM login_sessions");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0][0], clock_m_.now_iso());
  // 30 minutes without use: expired, for reads and writes alike.
  clock_m_.advance(30 * 60);
  expect_refused(get("/api/v1/me", s), 401, "auth.session_expired", "session");
  expect_refused(
      send_json("POST", kEvents70162, s, json{{"event", "reopen"}, {"reason", "Devis actualisé"}}),
      401, "auth.session_expired");
  // A new login opens a new session.
  EXPECT_EQ(call(get("/api/v1/me", login("chef"))).status, 200);
}

TEST_F(HttpSessions, SessionExpiresTwelveHoursAfterLoginHoweverActive) {
  const Auth s = login("finances");
  for (int minutes = 20; minutes < 12 * 60; minutes += 20) {
    clock_m_.advance(20 * 60);
    const auto me = call(get("/api/v1/me", s));
    ASSERT_EQ(me.status, 200) << minutes << " min\n" << describe(me);
  }
  clock_m_.advance(20 * 60);  // 12 hours after the login
  EXPECT_EQ(clock_m_.now_iso(), "2023-01-20T21:00:00Z");
  expect_refused(get("/api/v1/me", s), 401, "auth.session_expired");
}

TEST_F(HttpSessions, WrongPasswordAndUnknownLoginGetTheSameAnswer) {
  load_accounts();
  const std::string before = dump();
  const auto wrong =
      call(send_json("POST", "/api/v1/session", {}, credentials("admin", "demo-admin-2024")));
  const auto unknown =
      call(send_json("POST", "/api/v1/session", {}, credentials("personne", "demo-admin-2023")));
  const auto empty = call(send_json("POST", "/api/v1/session", {}, credentials("", "")));
  const auto other_case =
      call(send_json("POST", "/api/v1/session", {}, credentials("ADMIN", "demo-admin-2023")));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(code_of(wrong), "auth.invalid");
  for (const auto* r : {&unknown, &empty, &other_case}) {
    EXPECT_EQ(r->status, wrong.status);
    EXPECT_EQ(r->body, wrong.body);
    EXPECT_EQ(r->headers, wrong.headers);
    EXPECT_EQ(r->content_type, wrong.content_type);
  }
  EXPECT_EQ(header_of(wrong, "Set-Cookie"), "");
  const std::string after = dump();
  EXPECT_EQ(before, after) << first_difference(before, after);
}

TEST_F(HttpSessions, FiveFailuresLockTheLoginForFifteenMinutes) {
  load_accounts();
  const std::string right = password_of("instructeur");
  const std::string before = dump();
  for (int i = 1; i <= 5; ++i) {
    const auto r = call(send_json("POST", "/api/v1/session", {},
                                  credentials("instructeur", "mauvais-" + std::to_string(i))));
    ASSERT_EQ(r.status, 401) << "failure " << i << "\n" << describe(r);
  }
  // Locked: even the right password is refused, with the wait in Retry-After.
  auto locked = call(send_json("POST", "/api/v1/session", {}, credentials("instructeur", right)));
  EXPECT_EQ(locked.status, 429) << describe(locked);
  EXPECT_EQ(code_of(locked), "auth.throttled");
  EXPECT_EQ(field_of(locked), "login");
  EXPECT_EQ(header_of(locked, "Retry-After"), "900");
  EXPECT_EQ(header_of(locked, "Set-Cookie"), "");
  clock_m_.advance(899);
  locked = call(send_json("POST", "/api/v1/session", {}, credentials("instructeur", right)));
  EXPECT_EQ(locked.status, 429) << describe(locked);
  EXPECT_EQ(header_of(locked, "Retry-After"), "1");
  {
    const std::string after = dump();
    EXPECT_EQ(before, after) << first_difference(before, after);
  }
  // The lock is per login and per address: another login from another address is not locked.
  auto elsewhere =
      send_json("POST", "/api/v1/session", {}, credentials("lecteur", password_of("lecteur")));
  elsewhere.remote_addr = "192.0.2.7";
  EXPECT_EQ(call(elsewhere).status, 201);
  // ...the same login from another address is, and so is another login from the same address.
  auto same_login = send_json("POST", "/api/v1/session", {}, credentials("instructeur", right));
  same_login.remote_addr = "192.0.2.8";
  EXPECT_EQ(call(same_login).status, 429);
  EXPECT_EQ(
      call(send_json("POST", "/api/v1/session", {}, credentials("lecteur", password_of("lecteur"))))
          .status,
      429);
  EXPECT_EQ(count_rows(db_, "login_sessions"), 1);  // the one from 192.0.2.7
  // The lockout over, the right password opens a session.
  clock_m_.advance(1);
  const auto opened =
      call(send_json("POST", "/api/v1/session", {}, credentials("instructeur", right)));
  EXPECT_EQ(opened.status, 201) << describe(opened);
}

// ---- known bugs (reported; enable once fixed) ------------------------------------------------

// A non-string "op" or "side" in a plan change: api.cc reads them with json::value("op", ""),
// which throws nlohmann::type_error out of Api::handle (the server then answers 500, with the
// exception's text in an EXCEPTION_WHAT header).
TEST_F(HttpApi, NonStringOpOrSideOfAPlanChangeIsA422) {
  const Auth admin = bearer(Role::Administrator);
  all_unchanged([&] {
    expect_refused(send_json("PATCH", kPlan70162, admin,
                             changes({{{"op", 1}, {"side", "expense"}, {"line", 1}}})),
                   422, "request.type", "changes[1].op");
    expect_refused(send_json("PATCH", kPlan70162, admin,
                             changes({{{"op", "set"}, {"side", nullptr}, {"line", 1}}})),
                   422, "request.type", "changes[1].side");
  });
}

// A path parameter (or a query value) that is not UTF-8 is echoed in the refusal's message, and
// problem_response's json::dump throws nlohmann::type_error (316) out of Api::handle.
// Bytes that are not UTF-8 are the client's error, refused before they reach a message, a log
// or the database (which would otherwise answer differently on SQLite and PostgreSQL).
TEST_F(HttpApi, PathParameterThatIsNotUtf8IsRefusedNormally) {
  const Auth admin = bearer(Role::Administrator);
  all_unchanged([&] {
    expect_refused(get("/api/v1/applications/EX\xff\xfe", admin), 400, "request.encoding");
    expect_refused(get("/api/v1/schemes/\xc3", admin), 400, "request.encoding");
    expect_refused(get("/api/v1/reports/\xc3", admin), 400, "request.encoding");
    expect_refused(get("/api/v1/applications?state=\xff", admin), 400, "request.encoding");
  });
}

}  // namespace
}  // namespace octroi_test
