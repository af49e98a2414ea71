// The JSON API v1 in-process (issue 6): Api::handle called directly, as the server calls it, on
// the demo database (SQLite or PostgreSQL), with real argon2id password hashing and real tokens.
// Every documented route answers once and refuses once; every refusal is a problem+json document
// and leaves the database exactly as it was (dump_database before and after); idempotency keys,
// pagination, markup and SQL metacharacters in input; login sessions, CSRF, expiry and
// throttling with a clock the tests move forward.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/documents/odt_package.h"
#include "adapters/documents/render.h"
#include "adapters/http/api/support.h"
#include "app/account_life.h"
#include "app/portal.h"
#include "app/ports/applications.h"
#include "app/ports/files.h"
#include "app/ports/portal.h"
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

// The service that instructs the « lieux d'innovation » scheme (Casaco's dossier EX065392).
const std::string kInnovationService = "Service de l'innovation";

class HttpApi : public HttpTest {
 protected:
  // A new token of an instructor of `service` (bearer(Role::Instructor)'s is of kDemoService).
  Auth instructor_of(const std::string& service) {
    auto t = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      return issue_test_token(tx, ctx, tokens_, store_->hasher(),
                              "test-instructor-" + std::to_string(++issued_), "instructor",
                              service);
    });
    if (!t.ok()) {
      ADD_FAILURE() << t.refusal().describe();
      return {};
    }
    return Auth::token(t->token);
  }

 private:
  int issued_ = 0;
};

// ---- every route: one answer, one refusal, and the OpenAPI document lists exactly those ------

// The routes that cannot refuse anything: the OpenAPI document, and logging out (which answers
// 204 whatever the cookie, so that a stale cookie can always be cleared).
const std::set<RouteKey> kNothingToRefuse = {{"GET", "/api/v1/openapi.json"},
                                             {"DELETE", "/api/v1/session"}};

TEST_F(HttpApi, EveryDocumentedRouteAnswersAndRefuses) {
  load_accounts();
  const Auth reader = bearer(Role::Reader);
  const Auth clerk = bearer(Role::Clerk);
  const Auth innovation = instructor_of(kInnovationService);

  // POST /api/v1/session
  expect_refused(
      send_json("POST", "/api/v1/session", {}, credentials("admin", "pas-le-bon-mot-de-passe")),
      401, "auth.invalid", "login");
  const Auth admin = login("admin");
  const Auth admin_token = bearer(Role::Administrator);
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

  // GET /api/v1/parties/{id}: the 360° view of Casaco, awarded 78 400 € by CP 2022-285 under the
  // de minimis regulation 1407/2013, nothing paid yet.
  {
    const std::string casaco = "/api/v1/parties/" + std::to_string(party_id("SAS SCIC Casaco"));
    const auto p = expect_ok(get(casaco, reader));
    EXPECT_EQ(p["legal_name"], "SAS SCIC Casaco");
    EXPECT_EQ(p["departement"], "92");
    ASSERT_EQ(p["dossiers"].size(), 1u);
    EXPECT_EQ(p["dossiers"][0]["number"], "EX065392");
    EXPECT_EQ(p["dossiers"][0]["scheme"], "00001033");
    EXPECT_EQ(p["dossiers"][0]["state"], "awarded");
    EXPECT_EQ(p["dossiers"][0]["awarded"], "78400.00");
    EXPECT_EQ(p["dossiers"][0]["paid"], "0.00");
    EXPECT_EQ(p["total_awarded"], "78400.00");
    EXPECT_EQ(p["total_paid"], "0.00");
    EXPECT_EQ(p["de_minimis"]["regime"], "de_minimis_1407_2013");
    EXPECT_EQ(p["de_minimis"]["used"], "78400.00");
    EXPECT_EQ(p["de_minimis"]["ceiling"], "200000.00");
    EXPECT_EQ(p["de_minimis"]["room"], "121600.00");
    ASSERT_EQ(p["de_minimis"]["aids"].size(), 1u);
    EXPECT_EQ(p["de_minimis"]["aids"][0]["granted_on"], "2022-07-07");
    EXPECT_EQ(p["de_minimis"]["aids"][0]["amount"], "78400.00");
    // A commune without a dossier under de minimis: nothing used.
    const auto montfermeil = expect_ok(
        get("/api/v1/parties/" + std::to_string(party_id("Commune de Montfermeil")), reader));
    ASSERT_EQ(montfermeil["dossiers"].size(), 1u);
    EXPECT_EQ(montfermeil["dossiers"][0]["number"], "EX070158");
    EXPECT_EQ(montfermeil["dossiers"][0]["awarded"], "0.00");
    EXPECT_EQ(montfermeil["de_minimis"]["used"], "0.00");
    EXPECT_EQ(montfermeil["de_minimis"]["aids"], json::array());
    expect_refused(get("/api/v1/parties/999999", reader), 404, "party.unknown", "id");
    expect_refused(get("/api/v1/parties/abc", reader), 404, "party.unknown", "id");
    expect_refused(get("/api/v1/parties/-1", reader), 404, "party.unknown", "id");
    expect_refused(get(casaco), 401, "auth.required");
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

  // GET /api/v1/applications: the filters and the search, on the four dossiers of the demo.
  // `found` lists the numbers of the dossiers a query answers (ordered by number).
  using Numbers = std::vector<std::string>;
  auto found = [&](const std::string& query) {
    Numbers out;
    const auto page = expect_ok(get("/api/v1/applications?" + query, reader));
    for (const auto& a : page["items"])
      out.push_back(a["number"].get<std::string>());
    return out;
  };
  const Numbers cheques = {"EX069984", "EX070158", "EX070162"};
  const Numbers cp_2023_040 = {"EX065392", "EX069984", "EX070158", "EX070162"};
  {
    // Full text, accent- and case-insensitive, each word a prefix, all words required.
    EXPECT_EQ(found("q=numerique"), cheques);
    EXPECT_EQ(found("q=CHEQUE NUMÉRIQUE"), cheques);
    EXPECT_EQ(found("q=Chèque numérique"), cheques);
    EXPECT_EQ(found("q=numerique montfermeil"), Numbers{"EX070158"});
    EXPECT_EQ(found("q=MONTFER"), Numbers{"EX070158"});
    // The beneficiary, the description (« coopération », « bâtiment », « commerçants »), the
    // place, the beneficiary's commune, the number.
    EXPECT_EQ(found("q=casaco"), Numbers{"EX065392"});
    EXPECT_EQ(found("q=COOPERATION batiment"), Numbers{"EX065392"});
    EXPECT_EQ(found("q=commercants"), Numbers{"EX069984"});
    EXPECT_EQ(found("q=malakoff"), Numbers{"EX065392"});
    EXPECT_EQ(found("q=clayes-sous-bois"), Numbers{"EX070162"});
    EXPECT_EQ(found("q=Le Perreux-sur-Marne"), Numbers{"EX069984"});
    EXPECT_EQ(found("q=ex0701"), (Numbers{"EX070158", "EX070162"}));
    EXPECT_EQ(found("q=EX070158"), Numbers{"EX070158"});
    EXPECT_EQ(found("q=societe"), Numbers{});  // « société » is in no indexed field yet
    EXPECT_EQ(found("q=montfermeil casaco"), Numbers{});
    EXPECT_EQ(found("q=   "), cp_2023_040);  // no word: no filter
    // The search's own syntax (FTS5, tsquery) is only separators: no error, no injection.
    EXPECT_EQ(found(R"(q=casaco" OR "montfermeil)"), Numbers{});
    EXPECT_EQ(found("q=casaco | montfermeil:* & !x"), Numbers{});
    EXPECT_EQ(found("q=cas*"), Numbers{"EX065392"});
    EXPECT_EQ(found("q=');DROP TABLE applications;--"), Numbers{});
    // The département of the beneficiary.
    EXPECT_EQ(found("departement=93"), Numbers{"EX070158"});
    EXPECT_EQ(found("departement=92"), Numbers{"EX065392"});
    EXPECT_EQ(found("departement=78"), Numbers{"EX070162"});
    EXPECT_EQ(found("departement=75"), Numbers{});
    EXPECT_EQ(found("departement=2a"), Numbers{});
    EXPECT_EQ(found("departement=971"), Numbers{});
    // The session: the dossiers named in an article of a report of the session of that day,
    // CP 2023-040's three awards and the transfer of Casaco's aid.
    EXPECT_EQ(found("session=2023-01-25"), cp_2023_040);
    EXPECT_EQ(found("session=25/01/2023"), cp_2023_040);
    EXPECT_EQ(found("session=2022-07-07"), Numbers{"EX065392"});
    EXPECT_EQ(found("session=2023-01-26"), Numbers{});
    EXPECT_EQ(found("session=2023-01-25&scheme=00001176"), cheques);
    // The beneficiary.
    EXPECT_EQ(found("party=" + std::to_string(party_id("Commune de Montfermeil"))),
              Numbers{"EX070158"});
    EXPECT_EQ(found("party=999999"), Numbers{});
    // Together.
    EXPECT_EQ(found("state=proposed&departement=94&q=perreux"), Numbers{"EX069984"});
    EXPECT_EQ(found("state=awarded&q=numerique"), Numbers{});
    // Refusals name the parameter.
    all_unchanged([&] {
      expect_refused(get("/api/v1/applications?state=lost", reader), 422, "search.state", "state");
      expect_refused(get("/api/v1/applications?scheme=00000000", reader), 422, "scheme.unknown",
                     "scheme");
      for (const std::string bad : {"abc", "-1", "1.5", "1234567890123"}) {
        SCOPED_TRACE(bad);
        expect_refused(get("/api/v1/applications?party=" + bad, reader), 422, "search.party",
                       "party");
      }
      for (const std::string bad : {"7", "2C", "100", "9710", "ab", "75001"}) {
        SCOPED_TRACE(bad);
        expect_refused(get("/api/v1/applications?departement=" + bad, reader), 422,
                       "search.departement", "departement");
      }
      for (const std::string bad : {"2023-02-30", "hier", "2023-1-25"}) {
        SCOPED_TRACE(bad);
        expect_refused(get("/api/v1/applications?session=" + bad, reader), 422, "search.session",
                       "session");
      }
      expect_refused(get("/api/v1/applications?q=" + std::string(201, 'a'), reader), 422,
                     "search.text", "q");
      const auto several =
          expect_refused(get("/api/v1/applications?state=lost&departement=7&session=hier", reader),
                         422, "search.state", "state");
      EXPECT_EQ(json_of(several)["problems"].size(), 3u);
    });
  }

  // POST /api/v1/applications: a draft dossier of the Trappes association registered above
  // (50 % of 8 000 €, limited to the 4 000 € asked of the Region), once with an Idempotency-Key.
  const json trappes_dossier = {
      {"scheme", "00001176"},
      {"party", party_id("Association des commerçants de Trappes")},
      {"title", "Chèque numérique – vitrine des commerçants de Trappes"},
      {"description",
       "Vitrine numérique des commerçants du marché, tenue par une Société coopérative."},
      {"place", "Trappes"},
      {"start", "2023-03-01"},
      {"end", "2024-02-29"},
      {"reference_year", "2023"},
      {"expenses", json::array({{{"label", "Plateforme"}, {"amount", "6000"}, {"eligible", true}},
                                {{"label", "Formation des commerçants"}, {"amount", "2000"}}})},
      {"resources",
       json::array({{{"label", "Autofinancement"}, {"amount", "4000"}, {"kind", "self_funding"}},
                    {{"label", "Région"},
                     {"amount", "4000"},
                     {"kind", "authority"},
                     {"status", "sollicité"}}})}};
  {
    auto with_key = [](HttpRequest r) {
      r.headers["idempotency-key"] = "dossier-trappes";
      return r;
    };
    all_unchanged([&] {
      json bad = trappes_dossier;
      bad["number"] = "EX070158";
      expect_refused(send_json("POST", "/api/v1/applications", admin, bad), 409,
                     "application.exists", "number");
      bad = trappes_dossier;
      bad["scheme"] = "00009999";
      expect_refused(send_json("POST", "/api/v1/applications", admin, bad), 422, "scheme.unknown",
                     "scheme");
      bad = trappes_dossier;
      bad["party"] = 999999;
      expect_refused(send_json("POST", "/api/v1/applications", admin, bad), 422, "party.unknown",
                     "party");
      bad = trappes_dossier;
      bad["party"] = "12";
      expect_refused(send_json("POST", "/api/v1/applications", admin, bad), 422, "request.type",
                     "party");
      bad = trappes_dossier;
      bad["title"] = "  ";
      expect_refused(send_json("POST", "/api/v1/applications", admin, bad), 422, "text.required");
      bad = trappes_dossier;
      bad["end"] = "2024-02-30";
      expect_refused(send_json("POST", "/api/v1/applications", admin, bad), 422, "date.nonexistent",
                     "project.end");
      bad = trappes_dossier;
      bad["reference_year"] = "2023a";
      expect_refused(send_json("POST", "/api/v1/applications", admin, bad), 422,
                     "application.reference_year", "reference_year");
      bad = trappes_dossier;
      bad["expenses"][1]["amount"] = 2000;
      expect_refused(send_json("POST", "/api/v1/applications", admin, bad), 422, "request.type",
                     "expenses[2].amount");
      bad = trappes_dossier;
      bad["resources"][0]["nature"] = "self_funding";
      expect_refused(send_json("POST", "/api/v1/applications", admin, bad), 422,
                     "request.unknown_field", "resources[1].nature");
      bad = trappes_dossier;
      bad["resources"][0]["kind"] = "gift";
      expect_refused(send_json("POST", "/api/v1/applications", admin, bad), 422,
                     "plan.resource_kind", "plan.resources[1].kind");
      bad = trappes_dossier;
      bad["expenses"] = "Plateforme 6000";
      expect_refused(send_json("POST", "/api/v1/applications", admin, bad), 422, "request.type",
                     "expenses");
      // An instructor of another service than the scheme's.
      expect_refused(send_json("POST", "/api/v1/applications", innovation, trappes_dossier), 403,
                     "auth.service", "scheme");
    });
    const auto before = count_rows(db_, "applications");
    const auto first =
        call(with_key(send_json("POST", "/api/v1/applications", admin, trappes_dossier)));
    ASSERT_EQ(first.status, 201) << describe(first);
    const auto a = json_of(first);
    EXPECT_EQ(a["number"], "EX070163");
    EXPECT_EQ(a["state"], "draft");
    EXPECT_EQ(a["scheme"]["number"], "00001176");
    EXPECT_EQ(a["party"]["legal_name"], "Association des commerçants de Trappes");
    EXPECT_EQ(a["project"]["place"], "Trappes");
    EXPECT_EQ(a["project"]["end"], "2024-02-29");
    EXPECT_EQ(a["reference_year"], 2023);
    EXPECT_EQ(a["plan"]["total_expenses"], "8000.00");
    EXPECT_EQ(a["plan"]["balanced"], true);
    EXPECT_EQ(a["plan"]["expenses"][1]["eligible"], true);
    EXPECT_EQ(a["plan"]["resources"][1]["status"], "sollicité");
    EXPECT_EQ(a["eligible_base"], "8000.00");
    EXPECT_EQ(a["requested"], "4000.00");
    EXPECT_EQ(a["computed_award"]["amount"], "4000.00");
    ASSERT_EQ(a["history"].size(), 1u);
    EXPECT_EQ(a["history"][0]["event"], "create");
    EXPECT_EQ(a["history"][0]["actor"], "web:admin");
    const auto replayed =
        call(with_key(send_json("POST", "/api/v1/applications", admin, trappes_dossier)));
    EXPECT_EQ(replayed.status, 201) << describe(replayed);
    EXPECT_EQ(replayed.body, first.body);
    EXPECT_EQ(header_of(replayed, "Idempotent-Replayed"), "true");
    EXPECT_EQ(count_rows(db_, "applications"), before + 1);
    // The new dossier is found by its words, its département, its beneficiary.
    EXPECT_EQ(found("q=trappes"), Numbers{"EX070163"});
    EXPECT_EQ(found("q=COMMERCANTS"), (Numbers{"EX069984", "EX070163"}));
    EXPECT_EQ(found("q=vitrine marche"), Numbers{"EX070163"});
    for (const std::string q : {"societe", "SOCIETE", "Société", "SOCIÉTÉ", "soc coop"}) {
      SCOPED_TRACE(q);
      EXPECT_EQ(found("q=" + q), Numbers{"EX070163"});
    }
    EXPECT_EQ(found("departement=78"), (Numbers{"EX070162", "EX070163"}));
    EXPECT_EQ(found("state=draft"), Numbers{"EX070163"});
    EXPECT_EQ(found("session=2023-01-25"), cp_2023_040);
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

  // GET /api/v1/budget/lines/{year}/{action}: one line, as the list renders it.
  {
    const auto line = expect_ok(get("/api/v1/budget/lines/2023/16300302", reader));
    json listed;
    for (const auto& l : expect_ok(get("/api/v1/budget/lines?year=2023", reader)))
      if (l["action"] == "16300302") listed = l;
    EXPECT_EQ(line, listed);
    EXPECT_EQ(line["action"], "16300302");
    EXPECT_TRUE(line.contains("balances"));
    expect_refused(get("/api/v1/budget/lines/2023/99999999", reader), 404, "budget.unknown_line",
                   "line");
    expect_refused(get("/api/v1/budget/lines/2023/1630030", reader), 422, "budget.line_key",
                   "line");
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

  // POST /api/v1/budget/lines: the 2024 line of the chèque numérique's action.
  const json line_2024 = {{"year", "2024"},
                          {"imputation", "936-632-657341-163003-400"},
                          {"programme_label", "HP 632-003"},
                          {"action", "16300302"},
                          {"action_label", "Soutien à l'artisanat et aux TPE"}};
  {
    all_unchanged([&] {
      json bad = line_2024;
      bad["year"] = "2023";
      expect_refused(send_json("POST", "/api/v1/budget/lines", admin, bad), 422,
                     "budget.line_exists", "action");
      bad = line_2024;
      bad["nomenclature"] = "M14";
      expect_refused(send_json("POST", "/api/v1/budget/lines", admin, bad), 422,
                     "budget.nomenclature", "nomenclature");
      bad = line_2024;
      bad["year"] = 2024;
      expect_refused(send_json("POST", "/api/v1/budget/lines", admin, bad), 422, "request.type",
                     "year");
      expect_refused(send_json("POST", "/api/v1/budget/lines", reader, line_2024), 403,
                     "auth.forbidden", "role");
    });
    const auto l = expect_ok(send_json("POST", "/api/v1/budget/lines", admin, line_2024), 201);
    EXPECT_EQ(l["key"], "2024/16300302");
    EXPECT_EQ(l["fiscal_year"], 2024);
    EXPECT_EQ(l["imputation"], "936-632-657341-163003-400");
    EXPECT_EQ(l["nomenclature"], "M57");
    EXPECT_EQ(l["action_label"], "Soutien à l'artisanat et aux TPE");
    EXPECT_EQ(l["balances"]["ae_voted"], "0.00");
    EXPECT_EQ(l["balances"]["available"], "0.00");
    EXPECT_EQ(expect_ok(get("/api/v1/budget/lines?year=2024", reader)).size(), 1u);
    expect_refused(send_json("POST", "/api/v1/budget/lines", admin, line_2024), 422,
                   "budget.line_exists", "action");
  }

  // POST /api/v1/budget/lines/{year}/{action}/movements: vote, allocate, release on that line.
  {
    const std::string movements = "/api/v1/budget/lines/2024/16300302/movements";
    all_unchanged([&] {
      expect_refused(send_json("POST", movements, admin, json{{"kind", "nope"}}), 422,
                     "request.value", "kind");
      expect_refused(send_json("POST", movements, admin,
                               json{{"kind", "vote"}, {"reference", "BP 2024"}, {"label", "Vote"}}),
                     422, "budget.vote_empty", "ae");
      expect_refused(send_json("POST", movements, admin,
                               json{{"kind", "vote"}, {"ae", "1000"}, {"label", "Vote"}}),
                     422, "text.required", "reference");
      expect_refused(send_json("POST", movements, admin,
                               json{{"kind", "allocation"},
                                    {"amount", "1"},
                                    {"reference", "CP 2024-001"},
                                    {"label", "Affectation"}}),
                     422, "ledger.insufficient_ae");
      expect_refused(send_json("POST", movements, admin, json{{"kind", "vote"}, {"ae", 50000}}),
                     422, "request.type", "ae");
      expect_refused(send_json("POST", "/api/v1/budget/lines/2024/99999999/movements", admin,
                               json{{"kind", "vote"}, {"ae", "1000"}}),
                     404, "budget.unknown_line", "line");
      expect_refused(send_json("POST", movements, clerk, json{{"kind", "vote"}, {"ae", "1000"}}),
                     403, "auth.forbidden", "role");
    });
    auto l = expect_ok(send_json("POST", movements, admin,
                                 json{{"kind", "vote"},
                                      {"ae", "50000"},
                                      {"cp", "40000"},
                                      {"reference", "BP 2024"},
                                      {"label", "Vote du budget primitif"}}),
                       201);
    EXPECT_EQ(l["key"], "2024/16300302");
    EXPECT_EQ(l["balances"]["ae_voted"], "50000.00");
    EXPECT_EQ(l["balances"]["cp_voted"], "40000.00");
    EXPECT_EQ(l["balances"]["available"], "50000.00");
    l = expect_ok(send_json("POST", movements, admin,
                            json{{"kind", "allocation"},
                                 {"amount", "1500"},
                                 {"reference", "CP 2024-001"},
                                 {"label", "Affectation directe"}}),
                  201);
    EXPECT_EQ(l["balances"]["allocated"], "1500.00");
    EXPECT_EQ(l["balances"]["available"], "48500.00");
    expect_refused(send_json("POST", movements, admin,
                             json{{"kind", "release"},
                                  {"amount", "1500.01"},
                                  {"reference", "CP 2024-002"},
                                  {"label", "Désaffectation"}}),
                   422, "ledger.release_exceeds_allocated");
    l = expect_ok(send_json("POST", movements, admin,
                            json{{"kind", "release"},
                                 {"amount", "500"},
                                 {"reference", "CP 2024-002"},
                                 {"label", "Désaffectation"}}),
                  201);
    EXPECT_EQ(l["balances"]["allocated"], "1000.00");
    EXPECT_EQ(l["balances"]["available"], "49000.00");
    const auto journal = expect_ok(get("/api/v1/budget/lines/2024/16300302/journal", reader));
    std::vector<std::string> kinds;
    for (const auto& e : journal)
      kinds.push_back(e["kind"].get<std::string>());
    EXPECT_EQ(kinds, (std::vector<std::string>{"vote_ae", "vote_cp", "allocation", "release"}));
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

  // The search after the vote: Casaco's dossier went to the SCI 6 avenue JJ (the index follows
  // the new beneficiary); the session still names the four dossiers.
  EXPECT_EQ(found("q=sci avenue"), Numbers{"EX065392"});
  EXPECT_EQ(found("q=casaco"), Numbers{"EX065392"});  // still in its title
  EXPECT_EQ(found("session=2023-01-25"), cp_2023_040);
  EXPECT_EQ(found("state=awarded&session=2023-01-25"), cp_2023_040);

  // GET /api/v1/sessions: the standing committees of CP 2023-040 and CP 2022-285, recent first.
  {
    const auto list = expect_ok(get("/api/v1/sessions", reader));
    EXPECT_EQ(list, json::parse(R"([{"body": "standing_committee", "date": "2023-01-25"},
                                     {"body": "standing_committee", "date": "2022-07-07"}])"));
    expect_refused(get("/api/v1/sessions"), 401, "auth.required");
  }

  // POST /api/v1/reports: a council report opens its session.
  {
    const json report = {{"number", "CR 2023-010"},
                         {"title", "Politique régionale en faveur du commerce de proximité"},
                         {"body", "cr"},
                         {"session_date", "2023-03-16"}};
    const Auth finance = bearer(Role::Finance);
    all_unchanged([&] {
      json bad = report;
      bad["body"] = "assemblée";
      expect_refused(send_json("POST", "/api/v1/reports", clerk, bad), 422, "report.body", "body");
      bad = report;
      bad["session_date"] = "2023-02-30";
      expect_refused(send_json("POST", "/api/v1/reports", clerk, bad), 422, "date.nonexistent",
                     "session_date");
      bad = report;
      bad["number"] = "CP 2023-040";
      expect_refused(send_json("POST", "/api/v1/reports", clerk, bad), 409, "report.exists",
                     "number");
      expect_refused(send_json("POST", "/api/v1/reports", finance, report), 403, "auth.forbidden",
                     "role");
    });
    const auto r = expect_ok(send_json("POST", "/api/v1/reports", clerk, report), 201);
    EXPECT_EQ(r["number"], "CR 2023-010");
    EXPECT_EQ(r["body"], "council");
    EXPECT_EQ(r["session_date"], "2023-03-16");
    EXPECT_EQ(r["state"], "draft");
    EXPECT_EQ(r["articles"], json::array());
    const auto sessions = expect_ok(get("/api/v1/sessions", reader));
    ASSERT_EQ(sessions.size(), 3u);
    EXPECT_EQ(sessions[0], json::parse(R"({"body": "council", "date": "2023-03-16"})"));
  }

  // POST /api/v1/reports/{number}/articles: a direct allocation in the new report.
  {
    const std::string articles = "/api/v1/reports/CR 2023-010/articles";
    const json direct = {{"kind", "direct"},
                         {"title", "Journées du commerce de proximité"},
                         {"line", "2023/16100107"},
                         {"amount", "12000"}};
    all_unchanged([&] {
      json bad = direct;
      bad["kind"] = "gift";
      expect_refused(send_json("POST", articles, clerk, bad), 422, "article.kind", "kind");
      bad = direct;
      bad["line"] = "2023/99999999";
      expect_refused(send_json("POST", articles, clerk, bad), 404, "budget.unknown_line", "line");
      bad = direct;
      bad["applications"] = json::array({70158});
      expect_refused(send_json("POST", articles, clerk, bad), 422, "request.type",
                     "applications[1]");
      expect_refused(send_json("POST", "/api/v1/reports/CR 1999-001/articles", clerk, direct), 404,
                     "report.unknown", "report");
      expect_refused(send_json("POST", "/api/v1/reports/CP 2023-040/articles", clerk, direct), 422,
                     "report.adopted", "report");
    });
    const auto r = expect_ok(send_json("POST", articles, clerk, direct), 201);
    ASSERT_EQ(r["articles"].size(), 1u);
    EXPECT_EQ(r["articles"][0]["position"], 1);
    EXPECT_EQ(r["articles"][0]["kind"], "direct");
    EXPECT_EQ(r["articles"][0]["amount"], "12000.00");
    EXPECT_EQ(r["articles"][0]["line"]["key"], "2023/16100107");
    ASSERT_EQ(r["budget_check"].size(), 1u);
    EXPECT_EQ(r["budget_check"][0]["needed"], "12000.00");
    EXPECT_EQ(r["budget_check"][0]["enough"], true);
    // A direct allocation names no dossier: the session of 16 March finds none.
    EXPECT_EQ(found("session=2023-03-16"), Numbers{});
  }

  // DELETE /api/v1/reports/{number}/articles/{position}: a second article, then the first one
  // withdrawn; the second takes its place.
  {
    const std::string articles = "/api/v1/reports/CR 2023-010/articles";
    auto r = expect_ok(send_json("POST", articles, clerk,
                                 json{{"kind", "direct"},
                                      {"title", "Salon des métiers d'art"},
                                      {"line", "2023/16100107"},
                                      {"amount", "3000"}}),
                       201);
    ASSERT_EQ(r["articles"].size(), 2u);
    all_unchanged([&] {
      for (const std::string bad : {"3", "0", "-1", "x", "1.0"}) {
        SCOPED_TRACE(bad);
        expect_refused(make_request("DELETE", articles + "/" + bad, clerk), 404, "article.unknown",
                       "position");
      }
      expect_refused(make_request("DELETE", "/api/v1/reports/CP 2023-040/articles/1", clerk), 422,
                     "report.adopted", "report");
      expect_refused(make_request("DELETE", "/api/v1/reports/CR 1999-001/articles/1", clerk), 404,
                     "report.unknown", "report");
      expect_refused(make_request("DELETE", articles + "/1", reader), 403, "auth.forbidden",
                     "role");
    });
    r = expect_ok(make_request("DELETE", articles + "/1", clerk));
    ASSERT_EQ(r["articles"].size(), 1u);
    EXPECT_EQ(r["articles"][0]["position"], 1);
    EXPECT_EQ(r["articles"][0]["title"], "Salon des métiers d'art");
    EXPECT_EQ(r["budget_check"][0]["needed"], "3000.00");
    EXPECT_EQ(expect_ok(get("/api/v1/reports/CR 2023-010", reader)), r);
  }

  // The life of EX070158's award after the vote, as tests/scenarios/award-agreement.scn and
  // award-payments.scn play it with the CLI.
  const std::string ex70158 = "/api/v1/applications/EX070158";

  // GET /api/v1/applications/{number}/award
  {
    const auto a = expect_ok(get(ex70158 + "/award", reader));
    EXPECT_EQ(a["number"], "EX070158");
    EXPECT_EQ(a["state"], "awarded");
    EXPECT_EQ(a["award"]["amount"], "8000.00");
    EXPECT_TRUE(a["agreement"].is_null());
    EXPECT_EQ(a["paid"], "0.00");
    EXPECT_EQ(a["payments"], json::array());
    const auto casaco = expect_ok(get("/api/v1/applications/EX065392/award", reader));
    EXPECT_EQ(casaco["award"]["amount"], "78400.00");
    EXPECT_EQ(casaco["aid_regime"], "de_minimis_1407_2013");
    expect_refused(get("/api/v1/applications/EX999999/award", reader), 404, "application.unknown",
                   "number");
  }

  // POST /api/v1/applications/{number}/agreement
  {
    expect_refused(
        send_json("POST", ex70158 + "/agreement", admin,
                  json{{"eligibility_start", "2023-02-01"}, {"eligibility_end", "2023-01-31"}}),
        422, "agreement.eligibility", "eligibility_end");
    expect_refused(
        send_json("POST", ex70158 + "/agreement", admin, json{{"eligibility_end", "2023-02-30"}}),
        422, "date.nonexistent", "eligibility_end");
    // The scheme's model (CP 2022-111); expenses count from the early start, 1 December 2022,
    // for three years.
    const auto a = expect_ok(send_json("POST", ex70158 + "/agreement", admin, json::object()), 201);
    EXPECT_EQ(a["state"], "awarded");
    EXPECT_EQ(a["agreement"]["model_deliberation"], "CP 2022-111");
    EXPECT_EQ(a["agreement"]["eligibility_start"], "2022-12-01");
    EXPECT_EQ(a["agreement"]["eligibility_end"], "2025-12-01");
    EXPECT_EQ(a["agreement"]["early_start"], "2022-12-01");
    EXPECT_TRUE(a["agreement"]["signed_by_beneficiary_on"].is_null());
    EXPECT_EQ(a["agreement"]["signed"], false);
    expect_refused(send_json("POST", ex70158 + "/agreement", admin, json::object()), 409,
                   "agreement.exists", "number");
  }

  // POST /api/v1/applications/{number}/agreement/signatures
  {
    const std::string signatures = ex70158 + "/agreement/signatures";
    // Not before the award (25 January 2023); only the two known signatories.
    expect_refused(send_json("POST", signatures, admin,
                             json{{"signatory", "beneficiary"}, {"on", "2023-01-24"}}),
                   422, "agreement.date", "on");
    expect_refused(
        send_json("POST", signatures, admin, json{{"signatory", "maire"}, {"on", "2023-02-10"}}),
        422, "agreement.signatory", "signatory");
    auto a = expect_ok(send_json("POST", signatures, admin,
                                 json{{"signatory", "beneficiary"}, {"on", "2023-02-10"}}));
    EXPECT_EQ(a["agreement"]["signed_by_beneficiary_on"], "2023-02-10");
    EXPECT_EQ(a["agreement"]["signed"], false);
    EXPECT_EQ(balances_of("2023/16300302", reader)["committed"], "0.00");
    expect_refused(send_json("POST", signatures, admin,
                             json{{"signatory", "beneficiary"}, {"on", "2023-02-11"}}),
                   422, "agreement.already_signed", "signatory");
    // The second signature commits the 8 000 € on the line.
    a = expect_ok(send_json("POST", signatures, admin,
                            json{{"signatory", "authority"}, {"on", "2023-02-15"}}));
    EXPECT_EQ(a["agreement"]["signed_by_authority_on"], "2023-02-15");
    EXPECT_EQ(a["agreement"]["signed"], true);
    const auto b = balances_of("2023/16300302", reader);
    EXPECT_EQ(b["allocated"], "23000.00");
    EXPECT_EQ(b["committed"], "8000.00");
    EXPECT_EQ(b["paid"], "0.00");
  }

  // POST /api/v1/applications/{number}/payments
  {
    const std::string payments = ex70158 + "/payments";
    const json advance = {{"kind", "advance"}, {"amount", "2400"}, {"on", "2023-03-01"}};
    // No ceiling set on the scheme yet: no advance.
    expect_refused(send_payment(payments, admin, advance), 422, "payment.advance_not_allowed",
                   "kind");
    set_payment_rules("00001176", "30", "80");
    expect_refused(send_payment(payments, admin,
                                json{{"kind", "bonus"}, {"amount", "10"}, {"on", "2023-03-01"}}),
                   422, "payment.kind", "kind");
    expect_refused(
        send_payment(payments, admin,
                     json{{"kind", "advance"}, {"amount", "2400"}, {"on", "2023-02-14"}}),
        422, "payment.date", "on");
    expect_refused(
        send_payment(payments, admin,
                     json{{"kind", "advance"}, {"amount", "2400.01"}, {"on", "2023-03-01"}}),
        422, "payment.advance_ceiling");
    const auto a = expect_ok(send_payment(payments, admin, advance), 201);
    EXPECT_EQ(a["paid"], "2400.00");
    ASSERT_EQ(a["payments"].size(), 1u);
    EXPECT_EQ(a["payments"][0]["kind"], "advance");
    EXPECT_EQ(a["payments"][0]["amount"], "2400.00");
    EXPECT_EQ(a["payments"][0]["reference"], "EX070158-V1");
    EXPECT_EQ(a["payments"][0]["requested_on"], "2023-03-01");
    EXPECT_EQ(balances_of("2023/16300302", reader)["paid"], "2400.00");
  }

  // GET /api/v1/awards: the four dossiers awarded (by CP 2022-285 and CP 2023-040), with their
  // agreement and what is paid and still to pay.
  {
    const auto overview = expect_ok(get("/api/v1/awards", reader));
    const auto& list = overview["items"];
    ASSERT_EQ(list.size(), 4u);
    std::vector<std::string> numbers;
    for (const auto& a : list)
      numbers.push_back(a["number"].get<std::string>());
    EXPECT_EQ(numbers, cp_2023_040);
    EXPECT_EQ(list[0]["beneficiary"], "SCI 6 avenue JJ");  // since the transfer
    EXPECT_EQ(list[0]["awarded"], "78400.00");
    EXPECT_EQ(list[0]["agreement"], "none");
    EXPECT_EQ(list[0]["remaining"], "78400.00");
    EXPECT_EQ(list[2]["number"], "EX070158");
    EXPECT_EQ(list[2]["beneficiary"], "Commune de Montfermeil");
    EXPECT_EQ(list[2]["state"], "awarded");
    EXPECT_EQ(list[2]["awarded"], "8000.00");
    EXPECT_EQ(list[2]["agreement"], "signed");
    EXPECT_EQ(list[2]["paid"], "2400.00");
    EXPECT_EQ(list[2]["remaining"], "5600.00");
    EXPECT_EQ(list[3]["awarded"], "7000.00");
    EXPECT_EQ(overview["total_awarded"], "101400.00");
    EXPECT_EQ(overview["total_paid"], "2400.00");
    EXPECT_EQ(overview["total_remaining"], "99000.00");
    expect_refused(get("/api/v1/awards"), 401, "auth.required");
  }

  // GET /api/v1/applications/{number}/notes
  {
    EXPECT_EQ(expect_ok(get(ex70158 + "/notes", reader)), json::array());
    expect_refused(get("/api/v1/applications/EX999999/notes", reader), 404, "application.unknown",
                   "number");
  }

  // POST /api/v1/applications/{number}/notes
  {
    expect_refused(send_json("POST", ex70158 + "/notes", admin, json{{"text", "  \n "}}), 422,
                   "text.required", "text");
    const std::string text = "Devis de l'éditeur reçu le 18 janvier ; à comparer avec EX070162.";
    const auto added =
        expect_ok(send_json("POST", ex70158 + "/notes", admin, json{{"text", text}}), 201);
    ASSERT_EQ(added.size(), 1u);
    EXPECT_TRUE(added[0]["id"].is_number_integer());
    EXPECT_EQ(added[0]["author"], "web:admin");
    EXPECT_EQ(added[0]["at"], "2023-01-20T09:00:00Z");
    EXPECT_EQ(added[0]["text"], text);
    const auto list = expect_ok(get(ex70158 + "/notes", reader));
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0], added[0]);
    EXPECT_EQ(expect_ok(get("/api/v1/applications/EX070162/notes", reader)), json::array());
  }

  // GET and POST /api/v1/applications/{number}/messages: the exchange with the applicants of a
  // dossier made on the portal (one is made here through the portal's use cases).
  {
    expect_refused(get("/api/v1/applications/EX999999/messages", reader), 404,
                   "application.unknown");
    EXPECT_EQ(expect_ok(get(ex70158 + "/messages", reader)), json::array());
    expect_refused(send_json("POST", ex70158 + "/messages", admin, json{{"text", "Bonjour"}}), 422,
                   "message.not_portal", "number");
    const auto made = write(
        [&](octroi::Transaction& tx, const octroi::Context& ctx) -> octroi::Result<std::string> {
          octroi::ApplicantRecord a;
          a.authority = ctx.authority;
          a.email = "marie@gagny.test";
          a.display_name = "Marie";
          a.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
          a.created_at = ctx.clock->now();
          a.verified_at = a.created_at;
          a.id = tx.portal().insert_applicant(a);
          tx.portal().insert_membership(
              {a.id, octroi::PartyId{2}, ctx.authority, "owner", a.created_at, std::nullopt});
          octroi::ApplicantContext ac{ctx.authority, a.id, a.email, ctx.clock};
          octroi::ApplicationInput in;
          in.scheme_number = "00001176";
          in.party_id = 2;
          in.title = "Par le portail";
          in.start = "2023-02-01";
          in.end = "2023-12-31";
          in.reference_year = "2023";
          auto d = octroi::portal_create_dossier(tx, ac, in);
          if (!d.ok()) return d.refusal();
          octroi::FileRecord f;
          f.authority = ctx.authority;
          f.application = d->view.application.id;
          f.sha256 = std::string(64, 'a');
          f.name = "rib.pdf";
          f.mime = "application/pdf";
          f.size = 8;
          f.piece = "Relevé d'identité bancaire";
          f.author_kind = "applicant";
          f.author = a.email;
          f.applicant_account_id = a.id;
          f.at = a.created_at;
          f.scan = "not_scanned";
          tx.files().put_content(ctx.authority, f.sha256, "%PDF-1.4", f.at);
          tx.files().insert_file(f);
          return d->view.application.number;
        });
    ASSERT_TRUE(made.ok()) << made.refusal().describe();
    const std::string portal = "/api/v1/applications/" + made.value();
    const auto sent = expect_ok(
        send_json("POST", portal + "/messages", admin, json{{"text", "Joignez le RIB."}}), 201);
    EXPECT_EQ(sent[0]["from"], "agent");
    EXPECT_EQ(sent[0]["author"], "web:admin");
    EXPECT_EQ(expect_ok(get(portal + "/messages", reader)).size(), 1u);
    // GET /api/v1/applications/{number}/files and one file's bytes.
    expect_refused(get("/api/v1/applications/EX999999/files", reader), 404, "application.unknown");
    const auto files = expect_ok(get(portal + "/files", reader));
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0]["piece"], "Relevé d'identité bancaire");
    const std::string one = portal + "/files/" + std::to_string(files[0]["id"].get<long long>());
    const auto bytes = call(get(one, reader));
    EXPECT_EQ(bytes.status, 200);
    EXPECT_EQ(bytes.body, "%PDF-1.4");
    expect_refused(
        get(ex70158 + "/files/" + std::to_string(files[0]["id"].get<long long>()), reader), 404,
        "file.not_found");
  }

  // POST /api/v1/applications/{number}/state-aid-checks: Casaco's dossier (now the SCI's) is
  // under de minimis 1407/2013; the chèque numérique is not.
  {
    const std::string checks = "/api/v1/applications/EX065392/state-aid-checks";
    const Auth artisanat = bearer(Role::Instructor);
    all_unchanged([&] {
      expect_refused(send_json("POST", ex70158 + "/state-aid-checks", admin, json::object()), 422,
                     "stateaid.not_de_minimis", "number");
      expect_refused(send_json("POST", checks, admin, json{{"grant_date", "2023-02-30"}}), 422,
                     "date.nonexistent", "grant_date");
      expect_refused(send_json("POST", checks, admin, json{{"stage", "vote"}}), 422,
                     "request.unknown_field", "stage");
      expect_refused(send_json("POST", "/api/v1/applications/EX999999/state-aid-checks", admin,
                               json::object()),
                     404, "application.unknown", "number");
      // The instructors of the chèque numérique's service do not instruct Casaco's dossier.
      expect_refused(send_json("POST", checks, artisanat, json::object()), 403, "auth.service",
                     "scheme");
      expect_refused(send_json("POST", checks, reader, json::object()), 403, "auth.forbidden");
    });
    const auto c = expect_ok(send_json("POST", checks, innovation, json::object()), 201);
    EXPECT_EQ(c["stage"], "instruction");
    EXPECT_EQ(c["regime"], "de_minimis_1407_2013");
    EXPECT_EQ(c["checked_on"], "2022-07-07");  // the date of the award
    EXPECT_EQ(c["amount"], "78400.00");
    EXPECT_EQ(c["used"], "0.00");
    EXPECT_EQ(c["ceiling"], "200000.00");
    EXPECT_EQ(c["room"], "200000.00");
    EXPECT_EQ(c["ok"], true);
    const auto award = expect_ok(get("/api/v1/applications/EX065392/award", reader));
    ASSERT_FALSE(award["state_aid_checks"].empty());
    EXPECT_EQ(award["state_aid_checks"].back(), c);
  }

  // GET /api/v1/applications/{number}/history: the audit entries of EX070158 and of its
  // agreement, oldest first.
  {
    const auto h = expect_ok(get(ex70158 + "/history", reader));
    ASSERT_TRUE(h.is_array());
    std::vector<std::string> actions;
    std::int64_t last_seq = 0;
    for (const auto& e : h) {
      actions.push_back(e["action"].get<std::string>());
      EXPECT_GT(e["seq"].get<std::int64_t>(), last_seq);
      last_seq = e["seq"].get<std::int64_t>();
      EXPECT_EQ(e["key"], "EX070158");
      EXPECT_TRUE(e["entity"] == "application" || e["entity"] == "agreement") << e.dump();
    }
    ASSERT_FALSE(actions.empty());
    EXPECT_EQ(actions.front(), "application.create");
    for (const std::string a :
         {"application.submit", "application.propose", "application.award", "agreement.create"})
      EXPECT_NE(std::find(actions.begin(), actions.end(), a), actions.end()) << a;
    EXPECT_EQ(h.front()["actor"], "demo");
    // Casaco's dossier: its check, as the last entry.
    const auto casaco = expect_ok(get("/api/v1/applications/EX065392/history", reader));
    ASSERT_FALSE(casaco.empty());
    EXPECT_EQ(casaco.back()["action"], "stateaid.check");
    EXPECT_EQ(casaco.back()["actor"], "api:test-instructor-1");
    expect_refused(get("/api/v1/applications/EX999999/history", reader), 404, "application.unknown",
                   "number");
    expect_refused(get(ex70158 + "/history"), 401, "auth.required");
  }

  // POST /api/v1/me/password: a session's user changes their password, and every session of
  // theirs ends; an API token has no password.
  {
    const json change = {{"current", password_of("lecteur")},
                         {"next", "un tout nouveau mot de passe"}};
    expect_refused(send_json("POST", "/api/v1/me/password", reader, change), 401, "auth.no_user",
                   "authorization");
    const Auth lecteur = login("lecteur");
    expect_refused(send_json("POST", "/api/v1/me/password", lecteur,
                             json{{"current", "pas le bon mot de passe"},
                                  {"next", "un tout nouveau mot de passe"}}),
                   422, "user.password_wrong", "current");
    const auto out = call(send_json("POST", "/api/v1/me/password", lecteur, change));
    EXPECT_EQ(out.status, 204) << describe(out);
    EXPECT_EQ(out.body, "");
    EXPECT_EQ(header_of(out, "Set-Cookie"),
              "octroi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    expect_refused(get("/api/v1/me", lecteur), 401, "auth.no_session", "session");
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

  // GET /api/v1/tokens, POST /api/v1/tokens, DELETE /api/v1/tokens/{id}: the administrator
  // issues a token for an import (shown once, only its hash kept), then revokes it.
  {
    const auto list = expect_ok(get("/api/v1/tokens", admin));
    ASSERT_TRUE(list.is_array());
    std::set<std::string> labels;
    for (const auto& t : list) {
      labels.insert(t["label"].get<std::string>());
      EXPECT_FALSE(t.contains("token")) << t.dump();
      EXPECT_FALSE(t.contains("token_hash")) << t.dump();
    }
    EXPECT_TRUE(labels.count("test-reader"));
    EXPECT_TRUE(labels.count("test-clerk"));
    EXPECT_TRUE(labels.count("test-instructor-1"));
    expect_refused(get("/api/v1/tokens", clerk), 403, "auth.forbidden", "role");

    all_unchanged([&] {
      // A token acts within its owner's rights (here the administrator issuing it): an
      // administrator's instructor token names its service; a reader's account cannot hold an
      // administrator's token; an API token mints no credentials.
      expect_refused(send_json("POST", "/api/v1/tokens", admin,
                               json{{"label", "Import"}, {"role", "instructor"}}),
                     422, "token.service", "service");
      expect_refused(
          send_json("POST", "/api/v1/tokens", admin,
                    json{{"label", "Import"}, {"owner", "lecteur"}, {"role", "administrator"}}),
          422, "token.role", "role");
      expect_refused(send_json("POST", "/api/v1/tokens", admin_token, json{{"label", "Import"}}),
                     403, "auth.person_required", "authorization");
      expect_refused(send_json("POST", "/api/v1/tokens", admin,
                               json{{"label", "Import"}, {"role", "reader"}, {"service", "x"}}),
                     422, "token.service", "service");
      expect_refused(
          send_json("POST", "/api/v1/tokens", admin, json{{"label", ""}, {"role", "reader"}}), 422,
          "token.label", "label");
      expect_refused(send_json("POST", "/api/v1/tokens", admin,
                               json{{"label", "Import"}, {"role", "superuser"}}),
                     422, "token.role", "role");
      expect_refused(send_json("POST", "/api/v1/tokens", admin,
                               json{{"label", "Import"}, {"owner", "personne"}}),
                     422, "token.owner", "owner");
      expect_refused(send_json("POST", "/api/v1/tokens", admin,
                               json{{"label", "Import"}, {"expires_on", "2024-01-22"}}),
                     422, "token.expiry", "expires_on");
      expect_refused(send_json("POST", "/api/v1/tokens", admin,
                               json{{"label", "Import"}, {"expires_on", "2023-01-19"}}),
                     422, "token.expiry", "expires_on");
      expect_refused(send_json("POST", "/api/v1/tokens", admin,
                               json{{"label", "Import"}, {"role", "reader"}, {"token", "x"}}),
                     422, "request.unknown_field", "token");
      expect_refused(send_json("POST", "/api/v1/tokens", reader,
                               json{{"label", "Import"}, {"role", "administrator"}}),
                     403, "auth.forbidden", "role");
    });
    // For the demo instructor's account: its role and its service, until the date given.
    const auto issued = expect_ok(send_json("POST", "/api/v1/tokens", admin,
                                            json{{"label", "Import nocturne"},
                                                 {"owner", "instructeur"},
                                                 {"expires_on", "31/03/2023"}}),
                                  201);
    EXPECT_TRUE(issued["id"].is_number_integer());
    EXPECT_EQ(issued["label"], "Import nocturne");
    EXPECT_EQ(issued["role"], "instructor");
    EXPECT_EQ(issued["service"], kDemoService);
    EXPECT_EQ(issued["owner"], "instructeur");
    EXPECT_EQ(issued["created_at"], "2023-01-20T09:00:00Z");
    EXPECT_EQ(issued["expires_at"], "2023-04-01T00:00:00Z");
    EXPECT_TRUE(issued["revoked_at"].is_null());
    const std::string value = issued["token"].get<std::string>();
    ASSERT_GE(value.size(), 32u);
    EXPECT_EQ(dump().find(value), std::string::npos);  // only its hash is stored
    const auto me = expect_ok(get("/api/v1/me", Auth::token(value)));
    EXPECT_EQ(me["actor"], "api:Import nocturne");
    EXPECT_EQ(me["role"], "instructor");
    EXPECT_EQ(me["service"], kDemoService);
    // Listed, without its value.
    const auto after = expect_ok(get("/api/v1/tokens", admin));
    EXPECT_EQ(after.size(), list.size() + 1);
    EXPECT_EQ(after.dump().find(value), std::string::npos);

    const std::string id = std::to_string(issued["id"].get<std::int64_t>());
    all_unchanged([&] {
      expect_refused(make_request("DELETE", "/api/v1/tokens/999999", admin), 404, "token.unknown",
                     "id");
      expect_refused(make_request("DELETE", "/api/v1/tokens/abc", admin), 404, "token.unknown",
                     "id");
      expect_refused(make_request("DELETE", "/api/v1/tokens/" + id, clerk), 403, "auth.forbidden");
      Auth no_csrf = admin;
      no_csrf.csrf.clear();
      expect_refused(make_request("DELETE", "/api/v1/tokens/" + id, no_csrf), 403, "auth.csrf");
    });
    const auto revoked = expect_ok(make_request("DELETE", "/api/v1/tokens/" + id, admin));
    ASSERT_EQ(revoked.size(), 1u);
    EXPECT_EQ(revoked[0]["id"], issued["id"]);
    EXPECT_EQ(revoked[0]["revoked_at"], "2023-01-20T09:00:00Z");
    // Revoked: refused at once, and not revoked twice.
    expect_refused(get("/api/v1/me", Auth::token(value)), 401, "auth.bad_token", "authorization");
    expect_refused(make_request("DELETE", "/api/v1/tokens/" + id, admin), 404, "token.unknown",
                   "id");
  }

  // The accounts' life cycle (issue 16, finding 5): GET/POST /api/v1/users and the acts on one.
  {
    const auto users = expect_ok(get("/api/v1/users", admin));
    std::set<std::string> logins;
    for (const auto& u : users) {
      logins.insert(u["login"].get<std::string>());
      EXPECT_FALSE(u.contains("password_hash")) << u.dump();
    }
    EXPECT_TRUE(logins.count("admin") && logins.count("instructeur")) << users.dump();
    expect_refused(get("/api/v1/users", clerk), 403, "auth.forbidden", "role");
    all_unchanged([&] {
      expect_refused(send_json("POST", "/api/v1/users", admin,
                               json{{"login", "admin"},
                                    {"display_name", "Autre"},
                                    {"role", "reader"},
                                    {"password", "un-mot-de-passe-long"}}),
                     409, "user.login_taken", "login");
      expect_refused(make_request("POST", "/api/v1/users/personne/deactivate", admin), 404,
                     "user.unknown", "login");
      expect_refused(make_request("POST", "/api/v1/users/admin/deactivate", admin), 409,
                     "user.self", "login");
      expect_refused(make_request("POST", "/api/v1/users/admin/reactivate", admin), 409,
                     "user.already_active", "login");
      expect_refused(make_request("POST", "/api/v1/users/admin/password-reset", admin), 409,
                     "user.self", "login");
      expect_refused(send_json("POST", "/api/v1/users/lecteur/password-reset", admin,
                               json{{"password", "court"}}),
                     422, "user.password_short", "password");
      expect_refused(make_request("POST", "/api/v1/users/personne/password-change", admin), 404,
                     "user.unknown", "login");
      expect_refused(make_request("POST", "/api/v1/users/lecteur/deactivate", clerk), 403,
                     "auth.forbidden", "role");
      expect_refused(send_json("POST", "/api/v1/users", admin_token,
                               json{{"login", "robot.admin"},
                                    {"display_name", "Robot"},
                                    {"role", "administrator"},
                                    {"password", "un-mot-de-passe-long"}}),
                     403, "auth.person_required", "authorization");
    });
    const auto made = expect_ok(send_json("POST", "/api/v1/users", admin,
                                          json{{"login", "agent.nouveau"},
                                               {"display_name", "Agent nouveau"},
                                               {"role", "reader"},
                                               {"password", "un-mot-de-passe-long"}}),
                                201);
    EXPECT_EQ(made["active"], true);
    const auto off =
        expect_ok(make_request("POST", "/api/v1/users/agent.nouveau/deactivate", admin));
    EXPECT_EQ(off["active"], false);
    EXPECT_EQ(off["tokens_revoked"], 0);
    const auto on =
        expect_ok(make_request("POST", "/api/v1/users/agent.nouveau/reactivate", admin));
    EXPECT_EQ(on["active"], true);
    const auto reset =
        expect_ok(make_request("POST", "/api/v1/users/agent.nouveau/password-reset", admin));
    ASSERT_TRUE(reset["temporary_password"].is_string());
    EXPECT_EQ(reset["temporary_password"].get<std::string>().size(),
              octroi::kTemporaryPasswordLength);
    EXPECT_EQ(reset["must_change_password"], true);
    const auto required =
        expect_ok(make_request("POST", "/api/v1/users/agent.nouveau/password-change", admin));
    EXPECT_EQ(required["must_change_password"], true);
  }

  // Documents and their templates (issue 7).
  {
    // GET /api/v1/templates: the six templates, none stored yet.
    auto listed = expect_ok(get("/api/v1/templates", reader));
    ASSERT_EQ(listed["items"].size(), 6u);
    EXPECT_EQ(listed["items"][3]["name"], "convention");
    EXPECT_TRUE(listed["items"][3]["versions"].empty());
    expect_refused(get("/api/v1/templates"), 401, "auth.required");
    // GET /api/v1/reports/{number}/documents: the session's file, in order.
    auto files = expect_ok(get("/api/v1/reports/CP 2023-040/documents", reader));
    ASSERT_EQ(files["items"].size(), 7u);
    EXPECT_EQ(files["items"][0]["file"], "rapport");
    EXPECT_EQ(files["items"][5]["file"], "annexe-2-avenant-EX065392");
    EXPECT_EQ(files["items"][5]["application"], "EX065392");
    // POST /api/v1/templates: refusals, nothing stored.
    const std::string builtin = *octroi::documents::FodtEngine().builtin_template("convention");
    all_unchanged([&] {
      expect_refused(send_json("POST", "/api/v1/reports/CP 1999-001/documents", admin, json{}), 405,
                     "request.method");
      expect_refused(get("/api/v1/reports/CP 1999-001/documents", reader), 404, "report.unknown");
      expect_refused(send_json("POST", "/api/v1/templates", admin,
                               json{{"name", "convention"},
                                    {"content", builtin},
                                    {"adopted_by", ""},
                                    {"applies_from", "2022-03-23"}}),
                     422, "text.required", "adopted_by");
      expect_refused(send_json("POST", "/api/v1/templates", admin,
                               json{{"name", "convention"},
                                    {"content", "<pas du xml"},
                                    {"adopted_by", "CP 2022-111"},
                                    {"applies_from", "2022-03-23"}}),
                     422, "document.xml", "content");
      expect_refused(send_json("POST", "/api/v1/templates", clerk,
                               json{{"name", "convention"},
                                    {"content", builtin},
                                    {"adopted_by", "CP 2022-111"},
                                    {"applies_from", "2022-03-23"}}),
                     403, "auth.forbidden");
      // A document the data refuses is not audited (the dump is unchanged).
      expect_refused(get("/api/v1/applications/EX999999/documents/agreement", reader), 404,
                     "application.unknown");
      expect_refused(get("/api/v1/applications/EX070158/documents/poeme", reader), 404,
                     "request.not_found", "kind");
      expect_refused(get("/api/v1/reports/CP 2023-040/documents/rien", reader), 404,
                     "request.not_found", "file");
    });
    auto stored = expect_ok(send_json("POST", "/api/v1/templates", admin,
                                      json{{"name", "convention"},
                                           {"content", builtin},
                                           {"adopted_by", "CP 2022-111"},
                                           {"applies_from", "2022-03-23"},
                                           {"note", "modifiée par CR 2022-078"}}),
                            201);
    EXPECT_EQ(stored["version"], 1);
    EXPECT_EQ(stored["adopted_by"], "CP 2022-111");
    EXPECT_EQ(stored["applies_until"], nullptr);
    EXPECT_EQ(stored["sha256"].get<std::string>().size(), 64u);
    listed = expect_ok(get("/api/v1/templates", reader));
    EXPECT_EQ(listed["items"][3]["versions"].size(), 1u);
    // GET a document: an .odt, its template and hash in headers (and in the audit trail).
    for (const std::string target : {"/api/v1/reports/CP 2023-040/documents/deliberation",
                                     "/api/v1/applications/EX070162/documents/project-sheet"}) {
      const auto out = call(get(target, reader));
      ASSERT_EQ(out.status, 200) << describe(out);
      EXPECT_EQ(out.content_type, "application/vnd.oasis.opendocument.text");
      EXPECT_EQ(out.body.substr(0, 2), "PK");
      EXPECT_TRUE(octroi::documents::check_odt(out.body).empty());
    }
  }

  // GET /api/v1/open-data/scdl: refused without the authority's SIRET, then the CSV.
  {
    all_unchanged([&] {
      expect_refused(get("/api/v1/open-data/scdl", reader), 422, "scdl.id_attribuant", "siret");
      expect_refused(get("/api/v1/open-data/scdl?threshold=abc", reader), 422, "amount.invalid",
                     "threshold");
      expect_refused(get("/api/v1/open-data/scdl?threshold=-5", reader), 422, "scdl.threshold",
                     "threshold");
      expect_refused(get("/api/v1/open-data/scdl?from=2023-02-30", reader), 422, "date.nonexistent",
                     "from");
    });
    octroi::AuthorityInput in;
    in.siret = "23750007900312";
    auto edited = octroi::run_write(*store_, [&](octroi::Transaction& tx) {
      const octroi::Context ctx{idf_, "test", &clock_m_};
      return octroi::edit_authority(tx, ctx, in);
    });
    ASSERT_TRUE(edited.ok()) << edited.refusal().describe();
    const auto out = call(get("/api/v1/open-data/scdl?threshold=0", reader));
    ASSERT_EQ(out.status, 200) << describe(out);
    EXPECT_EQ(out.content_type, "text/csv; charset=utf-8");
    EXPECT_EQ(out.body.substr(0, 27), "nomAttribuant,idAttribuant,");
    EXPECT_NE(out.body.find(",23750007900312,"), std::string::npos) << out.body;
  }

  // POST /api/v1/jobs, GET /api/v1/jobs, GET /api/v1/jobs/{id}, GET /api/v1/jobs/{id}/file
  // (jobs_test.cc tells the rest: archives, owners, failures)
  {
    expect_refused(send_json("POST", "/api/v1/jobs", reader,
                             json{{"application", "EX070162"}, {"format", "docx"}}),
                   422, "request.type");
    const auto asked = call(send_json(
        "POST", "/api/v1/jobs", reader,
        json{{"application", "EX070162"}, {"document", "project-sheet"}, {"format", "odt"}}));
    ASSERT_EQ(asked.status, 202) << describe(asked);
    const std::string url = json_of(asked)["url"];
    json job;
    for (int i = 0; i < 600; ++i) {
      job = expect_ok(get(url, reader));
      if (job["state"] == "done" || job["state"] == "failed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(job["state"], "done") << job.dump();
    const auto file = call(get(url + "/file", reader));
    ASSERT_EQ(file.status, 200) << describe(file);
    EXPECT_EQ(file.content_type, "application/vnd.oasis.opendocument.text");
    EXPECT_EQ(expect_ok(get("/api/v1/jobs", reader))["items"].size(), 1u);
    expect_refused(get("/api/v1/jobs", Auth::none()), 401, "auth.required");
    expect_refused(get("/api/v1/jobs/0", reader), 404, "job.unknown");
    expect_refused(get(url + "/file", clerk), 404, "job.unknown");
  }

  // POST /api/v1/imports (import_jobs_test.cc tells the rest: the report, trials, refusals)
  {
    expect_refused(make_request("POST", "/api/v1/imports?file=a.csv", reader, "a,b\n", "text/csv"),
                   403, "auth.forbidden", "role");
    expect_refused(make_request("POST", "/api/v1/imports?file=a.pdf", admin, "a,b\n", "text/csv"),
                   422, "job.request", "file");
    const auto asked = call(make_request("POST", "/api/v1/imports?file=a.csv&dry_run=true", admin,
                                         "a,b\n", "text/csv"));
    ASSERT_EQ(asked.status, 202) << describe(asked);
    // Ended before the next checks compare the database before and after each refusal.
    const std::string url = json_of(asked)["url"];
    json job;
    for (int i = 0; i < 600; ++i) {
      job = expect_ok(get(url, admin));
      if (job["state"] == "done" || job["state"] == "failed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(job["state"], "failed") << job.dump();  // "a,b" has no column octroi reads
  }

  // The workspace (issue 18): POST and GET /api/v1/applications/{number}/assignment,
  // POST …/follow, POST /api/v1/bulk/events and /api/v1/bulk/assignments; the queues are
  // filters of GET /api/v1/applications.
  {
    const std::string assignment = "/api/v1/applications/EX070162/assignment";
    expect_refused(send_json("POST", assignment, admin, json{{"assignee", "lecteur"}}), 422,
                   "assign.role", "assignee");
    expect_refused(send_json("POST", "/api/v1/applications/EX999999/assignment", admin,
                             json{{"assignee", "instructeur"}}),
                   404, "application.unknown");
    const auto given =
        expect_ok(send_json("POST", assignment, admin, json{{"assignee", "instructeur"}}));
    EXPECT_EQ(given["assignee"], "instructeur");
    EXPECT_EQ(given["assignee_name"], "Inès Instructrice");
    EXPECT_EQ(expect_ok(get(assignment, reader)), given);
    expect_refused(get("/api/v1/applications/EX999999/assignment", reader), 404,
                   "application.unknown");
    const auto mine = expect_ok(get("/api/v1/applications?assignee=instructeur", reader));
    ASSERT_EQ(mine["items"].size(), 1u);
    EXPECT_EQ(mine["items"][0]["number"], "EX070162");
    // "me" is the caller's account (the token's owner): the reader instructs nothing.
    EXPECT_EQ(expect_ok(get("/api/v1/applications?scope=me", reader))["total"], 0);
    expect_refused(get("/api/v1/applications?scope=everyone", reader), 422, "search.scope",
                   "scope");
    // Follow: the session's account.
    const std::string follow = "/api/v1/applications/EX070162/follow";
    expect_refused(send_json("POST", follow, admin, json::object()), 422, "request.type", "follow");
    EXPECT_EQ(expect_ok(send_json("POST", follow, admin, json{{"follow", true}}))["follow"], true);
    const auto followed = expect_ok(get("/api/v1/applications?scope=followed", admin));
    ASSERT_EQ(followed["items"].size(), 1u);
    EXPECT_EQ(followed["total"], 1);
    // Bulk: a new draft is submitted; a refusal names its dossier and changes nothing.
    octroi::ApplicationInput in;
    in.scheme_number = "00001176";
    in.party_id = party_id("Commune de Montfermeil");
    in.title = "Chèque numérique : second projet";
    in.start = "2023-03-01";
    in.end = "2023-12-31";
    in.reference_year = "2023";
    in.expenses = {{"Abonnement", "10000", true}};
    in.resources = {{"Autofinancement", "5000", "self_funding", ""},
                    {"Région", "5000", "authority", ""}};
    auto created = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      return octroi::create_application(tx, ctx, in);
    });
    ASSERT_TRUE(created.ok()) << created.refusal().describe();
    const std::string number = created->number;
    const std::string before = dump_database(db_);
    const auto refused =
        call(send_json("POST", "/api/v1/bulk/events", admin,
                       json{{"numbers", {number, "EX065392"}}, {"event", "submit"}}));
    EXPECT_EQ(refused.status, 422) << describe(refused);
    EXPECT_NE(refused.body.find("EX065392 : "), std::string::npos) << refused.body;
    EXPECT_EQ(dump_database(db_), before);
    const auto moved = expect_ok(send_json("POST", "/api/v1/bulk/events", admin,
                                           json{{"numbers", {number}}, {"event", "submit"}}));
    ASSERT_EQ(moved.size(), 1u);
    EXPECT_EQ(moved[0]["state"], "submitted");
    expect_refused(send_json("POST", "/api/v1/bulk/assignments", admin,
                             json{{"numbers", json::array()}, {"assignee", "instructeur"}}),
                   422, "bulk.empty", "numbers");
    // A number in the body that names no dossier: 422, the dossier named.
    const auto unknown = expect_refused(
        send_json("POST", "/api/v1/bulk/assignments", admin,
                  json{{"numbers", {"EX999999", number}}, {"assignee", "instructeur"}}),
        422, "application.unknown", "number");
    EXPECT_NE(unknown.body.find("EX999999 : "), std::string::npos) << unknown.body;
    const auto both =
        expect_ok(send_json("POST", "/api/v1/bulk/assignments", admin,
                            json{{"numbers", {number, "EX070158"}}, {"assignee", "instructeur"}}));
    ASSERT_EQ(both.size(), 2u);
    const auto queue =
        expect_ok(get("/api/v1/applications?assignee=instructeur&queue=a_traiter", reader));
    ASSERT_EQ(queue["items"].size(), 1u);
    EXPECT_EQ(queue["items"][0]["number"], number);
    // Opinions: asked of the Service de l'innovation, answered once by it.
    const std::string opinions = "/api/v1/applications/EX070162/opinions";
    expect_refused(send_json("POST", opinions, admin,
                             json{{"service", "Service de l'artisanat"}, {"question", "?"}}),
                   422, "opinion.service", "service");
    const auto asked = expect_ok(
        send_json("POST", opinions, admin,
                  json{{"service", kInnovationService}, {"question", "Un avis sur le local ?"}}),
        201);
    EXPECT_EQ(asked["opinion"], nullptr);
    const std::string answer =
        "/api/v1/opinions/" + std::to_string(asked["id"].get<int>()) + "/answer";
    expect_refused(send_json("POST", answer, clerk, json{{"opinion", "favorable"}}), 403,
                   "auth.forbidden");
    expect_refused(send_json("POST", "/api/v1/opinions/99999/answer", innovation,
                             json{{"opinion", "favorable"}}),
                   404, "opinion.unknown", "id");
    const auto answered =
        expect_ok(send_json("POST", answer, innovation, json{{"opinion", "favorable"}}));
    EXPECT_EQ(answered["opinion"], "favorable");
    EXPECT_EQ(answered["answered_by"], "api:test-instructor-1");
    const auto listed = expect_ok(get(opinions, reader));
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0], answered);
    expect_refused(get("/api/v1/applications/EX999999/opinions", reader), 404,
                   "application.unknown");
    // Approval chains: a scheme's levels replaced whole, a dossier's chain read.
    const std::string chain = "/api/v1/schemes/00001176/approval-chain";
    const json two = {
        {"levels",
         {{{"label", "Chef de service"}, {"role", "approver"}},
          {{"label", "Direction"}, {"role", "administrator"}, {"may_return", false}}}}};
    expect_refused(send_json("PUT", chain, clerk, two), 403, "auth.forbidden");
    expect_refused(send_json("PUT", chain, admin,
                             json{{"levels", {{{"label", "Lecture"}, {"role", "reader"}}}}}),
                   422, "approval.role_unknown", "levels[0].role");
    const auto set = expect_ok(send_json("PUT", chain, admin, two));
    ASSERT_EQ(set["approval_chain"].size(), 2u);
    EXPECT_EQ(set["approval_chain"][1]["may_return"], false);
    const auto state = expect_ok(get("/api/v1/applications/EX070158/approvals", reader));
    EXPECT_EQ(state["chain"].size(), 2u);
    EXPECT_EQ(state["round"], 0);
    EXPECT_EQ(state["awaited_level"], nullptr);
    expect_refused(get("/api/v1/applications/EX999999/approvals", reader), 404,
                   "application.unknown");
    EXPECT_EQ(
        expect_ok(send_json("PUT", chain, admin, json{{"levels", json::array()}}))["approval_chain"]
            .size(),
        0u);
  }

  // GET /api/v1/applications/{number}/payment-claims, and a claim paid or refused: two claims of
  // EX070158 as the portal would record them (an interim payment, then another).
  {
    const std::string claims = ex70158 + "/payment-claims";
    expect_refused(get("/api/v1/applications/EX999999/payment-claims", reader), 404,
                   "application.unknown");
    auto claim = [&] {
      return write(
          [&](octroi::Transaction& tx, const octroi::Context& ctx) -> octroi::Result<std::int64_t> {
            const auto app = tx.applications().find_application(ctx.authority, "EX070158");
            octroi::PaymentClaimRecord c;
            c.authority = ctx.authority;
            c.application = app->id;
            c.kind = "interim";
            c.amount = octroi::Money::from_cents(10000);
            c.realised = octroi::Money::from_cents(1000000);
            c.lines = {{"Abonnements", octroi::Money::from_cents(1000000), true}};
            c.applicant_account_id =
                std::stoll(query(db_, "SELECT min(id) FROM applicant_accounts")[0][0]);
            c.claimed_at = ctx.clock->now();
            return tx.portal().insert_claim(c);
          });
    };
    const auto first = claim();
    ASSERT_TRUE(first.ok()) << first.refusal().describe();
    const auto listed_claims = expect_ok(get(claims, reader));
    ASSERT_EQ(listed_claims.size(), 1u);
    EXPECT_EQ(listed_claims[0]["lines"][0]["amount"], "10000.00");
    expect_refused(send_json("POST", claims + "/999999/payment", admin, json::object()), 404,
                   "payment_claim.not_found");
    expect_refused(send_json("POST", claims + "/" + std::to_string(first.value()) + "/payment",
                             reader, json::object()),
                   403, "auth.forbidden");
    const auto paid =
        expect_ok(send_json("POST", claims + "/" + std::to_string(first.value()) + "/payment",
                            admin, json{{"on", "2023-03-02"}}),
                  201);
    EXPECT_EQ(paid["amount"], "100.00");
    const auto second = claim();
    ASSERT_TRUE(second.ok()) << second.refusal().describe();
    const std::string refusal = claims + "/" + std::to_string(second.value()) + "/refusal";
    expect_refused(send_json("POST", refusal, admin, json{{"reason", " "}}), 422, "text.required",
                   "reason");
    const auto refused =
        expect_ok(send_json("POST", refusal, admin, json{{"reason", "Factures illisibles."}}));
    EXPECT_EQ(refused["state"], "refused");
    EXPECT_EQ(refused["reason"], "Factures illisibles.");
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
      // The applicants' routes: portal_api_test (PortalApi.EveryRouteAnswersAndRefuses).
      if (path.rfind("/api/v1/portal", 0) == 0) continue;
      std::string m = method;
      for (auto& ch : m)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert({m, path});
    }
  for (const auto& r : api_->routes())
    if (r.surface() == octroi::http::Surface::Api) listed.insert({r.method, r.pattern});
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

  std::vector<octroi::http::RouteInfo> routes;
  for (const auto& r : api_->routes())
    if (r.surface() == octroi::http::Surface::Api) routes.push_back(r);
  std::size_t operations = 0;
  for (const auto& [path, ops] : doc["paths"].items())
    if (path.rfind("/api/v1/portal", 0) != 0) operations += ops.size();
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
    if (r.action()) {
      EXPECT_EQ(op["x-octroi-action"], std::string(to_string(*r.action())));
      EXPECT_EQ(op["security"].size(), 2u);
    } else if (r.access.kind() == octroi::http::Access::Kind::SignedIn) {
      EXPECT_FALSE(op.contains("x-octroi-action"));
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
    if (r.access.kind() == octroi::http::Access::Kind::Public)
      public_routes.insert({r.method, r.pattern});
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
       "/api/v1/applications/EX070158/agreement",
       admin,
       {{"eligibility_start", "2023-01-25"}, {"eligibility_begin", "2023-01-25"}},
       "eligibility_begin",
       {{"eligibility_start", 20230125}},
       "eligibility_start"},
      {"POST",
       "/api/v1/applications/EX070158/agreement/signatures",
       admin,
       {{"signatory", "authority"}, {"date", "2023-02-15"}},
       "date",
       {{"signatory", true}, {"on", "2023-02-15"}},
       "signatory"},
      {"POST",
       "/api/v1/applications/EX070158/payments",
       admin,
       {{"kind", "advance"}, {"amount", "100"}, {"iban", "FR76 3000 6000 0112 3456 7890 189"}},
       "iban",
       {{"kind", "advance"}, {"amount", 2400}},
       "amount"},
      {"POST",
       "/api/v1/applications/EX070158/notes",
       admin,
       {{"text", "Note"}, {"private", true}},
       "private",
       {{"text", json::array({"Note"})}},
       "text"},
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
      expect_refused(get(base + "/award", admin), 404, "application.unknown", "number");
      expect_refused(send_json("POST", base + "/agreement", admin, json::object()), 404,
                     "application.unknown", "number");
      expect_refused(send_json("POST", base + "/agreement/signatures", admin,
                               json{{"signatory", "beneficiary"}, {"on", "2023-02-10"}}),
                     404, "application.unknown", "number");
      expect_refused(
          send_payment(base + "/payments", admin,
                       json{{"kind", "advance"}, {"amount", "100"}, {"on", "2023-03-01"}}),
          404, "application.unknown", "number");
      expect_refused(get(base + "/notes", admin), 404, "application.unknown", "number");
      expect_refused(
          send_json("POST", base + "/notes", admin, json{{"text", "Note sur un dossier absent"}}),
          404, "application.unknown", "number");
    }
  });
  // An unknown address is 404 too, and a known address with another method 405.
  expect_refused(get("/api/v1/applications/EX070158/attachments", admin), 404, "request.not_found",
                 "path");
  expect_refused(get("/api/v1/applications/EX070158/agreement", admin), 405, "request.method");
  expect_refused(make_request("DELETE", "/api/v1/applications/EX070158/notes", admin), 405,
                 "request.method");
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
  EXPECT_EQ(show("EX070158").application.state(), octroi::ApplicationState::Proposed);
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

// ---- the instructors' services ---------------------------------------------------------------

// An instructor changes only the dossiers of the schemes their service instructs: one of « Service
// de l'innovation » is refused (403 auth.service, nothing changed) every change of EX070158, a
// chèque numérique dossier of « Service de l'artisanat », but reads it, and changes Casaco's
// dossier of its own scheme; an instructor of the artisanat service is the other way round.
TEST_F(HttpApi, AnInstructorChangesOnlyTheDossiersOfTheirService) {
  const Auth innovation = instructor_of(kInnovationService);
  const Auth elsewhere = instructor_of("Service des sports");
  const Auth artisanat = bearer(Role::Instructor);
  const std::string ex = "/api/v1/applications/EX070158";
  const json reopen = {{"event", "reopen"}, {"reason", "Devis actualisé"}};
  const json plan = changes({set_line("expense", 1, "12000"), set_line("resource", 1, "9200")});
  all_unchanged([&] {
    for (const Auth& other : {innovation, elsewhere}) {
      const auto refused = expect_refused(send_json("PATCH", ex + "/plan", other, plan), 403,
                                          "auth.service", "scheme");
      EXPECT_NE(json_of(refused)["detail"].get<std::string>().find("Service de l'artisanat"),
                std::string::npos)
          << describe(refused);
      expect_refused(send_json("POST", ex + "/events", other, reopen), 403, "auth.service",
                     "scheme");
      expect_refused(send_json("POST", ex + "/events", other, json{{"event", "propose"}}), 403,
                     "auth.service", "scheme");
      expect_refused(send_json("POST", ex + "/notes", other, json{{"text", "Note"}}), 403,
                     "auth.service", "scheme");
      expect_refused(send_json("POST", ex + "/state-aid-checks", other, json::object()), 403,
                     "auth.service", "scheme");
      expect_refused(send_json("PATCH", kPlan70162, other, plan), 403, "auth.service", "scheme");
    }
    // The artisanat's instructor, on Casaco's dossier of the lieux d'innovation.
    expect_refused(
        send_json("POST", "/api/v1/applications/EX065392/notes", artisanat, json{{"text", "Note"}}),
        403, "auth.service", "scheme");
    expect_refused(send_json("POST", "/api/v1/applications/EX065392/events", artisanat,
                             json{{"event", "reopen"}, {"reason", "x"}}),
                   403, "auth.service", "scheme");
  });
  // Reading is not restricted.
  EXPECT_EQ(expect_ok(get(ex, innovation))["state"], "proposed");
  EXPECT_EQ(expect_ok(get(ex + "/notes", innovation)), json::array());
  EXPECT_EQ(expect_ok(get(ex + "/history", innovation)).front()["action"], "application.create");
  // Each acts on its own service's dossiers.
  EXPECT_EQ(expect_ok(send_json("POST", "/api/v1/applications/EX065392/notes", innovation,
                                json{{"text", "Acte de vente à demander."}}),
                      201)
                .size(),
            1u);
  const auto reopened = expect_ok(send_json("POST", ex + "/events", artisanat, reopen));
  EXPECT_EQ(reopened["state"], "under_instruction");
  // Even reopened, EX070158 stays out of the innovation instructor's reach.
  all_unchanged([&] {
    expect_refused(
        send_json("PATCH", ex + "/plan", innovation, changes({set_line("expense", 1, "10117.08")})),
        403, "auth.service", "scheme");
  });
  // Administrators and approvers have no service: they act on every scheme's dossiers.
  EXPECT_EQ(expect_ok(send_json("POST", ex + "/events", bearer(Role::Approver),
                                json{{"event", "propose"}}))["state"],
            "proposed");
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
  expect_refused(get("/api/v1/applications?state=lost", reader), 422, "search.state", "state");
  expect_refused(get("/api/v1/applications?scheme=00000000", reader), 422, "scheme.unknown");
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
      expect_refused(get(base + "/award", admin), 404, "application.unknown");
      expect_refused(get(base + "/notes", admin), 404, "application.unknown");
      expect_refused(send_json("POST", base + "/notes", admin, json{{"text", "x"}}), 404,
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
  expect_refused(get("/api/v1/applications?scheme=00001176' OR '1'='1", admin), 422,
                 "scheme.unknown");
  EXPECT_EQ(count_rows(db_, "applications"), 4);
  EXPECT_EQ(show("EX070158").application.state(), octroi::ApplicationState::Proposed);
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
    return issue_test_token(tx, ctx, tokens_, store_->hasher(), "cd93-admin", "administrator");
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

// ---- the life of an award -------------------------------------------------------------------

// tests/scenarios/award-payments.scn through the API, on EX070158 once CP 2023-040 is adopted:
// with the ceilings of décret 2018-514 (advance 30 %, advance and interim payments 80 %), an
// advance, two interim payments bounded by what the realised spending earns, and a balance pro
// rata of 15 000 € realised on a 16 717,68 € base, which closes the dossier and releases the
// unearned 821,98 € on the line. The finance service's token pays; refusals change nothing.
// Issue 16, finding 4: two identical payment POSTs without an Idempotency-Key both succeeded.
// A payment now needs a key (a replay answers with the first result) or its reference (unique
// per award, in the database too): sent twice, it is paid once.
TEST_F(HttpApi, APaymentSentTwiceIsPaidOnce) {
  const Auth finance = bearer(Role::Finance);
  const std::string ex = "/api/v1/applications/EX070158";
  ASSERT_EQ(call(make_request("POST", "/api/v1/reports/CP 2023-040/adoption", bearer(Role::Clerk)))
                .status,
            200);
  set_payment_rules("00001176", "30", "80");
  expect_ok(send_json("POST", ex + "/agreement", finance, json::object()), 201);
  expect_ok(send_json("POST", ex + "/agreement/signatures", finance,
                      json{{"signatory", "bénéficiaire"}, {"on", "2023-02-10"}}));
  expect_ok(send_json("POST", ex + "/agreement/signatures", finance,
                      json{{"signatory", "collectivité"}, {"on", "2023-02-15"}}));
  const json advance = {{"kind", "advance"}, {"amount", "1000"}, {"on", "2023-03-01"}};
  all_unchanged([&] {
    for (int i = 0; i < 2; ++i)
      expect_refused(send_json("POST", ex + "/payments", finance, advance), 428,
                     "payment.key_required", "idempotency-key");
  });
  json with_reference = advance;
  with_reference["reference"] = "MDT-2023-0042";
  const auto first = expect_ok(send_json("POST", ex + "/payments", finance, with_reference), 201);
  EXPECT_EQ(first["paid"], "1000.00");
  all_unchanged([&] {
    expect_refused(send_json("POST", ex + "/payments", finance, with_reference), 409,
                   "payment.reference_taken", "reference");
  });
  // The database refuses it too, whatever the code checked.
  std::string message;
  EXPECT_EQ(exec_sql(db_,
                     "INSERT INTO payments (authority_id, application_id, kind, requested_on, "
                     "amount_cents, reference) SELECT authority_id, application_id, 'interim', "
                     "'2023-04-01', 0, reference FROM payments LIMIT 1",
                     &message),
            SqlOutcome::Constraint)
      << message;
}

TEST_F(HttpApi, AnAwardIsCommittedAndPaidWithinTheSchemesCeilings) {
  const Auth finance = bearer(Role::Finance);
  const Auth reader = bearer(Role::Reader);
  const std::string ex = "/api/v1/applications/EX070158";
  // Before the vote EX070158 is only proposed: no agreement, signature nor payment.
  expect_refused(send_json("POST", ex + "/agreement", finance, json::object()), 422,
                 "application.not_awarded", "number");
  expect_refused(send_json("POST", ex + "/agreement/signatures", finance,
                           json{{"signatory", "beneficiary"}, {"on", "2023-02-10"}}),
                 422, "application.not_awarded", "number");
  expect_refused(send_payment(ex + "/payments", finance,
                              json{{"kind", "advance"}, {"amount", "100"}, {"on", "2023-02-10"}}),
                 422, "application.not_awarded", "number");
  const auto adopted =
      call(make_request("POST", "/api/v1/reports/CP 2023-040/adoption", bearer(Role::Clerk)));
  ASSERT_EQ(adopted.status, 200) << describe(adopted);
  set_payment_rules("00001176", "30", "80");

  // No agreement to sign, no payment before both signatures.
  expect_refused(send_json("POST", ex + "/agreement/signatures", finance,
                           json{{"signatory", "beneficiary"}, {"on", "2023-02-10"}}),
                 422, "agreement.missing", "number");
  expect_ok(send_json("POST", ex + "/agreement", finance, json::object()), 201);
  expect_ok(send_json("POST", ex + "/agreement/signatures", finance,
                      json{{"signatory", "bénéficiaire"}, {"on", "2023-02-10"}}));
  expect_refused(send_payment(ex + "/payments", finance,
                              json{{"kind", "advance"}, {"amount", "100"}, {"on", "2023-02-12"}}),
                 422, "payment.no_agreement", "number");
  auto a = expect_ok(send_json("POST", ex + "/agreement/signatures", finance,
                               json{{"signatory", "collectivité"}, {"on", "2023-02-15"}}));
  EXPECT_EQ(a["agreement"]["signed"], true);

  const std::string pay = ex + "/payments";
  // Advance: 30 % of 8 000,00 € = 2 400,00 €, and only first.
  all_unchanged([&] {
    expect_refused(send_payment(pay, finance,
                                json{{"kind", "advance"}, {"amount", "0"}, {"on", "2023-03-01"}}),
                   422, "payment.amount");
    expect_refused(
        send_payment(pay, finance,
                     json{{"kind", "advance"}, {"amount", "2400 EUR"}, {"on", "2023-03-01"}}),
        422, "amount.invalid", "amount");
    expect_refused(
        send_payment(pay, finance,
                     json{{"kind", "advance"}, {"amount", "2400"}, {"on", "2023-03-32"}}),
        422, "date.nonexistent", "on");
  });
  a = expect_ok(send_payment(pay, finance,
                             json{{"kind", "advance"}, {"amount", "2400"}, {"on", "2023-03-01"}}),
                201);
  EXPECT_EQ(a["paid"], "2400.00");
  expect_refused(send_payment(pay, finance,
                              json{{"kind", "advance"}, {"amount", "100"}, {"on", "2023-03-02"}}),
                 422, "payment.advance_ceiling", "kind");
  // Interim payments: 8 000 € realised earn 3 828,28 €, so 1 428,28 € more at most.
  expect_refused(send_payment(pay, finance,
                              json{{"kind", "interim"}, {"amount", "500"}, {"on", "2023-05-01"}}),
                 422, "payment.realised");
  expect_refused(
      send_payment(
          pay, finance,
          json{{"kind", "interim"}, {"amount", "1"}, {"realised", "4000"}, {"on", "2023-05-01"}}),
      422, "payment.nothing_due");
  expect_refused(send_payment(pay, finance,
                              json{{"kind", "interim"},
                                   {"amount", "1428.29"},
                                   {"realised", "8000"},
                                   {"on", "2023-05-01"}}),
                 422, "payment.interim_ceiling");
  a = expect_ok(send_payment(pay, finance,
                             json{{"kind", "interim"},
                                  {"amount", "1428.28"},
                                  {"realised", "8000"},
                                  {"on", "2023-05-01"}}),
                201);
  EXPECT_EQ(a["paid"], "3828.28");
  // 15 000 € realised would earn 7 178,02 €, above the 80 % ceiling: 6 400,00 € in all.
  expect_refused(send_payment(pay, finance,
                              json{{"kind", "interim"},
                                   {"amount", "2571.73"},
                                   {"realised", "15000"},
                                   {"on", "2023-09-01"}}),
                 422, "payment.interim_ceiling");
  a = expect_ok(send_payment(pay, finance,
                             json{{"kind", "interim"},
                                  {"amount", "2571.72"},
                                  {"realised", "15000"},
                                  {"on", "2023-09-01"},
                                  {"reference", "Mandat 2023-4711"}}),
                201);
  EXPECT_EQ(a["paid"], "6400.00");
  EXPECT_EQ(a["payments"][2]["reference"], "Mandat 2023-4711");
  // A payment is not back-dated before the one before it.
  expect_refused(
      send_payment(pay, finance,
                   json{{"kind", "balance"}, {"realised", "15000"}, {"on", "2023-08-31"}}),
      422, "payment.date", "on");
  // The balance: 7 178,02 - 6 400,00 = 778,02 €; the dossier is closed and the unearned
  // 821,98 € leave the line.
  a = expect_ok(
      send_payment(pay, finance,
                   json{{"kind", "balance"}, {"realised", "15000"}, {"on", "2023-12-15"}}),
      201);
  EXPECT_EQ(a["state"], "closed");
  EXPECT_EQ(a["paid"], "7178.02");
  ASSERT_EQ(a["payments"].size(), 4u);
  EXPECT_EQ(a["payments"][3]["kind"], "balance");
  EXPECT_EQ(a["payments"][3]["amount"], "778.02");
  EXPECT_EQ(a["payments"][3]["realised_eligible"], "15000.00");
  EXPECT_EQ(a["payments"][3]["reference"], "EX070158-V4");
  EXPECT_EQ(a["clawbacks"], json::array());
  EXPECT_EQ(expect_ok(get(ex + "/award", reader)), a);
  const auto b = balances_of("2023/16300302", reader);
  EXPECT_EQ(b["allocated"], "22178.02");
  EXPECT_EQ(b["committed"], "7178.02");
  EXPECT_EQ(b["paid"], "7178.02");
  // Settled: nothing more.
  expect_refused(send_payment(pay, finance,
                              json{{"kind", "interim"},
                                   {"amount", "1"},
                                   {"realised", "16717.68"},
                                   {"on", "2023-12-20"}}),
                 422, "payment.settled", "number");
}

// A payment or an agreement sent twice with the same Idempotency-Key is made once: the second
// call replays the first answer; the same key for another payment is a conflict.
TEST_F(HttpApi, AnIdempotencyKeyPaysOnce) {
  const Auth finance = bearer(Role::Finance);
  auto with_key = [](HttpRequest r, const std::string& key) {
    r.headers["idempotency-key"] = key;
    return r;
  };
  const auto adopted =
      call(make_request("POST", "/api/v1/reports/CP 2023-040/adoption", bearer(Role::Clerk)));
  ASSERT_EQ(adopted.status, 200) << describe(adopted);
  set_payment_rules("00001176", "30", "80");
  const std::string ex = "/api/v1/applications/EX070158";
  const auto first =
      call(with_key(send_json("POST", ex + "/agreement", finance, json::object()), "conv-70158"));
  ASSERT_EQ(first.status, 201) << describe(first);
  const auto again =
      call(with_key(send_json("POST", ex + "/agreement", finance, json::object()), "conv-70158"));
  EXPECT_EQ(again.status, 201) << describe(again);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(header_of(again, "Idempotent-Replayed"), "true");
  for (const auto& [who, on] :
       {std::pair{"beneficiary", "2023-02-10"}, {"authority", "2023-02-15"}})
    ASSERT_EQ(call(send_json("POST", ex + "/agreement/signatures", finance,
                             json{{"signatory", who}, {"on", on}}))
                  .status,
              200);

  const json advance = {{"kind", "advance"}, {"amount", "2000"}, {"on", "2023-03-01"}};
  const auto paid = call(with_key(send_payment(ex + "/payments", finance, advance), "v1"));
  ASSERT_EQ(paid.status, 201) << describe(paid);
  const std::string after_first = dump();
  const auto replayed = call(with_key(send_payment(ex + "/payments", finance, advance), "v1"));
  EXPECT_EQ(replayed.status, 201) << describe(replayed);
  EXPECT_EQ(replayed.body, paid.body);
  EXPECT_EQ(header_of(replayed, "Idempotent-Replayed"), "true");
  EXPECT_EQ(dump(), after_first);
  json other = advance;
  other["amount"] = "400";
  expect_refused(with_key(send_payment(ex + "/payments", finance, other), "v1"), 409,
                 "idempotency.mismatch", "idempotency-key");
  const auto award = expect_ok(get(ex + "/award", finance));
  EXPECT_EQ(award["paid"], "2000.00");
  EXPECT_EQ(award["payments"].size(), 1u);
  EXPECT_EQ(balances_of("2023/16300302", finance)["paid"], "2000.00");

  // A note too.
  const json note = {{"text", "Relancer le bénéficiaire pour l'état des dépenses."}};
  const auto n1 =
      call(with_key(send_json("POST", ex + "/notes", bearer(Role::Instructor), note), "n1"));
  ASSERT_EQ(n1.status, 201) << describe(n1);
  const auto n2 =
      call(with_key(send_json("POST", ex + "/notes", bearer(Role::Instructor), note), "n1"));
  EXPECT_EQ(n2.body, n1.body);
  EXPECT_EQ(expect_ok(get(ex + "/notes", finance)).size(), 1u);
}

// Notes are data: markup is stored and returned as typed; notes stay in their authority.
TEST_F(HttpApi, NotesKeepTheirTextAndStayInTheirAuthority) {
  const Auth instructor = bearer(Role::Instructor);
  const std::string text = "<script>alert('note')</script>\n'; DELETE FROM application_notes; --";
  const auto added = expect_ok(
      send_json("POST", "/api/v1/applications/EX070162/notes", instructor, json{{"text", text}}),
      201);
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0]["author"], "api:test-instructor");
  EXPECT_EQ(expect_ok(get("/api/v1/applications/EX070162/notes", instructor))[0]["text"], text);
  // 10 000 characters at most; never another authority's dossier.
  all_unchanged([&] {
    expect_refused(send_json("POST", "/api/v1/applications/EX070162/notes", instructor,
                             json{{"text", std::string(10001, 'n')}}),
                   422, "text.too_long", "text");
    // Bytes that are not UTF-8 never reach the note (the JSON parser refuses them).
    expect_refused(send_json("POST", "/api/v1/applications/EX070162/notes", instructor,
                             std::string("{\"text\": \"\xff\xfe\"}")),
                   400, "request.malformed_json", "body");
  });
  auto cd93 = octroi::run_write(*store_, [&](octroi::Transaction& tx) {
    return octroi::create_authority(tx, "test:admin", clock_,
                                    {"cd93", "Département de la Seine-Saint-Denis", "", "", ""});
  });
  ASSERT_TRUE(cd93.ok()) << cd93.refusal().describe();
  auto issued = octroi::run_write(*store_, [&](octroi::Transaction& tx) {
    const octroi::Context ctx{cd93->id, "test:admin", &clock_};
    return issue_test_token(tx, ctx, tokens_, store_->hasher(), "cd93-admin", "administrator");
  });
  ASSERT_TRUE(issued.ok()) << issued.refusal().describe();
  const Auth other = Auth::token(issued->token);
  all_unchanged([&] {
    expect_refused(get("/api/v1/applications/EX070162/notes", other), 404, "application.unknown");
    expect_refused(
        send_json("POST", "/api/v1/applications/EX070162/notes", other, json{{"text", "x"}}), 404,
        "application.unknown");
    expect_refused(get("/api/v1/applications/EX065392/award", other), 404, "application.unknown");
    expect_refused(
        send_json("POST", "/api/v1/applications/EX065392/agreement", other, json::object()), 404,
        "application.unknown");
  });
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
  EXPECT_EQ(out.body.find("demo-greffe"), std::string::npos);  // nor the password
  EXPECT_EQ(j["must_change_password"], false);
  for (const auto& item : j.items())
    EXPECT_NE(item.key(), "password");
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

// Issue 16, finding 6: cookies are Secure by default, except for a client on this machine (a
// browser beside a development server speaks plain HTTP); --insecure-cookies turns them off.
TEST_F(HttpSessions, CookiesAreSecureByDefaultExceptOnLoopback) {
  load_accounts();
  auto from = [&](const std::string& address, const octroi::http::ApiOptions& o) {
    octroi::http::Api api(*store_, clock_m_, passwords_, tokens_, o);
    auto r = send_json("POST", "/api/v1/session", {}, credentials("greffe", password_of("greffe")));
    r.remote_addr = address;
    const auto out = api.handle(r);
    EXPECT_EQ(out.status, 201) << describe(out);
    return header_of(out, "Set-Cookie");
  };
  const octroi::http::ApiOptions by_default;
  EXPECT_NE(from("192.0.2.10", by_default).find("; Secure"), std::string::npos);
  EXPECT_NE(from("2001:db8::1", by_default).find("; Secure"), std::string::npos);
  EXPECT_EQ(from("127.0.0.1", by_default).find("; Secure"), std::string::npos);
  EXPECT_EQ(from("::1", by_default).find("; Secure"), std::string::npos);
  octroi::http::ApiOptions insecure;
  insecure.insecure_cookies = true;
  EXPECT_EQ(from("192.0.2.10", insecure).find("; Secure"), std::string::npos);
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
    expect_refused(send_json("POST", "/api/v1/applications/EX065392/agreement", a, json::object()),
                   403, "auth.csrf");
    expect_refused(send_json("POST", "/api/v1/applications/EX065392/agreement/signatures", a,
                             json{{"signatory", "authority"}, {"on", "2023-03-01"}}),
                   403, "auth.csrf");
    expect_refused(send_payment("/api/v1/applications/EX065392/payments", a,
                                json{{"kind", "advance"}, {"amount", "100"}}),
                   403, "auth.csrf");
    expect_refused(
        send_json("POST", "/api/v1/applications/EX070158/notes", a, json{{"text", "Note"}}), 403,
        "auth.csrf");
    expect_refused(send_json("POST", "/api/v1/me/password", a,
                             json{{"current", password_of("admin")},
                                  {"next", "un tout nouveau mot de passe"}}),
                   403, "auth.csrf");
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

// POST /api/v1/me/password: the refusals name their field and change nothing; the change ends
// every session of the user (not only the caller's) and no one else's; the old password no
// longer opens a session, the new one does. One account, so few argon2 hashes.
TEST_F(HttpSessions, PasswordChangeEndsEverySessionOfTheUser) {
  const std::string old_password = "un mot de passe assez long";
  const std::string new_password = "un tout nouveau mot de passe";
  auto user = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::create_user(
        tx, ctx, {"lea.lectrice", "Léa Lectrice", "reader", "", old_password}, passwords_);
  });
  ASSERT_TRUE(user.ok()) << user.refusal().describe();
  auto login_as = [&](const std::string& password) {
    return send_json("POST", "/api/v1/session", {}, credentials("lea.lectrice", password));
  };
  const auto first = call(login_as(old_password));
  ASSERT_EQ(first.status, 201) << describe(first);
  const Auth s1 = session_of(first);
  const auto second = call(login_as(old_password));
  ASSERT_EQ(second.status, 201) << describe(second);
  const Auth s2 = session_of(second);
  const std::string kPath = "/api/v1/me/password";
  all_unchanged([&] {
    expect_refused(
        send_json("POST", kPath, s1, json{{"current", "pas le bon"}, {"next", new_password}}), 422,
        "user.password_wrong", "current");
    expect_refused(send_json("POST", kPath, s1, json{{"current", old_password}, {"next", "court"}}),
                   422, "user.password_short", "next");
    expect_refused(
        send_json("POST", kPath, s1, json{{"current", old_password}, {"next", old_password}}), 422,
        "user.password_same", "next");
    expect_refused(send_json("POST", kPath, s1, json{{"current", old_password}, {"nouveau", "x"}}),
                   422, "request.unknown_field", "nouveau");
    expect_refused(send_json("POST", kPath, s1, json{{"current", old_password}, {"next", 1}}), 422,
                   "request.type", "next");
    expect_refused(
        make_request("POST", kPath, s1, "current=x&next=y", "application/x-www-form-urlencoded"),
        415, "request.content_type");
    expect_refused(make_request("GET", kPath, s1), 405, "request.method");
  });
  // An API token, of whatever role, has no password to change.
  expect_refused(send_json("POST", kPath, bearer(Role::Administrator),
                           json{{"current", old_password}, {"next", new_password}}),
                 401, "auth.no_user", "authorization");
  const auto changed =
      call(send_json("POST", kPath, s2, json{{"current", old_password}, {"next", new_password}}));
  ASSERT_EQ(changed.status, 204) << describe(changed);
  EXPECT_EQ(count_rows(db_, "login_sessions"), 0);
  for (const Auth& s : {s1, s2})
    expect_refused(get("/api/v1/me", s), 401, "auth.no_session");
  expect_refused(login_as(old_password), 401, "auth.invalid", "login");
  const auto reopened = call(login_as(new_password));
  ASSERT_EQ(reopened.status, 201) << describe(reopened);
  EXPECT_EQ(json_of(call(get("/api/v1/me", session_of(reopened))))["actor"], "web:lea.lectrice");
  // The change is in the audit trail, without the password or its hash.
  const auto audit =
      query(db_, "SELECT actor, entity_key FROM audit_log WHERE action = 'user.password'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0], "web:lea.lectrice");
  EXPECT_EQ(audit[0][1], "lea.lectrice");
  EXPECT_EQ(dump().find(new_password), std::string::npos);
}

// Guessing the current password through POST /api/v1/me/password (or the /compte form) is not
// throttled, unlike the login (five failures lock the login for fifteen minutes): whoever holds a
// stolen session cookie, but not the password, may try passwords without limit, each try also
// costing the server an argon2 verification inside a write transaction.
TEST_F(HttpSessions, WrongCurrentPasswordsAreThrottledLikeLogins) {
  const std::string password = "un mot de passe assez long";
  auto user = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::create_user(tx, ctx, {"lea.lectrice", "Léa Lectrice", "reader", "", password},
                               passwords_);
  });
  ASSERT_TRUE(user.ok()) << user.refusal().describe();
  const auto opened =
      call(send_json("POST", "/api/v1/session", {}, credentials("lea.lectrice", password)));
  ASSERT_EQ(opened.status, 201) << describe(opened);
  const Auth s = session_of(opened);
  for (int i = 1; i <= 5; ++i)
    expect_refused(send_json("POST", "/api/v1/me/password", s,
                             json{{"current", "essai-" + std::to_string(i)},
                                  {"next", "un tout nouveau mot de passe"}}),
                   422, "user.password_wrong", "current");
  expect_refused(send_json("POST", "/api/v1/me/password", s,
                           json{{"current", "essai-6"}, {"next", "un tout nouveau mot de passe"}}),
                 429, "auth.throttled");
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
  EXPECT_EQ(seen[0][0], clock_m_.now().iso());
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
  EXPECT_EQ(clock_m_.now().iso(), "2023-01-20T21:00:00Z");
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

// Issue 16, finding 3: five failures lock the pair (address, login), never the owner elsewhere;
// the login itself only asks a growing delay, the address has a limit of its own.
TEST_F(HttpSessions, FiveFailuresLockTheGuesserNotTheOwnerElsewhere) {
  load_accounts();
  const std::string right = password_of("instructeur");
  // The owner signed in from their office before the attack.
  auto office = send_json("POST", "/api/v1/session", {}, credentials("instructeur", right));
  office.remote_addr = "192.0.2.20";
  ASSERT_EQ(call(office).status, 201);
  const std::string before = dump();
  for (int i = 1; i <= 7; ++i) {
    const auto r = call(send_json("POST", "/api/v1/session", {},
                                  credentials("instructeur", "mauvais-" + std::to_string(i))));
    // The sixth and seventh are refused before their password is checked, and not counted.
    ASSERT_EQ(r.status, i <= 5 ? 401 : 429) << "attempt " << i << "\n" << describe(r);
  }
  // From the guesser's address, even the right password is refused, with the wait.
  auto locked = call(send_json("POST", "/api/v1/session", {}, credentials("instructeur", right)));
  EXPECT_EQ(locked.status, 429) << describe(locked);
  EXPECT_EQ(code_of(locked), "auth.throttled");
  EXPECT_EQ(field_of(locked), "login");
  EXPECT_EQ(header_of(locked, "Retry-After"), "900");
  EXPECT_EQ(header_of(locked, "Set-Cookie"), "");
  {
    const std::string after = dump();
    EXPECT_EQ(before, after) << first_difference(before, after);
  }
  // The owner from the office: in at once, the login's delay does not apply to an address it
  // signed in from. From an address never seen: after the login's delay (1 s), in.
  auto owner = send_json("POST", "/api/v1/session", {}, credentials("instructeur", right));
  owner.remote_addr = "192.0.2.8";
  const auto waited = call(owner);
  EXPECT_EQ(waited.status, 429) << describe(waited);
  EXPECT_EQ(header_of(waited, "Retry-After"), "1");
  EXPECT_EQ(call(office).status, 201);  // no delay from the office (its success clears it)
  clock_m_.advance(1);
  EXPECT_EQ(call(owner).status, 201);
  // Another login from the guesser's address is not locked: the address has its own limit (30).
  EXPECT_EQ(
      call(send_json("POST", "/api/v1/session", {}, credentials("lecteur", password_of("lecteur"))))
          .status,
      201);
  // The pair's lockout over, the right password opens a session there too.
  clock_m_.advance(898);
  locked = call(send_json("POST", "/api/v1/session", {}, credentials("instructeur", right)));
  EXPECT_EQ(header_of(locked, "Retry-After"), "1") << describe(locked);
  clock_m_.advance(1);
  EXPECT_EQ(
      call(send_json("POST", "/api/v1/session", {}, credentials("instructeur", right))).status,
      201);
}

// Issue 16, finding 3: 40 guesses at once got 12 passwords checked instead of 5 (each failure
// was counted after its slow hash). Counted before, on a locked row: exactly 5 are checked.
TEST_F(HttpSessions, GuessesMadeAtOnceGetNoMoreThanTheLimitChecked) {
  load_accounts();
  std::vector<std::thread> guessers;
  std::atomic<int> checked{0}, refused{0};
  for (int i = 0; i < 40; ++i)
    guessers.emplace_back([&, i] {
      const auto r = api_->handle(send_json("POST", "/api/v1/session", {},
                                            credentials("chef", "essai-" + std::to_string(i))));
      if (r.status == 401) ++checked;
      if (r.status == 429) ++refused;
    });
  for (auto& t : guessers)
    t.join();
  EXPECT_EQ(checked.load(), 5);
  EXPECT_EQ(refused.load(), 35);
}

// ---- regressions: bugs once reported, fixed since --------------------------------------------

// A refused payment should name the field of the request at fault, as every other refusal of
// the API does ("amount", "realised": the names of POST .../payments' body). decide_payment
// (src/domain/payment/payment.cc) names its own parameters instead, "requested" and
// "realised_eligible", which no client sent, so a client cannot point at the field to correct.
TEST_F(HttpApi, PaymentRefusalsNameTheFieldsOfTheRequest) {
  const Auth finance = bearer(Role::Finance);
  ASSERT_EQ(call(make_request("POST", "/api/v1/reports/CP 2023-040/adoption", bearer(Role::Clerk)))
                .status,
            200);
  set_payment_rules("00001176", "30", "80");
  const std::string ex = "/api/v1/applications/EX070158";
  ASSERT_EQ(call(send_json("POST", ex + "/agreement", finance, json::object())).status, 201);
  for (const auto& [who, on] :
       {std::pair{"beneficiary", "2023-02-10"}, {"authority", "2023-02-15"}})
    ASSERT_EQ(call(send_json("POST", ex + "/agreement/signatures", finance,
                             json{{"signatory", who}, {"on", on}}))
                  .status,
              200);
  all_unchanged([&] {
    expect_refused(
        send_payment(ex + "/payments", finance,
                     json{{"kind", "advance"}, {"amount", "2400.01"}, {"on", "2023-03-01"}}),
        422, "payment.advance_ceiling", "amount");
    expect_refused(send_payment(ex + "/payments", finance,
                                json{{"kind", "advance"}, {"amount", "0"}, {"on", "2023-03-01"}}),
                   422, "payment.amount", "amount");
    expect_refused(send_payment(ex + "/payments", finance,
                                json{{"kind", "interim"}, {"amount", "100"}, {"on", "2023-03-01"}}),
                   422, "payment.realised", "realised");
  });
}

// A non-string "op" or "side" in a plan change: api.cc reads them with json::value("op", ""),
// which throws nlohmann::type_error out of Api::handle (the server then answers 500, with the
// exception's text in an EXCEPTION_WHAT header).
// Issue 16, finding 2: a plan label ending in U+000B was accepted, and the session's .zip then
// failed (XML 1.0 forbids &#11;); a NUL cut a title short. Such text is refused at the boundary,
// naming the field, and nothing is stored; a line break where one line is expected is refused by
// the field's own rule.
TEST_F(HttpApi, ControlCharactersInTextAreRefusedNamingTheField) {
  const Auth admin = bearer(Role::Administrator);
  all_unchanged([&] {
    json label = {
        {"op", "set"}, {"side", "expense"}, {"line", 1}, {"label", "Communication\u000b"}};
    expect_refused(send_json("PATCH", kPlan70162, admin, json{{"changes", {label}}}), 422,
                   "text.control", "changes[1].label");
    label["label"] = std::string("Commu\0nication", 14);
    expect_refused(send_json("PATCH", kPlan70162, admin, json{{"changes", {label}}}), 422,
                   "text.control", "changes[1].label");
    label["label"] = "Commu\u202enication";  // a right-to-left override
    expect_refused(send_json("PATCH", kPlan70162, admin, json{{"changes", {label}}}), 422,
                   "text.control", "changes[1].label");
    // One line expected: the field's own rule refuses a line break.
    expect_refused(
        send_json("POST", "/api/v1/parties", admin, json{{"legal_name", "Association\ndes amis"}}),
        422, "text.control", "legal_name");
    // In a query or a form's field too.
    expect_refused(get("/api/v1/applications?q=caf\x0B", admin), 422, "text.control", "q");
  });
  // A note spans lines: its line breaks are kept.
  const auto noted = call(send_json("POST", "/api/v1/applications/EX070162/notes", admin,
                                    json{{"text", "Première ligne\nseconde ligne"}}));
  EXPECT_EQ(noted.status, 201) << describe(noted);
}

// Issue 16, bounded parsers: a JSON body nested deeper than 16 levels or holding more than
// 10 000 values is refused before it is parsed (the parser recurses once per level: 500 000
// nested brackets in a 1 MiB body would overflow its stack).
TEST_F(HttpApi, AJsonBodyBeyondItsLimitsIsRefusedBeforeItIsParsed) {
  const Auth admin = bearer(Role::Administrator);
  all_unchanged([&] {
    const std::string deep =
        "{\"changes\": " + std::string(500000, '[') + std::string(500000, ']') + "}";
    expect_refused(send_json("PATCH", kPlan70162, admin, deep), 422, "request.json_limits", "body");
    std::string many = "{\"changes\": [";
    for (int i = 0; i < 10001; ++i)
      many += std::string(i ? "," : "") + "{}";
    many += "]}";
    expect_refused(send_json("PATCH", kPlan70162, admin, many), 422, "request.json_limits", "body");
    // Brackets and commas inside strings are text, not structure.
    const std::string quoted =
        "{\"legal_name\": \"" + std::string(100, '[') + "\\\"," + std::string(20000, ',') + "\"}";
    expect_refused(send_json("POST", "/api/v1/parties", admin, quoted), 422, "text.too_long",
                   "legal_name");
  });
  EXPECT_TRUE(octroi::http::api::json_within_limits("[[[]]]", 3, 10));
  EXPECT_FALSE(octroi::http::api::json_within_limits("[[[[]]]]", 3, 10));
  EXPECT_TRUE(octroi::http::api::json_within_limits("[1,2,3]", 3, 3));
  EXPECT_FALSE(octroi::http::api::json_within_limits("[1,2,3,4]", 3, 3));
}

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

// The search is accent-insensitive on both stores and unties the ligatures French writes,
// « œ » as « oe » and « æ » as « ae », so that « coeur » finds « Cœur de ville » and « cœur »
// still does: octroi_fold() on PostgreSQL, the FTS5 triggers and text::search_words on SQLite.
TEST_F(HttpApi, LigaturesAreUntiedAlikeOnBothStores) {
  const Auth admin = bearer(Role::Administrator);
  const auto created =
      call(send_json("POST", "/api/v1/applications", admin,
                     json{{"scheme", "00001176"},
                          {"party", party_id("Commune de Montfermeil")},
                          {"title", "Cœur de ville : vitrines des commerçants, ex æquo"},
                          {"description", "Maîtrise d'œuvre de la plateforme."},
                          {"start", "2023-03-01"},
                          {"end", "2024-02-29"},
                          {"reference_year", "2023"}}));
  ASSERT_EQ(created.status, 201) << describe(created);
  for (const std::string q : {"cœur", "coeur", "COEUR", "œuvre", "oeuvre", "æquo", "aequo"}) {
    SCOPED_TRACE(q);
    const auto page = expect_ok(get("/api/v1/applications?q=" + q, admin));
    ASSERT_EQ(page["items"].size(), 1u);
    EXPECT_EQ(page["items"][0]["number"], "EX070163");
  }
}

// A refused budget line names the field of the request at fault: POST /api/v1/budget/lines reads
// "year" (not the domain's "fiscal_year", which no client sends).
TEST_F(HttpApi, BudgetLineRefusalsNameTheFieldsOfTheRequest) {
  const Auth finance = bearer(Role::Finance);
  all_unchanged([&] {
    for (const std::string year : {"deux mille", "2023a", "", "1999"}) {
      SCOPED_TRACE(year);
      expect_refused(send_json("POST", "/api/v1/budget/lines", finance,
                               json{{"year", year},
                                    {"imputation", "936-632-657341-163003-400"},
                                    {"action", "16300302"},
                                    {"action_label", "Soutien à l'artisanat et aux TPE"}}),
                     422, "budget.year", "year");
    }
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

namespace octroi_test {
namespace {

// A dossier's representation carries the newest 50 steps of its history (oldest first) and how
// many there are: a dossier edited thousands of times must not answer with all of them (the
// whole history is GET /api/v1/applications/{n}/history, from the audit trail).
TEST_F(HttpApi, ADossierShowsItsNewestHistoryAndItsTotal) {
  const Auth reader = bearer(Role::Reader);
  const auto before = expect_ok(get("/api/v1/applications/EX070162", reader));
  const std::int64_t initial = before["history_total"].get<std::int64_t>();
  ASSERT_EQ(before["history"].size(), static_cast<std::size_t>(initial));
  auto added = write([&](octroi::Transaction& tx, const octroi::Context& ctx) -> octroi::Status {
    const auto app = tx.applications().find_application(ctx.authority, "EX070162");
    if (!app) return octroi::refuse("test", "", "no EX070162");
    for (int i = 1; i <= 60; ++i)
      tx.applications().append_application_event(
          ctx.authority, app->id,
          {clock_m_.now(), "test", "plan_edit", "under_instruction", "under_instruction",
           "étape " + std::to_string(i)});
    return octroi::done();
  });
  ASSERT_TRUE(added.ok());
  const auto a = expect_ok(get("/api/v1/applications/EX070162", reader));
  EXPECT_EQ(a["history_total"], initial + 60);
  ASSERT_EQ(a["history"].size(), 50u);
  EXPECT_EQ(a["history"].back()["reason"], "étape 60");
  EXPECT_EQ(a["history"].front()["reason"], "étape 11");
}

}  // namespace
}  // namespace octroi_test
