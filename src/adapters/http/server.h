// The HTTP server (`octroi serve`): an event-driven transport (Boost.Beast, in server.cc only)
// in front of the router. An open connection costs memory, not a thread; only complete requests
// reach the handler pool. Every limit is explicit, with its unit (ENGINEERING.md rules 7 and 8):
//   threads                      handler workers: requests being handled at once (they block on
//                                the database); requests beyond wait in the queue
//   io_threads                   threads of the event loop (reading, writing, deadlines)
//   max_connections              open connections; beyond, a 503 problem and the connection closes
//   max_connections_per_address  the same, per client address (behind a reverse proxy: raise it)
//   max_header_bytes             request line and headers; beyond, 431
//   max_body_bytes               body, whatever the framing (Content-Length or chunked), checked
//                                while reading: beyond, 413 and the rest is never read
//   max_upload_bytes             the same for a POST to one of upload_paths (file imports)
//   max_uploads                  such uploads read or handled at once; beyond, 503 at once
//   header_timeout_s             from the connection (or the first byte of a keep-alive request)
//                                to the end of the headers; beyond, the connection closes
//   request_timeout_s            from the first byte to the end of the body; beyond, it closes
//                                (Beast's stream closes the socket at a deadline: no answer)
//   keep_alive_timeout_s         idle seconds between two requests of one connection
//   keep_alive_max_requests      requests per connection before it closes
//   write_timeout_s              to write one response
//   trusted_proxies              addresses of reverse proxies (nginx): from these peers only, the
//                                client address is the last entry of X-Forwarded-For (what the
//                                proxy appended); from any other peer the header is ignored
// TCP_NODELAY is on. Each request is written to `access_log` as one JSON line (time, method, path
// without the query, status, duration, bytes, client address). The client address (the login
// throttle's per-address key, the access log) is the socket's peer, or what a trusted proxy
// forwarded; the connection limits count socket peers.
// stop() (from another thread, e.g. on SIGTERM) stops accepting, closes the connections that
// wait, lets running requests finish and makes run() return.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/api.h"

namespace octroi::http {

// Whether `path` is one of `patterns` (upload_paths below).
bool is_upload_path(const std::vector<std::string>& patterns, std::string_view path);

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests), see Server::port()
  int threads = 8;
  int io_threads = 1;
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_address = 512;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_upload_bytes = 34 * 1024 * 1024;  // a 32 MiB file and its form's framing
  // Paths whose POST may carry a file; a `{name}` segment matches any one non-empty segment.
  std::vector<std::string> upload_paths = {"/api/v1/imports",
                                           "/imports",
                                           "/portail/dossiers/{number}/fichiers",
                                           "/portail/dossiers/{number}/messages",
                                           "/api/v1/portal/applications/{number}/files",
                                           "/dossiers/{number}/messages"};
  std::size_t max_uploads = 4;
  int header_timeout_s = 10;
  int request_timeout_s = 60;
  int keep_alive_timeout_s = 5;
  int keep_alive_max_requests = 1000;
  int write_timeout_s = 30;
  std::vector<std::string> trusted_proxies;  // IPv4 or IPv6 addresses (is_ip_address)
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
  friend class Connection;  // server.cc: one open connection
  std::unique_ptr<Impl> impl_;
};

// True for an IPv4 or IPv6 address in numeric form ("127.0.0.1", "::1"), as --trusted-proxy takes.
bool is_ip_address(const std::string& text);

// "127.0.0.1:8080" -> host and port; false if malformed.
bool parse_listen(const std::string& listen, std::string& host, int& port);

}  // namespace octroi::http
