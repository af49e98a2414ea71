// The fixture of the tests of the HTTP server over loopback (http_server_test.cc,
// http_transport_test.cc): octroi::http::Server on 127.0.0.1 and a free port, run in a thread,
// spoken to with cpp-httplib's client or with raw bytes on a socket. Test code only.
#pragma once

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/server.h"
#include "integration/http_support.h"

namespace octroi_test {

using namespace std::chrono_literals;

class HttpServer : public HttpTest {
 protected:
  void TearDown() override {
    stop_server();
    HttpTest::TearDown();
  }

  void start(octroi::http::ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<octroi::http::Server>(*api_, options, &log_);
    std::string error;
    ASSERT_TRUE(server_->bind(error)) << error;
    port_ = server_->port();
    ASSERT_GT(port_, 0);
    returned_ = false;
    thread_ = std::thread([this] {
      server_->run();
      returned_ = true;
    });
    // Wait until run() serves: a stop() that came before would be lost (see the report of
    // StopBeforeRunIsNotLost below).
    auto c = client();
    for (int i = 0; i < 500; ++i) {
      if (auto r = c.Get("/api/v1/openapi.json"); r && r->status == 200) return;
      std::this_thread::sleep_for(10ms);
    }
    FAIL() << "the server does not answer on port " << port_;
  }

  // Stops the server and waits for run() to return (at most 10 s: a hang aborts the tests rather
  // than blocking them forever).
  void stop_server() {
    if (!thread_.joinable()) return;
    server_->stop();
    for (int i = 0; i < 1000 && !returned_; ++i)
      std::this_thread::sleep_for(10ms);
    if (!returned_) {
      ADD_FAILURE() << "run() did not return within 10 s of stop()";
      std::fprintf(stderr, "run() did not return within 10 s of stop(): aborting\n");
      std::abort();
    }
    thread_.join();
  }

  httplib::Client client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    c.set_write_timeout(10);
    return c;
  }

  // The access log, one parsed JSON object per line (read once the server has stopped).
  std::vector<nlohmann::json> log_lines() {
    std::vector<nlohmann::json> out;
    std::istringstream in(log_.str());
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      EXPECT_FALSE(j.is_discarded()) << "access log line is not JSON: " << line;
      if (!j.is_discarded()) out.push_back(j);
    }
    return out;
  }

  std::ostringstream log_;
  std::unique_ptr<octroi::http::Server> server_;
  std::thread thread_;
  std::atomic<bool> returned_{false};
  int port_ = 0;
};

// A TCP connection to 127.0.0.1:port (-1 when it cannot connect).
inline int connect_loopback(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(s);
    return -1;
  }
  return s;
}

// Reads what socket `s` receives until the peer closes it or `limit` passes.
inline std::string read_until_closed(int s, std::chrono::milliseconds limit = 10s) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{s, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = ::recv(s, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

// Sends `bytes` on a new connection to 127.0.0.1:port and returns what the server answers until
// it closes the connection (at most 10 s).
inline std::string raw_exchange(int port, const std::string& bytes) {
  const int s = connect_loopback(port);
  if (s < 0) return "";
  std::string out;
  if (::send(s, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()))
    out = read_until_closed(s);
  ::close(s);
  return out;
}

}  // namespace octroi_test
