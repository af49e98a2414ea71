// The back office's pages in-process (through Api::handle), as a browser uses them: GET and POST
// with the session cookie, the login form (with its CSRF token), the page's CSRF token. Shared by
// the page tests (web_pages_test, account_life_test).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "adapters/crypto/sodium_passwords.h"
#include "adapters/http/api.h"
#include "app/accounts.h"
#include "integration/test_support.h"
#include "integration/web_login.h"

namespace octroi_test {

class WebPageTest : public DemoDatabaseTest {
 protected:
  using HttpRequest = octroi::http::HttpRequest;
  using HttpResponse = octroi::http::HttpResponse;

  // Accounts (login, role) whose password is "mot-de-passe-" + login; an instructor of the
  // demo's « Service de l'artisanat ».
  void add_users(const std::vector<std::pair<std::string, std::string>>& users) {
    for (const auto& [login, role] : users) {
      auto u = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
        return octroi::create_user(
            tx, ctx,
            {login, login, role, role == "instructor" ? "Service de l'artisanat" : "",
             "mot-de-passe-" + login},
            passwords_);
      });
      ASSERT_TRUE(u.ok()) << u.refusal().describe();
    }
  }

  HttpResponse get(const std::string& path, const std::string& cookie = "") {
    HttpRequest r;
    r.method = "GET";
    const auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) {
      std::string rest = path.substr(q + 1);
      std::size_t at = 0;
      while (at <= rest.size()) {
        auto end = rest.find('&', at);
        if (end == std::string::npos) end = rest.size();
        const auto kv = rest.substr(at, end - at);
        const auto eq = kv.find('=');
        if (eq != std::string::npos) r.query[kv.substr(0, eq)] = kv.substr(eq + 1);
        at = end + 1;
      }
    }
    if (!cookie.empty()) r.headers["cookie"] = "octroi_session=" + cookie;
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  }

  HttpResponse post(const std::string& path, std::map<std::string, std::string> form,
                    const std::string& cookie = "") {
    HttpRequest r;
    r.method = "POST";
    r.path = path;
    for (auto& [k, v] : form)
      r.query[k] = v;  // cpp-httplib puts url-encoded form fields with the query's
    if (!cookie.empty()) r.headers["cookie"] = "octroi_session=" + cookie;
    r.remote_addr = "127.0.0.1";
    if (path == "/login")
      with_login_token(r, [&](const HttpRequest& q) { return api_->handle(q); });
    return api_->handle(r);
  }

  // The numbers of the dossiers `s` finds, in its order (fails the test when it is refused).
  std::vector<std::string> found_numbers(const octroi::ApplicationSearch& s) {
    auto r = octroi::run_read(
        *store_, [&](octroi::Transaction& tx) { return octroi::search_applications(tx, idf_, s); });
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.refusal().describe());
    std::vector<std::string> out;
    if (r.ok())
      for (const auto& v : r.value())
        out.push_back(v.application.number);
    return out;
  }

  static bool has(const std::string& body, const std::string& what) {
    return body.find(what) != std::string::npos;
  }

  // The opening tag of the first element named `name` ("" when there is none).
  static std::string tag_of(const std::string& body, const std::string& name) {
    const auto at = body.find("name=\"" + name + "\"");
    if (at == std::string::npos) return "";
    const auto open = body.rfind('<', at);
    return body.substr(open, body.find('>', at) + 1 - open);
  }

  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  // Logs in through the form; returns the session cookie's token. `to`: where the login sends.
  std::string login(const std::string& who, const std::string& to = "/",
                    const std::string& password = "") {
    const auto r =
        post("/login",
             {{"login", who}, {"password", password.empty() ? "mot-de-passe-" + who : password}});
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(header(r, "Location"), to);
    const std::string cookie = header(r, "Set-Cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    const auto start = cookie.find('=') + 1;
    return cookie.substr(start, cookie.find(';') - start);
  }

  static std::string csrf_of(const std::string& html) {
    std::smatch m;
    static const std::regex re("name=\"csrf\" value=\"([0-9a-f]{64})\"");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }

  octroi::crypto::SodiumPasswordHasher passwords_;
  octroi::crypto::SodiumTokenSource tokens_;
  std::unique_ptr<octroi::http::Api> api_;
};

}  // namespace octroi_test
