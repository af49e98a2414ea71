// The HTTP server (`octroi serve`): cpp-httplib behind this one wrapper, every limit set
// explicitly rather than left to the library (ENGINEERING.md rules 7 and 8):
//   threads            worker threads (cpp-httplib's pool), so at most that many requests run
//   keep_alive_*       requests per connection and idle seconds before it closes
//   read/write timeout seconds a slow client may hold a worker
//   max_body_bytes     larger bodies get 413 before any handler runs
//   TCP_NODELAY        on (off by default, it adds up to 40 ms per response)
// Each request is written to `access_log` as one JSON line (time, method, path without the
// query, status, duration, bytes, client address).
// stop() (from another thread, e.g. on SIGTERM) stops accepting, lets running requests finish
// and makes run() return.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>

#include "adapters/http/api.h"

namespace octroi::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests), see Server::port()
  int threads = 8;
  int keep_alive_max_requests = 1000;
  int keep_alive_timeout_s = 5;
  int read_timeout_s = 5;
  int write_timeout_s = 10;
  std::size_t max_body_bytes = 1024 * 1024;
};

class Server {
 public:
  Server(Api& api, ServerOptions options, std::ostream* access_log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the address; false (with the reason in `error`) if it cannot.
  bool bind(std::string& error);
  int port() const;
  // Serves until stop(). REQUIRES: bind() succeeded.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "127.0.0.1:8080" -> host and port; false if malformed.
bool parse_listen(const std::string& listen, std::string& host, int& port);

}  // namespace octroi::http
