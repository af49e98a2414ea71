// The event-driven transport (issue 15, item 1): open connections cost memory, not threads, and
// every limit holds whatever the client does: idle keep-alive and slow-header connections do not
// stop the others, a chunked body is refused at the limit while it is read, a request whose
// headers never end is closed at the header deadline, connections beyond the caps get a 503,
// headers beyond their limit a 431. Spoken to with raw bytes, as an attacker would.
#include <gtest/gtest.h>

#include <fcntl.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "integration/http_server_support.h"

namespace octroi_test {
namespace {

using Clock = std::chrono::steady_clock;

// Resident memory of this process (the server runs in it), in bytes.
std::int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::int64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * ::sysconf(_SC_PAGESIZE);
}

std::int64_t ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

class HttpTransport : public HttpServer {
 protected:
  void TearDown() override {
    for (int s : sockets_)
      ::close(s);
    HttpServer::TearDown();
  }
  int open_connection() {
    const int s = connect_loopback(port_);
    EXPECT_GE(s, 0) << "connect: " << std::strerror(errno);
    if (s >= 0) sockets_.push_back(s);
    return s;
  }
  static bool send_all(int s, const std::string& bytes) {
    return ::send(s, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  std::vector<int> sockets_;
  char buf_[256];
};

const std::string kGet = "GET /api/v1/openapi.json HTTP/1.1\r\nHost: octroi\r\n\r\n";

TEST_F(HttpTransport, IdleAndSlowConnectionsDoNotStopTheOthers) {
  octroi::http::ServerOptions options;
  options.threads = 2;
  ASSERT_NO_FATAL_FAILURE(start(options));
  // 300 keep-alive connections that were served once and now wait, idle. (A cheap request: the
  // point is the connections, not a queue of work ahead of the measured request.)
  std::vector<int> idle;
  for (int i = 0; i < 300; ++i) {
    const int s = open_connection();
    ASSERT_GE(s, 0);
    ASSERT_TRUE(send_all(s, "GET /api/v1/me HTTP/1.1\r\nHost: octroi\r\n\r\n"));
    idle.push_back(s);
  }
  for (int s : idle) {
    pollfd p{s, POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 30'000), 1) << "a keep-alive connection was not answered";
    ASSERT_GT(::recv(s, buf_, sizeof buf_, 0), 0);
  }
  // 32 connections that send their headers one byte at a time, and then nothing.
  for (int i = 0; i < 32; ++i) {
    const int s = open_connection();
    ASSERT_GE(s, 0);
    ASSERT_TRUE(send_all(s, "G"));
  }
  std::this_thread::sleep_for(300ms);
  for (int round = 0; round < 3; ++round) {
    const auto began = Clock::now();
    auto r = client().Get("/api/v1/openapi.json");
    const auto took = ms_since(began);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    // The aim is under 100 ms (it is a few ms here); the bound leaves room for the sanitizer
    // build on a loaded machine. The thread-per-connection server answered nobody for 10 s.
    EXPECT_LT(took, 1000) << "answered in " << took << " ms";
    std::printf("answered beside 332 idle or slow connections in %lld ms\n",
                static_cast<long long>(took));
  }
}

TEST_F(HttpTransport, AChunkedBodyIsRefusedAtTheLimitWhileItIsRead) {
  ASSERT_NO_FATAL_FAILURE(start());  // max_body_bytes: 1 MiB
  const std::int64_t before = resident_bytes();
  const int s = open_connection();
  ASSERT_GE(s, 0);
  ASSERT_TRUE(send_all(s,
                       "POST /api/v1/session HTTP/1.1\r\nHost: octroi\r\n"
                       "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
  // 64 MiB in chunks of 64 KiB, for as long as the server reads them.
  const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
  std::string answer;
  std::int64_t sent = 0;
  char buf[4096];
  for (int i = 0; i < 1024; ++i) {
    pollfd p{s, POLLIN | POLLOUT, 0};
    if (::poll(&p, 1, 1000) <= 0) break;
    if (p.revents & POLLIN) {
      const ssize_t n = ::recv(s, buf, sizeof buf, 0);
      if (n > 0) answer.append(buf, static_cast<std::size_t>(n));
      break;
    }
    if (!send_all(s, chunk)) break;
    sent += 0x10000;
  }
  answer += read_until_closed(s, 5s);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 300);
  EXPECT_NE(answer.find("request.too_large"), std::string::npos);
  // The server stopped reading long before the end (socket buffers hold a few MiB at most).
  EXPECT_LT(sent, 32LL << 20) << sent << " bytes sent";
  const std::int64_t growth = resident_bytes() - before;
  EXPECT_LT(growth, 64LL << 20) << "resident memory grew by " << growth << " bytes";
  // The server goes on.
  auto r = client().Get("/api/v1/openapi.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpTransport, AChunkedBodyWithinTheLimitIsServed) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string body = R"({"login": "personne", "password": "pas-le-bon"})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  const std::string answer =
      raw_exchange(port_,
                   "POST /api/v1/session HTTP/1.1\r\nHost: octroi\r\nConnection: close\r\n"
                   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                       std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n");
  // Read whole and judged by the API: wrong credentials, not a transport refusal.
  EXPECT_EQ(answer.rfind("HTTP/1.1 401", 0), 0u) << answer.substr(0, 300);
}

TEST_F(HttpTransport, AnUploadMayBeLargerThanOtherBodiesAndIsBoundedToo) {
  ASSERT_NO_FATAL_FAILURE(start());  // max_body_bytes 1 MiB, max_upload_bytes 34 MiB
  const std::string body(2 << 20, 'x');
  auto post = [&](const std::string& target, std::size_t length, const std::string& bytes) {
    return raw_exchange(port_, "POST " + target +
                                   " HTTP/1.1\r\nHost: octroi\r\nConnection: close\r\n"
                                   "Content-Type: text/csv\r\nContent-Length: " +
                                   std::to_string(length) + "\r\n\r\n" + bytes);
  };
  // 2 MiB to the import route: read whole and judged by the API (no credentials).
  const std::string upload = post("/api/v1/imports?file=a.csv", body.size(), body);
  EXPECT_EQ(upload.rfind("HTTP/1.1 401", 0), 0u) << upload.substr(0, 300);
  // The same announced to any other route: beyond its 1 MiB, refused on the headers (the body
  // is not sent: the server closes without reading it).
  const std::string other = post("/api/v1/parties", body.size(), "");
  EXPECT_EQ(other.rfind("HTTP/1.1 413", 0), 0u) << other.substr(0, 300);
  // 40 MiB announced to the import route: refused on the headers, before any byte of it.
  const std::string huge = post("/api/v1/imports?file=a.csv", 40u << 20, "");
  EXPECT_EQ(huge.rfind("HTTP/1.1 413", 0), 0u) << huge.substr(0, 300);
  EXPECT_NE(huge.find("35651584 octets"), std::string::npos) << huge;
}

// Uploads may be large and are read before anyone is authenticated: at most max_uploads at
// once, the next one refused at once (503) until a slot is free.
TEST_F(HttpTransport, UploadsBeyondTheirNumberAreRefusedUntilOneEnds) {
  octroi::http::ServerOptions options;
  options.max_uploads = 1;
  ASSERT_NO_FATAL_FAILURE(start(options));
  const int holding = open_connection();
  ASSERT_GE(holding, 0);
  ASSERT_TRUE(send_all(holding,
                       "POST /api/v1/imports?file=a.csv HTTP/1.1\r\nHost: octroi\r\n"
                       "Content-Type: text/csv\r\nContent-Length: 2000000\r\n\r\nnom,montant\n"));
  std::this_thread::sleep_for(200ms);  // its headers are read: it holds the only slot
  auto post = [&] {
    const std::string body = "nom,montant\n";
    return raw_exchange(port_,
                        "POST /api/v1/imports?file=b.csv HTTP/1.1\r\nHost: octroi\r\n"
                        "Connection: close\r\nContent-Type: text/csv\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body);
  };
  const std::string refused = post();
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused.substr(0, 300);
  EXPECT_NE(refused.find("server.busy"), std::string::npos);
  // Other requests are not concerned.
  auto r = client().Get("/api/v1/openapi.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  ::shutdown(holding, SHUT_RDWR);  // the upload goes away, its slot with it
  std::string after;
  for (int i = 0; i < 50; ++i) {
    after = post();
    if (after.rfind("HTTP/1.1 503", 0) != 0) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(after.rfind("HTTP/1.1 401", 0), 0u) << after.substr(0, 300);  // read, then judged
}

TEST_F(HttpTransport, HeadersThatNeverEndAreClosedAtTheHeaderDeadline) {
  octroi::http::ServerOptions options;
  options.header_timeout_s = 1;
  ASSERT_NO_FATAL_FAILURE(start(options));
  // One byte every 200 ms: each byte is on time, the headers as a whole are not.
  const int s = open_connection();
  ASSERT_GE(s, 0);
  const auto began = Clock::now();
  const std::string request = "GET /api/v1/openapi.json HTTP/1.1\r\nHost: octroi\r\nX-Slow: ";
  bool closed = false;
  for (std::size_t i = 0; ms_since(began) < 5000; ++i) {
    if (!send_all(s, std::string(1, request[i % request.size()]))) {
      closed = true;
      break;
    }
    pollfd p{s, POLLIN, 0};
    if (::poll(&p, 1, 200) > 0 && ::recv(s, buf_, sizeof buf_, 0) <= 0) {
      closed = true;
      break;
    }
  }
  const auto took = ms_since(began);
  EXPECT_TRUE(closed);
  EXPECT_GE(took, 900);
  EXPECT_LT(took, 4000) << "closed after " << took << " ms";
}

TEST_F(HttpTransport, ConnectionsBeyondTheCapsGetA503) {
  octroi::http::ServerOptions options;
  options.max_connections = 3;
  ASSERT_NO_FATAL_FAILURE(start(options));
  std::this_thread::sleep_for(200ms);  // start()'s own connection is closed by now
  for (int i = 0; i < 3; ++i)
    ASSERT_GE(open_connection(), 0);
  std::this_thread::sleep_for(200ms);
  const std::string answer = raw_exchange(port_, kGet);
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer.substr(0, 300);
  EXPECT_NE(answer.find("server.busy"), std::string::npos);
  // One closes: the next one is served.
  ::close(sockets_.back());
  sockets_.pop_back();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(raw_exchange(port_,
                         "GET /api/v1/openapi.json HTTP/1.1\r\nHost: octroi\r\n"
                         "Connection: close\r\n\r\n")
                .rfind("HTTP/1.1 200", 0),
            0u);
}

TEST_F(HttpTransport, ConnectionsBeyondThePerAddressCapGetA503) {
  octroi::http::ServerOptions options;
  options.max_connections_per_address = 2;
  ASSERT_NO_FATAL_FAILURE(start(options));
  std::this_thread::sleep_for(200ms);
  for (int i = 0; i < 2; ++i)
    ASSERT_GE(open_connection(), 0);
  std::this_thread::sleep_for(200ms);
  const std::string answer = raw_exchange(port_, kGet);
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer.substr(0, 300);
  EXPECT_NE(answer.find("server.busy"), std::string::npos);
}

TEST_F(HttpTransport, HeadersBeyondTheirLimitGetA431) {
  octroi::http::ServerOptions options;
  options.max_header_bytes = 1024;
  ASSERT_NO_FATAL_FAILURE(start(options));
  const std::string answer =
      raw_exchange(port_, "GET /api/v1/openapi.json HTTP/1.1\r\nHost: octroi\r\nX-Filler: " +
                              std::string(2000, 'x') + "\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 431", 0), 0u) << answer.substr(0, 300);
  EXPECT_NE(answer.find("request.header_too_large"), std::string::npos);
  // Within the limit, the same request is served.
  EXPECT_EQ(raw_exchange(port_,
                         "GET /api/v1/openapi.json HTTP/1.1\r\nHost: octroi\r\n"
                         "Connection: close\r\nX-Filler: " +
                             std::string(500, 'x') + "\r\n\r\n")
                .rfind("HTTP/1.1 200", 0),
            0u);
}

TEST_F(HttpTransport, AMultipartBodyThatIsNotWholeIsA400AndNothingIsRead) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\nadmin\r\n";
  const std::string answer =
      raw_exchange(port_,
                   "POST /api/v1/session HTTP/1.1\r\nHost: octroi\r\nConnection: close\r\n"
                   "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer.substr(0, 300);
  EXPECT_NE(answer.find("request.malformed"), std::string::npos) << answer;
}

TEST_F(HttpTransport, ExpectContinueIsAnsweredBeforeTheBodyIsSent) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string body = R"({"login": "personne", "password": "pas-le-bon"})";
  const int s = open_connection();
  ASSERT_GE(s, 0);
  ASSERT_TRUE(send_all(s,
                       "POST /api/v1/session HTTP/1.1\r\nHost: octroi\r\nConnection: close\r\n"
                       "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                       "Content-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n"));
  pollfd p{s, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1) << "no 100 Continue";
  const ssize_t n = ::recv(s, buf_, sizeof buf_, 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf_, static_cast<std::size_t>(n)).rfind("HTTP/1.1 100 Continue", 0), 0u);
  ASSERT_TRUE(send_all(s, body));
  const std::string answer = read_until_closed(s, 5s);
  EXPECT_EQ(answer.rfind("HTTP/1.1 401", 0), 0u) << answer.substr(0, 300);
}

TEST_F(HttpTransport, HeadAnswersTheHeadersOfAGetWithoutItsBody) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string get = raw_exchange(
      port_, "GET /api/v1/openapi.json HTTP/1.1\r\nHost: octroi\r\nConnection: close\r\n\r\n");
  const std::string head = raw_exchange(
      port_, "HEAD /api/v1/openapi.json HTTP/1.1\r\nHost: octroi\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head.substr(0, 300);
  const auto end = head.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(head.size(), end + 4) << "a HEAD answer has no body";
  const auto length = [](const std::string& a) {
    const auto at = a.find("Content-Length: ");
    return at == std::string::npos ? std::string()
                                   : a.substr(at + 16, a.find("\r\n", at) - at - 16);
  };
  EXPECT_FALSE(length(head).empty());
  EXPECT_EQ(length(head), length(get));
}

}  // namespace
}  // namespace octroi_test
