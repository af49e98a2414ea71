#include "adapters/http/server.h"

#include <httplib.h>

#include "domain/text.h"

#include <chrono>
#include <mutex>
#include <thread>

namespace octroi::http {
namespace {

std::string json_escape(const std::string& s) {
  // Not UTF-8 (refused by the API, but logged first): every byte as \u00XX, so that the log
  // stays JSON.
  const bool utf8 = text::is_valid_utf8(s);
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || (!utf8 && c >= 0x80)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// When the request served by this worker thread began (set before routing, read by the logger).
std::chrono::steady_clock::time_point& request_started() {
  thread_local std::chrono::steady_clock::time_point t = std::chrono::steady_clock::now();
  return t;
}

HttpRequest to_request(const httplib::Request& req) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  for (const auto& [k, v] : req.params)
    r.query.emplace(k, v);
  for (const auto& [k, v] : req.headers) {
    std::string name = k;
    for (auto& ch : name)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    r.headers.emplace(name, v);
  }
  for (const auto& [name, part] : req.files) {
    if (part.filename.empty())
      r.query.emplace(name, part.content);
    else
      r.files.emplace(name, part.content);
  }
  r.body = req.body;
  r.remote_addr = req.remote_addr;
  return r;
}

}  // namespace

bool parse_listen(const std::string& listen, std::string& host, int& port) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  const std::string p = listen.substr(colon + 1);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const int n = std::stoi(p);
  if (n > 65535) return false;
  host = listen.substr(0, colon);
  port = n;
  return true;
}

struct Server::Impl {
  Api& api;
  ServerOptions options;
  std::ostream* log;
  std::mutex log_mu;
  httplib::Server server;
  int bound_port = 0;
  std::mutex state_mu;
  bool stopping = false, running = false;

  Impl(Api& a, ServerOptions o, std::ostream* l) : api(a), options(std::move(o)), log(l) {
    const auto threads = static_cast<std::size_t>(options.threads);
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server.set_keep_alive_max_count(static_cast<std::size_t>(options.keep_alive_max_requests));
    server.set_keep_alive_timeout(options.keep_alive_timeout_s);
    server.set_read_timeout(options.read_timeout_s, 0);
    server.set_write_timeout(options.write_timeout_s, 0);
    server.set_payload_max_length(options.max_body_bytes);
    server.set_tcp_nodelay(true);
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      serve(req, res);
    };
    server.Get(".*", handler);
    server.Post(".*", handler);
    server.Put(".*", handler);
    server.Patch(".*", handler);
    server.Delete(".*", handler);
    server.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
      // What cpp-httplib refused before any handler (413 for a large body, 400…).
      if (!res.body.empty()) return;
      const std::string code = res.status == 413 ? "request.too_large" : "request.malformed";
      const auto p = problem_response(
          refuse(code, "body",
                 res.status == 413 ? "Le corps de la requête dépasse " +
                                         std::to_string(options.max_body_bytes) + " octets."
                                   : "Requête HTTP invalide."));
      res.set_content(p.body, p.content_type);
      (void)req;
    });
    server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
      request_started() = std::chrono::steady_clock::now();
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_logger(
        [this](const httplib::Request& req, const httplib::Response& res) { access(req, res); });
  }

  void serve(const httplib::Request& req, httplib::Response& res) {
    const HttpResponse out = api.handle(to_request(req));
    res.status = out.status;
    for (const auto& [k, v] : out.headers)
      res.set_header(k, v);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Cache-Control", "no-store");
    if (!out.content_type.empty()) res.set_content(out.body, out.content_type);
  }

  void access(const httplib::Request& req, const httplib::Response& res) {
    if (!log) return;
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - request_started());
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
    std::lock_guard<std::mutex> lock(log_mu);
    *log << "{\"t_ms\":" << ms.count() << ",\"method\":\"" << json_escape(req.method)
         << "\",\"path\":\"" << json_escape(req.path) << "\",\"status\":" << res.status
         << ",\"us\":" << elapsed.count() << ",\"bytes\":" << res.body.size() << ",\"remote\":\""
         << json_escape(req.remote_addr) << "\"}\n";
    log->flush();
  }
};

Server::Server(Api& api, ServerOptions options, std::ostream* access_log)
    : impl_(std::make_unique<Impl>(api, std::move(options), access_log)) {}

Server::~Server() = default;

bool Server::bind(std::string& error) {
  auto& o = impl_->options;
  if (o.port == 0) {
    impl_->bound_port = impl_->server.bind_to_any_port(o.host);
  } else if (impl_->server.bind_to_port(o.host, o.port)) {
    impl_->bound_port = o.port;
  } else {
    impl_->bound_port = -1;
  }
  if (impl_->bound_port <= 0) {
    error = "impossible d'écouter sur " + o.host + ":" + std::to_string(o.port) +
            " (adresse occupée ou invalide)";
    return false;
  }
  return true;
}

int Server::port() const {
  return impl_->bound_port;
}

void Server::run() {
  {
    std::lock_guard<std::mutex> lock(impl_->state_mu);
    if (impl_->stopping) return;  // stopped before it ran
    impl_->running = true;
  }
  impl_->server.listen_after_bind();
}

void Server::stop() {
  bool running = false;
  {
    std::lock_guard<std::mutex> lock(impl_->state_mu);
    impl_->stopping = true;
    running = impl_->running;
  }
  if (!running) return;
  // run() has begun: wait until cpp-httplib is listening, else its stop() would be lost.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!impl_->server.is_running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->server.stop();
}

}  // namespace octroi::http
