// Support for the tests of the JSON API v1 (http_api_test.cc, http_permissions_test.cc,
// http_server_test.cc): a clock the tests move forward, requests built as the server would build
// them (headers in lower case, the path decoded and without its query), and a fixture holding an
// Api on the demo database with real libsodium hashing and tokens.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/crypto/sodium_passwords.h"
#include "adapters/http/api.h"
#include "app/accounts.h"
#include "app/permissions.h"
#include "integration/test_support.h"
#include "integration/token_support.h"

namespace octroi_test {

// The service of the demonstration's chèque numérique scheme (its instructors may change its
// dossiers; those of « lieux d'innovation » belong to another service).
inline const std::string kDemoService = "Service de l'artisanat";

// A clock that starts where FixedClock stands (2023-01-20T09:00:00Z) and moves only when told.
// Safe to read from the server's threads.
class MovableClock : public octroi::Clock {
 public:
  MovableClock() : seconds_(octroi::Instant::parse(FixedClock::kNow)->seconds()) {}
  octroi::Instant now() override { return octroi::Instant::from_seconds(seconds_.load()); }
  void advance(std::int64_t seconds) { seconds_ += seconds; }

 private:
  std::atomic<std::int64_t> seconds_;
};

// The credentials a request carries: none, an API token, or a session cookie (with the CSRF
// token that cookie-authenticated writes must echo in X-CSRF-Token).
struct Auth {
  std::string bearer;
  std::string cookie;  // value of octroi_session
  std::string csrf;    // sent as X-CSRF-Token when not empty

  static Auth none() { return {}; }
  static Auth token(const std::string& t) {
    Auth a;
    a.bearer = t;
    return a;
  }
};

// `target` may carry a query ("/api/v1/applications?limit=2"): it is split as the server splits
// it (no percent-decoding here: the tests pass decoded paths).
inline octroi::http::HttpRequest make_request(const std::string& method, const std::string& target,
                                              const Auth& auth = {}, const std::string& body = "",
                                              const std::string& content_type = "") {
  octroi::http::HttpRequest r;
  r.method = method;
  const auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string rest = target.substr(q + 1);
    std::size_t at = 0;
    while (at <= rest.size()) {
      std::size_t end = rest.find('&', at);
      if (end == std::string::npos) end = rest.size();
      const std::string part = rest.substr(at, end - at);
      const auto eq = part.find('=');
      if (!part.empty())
        r.query[part.substr(0, eq)] = eq == std::string::npos ? "" : part.substr(eq + 1);
      at = end + 1;
    }
  }
  if (!auth.bearer.empty()) r.headers["authorization"] = "Bearer " + auth.bearer;
  if (!auth.cookie.empty()) r.headers["cookie"] = "octroi_session=" + auth.cookie;
  if (!auth.csrf.empty()) r.headers["x-csrf-token"] = auth.csrf;
  if (!content_type.empty()) r.headers["content-type"] = content_type;
  r.body = body;
  r.remote_addr = "127.0.0.1";
  return r;
}

inline octroi::http::HttpRequest get(const std::string& target, const Auth& auth = {}) {
  return make_request("GET", target, auth);
}

// A request with a JSON body (Content-Type: application/json).
inline octroi::http::HttpRequest send_json(const std::string& method, const std::string& target,
                                           const Auth& auth, const std::string& body) {
  return make_request(method, target, auth, body, "application/json");
}

inline octroi::http::HttpRequest send_json(const std::string& method, const std::string& target,
                                           const Auth& auth, const nlohmann::json& body) {
  return send_json(method, target, auth, body.dump());
}

// A payment request as a careful client sends it: with an Idempotency-Key of its own (issue 16,
// finding 4: a payment with neither a key nor a reference is refused, 428).
inline octroi::http::HttpRequest send_payment(const std::string& target, const Auth& auth,
                                              const nlohmann::json& body) {
  static std::atomic<int> sent{0};
  auto r = send_json("POST", target, auth, body);
  r.headers["idempotency-key"] = "test-payment-" + std::to_string(++sent);
  return r;
}

inline std::string header_of(const octroi::http::HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

inline std::string describe(const octroi::http::HttpResponse& r) {
  std::string out = "HTTP " + std::to_string(r.status) + " (" + r.content_type + ")\n";
  for (const auto& [k, v] : r.headers)
    out += k + ": " + v + "\n";
  return out + r.body;
}

// The body as JSON (null, with a test failure, if it is not JSON).
inline nlohmann::json json_of(const octroi::http::HttpResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded()) {
    ADD_FAILURE() << "not JSON:\n" << describe(r);
    return nullptr;
  }
  return j;
}

// The "code" of a problem+json answer ("" if there is none).
inline std::string code_of(const octroi::http::HttpResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("code") || !j["code"].is_string())
    return "";
  return j["code"].get<std::string>();
}

inline std::string field_of(const octroi::http::HttpResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("field") || !j["field"].is_string())
    return "";
  return j["field"].get<std::string>();
}

// "/api/v1/applications/{number}" matches "/api/v1/applications/EX070158".
inline bool pattern_matches(const std::string& pattern, const std::string& path) {
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
      if (c == '/') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
  };
  const auto p = split(pattern), s = split(path);
  if (p.size() != s.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!(p[i].size() > 2 && p[i].front() == '{' && p[i].back() == '}') && p[i] != s[i])
      return false;
  return true;
}

using RouteKey = std::pair<std::string, std::string>;  // method, pattern

// The demo database with an Api on it: real argon2id hashing (SodiumPasswordHasher) and real
// random tokens. Creating the six demo accounts costs six argon2 hashes, so it is done once per
// test and only by the tests that log in (login()); the others use API tokens (token()), which
// need no hashing.
class HttpTest : public DemoDatabaseTest {
 protected:
  void SetUp() override {
    DemoDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_m_, passwords_, tokens_, options());
  }

  virtual octroi::http::ApiOptions options() { return {}; }

  // Calls the API and notes which documented route answered, with its status.
  octroi::http::HttpResponse call(const octroi::http::HttpRequest& r) {
    auto out = api_->handle(r);
    for (const auto& route : api_->routes())
      if (route.method == r.method && pattern_matches(route.pattern, r.path)) {
        statuses_[{route.method, route.pattern}].insert(out.status);
        break;
      }
    return out;
  }

  // A new API token of this role, issued to the demo authority (no hashing: fast).
  std::string token(octroi::Role role, const std::string& label = "") {
    return issued_token(role, label, nullptr);
  }
  Auth bearer(octroi::Role role) { return Auth::token(token(role)); }

  // A token for an `octroi serve` child, which judges a token's expiry by the machine's clock
  // (the tests' clock stays in January 2023).
  std::string serve_token(octroi::Role role, const std::string& label) {
    struct MachineClock : octroi::Clock {
      octroi::Instant now() override {
        return octroi::Instant::from_seconds(static_cast<std::int64_t>(std::time(nullptr)));
      }
    } machine;
    return issued_token(role, label, &machine);
  }

  // A token of `role`, issued at the time of `clock` (the tests' clock when null).
  std::string issued_token(octroi::Role role, const std::string& label, octroi::Clock* clock) {
    auto t = octroi::run_write(*store_, [&](octroi::Transaction& tx) {
      octroi::Context ctx = context();
      if (clock) ctx.clock = clock;
      return issue_test_token(tx, ctx, tokens_, store_->hasher(),
                              label.empty() ? "test-" + std::string(to_string(role)) : label,
                              std::string(to_string(role)),
                              role == octroi::Role::Instructor ? kDemoService : "");
    });
    if (!t.ok()) {
      ADD_FAILURE() << t.refusal().describe();
      return "";
    }
    return t->token;
  }

  // The six demo accounts (load_demo_accounts), created on first use.
  void load_accounts() {
    if (accounts_loaded_) return;
    auto r = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      return octroi::load_demo_accounts(tx, ctx, passwords_);
    });
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
    accounts_loaded_ = true;
  }

  static std::string password_of(const std::string& login) {
    for (const auto& a : octroi::demo_accounts())
      if (login == a.login) return a.password;
    ADD_FAILURE() << "no demo account " << login;
    return "";
  }

  static nlohmann::json credentials(const std::string& login, const std::string& password) {
    return {{"login", login}, {"password", password}};
  }

  // Logs a demo account in through POST /api/v1/session; the cookie and the CSRF token.
  Auth login(const std::string& login) {
    load_accounts();
    const auto r =
        call(send_json("POST", "/api/v1/session", {}, credentials(login, password_of(login))));
    EXPECT_EQ(r.status, 201) << describe(r);
    return session_of(r);
  }

  // The cookie (from Set-Cookie) and the CSRF token (from the body) of a login answer.
  static Auth session_of(const octroi::http::HttpResponse& r) {
    Auth a;
    const std::string set = header_of(r, "Set-Cookie");
    const std::string prefix = "octroi_session=";
    if (set.rfind(prefix, 0) == 0)
      a.cookie = set.substr(prefix.size(), set.find(';') - prefix.size());
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("csrf_token"))
      a.csrf = j["csrf_token"].get<std::string>();
    return a;
  }

  std::string dump() { return dump_database(db_); }

  // GET the job at `url` (/api/v1/jobs/{id}) until it has ended (done or failed); its last
  // JSON. Fails the test after 180 s.
  nlohmann::json wait_for_job(const std::string& url, const Auth& who) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
    nlohmann::json j;
    while (std::chrono::steady_clock::now() < deadline) {
      j = expect_ok(get(url, who));
      if (j["state"] == "done" || j["state"] == "failed") return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "job " << url << " still " << j.dump();
    return j;
  }

  // The payment ceilings of a scheme (percent of the award; "" for none), set through the use
  // case as `octroi scheme edit --advance-max … --interim-max …` sets them: the API has no route
  // for schemes.
  void set_payment_rules(const std::string& scheme, const std::string& advance_max,
                         const std::string& interim_max, const std::string& tolerance = "0") {
    auto r = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      auto s = octroi::scheme_by_number(tx, ctx.authority, scheme);
      if (!s.ok()) return octroi::Result<octroi::AidScheme>(s.refusal());
      octroi::SchemeInput in = octroi::scheme_input_of(s.value());
      in.advance_max = advance_max;
      in.interim_max = interim_max;
      in.balance_tolerance = tolerance;
      return octroi::edit_scheme(tx, ctx, scheme, in);
    });
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
  }

  // The balances of one budget line ("2023/16300302") as GET /api/v1/budget/lines shows them.
  nlohmann::json balances_of(const std::string& key, const Auth& auth) {
    const auto out = call(get("/api/v1/budget/lines", auth));
    EXPECT_EQ(out.status, 200) << describe(out);
    const auto lines = json_of(out);
    if (lines.is_array())
      for (const auto& l : lines)
        if (l.value("key", "") == key) return l["balances"];
    ADD_FAILURE() << "no budget line " << key;
    return nullptr;
  }

  // Calls `r`, expects a problem+json refusal with this status and code (and field, if given),
  // and checks that the database is exactly as it was.
  octroi::http::HttpResponse expect_refused(const octroi::http::HttpRequest& r, int status,
                                            const std::string& code,
                                            const std::string& field = "") {
    SCOPED_TRACE(r.method + " " + r.path + " " + r.body.substr(0, 200));
    const std::string before = per_call_dumps_ ? dump() : "";
    const auto out = call(r);
    EXPECT_EQ(out.status, status) << describe(out);
    EXPECT_EQ(code_of(out), code) << describe(out);
    if (!field.empty()) {
      EXPECT_EQ(field_of(out), field) << describe(out);
    }
    EXPECT_EQ(out.content_type, "application/problem+json; charset=utf-8");
    const auto j = nlohmann::json::parse(out.body, nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
      EXPECT_EQ(j.value("status", 0), status) << describe(out);
      EXPECT_TRUE(j.contains("problems") && j["problems"].is_array() && !j["problems"].empty())
          << describe(out);
    }
    if (per_call_dumps_) {
      const std::string after = dump();
      EXPECT_EQ(before, after) << first_difference(before, after);
    }
    return out;
  }

  // Runs `refusals` (calls of expect_refused and nothing that may write) with one dump before
  // and one after instead of two per call: for loops of refusals, since a dump of the PostgreSQL
  // store costs tens of milliseconds.
  template <class F>
  void all_unchanged(F&& refusals) {
    const std::string before = dump();
    per_call_dumps_ = false;
    refusals();
    per_call_dumps_ = true;
    const std::string after = dump();
    EXPECT_EQ(before, after) << first_difference(before, after);
  }

  // Calls `r` and expects this (successful) status; the body as JSON.
  nlohmann::json expect_ok(const octroi::http::HttpRequest& r, int status = 200) {
    SCOPED_TRACE(r.method + " " + r.path);
    const auto out = call(r);
    EXPECT_EQ(out.status, status) << describe(out);
    if (out.body.empty()) return nullptr;
    return json_of(out);
  }

  MovableClock clock_m_;
  octroi::crypto::SodiumPasswordHasher passwords_;
  octroi::crypto::SodiumTokenSource tokens_;
  std::unique_ptr<octroi::http::Api> api_;
  bool accounts_loaded_ = false;
  bool per_call_dumps_ = true;
  std::map<RouteKey, std::set<int>> statuses_;  // what call() saw, per documented route
};

}  // namespace octroi_test
