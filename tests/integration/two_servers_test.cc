// Several servers, one database (issue 15, item 5): two octroi::http::Api, each with its own
// clock, password hasher, token source and store (its own connections, as two `octroi serve`
// processes behind a reverse proxy have), on the same database, behave as one. A session opened
// through one is accepted by the other and a logout on either ends it everywhere; failed logins
// through one count on the other; an Idempotency-Key replayed on the other returns the first
// answer. Nothing that matters lives only in one process. Then the same with two real
// `octroi serve` processes spoken to over HTTP (on PostgreSQL, what a deployment behind nginx
// runs; on SQLite, two processes on one file, which must behave as one as well).
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "integration/http_support.h"
#include "integration/process_support.h"

namespace octroi_test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using octroi::Role;
using octroi::http::HttpRequest;
using octroi::http::HttpResponse;

class TwoServers : public HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    if (HasFatalFailure()) return;
    other_store_ = octroi::stores::open(db_, octroi::stores::OpenMode::Existing);
    other_ = std::make_unique<octroi::http::Api>(*other_store_, other_clock_, other_passwords_,
                                                 other_tokens_, octroi::http::ApiOptions{});
  }

  // Through the first server (HttpTest's api_) and through the second.
  HttpResponse on_first(const HttpRequest& r) { return call(r); }
  HttpResponse on_second(const HttpRequest& r) { return other_->handle(r); }

  std::unique_ptr<octroi::sql::SqlStore> other_store_;
  MovableClock other_clock_;
  octroi::crypto::SodiumPasswordHasher other_passwords_;
  octroi::crypto::SodiumTokenSource other_tokens_;
  std::unique_ptr<octroi::http::Api> other_;
};

TEST_F(TwoServers, ASessionOpenedOnOneIsAcceptedByTheOtherAndALogoutOnEitherEndsIt) {
  const Auth admin = login("admin");  // through the first
  const auto me = on_second(get("/api/v1/me", admin));
  ASSERT_EQ(me.status, 200) << describe(me);
  EXPECT_EQ(json_of(me)["actor"], "web:admin");
  EXPECT_EQ(json_of(me)["csrf_token"], admin.csrf);
  // A write through the second with the first's cookie and CSRF token.
  const auto party = on_second(
      send_json("POST", "/api/v1/parties", admin, json{{"legal_name", "Commune de Trappes"}}));
  EXPECT_EQ(party.status, 201) << describe(party);
  // Logged out through the second: the first refuses the cookie too.
  const auto out = on_second(make_request("DELETE", "/api/v1/session", admin));
  EXPECT_EQ(out.status, 204) << describe(out);
  expect_refused(get("/api/v1/me", admin), 401, "auth.no_session");
  EXPECT_EQ(on_second(get("/api/v1/me", admin)).status, 401);

  // And the other way round: opened on the second, ended on the first.
  const auto opened = on_second(
      send_json("POST", "/api/v1/session", {}, credentials("greffe", password_of("greffe"))));
  ASSERT_EQ(opened.status, 201) << describe(opened);
  const Auth greffe = session_of(opened);
  EXPECT_EQ(json_of(on_first(get("/api/v1/me", greffe)))["actor"], "web:greffe");
  EXPECT_EQ(on_first(make_request("DELETE", "/api/v1/session", greffe)).status, 204);
  const auto refused = on_second(get("/api/v1/me", greffe));
  EXPECT_EQ(refused.status, 401) << describe(refused);
  EXPECT_EQ(code_of(refused), "auth.no_session");
}

TEST_F(TwoServers, FailedLoginsOnOneCountOnTheOther) {
  load_accounts();
  for (int i = 1; i <= 5; ++i) {
    const auto r = on_first(send_json("POST", "/api/v1/session", {},
                                      credentials("instructeur", "mauvais-" + std::to_string(i))));
    ASSERT_EQ(r.status, 401) << "failure " << i << "\n" << describe(r);
  }
  // The sixth attempt, on the other server and with the right password: locked.
  const auto locked = on_second(send_json("POST", "/api/v1/session", {},
                                          credentials("instructeur", password_of("instructeur"))));
  EXPECT_EQ(locked.status, 429) << describe(locked);
  EXPECT_EQ(code_of(locked), "auth.throttled");
  EXPECT_EQ(header_of(locked, "Retry-After"), "900");
  EXPECT_EQ(header_of(locked, "Set-Cookie"), "");
  // What is locked is the pair (address, login): another login from the address is let in.
  const auto other_login =
      on_second(send_json("POST", "/api/v1/session", {}, credentials("chef", password_of("chef"))));
  EXPECT_EQ(other_login.status, 201) << describe(other_login);
  // Fifteen minutes later on the second's clock, the right password opens a session there.
  other_clock_.advance(900);
  const auto opened = on_second(send_json("POST", "/api/v1/session", {},
                                          credentials("instructeur", password_of("instructeur"))));
  EXPECT_EQ(opened.status, 201) << describe(opened);
}

TEST_F(TwoServers, GuessesOfTheCurrentPasswordOnOneCountOnTheOther) {
  const Auth lecteur = login("lecteur");
  for (int i = 1; i <= 5; ++i) {
    const auto r = (i % 2 ? on_first(send_json("POST", "/api/v1/me/password", lecteur,
                                               json{{"current", "essai-" + std::to_string(i)},
                                                    {"next", "un tout nouveau mot de passe"}}))
                          : on_second(send_json("POST", "/api/v1/me/password", lecteur,
                                                json{{"current", "essai-" + std::to_string(i)},
                                                     {"next", "un tout nouveau mot de passe"}})));
    ASSERT_EQ(r.status, 422) << "guess " << i << "\n" << describe(r);
    EXPECT_EQ(code_of(r), "user.password_wrong");
  }
  const auto locked = on_second(send_json(
      "POST", "/api/v1/me/password", lecteur,
      json{{"current", password_of("lecteur")}, {"next", "un tout nouveau mot de passe"}}));
  EXPECT_EQ(locked.status, 429) << describe(locked);
  EXPECT_EQ(code_of(locked), "auth.throttled");
}

TEST_F(TwoServers, AnIdempotencyKeyReplayedOnTheOtherReturnsTheFirstAnswer) {
  const Auth admin = bearer(Role::Administrator);
  const json party = {
      {"legal_name", "Commune de Trappes"}, {"legal_status", "Commune"}, {"postal_code", "78190"}};
  auto with_key = [](HttpRequest r) {
    r.headers["idempotency-key"] = "deux-serveurs-trappes";
    return r;
  };
  const auto before = count_rows(db_, "parties");
  const auto first = on_first(with_key(send_json("POST", "/api/v1/parties", admin, party)));
  ASSERT_EQ(first.status, 201) << describe(first);
  const auto second = on_second(with_key(send_json("POST", "/api/v1/parties", admin, party)));
  EXPECT_EQ(second.status, 201) << describe(second);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(header_of(second, "Idempotent-Replayed"), "true");
  EXPECT_EQ(count_rows(db_, "parties"), before + 1);
  // The same key for another body is refused on either.
  const auto other = on_second(with_key(
      send_json("POST", "/api/v1/parties", admin, json{{"legal_name", "Commune de Plaisir"}})));
  EXPECT_EQ(other.status, 409) << describe(other);
  EXPECT_EQ(code_of(other), "idempotency.mismatch");
}

TEST_F(TwoServers, TwoOctroiServeProcessesOnOneDatabaseBehaveAsOne) {
  load_accounts();
  ServeProcess a(db_), b(db_);
  ASSERT_NE(a.port(), b.port());
  ASSERT_TRUE(a.ready());
  ASSERT_TRUE(b.ready());
  auto ca = a.client(), cb = b.client();
  // Logged in through A.
  auto login = ca.Post("/api/v1/session", credentials("greffe", password_of("greffe")).dump(),
                       "application/json");
  ASSERT_TRUE(login) << httplib::to_string(login.error());
  ASSERT_EQ(login->status, 201) << login->body;
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  ASSERT_EQ(cookie.rfind("octroi_session=", 0), 0u) << set_cookie;
  // The cookie works on B.
  auto me = cb.Get("/api/v1/me", {{"Cookie", cookie}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << me->body;
  EXPECT_EQ(json::parse(me->body, nullptr, false).value("actor", ""), "web:greffe") << me->body;
  // Logged out on B: A refuses the cookie.
  auto out = cb.Delete("/api/v1/session", {{"Cookie", cookie}});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204);
  auto refused = ca.Get("/api/v1/me", {{"Cookie", cookie}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401) << refused->body;
  EXPECT_EQ(json::parse(refused->body, nullptr, false).value("code", ""), "auth.no_session");
  // Five failed logins on A lock the login on B.
  for (int i = 1; i <= 5; ++i) {
    auto r =
        ca.Post("/api/v1/session", credentials("finances", "mauvais-" + std::to_string(i)).dump(),
                "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 401) << "failure " << i << ": " << r->body;
  }
  auto locked = cb.Post("/api/v1/session", credentials("finances", password_of("finances")).dump(),
                        "application/json");
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 429) << locked->body;
  // The processes read the real clock: a second may have passed since the fifth failure.
  const std::string wait = locked->get_header_value("Retry-After");
  EXPECT_TRUE(wait == "900" || wait == "899" || wait == "898") << wait;
  // A job asked through A is run by whichever process's worker claims it (both run workers), and
  // followed and fetched through B.
  const std::string bearer = "Bearer " + serve_token(octroi::Role::Clerk, "test-clerk");
  auto asked = ca.Post(
      "/api/v1/jobs", {{"Authorization", bearer}},
      json{{"application", "EX070162"}, {"document", "project-sheet"}, {"format", "odt"}}.dump(),
      "application/json");
  ASSERT_TRUE(asked);
  ASSERT_EQ(asked->status, 202) << asked->body;
  const std::string url = json::parse(asked->body)["url"];
  json job;
  for (int i = 0; i < 600; ++i) {
    auto seen = cb.Get(url, {{"Authorization", bearer}});
    ASSERT_TRUE(seen);
    ASSERT_EQ(seen->status, 200) << seen->body;
    job = json::parse(seen->body);
    if (job["state"] == "done" || job["state"] == "failed") break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(job["state"], "done") << job.dump();
  auto file = cb.Get(url + "/file", {{"Authorization", bearer}});
  ASSERT_TRUE(file);
  EXPECT_EQ(file->status, 200);
  EXPECT_EQ(file->body.substr(0, 2), "PK");
  ca.stop();
  cb.stop();
  for (ServeProcess* p : {&a, &b}) {
    const auto status = p->stop();
    EXPECT_EQ(status, 0) << "stdout: " << p->child().out << "\nstderr: " << p->child().err;
  }
}

}  // namespace
}  // namespace octroi_test
