// The HTTP server over loopback (issue 6): octroi::http::Server on 127.0.0.1 and a free port, in a
// thread, spoken to with cpp-httplib's client. Its limits (a body larger than max_body_bytes is a
// 413 problem+json and stores nothing), keep-alive, the JSON access log, a clean stop; then the
// real `octroi serve`, stopped by SIGTERM, and its refusal of a malformed --listen.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/http/server.h"
#include "integration/http_server_support.h"
#include "integration/process_support.h"

namespace octroi_test {
namespace {

using nlohmann::json;
using octroi::Role;
using namespace std::chrono_literals;

TEST_F(HttpServer, BodyLargerThanTheLimitIs413AndStoresNothing) {
  octroi::http::ServerOptions options;
  options.max_body_bytes = 4096;
  ASSERT_NO_FATAL_FAILURE(start(options));
  auto c = client();
  c.set_bearer_token_auth(token(Role::Administrator));
  const std::string before = dump();
  const std::string big = json{{"legal_name", std::string(8000, 'a')}}.dump();
  auto r = c.Post("/api/v1/parties", big, "application/json");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 413) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json; charset=utf-8");
  const auto problem = json::parse(r->body, nullptr, false);
  ASSERT_FALSE(problem.is_discarded()) << r->body;
  EXPECT_EQ(problem["code"], "request.too_large");
  EXPECT_EQ(problem["status"], 413);
  EXPECT_NE(problem["detail"].get<std::string>().find("4096"), std::string::npos);
  const std::string after = dump();
  EXPECT_EQ(before, after) << first_difference(before, after);
  // Just under the limit, the same route answers (and the server still serves).
  auto c2 = client();
  c2.set_bearer_token_auth(token(Role::Administrator, "second"));
  auto small = c2.Post("/api/v1/parties", json{{"legal_name", std::string(150, 'b')}}.dump(),
                       "application/json");
  ASSERT_TRUE(small) << httplib::to_string(small.error());
  EXPECT_EQ(small->status, 201) << small->body;
}

TEST_F(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  ASSERT_NO_FATAL_FAILURE(start());
  auto c = client();
  c.set_keep_alive(true);
  int connections = 0;
  c.set_socket_options([&](socket_t sock) {
    ++connections;
    httplib::default_socket_options(sock);
  });
  c.set_bearer_token_auth(token(Role::Reader));
  for (const char* path : {"/api/v1/me", "/api/v1/schemes", "/api/v1/applications?limit=1",
                           "/api/v1/reports/CP%202023-040", "/api/v1/nothing", "/api/v1/me"}) {
    auto r = c.Get(path);
    ASSERT_TRUE(r) << path << ": " << httplib::to_string(r.error());
    EXPECT_EQ(r->status, std::string(path) == "/api/v1/nothing" ? 404 : 200) << path << r->body;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
    // Issue 16, finding 6: no Referer leaves, no browser feature is granted.
    EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer");
    EXPECT_NE(r->get_header_value("Permissions-Policy").find("camera=()"), std::string::npos);
  }
  EXPECT_EQ(connections, 1);
  c.stop();

  // With keep_alive_max_requests = 2, the server closes each connection after two requests.
  stop_server();
  octroi::http::ServerOptions two;
  two.keep_alive_max_requests = 2;
  ASSERT_NO_FATAL_FAILURE(start(two));
  auto c2 = client();
  c2.set_keep_alive(true);
  int connections2 = 0;
  c2.set_socket_options([&](socket_t sock) {
    ++connections2;
    httplib::default_socket_options(sock);
  });
  for (int i = 0; i < 6; ++i) {
    auto r = c2.Get("/api/v1/openapi.json");
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(connections2, 3);
}

TEST_F(HttpServer, AccessLogHasOneJsonLinePerRequest) {
  octroi::http::ServerOptions options;
  options.max_body_bytes = 2048;
  ASSERT_NO_FATAL_FAILURE(start(options));
  auto c = client();
  c.set_bearer_token_auth(token(Role::Reader));
  ASSERT_TRUE(c.Get("/api/v1/applications?limit=2&offset=1"));
  ASSERT_TRUE(c.Get("/api/v1/applications/EX999999"));
  ASSERT_TRUE(c.Post("/api/v1/parties", R"({"legal_name": "X"})", "application/json"));
  ASSERT_TRUE(c.Post("/api/v1/parties", std::string(4096, ' '), "application/json"));
  ASSERT_TRUE(c.Delete("/api/v1/session"));
  stop_server();
  const auto lines = log_lines();
  ASSERT_EQ(lines.size(), 6u) << log_.str();  // with the first GET of start()
  // One line per request; lines of different connections (the GET of start(), and the one
  // after the 413, which closes its connection) may come in any order.
  std::multiset<std::string> seen;
  for (const auto& line : lines) {
    SCOPED_TRACE(line.dump());
    ASSERT_TRUE(line["method"].is_string() && line["path"].is_string() &&
                line["status"].is_number_integer());
    seen.insert(line["method"].get<std::string>() + " " + line["path"].get<std::string>() + " " +
                std::to_string(line["status"].get<int>()));
    ASSERT_TRUE(line["us"].is_number_integer());
    EXPECT_GE(line["us"].get<std::int64_t>(), 0);
    EXPECT_LT(line["us"].get<std::int64_t>(), 60'000'000);
    EXPECT_TRUE(line["t_ms"].is_number_integer());
    EXPECT_TRUE(line["bytes"].is_number_integer());
    EXPECT_EQ(line["remote"], "127.0.0.1");
  }
  EXPECT_EQ(seen, (std::multiset<std::string>{
                      "GET /api/v1/openapi.json 200", "GET /api/v1/applications 200",
                      "GET /api/v1/applications/EX999999 404", "POST /api/v1/parties 403",
                      "POST /api/v1/parties 413", "DELETE /api/v1/session 204"}));
  // No secret in the log: neither the token nor the query.
  EXPECT_EQ(log_.str().find("limit=2"), std::string::npos);
  EXPECT_EQ(log_.str().find("Bearer"), std::string::npos);
}

TEST_F(HttpServer, StopReturnsWhileIdleAndRunReturns) {
  ASSERT_NO_FATAL_FAILURE(start());
  auto c = client();
  c.set_bearer_token_auth(token(Role::Reader));
  auto r = c.Get("/api/v1/me");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  c.stop();
  const auto t0 = std::chrono::steady_clock::now();
  stop_server();  // aborts if run() does not return
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  // Nobody listens any more.
  auto after = client();
  after.set_connection_timeout(1);
  EXPECT_FALSE(after.Get("/api/v1/openapi.json"));
}

// The API through a real socket: percent-decoding of the path, the query, the login cookie and
// the CSRF header, and a refusal with its problem+json.
TEST_F(HttpServer, TheApiAnswersOverHttp) {
  load_accounts();
  ASSERT_NO_FATAL_FAILURE(start());
  auto c = client();
  auto login = c.Post("/api/v1/session", credentials("greffe", password_of("greffe")).dump(),
                      "application/json");
  ASSERT_TRUE(login) << httplib::to_string(login.error());
  ASSERT_EQ(login->status, 201) << login->body;
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  EXPECT_NE(set_cookie.find("; HttpOnly; SameSite=Strict"), std::string::npos) << set_cookie;
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf = json::parse(login->body)["csrf_token"];
  const httplib::Headers with_cookie = {{"Cookie", cookie}};
  auto report = c.Get("/api/v1/reports/CP%202023-040", with_cookie);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->status, 200) << report->body;
  EXPECT_EQ(json::parse(report->body)["number"], "CP 2023-040");
  auto page = c.Get("/api/v1/applications?limit=1&offset=2", with_cookie);
  ASSERT_TRUE(page);
  EXPECT_EQ(json::parse(page->body)["offset"], 2);
  EXPECT_EQ(json::parse(page->body)["items"].size(), 1u);
  // A write without the CSRF header is refused; with it, the vote is recorded.
  auto no_csrf = c.Post("/api/v1/reports/CP%202023-040/adoption", with_cookie, "", "");
  ASSERT_TRUE(no_csrf);
  EXPECT_EQ(no_csrf->status, 403);
  EXPECT_EQ(no_csrf->get_header_value("Content-Type"), "application/problem+json; charset=utf-8");
  EXPECT_EQ(json::parse(no_csrf->body)["code"], "auth.csrf");
  const httplib::Headers with_csrf = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
  auto adopted = c.Post("/api/v1/reports/CP%202023-040/adoption", with_csrf, "", "");
  ASSERT_TRUE(adopted);
  EXPECT_EQ(adopted->status, 200) << adopted->body;
  EXPECT_EQ(json::parse(adopted->body)["state"], "adopted");
}

// Eight clients at once with one Idempotency-Key: one party, the same answer for all.
TEST_F(HttpServer, ConcurrentRequestsWithOneIdempotencyKeyCreateOneParty) {
  octroi::http::ServerOptions options;
  options.threads = 8;
  ASSERT_NO_FATAL_FAILURE(start(options));
  const std::string admin = token(Role::Administrator);
  const auto before = count_rows(db_, "parties");
  std::vector<int> statuses(8);
  std::vector<std::string> bodies(8);
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < statuses.size(); ++i)
    clients.emplace_back([&, i] {
      auto c = client();
      c.set_bearer_token_auth(admin);
      auto r = c.Post("/api/v1/parties", {{"Idempotency-Key", "one-key"}},
                      R"({"legal_name": "Tiers concurrent"})", "application/json");
      statuses[i] = r ? r->status : -1;
      bodies[i] = r ? r->body : httplib::to_string(r.error());
    });
  for (auto& t : clients)
    t.join();
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    EXPECT_EQ(statuses[i], 201) << bodies[i];
    EXPECT_EQ(bodies[i], bodies[0]);
  }
  EXPECT_EQ(count_rows(db_, "parties"), before + 1);
}

TEST_F(HttpServer, AMalformedRequestLineIsA400ProblemAndTheServerGoesOn) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string answer = raw_exchange(port_, "BREW /pot HTTP/4.2\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  EXPECT_NE(answer.find("application/problem+json"), std::string::npos) << answer;
  EXPECT_NE(answer.find("request.malformed"), std::string::npos) << answer;
  auto r = client().Get("/api/v1/openapi.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

// Behind a reverse proxy every connection comes from the proxy, so that the login throttle's
// per-address count would lump every client together. From a peer named by --trusted-proxy (and
// only from one), the client address is the last entry of X-Forwarded-For: the address the
// proxy itself saw (nginx's $proxy_add_x_forwarded_for appends it; what comes before is what the
// client claimed).
TEST_F(HttpServer, OnlyATrustedProxyForwardsTheClientAddress) {
  load_accounts();
  auto attempt = [&](const std::string& login, const std::string& password,
                     const std::string& forwarded_for) {
    const std::string body = credentials(login, password).dump();
    const std::string answer =
        raw_exchange(port_,
                     "POST /api/v1/session HTTP/1.1\r\nHost: octroi\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nX-Forwarded-For: " +
                         forwarded_for + "\r\nContent-Length: " + std::to_string(body.size()) +
                         "\r\n\r\n" + body);
    return answer.substr(0, answer.find("\r\n"));
  };
  auto addresses_counted = [&] {
    std::vector<std::string> out;
    for (const auto& row :
         query(db_, "SELECT key FROM login_failures WHERE key LIKE 'addr:%' ORDER BY key"))
      out.push_back(row[0]);
    return out;
  };
  // Without --trusted-proxy the header is ignored: the peer (127.0.0.1) is counted.
  ASSERT_NO_FATAL_FAILURE(start());
  EXPECT_EQ(attempt("x1", "mauvais", "203.0.113.5"), "HTTP/1.1 401 Unauthorized");
  EXPECT_EQ(addresses_counted(), std::vector<std::string>{"addr:127.0.0.1"});
  stop_server();
  ASSERT_EQ(exec_sql(db_, "DELETE FROM login_failures"), SqlOutcome::Ok);

  // With 127.0.0.1 trusted: the last entry counts, whatever the client put before it.
  octroi::http::ServerOptions options;
  options.trusted_proxies = {"::1", "127.0.0.1"};
  ASSERT_NO_FATAL_FAILURE(start(options));
  EXPECT_EQ(attempt("x1", "mauvais", "198.51.100.1, 203.0.113.5"), "HTTP/1.1 401 Unauthorized");
  EXPECT_EQ(addresses_counted(), std::vector<std::string>{"addr:203.0.113.5"});
  // Something that is not an address: the peer counts.
  EXPECT_EQ(attempt("x2", "mauvais", "203.0.113.5, pas-une-adresse"), "HTTP/1.1 401 Unauthorized");
  EXPECT_EQ(addresses_counted(), (std::vector<std::string>{"addr:127.0.0.1", "addr:203.0.113.5"}));
  // Five failures lock that client for that login, not the others behind the same proxy (once
  // the login's delay of 1 s is over).
  for (int i = 1; i <= 5; ++i)
    EXPECT_EQ(attempt("chef", "mauvais", "203.0.113.5"), "HTTP/1.1 401 Unauthorized");
  EXPECT_EQ(attempt("chef", password_of("chef"), "203.0.113.5"), "HTTP/1.1 429 Too Many Requests");
  clock_m_.advance(1);
  EXPECT_EQ(attempt("chef", password_of("chef"), "203.0.113.6"), "HTTP/1.1 201 Created");
  stop_server();
  // The access log names the client too.
  std::multiset<std::string> remotes;
  for (const auto& line : log_lines())
    if (line["path"] == "/api/v1/session") remotes.insert(line["remote"].get<std::string>());
  EXPECT_EQ(remotes,
            (std::multiset<std::string>{"127.0.0.1", "127.0.0.1", "203.0.113.5", "203.0.113.5",
                                        "203.0.113.5", "203.0.113.5", "203.0.113.5", "203.0.113.5",
                                        "203.0.113.5", "203.0.113.6"}));
}

// ---- the `octroi serve` executable -------------------------------------------------------------

TEST_F(HttpServer, OctroiServeServesUntilSigtermAndExitsZero) {
  const int port = free_port();
  ASSERT_GT(port, 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  Child serve({"serve", "--db", db_, "--listen", "127.0.0.1:" + std::to_string(port)});
  ASSERT_TRUE(serve.read_until(url, 20s)) << "stdout: " << serve.out << "\nstderr: " << serve.err;
  // It answers (and so run() is serving before the signal comes).
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(5);
  std::optional<int> status;
  for (int i = 0; i < 200; ++i) {
    if (auto r = c.Get("/api/v1/openapi.json")) {
      status = r->status;
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(status, 200);
  c.stop();
  ASSERT_EQ(kill(serve.pid(), SIGTERM), 0);
  const auto exit = serve.wait(15s);
  ASSERT_TRUE(exit.has_value()) << "octroi serve did not exit after SIGTERM\nstdout: " << serve.out;
  EXPECT_EQ(*exit, 0) << "stdout: " << serve.out << "\nstderr: " << serve.err;
  EXPECT_NE(serve.out.find("octroi sert "), std::string::npos) << serve.out;
  EXPECT_NE(serve.out.find(url + " (API : /api/v1/"), std::string::npos) << serve.out;
  EXPECT_NE(serve.out.find("Arrêt demandé"), std::string::npos) << serve.out;
  // The access log goes to stderr, one JSON line per request.
  const auto line = serve.err.substr(0, serve.err.find('\n'));
  const auto j = json::parse(line, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << serve.err;
  EXPECT_EQ(j["path"], "/api/v1/openapi.json");
  EXPECT_EQ(j["status"], 200);
}

TEST_F(HttpServer, OctroiServeRefusesAMalformedListenWithExitTwo) {
  for (const std::string listen :
       {"localhost", "127.0.0.1:", ":8080", "127.0.0.1:http", "127.0.0.1:70000", "127.0.0.1:123456",
        "127.0.0.1:-1", "127.0.0.1:80 80"}) {
    SCOPED_TRACE(listen);
    const auto r = run_octroi({"serve", "--db", db_, "--listen", listen});
    EXPECT_EQ(r.status, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("--listen"), std::string::npos) << r.err;
  }
  // The transport's limits are checked by name.
  for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"--max-connections", "0"},
           {"--header-timeout", "0"},
           {"--max-header", "10"},
           {"--trusted-proxy", "proxy.example"},
           {"--trusted-proxy", "127.0.0.1,10.0.0.300"}}) {
    SCOPED_TRACE(option);
    const auto r = run_octroi({"serve", "--db", db_, option, value});
    EXPECT_EQ(r.status, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(option), std::string::npos) << r.err;
  }
  // A well-formed address already taken: the server cannot start (exit 3), and says why.
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(s, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(s, 1), 0);
  ASSERT_EQ(::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int taken = ntohs(addr.sin_port);
  const auto r =
      run_octroi({"serve", "--db", db_, "--listen", "127.0.0.1:" + std::to_string(taken)});
  ::close(s);
  EXPECT_EQ(r.status, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("impossible d'écouter"), std::string::npos) << r.err;
}

// ---- regressions: bugs once reported, fixed since --------------------------------------------

// cpp-httplib 0.11's Server::stop() does nothing unless listen has begun, so a stop() that comes
// between bind() and run() is lost and run() then serves forever. `octroi serve` has this race:
// a SIGTERM right after it prints its URL can leave it running (about 1 in 15 tries here).
TEST_F(HttpServer, StopBeforeRunIsNotLost) {
  octroi::http::ServerOptions options;
  options.port = 0;
  octroi::http::Server server(*api_, options, nullptr);
  std::string error;
  ASSERT_TRUE(server.bind(error)) << error;
  server.stop();
  std::atomic<bool> done{false};
  std::thread serving([&] {
    server.run();
    done = true;
  });
  for (int i = 0; i < 300 && !done; ++i)
    std::this_thread::sleep_for(10ms);
  const bool returned = done;
  if (!returned) server.stop();  // releases run() so that the test can end
  serving.join();
  EXPECT_TRUE(returned) << "run() kept serving after a stop() that came before it";
}

// An exception out of Api::handle (see HttpApi.NonStringOpOrSideOfAPlanChangeIsA422)
// became a 500 whose EXCEPTION_WHAT header showed the exception's text and whose problem+json
// said "request.malformed" with "status": 422; and a path that is not UTF-8 was copied as is into
// the access log, whose line was then not JSON. Now: a 422 naming the field, a 400 for the path,
// and every log line JSON.
TEST_F(HttpServer, UnexpectedErrorsAreCleanProblemsAndTheLogStaysJson) {
  ASSERT_NO_FATAL_FAILURE(start());
  auto c = client();
  c.set_bearer_token_auth(token(Role::Administrator));
  auto r = c.Patch("/api/v1/applications/EX070162/plan",
                   R"({"changes": [{"op": 1, "side": "expense", "line": 1}]})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_FALSE(r->has_header("EXCEPTION_WHAT")) << r->get_header_value("EXCEPTION_WHAT");
  const auto problem = json::parse(r->body, nullptr, false);
  ASSERT_FALSE(problem.is_discarded());
  EXPECT_EQ(problem["status"], r->status);
  auto bad = c.Get("/api/v1/applications/EX%FF");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("request.encoding"), std::string::npos) << bad->body;
  stop_server();
  for (const auto& line : log_lines())
    EXPECT_TRUE(line.is_object());
}

}  // namespace
}  // namespace octroi_test
