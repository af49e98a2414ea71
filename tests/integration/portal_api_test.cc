// The applicants' API (/api/v1/portal…, issue 19): every route answers and refuses, the OpenAPI
// document lists them with the portal's cookie as their only credential, an agent's token or
// session opens none of them, and another organisation's dossier is a 404 whatever the number.
#include <nlohmann/json.hpp>

#include <set>

#include "integration/portal_support.h"

namespace octroi_test {
namespace {

using nlohmann::json;
using RouteKey = std::pair<std::string, std::string>;

class PortalApi : public PortalTest {
 protected:
  struct Session {
    std::string cookie, csrf;
  };

  HttpResponse call(const std::string& method, const std::string& path, const json& body = {},
                    const Session& s = {}, bool with_csrf = true) {
    HttpRequest r;
    r.method = method;
    const auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) {
      const std::string kv = path.substr(q + 1);
      r.query[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
    }
    if (!body.is_null()) {
      r.body = body.dump();
      r.headers["content-type"] = "application/json";
    }
    if (!s.cookie.empty()) r.headers["cookie"] = "octroi_portail=" + s.cookie;
    if (with_csrf && !s.csrf.empty()) r.headers["x-csrf-token"] = s.csrf;
    r.remote_addr = "127.0.0.1";
    return record(api_->handle(r), r);
  }

  // A file sent as multipart/form-data (part `file`, field `piece`).
  HttpResponse call_file(const std::string& path, const std::string& name, const std::string& bytes,
                         const std::string& piece, const Session& s) {
    HttpRequest r;
    r.method = "POST";
    r.path = path;
    r.query["file.filename"] = name;
    r.query["piece"] = piece;
    r.files["file"] = bytes;
    r.headers["cookie"] = "octroi_portail=" + s.cookie;
    r.headers["x-csrf-token"] = s.csrf;
    r.remote_addr = "127.0.0.1";
    return record(api_->handle(r), r);
  }

  HttpResponse record(HttpResponse out, const HttpRequest& r) {
    const auto m = api_->routes();
    for (const auto& route : m)
      if (route.method == r.method && route.surface() == octroi::http::Surface::PortalApi &&
          pattern_matches(route.pattern, r.path))
        statuses_[{route.method, route.pattern}].insert(out.status);
    return out;
  }

  static bool pattern_matches(const std::string& pattern, const std::string& path) {
    const auto a = octroi::http::path_segments(pattern), b = octroi::http::path_segments(path);
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].front() != '{' && a[i] != b[i]) return false;
    // "/api/v1/portal/applications/{number}" is not "/api/v1/portal/applications/x/submission".
    return true;
  }

  static std::string code(const HttpResponse& r) {
    return r.body.empty() ? "" : json::parse(r.body).value("code", "");
  }

  Session api_applicant(const std::string& email) {
    auto r = call("POST", "/api/v1/portal/accounts",
                  {{"email", email}, {"display_name", "Paul"}, {"password", kPassword}});
    EXPECT_EQ(r.status, 202) << r.body;
    r = call("POST", "/api/v1/portal/accounts/verification",
             {{"code", code_in_mail(email, "/portail/verifier")}});
    EXPECT_EQ(r.status, 200) << r.body;
    r = call("POST", "/api/v1/portal/session", {{"email", email}, {"password", kPassword}});
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string cookie = header(r, "Set-Cookie");
    const auto start = cookie.find('=') + 1;
    return {cookie.substr(start, cookie.find(';') - start), json::parse(r.body)["csrf_token"]};
  }

  std::map<RouteKey, std::set<int>> statuses_;
};

json dossier_body(std::int64_t party) {
  return {{"scheme", "00001176"},
          {"party", party},
          {"title", "Chèque numérique pour les commerces de Livry"},
          {"start", "2023-02-01"},
          {"end", "2023-12-31"},
          {"reference_year", "2023"},
          {"expenses", {{{"label", "Abonnements"}, {"amount", "16000.00"}, {"eligible", true}}}},
          {"resources",
           {{{"label", "Région"}, {"amount", "8000"}, {"kind", "authority"}},
            {{"label", "Commune"}, {"amount", "8000"}, {"kind", "self_funding"}}}}};
}

TEST_F(PortalApi, EveryRouteAnswersAndRefusesAndTheOpenApiDocumentListsThem) {
  // Accounts and session.
  auto r = call("POST", "/api/v1/portal/accounts",
                {{"email", "pas une adresse"}, {"display_name", "X"}, {"password", kPassword}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(code(r), "portal.email");
  r = call("POST", "/api/v1/portal/accounts/verification", {{"code", std::string(64, 'a')}});
  EXPECT_EQ(code(r), "portal.code_invalid");
  const Session paul = api_applicant("paul@livry.fr");
  r = call("POST", "/api/v1/portal/session", {{"email", "paul@livry.fr"}, {"password", "faux"}});
  EXPECT_EQ(r.status, 401);
  // The catalogue.
  r = call("GET", "/api/v1/portal/schemes?q=numerique");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["items"][0]["number"], "00001176");
  EXPECT_EQ(json::parse(r.body)["items"][0]["documents"].size(), 3u);
  HttpRequest bad;
  bad.method = "GET";
  bad.path = "/api/v1/portal/schemes";
  bad.query["q"] = "\x07";
  bad.remote_addr = "127.0.0.1";
  EXPECT_EQ(record(api_->handle(bad), bad).status, 422);
  EXPECT_EQ(call("GET", "/api/v1/portal/schemes/00001176").status, 200);
  r = call("GET", "/api/v1/portal/schemes/00001033");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(code(r), "portal.scheme_unknown");
  // Organisations: without a session, without the CSRF token, then as it should.
  EXPECT_EQ(call("GET", "/api/v1/portal/organisations").status, 401);
  r = call("POST", "/api/v1/portal/organisations", {{"siret", kLivry}}, paul, false);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(code(r), "auth.csrf");
  r = call("POST", "/api/v1/portal/organisations",
           {{"siret", kLivry}, {"legal_name", "Commune de Livry-Gargan"}, {"city", "Livry"}}, paul);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::int64_t livry = json::parse(r.body)["id"];
  r = call("GET", "/api/v1/portal/organisations", {}, paul);
  EXPECT_EQ(json::parse(r.body)["items"][0]["role"], "owner");
  // Dossiers.
  EXPECT_EQ(call("GET", "/api/v1/portal/applications").status, 401);
  json wrong = dossier_body(livry);
  wrong["start"] = "2023-02-30";
  r = call("POST", "/api/v1/portal/applications", wrong, paul);
  EXPECT_EQ(r.status, 422);
  r = call("POST", "/api/v1/portal/applications", dossier_body(livry), paul);
  ASSERT_EQ(r.status, 201) << r.body;
  const json made = json::parse(r.body);
  const std::string number = made["number"];
  EXPECT_EQ(made["computed_award"], "8000.00");
  EXPECT_EQ(made["state_label"], "brouillon");
  EXPECT_EQ(call("GET", "/api/v1/portal/applications", {}, paul).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/portal/applications/" + number, {}, paul).status, 200);
  json edited = dossier_body(livry);
  edited["expenses"][0]["amount"] = "10000";
  edited["resources"][0]["amount"] = "5000";
  edited["resources"][1]["amount"] = "5000";
  r = call("PUT", "/api/v1/portal/applications/" + number, edited, paul);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["computed_award"], "5000.00");
  r = call("POST", "/api/v1/portal/applications/" + number + "/messages", {{"text", " "}}, paul);
  EXPECT_EQ(r.status, 422);
  r = call("POST", "/api/v1/portal/applications/" + number + "/messages",
           {{"text", "Le devis est-il suffisant ?"}}, paul);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)[0]["from"], "applicant");
  // Files: the pieces, sent as multipart/form-data; a type the scheme does not take, a file of
  // no dossier of Paul's, refused.
  const std::string files = "/api/v1/portal/applications/" + number + "/files";
  r = call_file(files, "devis.pdf", "Ceci est un texte, pas un PDF.",
                "Devis ou factures des abonnements", paul);
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(code(r), "file.type");
  std::vector<std::int64_t> ids;
  for (const char* piece : {"Délibération de la collectivité approuvant le projet",
                            "Devis ou factures des abonnements", "Relevé d'identité bancaire"}) {
    r = call_file(files, "pièce.pdf", pdf(piece), piece, paul);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(json::parse(r.body)["type"], "application/pdf");
    ids.push_back(json::parse(r.body)["id"]);
  }
  r = call("GET", files + "/" + std::to_string(ids[2]), {}, paul);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, pdf("Relevé d'identité bancaire"));
  EXPECT_EQ(header(r, "Content-Disposition"),
            "attachment; filename=\"pi_ce.pdf\"; filename*=UTF-8''pi%C3%A8ce.pdf");
  EXPECT_EQ(call("GET", files + "/999999", {}, paul).status, 404);
  EXPECT_EQ(call("DELETE", files + "/999999", {}, paul).status, 404);
  r = call("DELETE", files + "/" + std::to_string(ids[2]), {}, paul);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(json::parse(r.body)["removed_at"].is_null());
  r = call("POST", "/api/v1/portal/applications/" + number + "/submission", {}, paul);
  EXPECT_EQ(code(r), "portal.missing_files");
  ASSERT_EQ(call_file(files, "rib.pdf", pdf("RIB"), "Relevé d'identité bancaire", paul).status,
            201);
  r = call("POST", "/api/v1/portal/applications/" + number + "/submission", {}, paul);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["receipts"][0]["implicit_rejection_on"], "2023-03-20");
  // The news of the dossiers once a day.
  r = call("PUT", "/api/v1/portal/account/mail", {{"digest", "oui"}}, paul);
  EXPECT_EQ(r.status, 422);
  r = call("PUT", "/api/v1/portal/account/mail", {{"digest", true}}, paul);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["digest"], true);
  // After the vote: the award, the agreement signed, an advance claimed, an outcome reported.
  award(number);
  const std::string aid = "/api/v1/portal/applications/" + number + "/award";
  EXPECT_EQ(call("GET", "/api/v1/portal/applications/EX999999/award", {}, paul).status, 404);
  ASSERT_TRUE(write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
                return octroi::create_agreement(tx, ctx, number, {});
              }).ok());
  r = call("GET", aid, {}, paul);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string terms = json::parse(r.body)["terms_sha256"];
  EXPECT_EQ(json::parse(r.body)["awarded"], "5000.00");
  r = call("POST", aid + "/signature", {{"consent", false}, {"terms_sha256", terms}}, paul);
  EXPECT_EQ(code(r), "agreement.consent");
  r = call("POST", aid + "/signature", {{"consent", true}, {"terms_sha256", terms}}, paul);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["signatures"][0]["email"], "paul@livry.fr");
  ASSERT_TRUE(write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
                return octroi::sign_agreement(tx, ctx, number, {"authority", ""});
              }).ok());
  r = call("POST", aid + "/payment-claims", {{"kind", "advance"}, {"amount", "1500.01"}}, paul);
  EXPECT_EQ(code(r), "payment.advance_ceiling");
  r = call("POST", aid + "/payment-claims", {{"kind", "advance"}, {"amount", "1500"}}, paul);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["claims"][0]["state"], "pending");
  r = call("POST", aid + "/outcomes", {{"indicator", "Commerces équipés"}, {"value", "-1"}}, paul);
  EXPECT_EQ(r.status, 422);
  r = call("POST", aid + "/outcomes", {{"indicator", "Commerces équipés"}, {"value", "4"}}, paul);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["outcomes"][0]["value"], 4);
  // Marie's organisation and dossier: Paul reaches none of it.
  const std::string marie = applicant("marie.dupont@gagny.fr");
  const std::string hers = apply(marie, join(marie, kGagny, "Commune de Gagny"));
  const std::string before = dump_database(db_);
  for (const std::string& n : {hers, std::string("EX070158"), std::string("EX999999")}) {
    EXPECT_EQ(call("GET", "/api/v1/portal/applications/" + n, {}, paul).status, 404);
    r = call("PUT", "/api/v1/portal/applications/" + n, dossier_body(livry), paul);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(code(r), "portal.not_found");
    EXPECT_EQ(call("POST", "/api/v1/portal/applications/" + n + "/submission", {}, paul).status,
              404);
    EXPECT_EQ(call("POST", "/api/v1/portal/applications/" + n + "/messages", {{"text", "x"}}, paul)
                  .status,
              404);
  }
  expect_unchanged(before);
  // Every applicants' route that names a dossier, whatever the number and the file: nothing of
  // Marie's answers, nothing changes.
  ASSERT_EQ(
      upload("/portail/dossiers/" + hers + "/fichiers", "rib.pdf", pdf("RIB de Gagny"), {}, marie)
          .status,
      303);
  const std::string file = query(db_, "SELECT max(id) FROM application_files")[0][0];
  const std::string all_before = dump_database(db_);
  for (const auto& route : api_->routes()) {
    if (route.surface() != octroi::http::Surface::PortalApi) continue;
    if (route.pattern.find("{number}") == std::string::npos) continue;
    for (const std::string& n : {hers, std::string("EX070158"), std::string("EX999999")}) {
      std::string path = route.pattern;
      path.replace(path.find("{number}"), 8, n);
      if (path.find("{id}") != std::string::npos) path.replace(path.find("{id}"), 4, file);
      SCOPED_TRACE(route.method + " " + path);
      const auto out = route.method == "POST" && path.ends_with("/files")
                           ? call_file(path, "x.pdf", pdf("x"), "", paul)
                           : call(route.method, path, json::object(), paul);
      EXPECT_GE(out.status, 400);
      EXPECT_FALSE(has(out.body, "Gagny"));
      EXPECT_NE(out.body, pdf("RIB de Gagny"));
    }
  }
  expect_unchanged(all_before);
  // The session ends.
  EXPECT_EQ(call("DELETE", "/api/v1/portal/session", {}, {}).status, 401);
  EXPECT_EQ(call("DELETE", "/api/v1/portal/session", {}, paul).status, 204);
  EXPECT_EQ(call("GET", "/api/v1/portal/applications", {}, paul).status, 401);

  // Every applicants' route was called, with an answer and a refusal; the document lists them.
  std::set<RouteKey> listed;
  for (const auto& route : api_->routes())
    if (route.surface() == octroi::http::Surface::PortalApi) {
      listed.insert({route.method, route.pattern});
      SCOPED_TRACE(route.method + " " + route.pattern);
      const auto& seen = statuses_[{route.method, route.pattern}];
      EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](int s) { return s < 400; }));
      EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](int s) { return s >= 400; }));
    }
  EXPECT_EQ(listed.size(), 22u);
  const json doc = json::parse(get("/api/v1/openapi.json").body);
  EXPECT_EQ(doc["components"]["securitySchemes"]["portal_cookie"]["name"], "octroi_portail");
  std::set<RouteKey> documented;
  for (const auto& [path, ops] : doc["paths"].items())
    if (path.rfind("/api/v1/portal", 0) == 0)
      for (const auto& [method, op] : ops.items()) {
        std::string m = method;
        for (auto& ch : m)
          ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        documented.insert({m, path});
        if (op.contains("x-octroi-action")) {
          EXPECT_EQ(op["x-octroi-action"], "apply");
          EXPECT_EQ(op["security"][0].begin().key(), "portal_cookie");
        }
      }
  EXPECT_EQ(documented, listed);
}

TEST_F(PortalApi, AnAgentsTokenOrSessionOpensNoApplicantsRoute) {
  add_users({{"instructeur", "instructor"}});
  const std::string agent = login("instructeur");
  for (const auto& route : api_->routes()) {
    if (route.surface() != octroi::http::Surface::PortalApi ||
        route.access.kind() == octroi::http::Access::Kind::Public)
      continue;
    SCOPED_TRACE(route.method + " " + route.pattern);
    std::string path = route.pattern;
    if (const auto at = path.find("{number}"); at != std::string::npos)
      path.replace(at, 8, "EX070158");
    HttpRequest r;
    r.method = route.method;
    r.path = path;
    r.remote_addr = "127.0.0.1";
    r.headers["cookie"] = "octroi_session=" + agent;
    EXPECT_EQ(api_->handle(r).status, 401);
    r.headers["cookie"] = "octroi_portail=" + agent;  // the agent's token under the portal's name
    EXPECT_EQ(api_->handle(r).status, 401);
  }
}

}  // namespace
}  // namespace octroi_test
