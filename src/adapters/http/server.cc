// The transport: Boost.Beast over Boost.Asio (Debian's libboost1.74-dev), event-driven. An open
// connection is a small object on the event loop, not a thread: reading headers and bodies,
// waiting for the next keep-alive request and writing responses are asynchronous operations
// with deadlines. Only a complete, bounded request reaches a worker of the handler pool (the
// use cases block on the database); its response is written back by the event loop. Why Beast
// rather than libmicrohttpd: docs/ARCHITECTURE.md, "The transport".
#include "adapters/http/server.h"

#include <sys/resource.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "adapters/http/request_decode.h"
#include "domain/text.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <list>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace octroi::http {

bool is_upload_path(const std::vector<std::string>& patterns, std::string_view path) {
  const auto segments = [](std::string_view p) {
    std::vector<std::string_view> out;
    std::size_t at = 0;
    while (at <= p.size()) {
      const auto end = std::min(p.find('/', at), p.size());
      out.push_back(p.substr(at, end - at));
      at = end + 1;
    }
    return out;
  };
  const auto have = segments(path);
  for (const auto& pattern : patterns) {
    const auto want = segments(pattern);
    if (want.size() != have.size()) continue;
    bool same = true;
    for (std::size_t i = 0; same && i < want.size(); ++i) {
      const bool any = want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}';
      same = any ? !have[i].empty() : want[i] == have[i];
    }
    if (same) return true;
  }
  return false;
}
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

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

std::string lower(std::string s) {
  for (auto& ch : s)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

using BeastRequest = bhttp::request<bhttp::string_body>;

// An address as text in one canonical form (an IPv4-mapped IPv6 address as IPv4); "" if `text`
// is not an address.
std::string canonical_address(std::string_view text) {
  beast::error_code ec;
  auto a = net::ip::make_address(std::string(text), ec);
  if (ec) return "";
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    a = net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6());
  return a.to_string();
}

// The last entry of the last X-Forwarded-For field (the address the proxy itself saw and
// appended: the entries before it are what the client claimed); "" if absent or not an address.
std::string forwarded_client(const BeastRequest& req) {
  std::string_view last;
  for (const auto& f : req)
    if (beast::iequals(f.name_string(), "x-forwarded-for"))
      last = std::string_view(f.value().data(), f.value().size());
  const auto comma = last.rfind(',');
  std::string_view entry = comma == std::string_view::npos ? last : last.substr(comma + 1);
  while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t'))
    entry.remove_prefix(1);
  while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t'))
    entry.remove_suffix(1);
  return entry.empty() ? "" : canonical_address(entry);
}

// The router's request from Beast's; false when a multipart body is not well-formed. `remote`
// is the client address (the peer's, or what a trusted proxy forwarded).
bool to_request(const BeastRequest& req, const std::string& remote, HttpRequest& r) {
  r.method = std::string(req.method_string());
  const std::string_view target(req.target().data(), req.target().size());
  const auto q = target.find('?');
  r.path = percent_decode(target.substr(0, q), false);
  if (q != std::string_view::npos) parse_query(target.substr(q + 1), r.query);
  for (const auto& f : req)
    r.headers.emplace(lower(std::string(f.name_string())), std::string(f.value()));
  const std::string type = lower(r.header("content-type"));
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    parse_query(req.body(), r.query);
  } else if (type.rfind("multipart/form-data", 0) == 0) {
    if (!parse_multipart(r.header("content-type"), req.body(), r.query, r.files)) return false;
  }
  r.body = req.body();
  r.remote_addr = remote;
  return true;
}

}  // namespace

bool is_ip_address(const std::string& text) {
  return !canonical_address(text).empty();
}

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

class Connection;

struct Server::Impl {
  Api& api;
  ServerOptions options;
  std::ostream* log;
  std::mutex log_mu;
  // Declared before the event loop, so destroyed after it: a connection the loop still held
  // would unregister itself here.
  std::mutex conn_mu;  // guards the three below
  std::list<std::weak_ptr<Connection>> connections;
  std::unordered_map<std::string, std::size_t> per_address;
  std::size_t open = 0;
  std::atomic<std::size_t> uploads{0};  // requests to an upload path being read or handled

  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::thread_pool workers;
  int bound_port = 0;

  std::vector<std::string> trusted;  // options.trusted_proxies, canonical

  std::mutex state_mu;
  bool stopping = false, running = false;
  std::atomic<bool> closing{false};

  Impl(Api& a, ServerOptions o, std::ostream* l)
      : api(a),
        options(std::move(o)),
        log(l),
        workers(static_cast<std::size_t>(std::max(1, options.threads))) {
    for (const auto& p : options.trusted_proxies)
      if (auto c = canonical_address(p); !c.empty()) trusted.push_back(c);
  }

  bool is_trusted(const std::string& peer) const {
    const std::string a = canonical_address(peer);
    return !a.empty() && std::find(trusted.begin(), trusted.end(), a) != trusted.end();
  }

  void accept();
  void access(const std::string& method, const std::string& path, int status,
              Clock::time_point started, std::size_t bytes, const std::string& remote);
};

// One client connection: reads a request (header deadline, then the rest of the request
// deadline, body limit whatever the framing), hands it to a worker, writes the answer, then
// waits for the next one (idle deadline) or closes.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server::Impl& server, tcp::socket socket, std::string remote, bool admitted)
      : s_(server),
        stream_(std::move(socket)),
        remote_(std::move(remote)),
        admitted_(admitted),
        trusted_peer_(s_.is_trusted(remote_)) {}

  ~Connection() {
    release_upload();
    if (!admitted_) return;
    std::lock_guard<std::mutex> lock(s_.conn_mu);
    --s_.open;
    if (--s_.per_address[remote_] == 0) s_.per_address.erase(remote_);
  }

  void start() {
    if (!admitted_) {
      refuse_and_close(503, "server.busy",
                       "Le serveur a atteint son nombre de connexions ouvertes : réessayez dans "
                       "un instant.");
      return;
    }
    wait_for_request(true);
  }

  // From stop(): a connection that is not serving a request closes now.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->handling_) self->shut();
    });
  }

 private:
  const ServerOptions& o() const { return s_.options; }

  void wait_for_request(bool first) {
    handling_ = false;
    if (s_.closing) return shut();
    if (buffer_.size() > 0) return read_header(Clock::now());  // pipelined: already here
    // The first request's header deadline runs from the connection; a keep-alive connection
    // may then stay idle keep_alive_timeout_s before the next request's first byte.
    const auto began = Clock::now();
    if (first)
      stream_.expires_at(began + std::chrono::seconds(o().header_timeout_s));
    else
      stream_.expires_after(std::chrono::seconds(o().keep_alive_timeout_s));
    auto room = buffer_.prepare(4096);
    stream_.async_read_some(
        room, [self = shared_from_this(), first, began](beast::error_code ec, std::size_t n) {
          if (ec) return self->shut();
          self->buffer_.commit(n);
          self->read_header(first ? began : Clock::now());
        });
  }

  // An upload's slot (ServerOptions::max_uploads) is held from its headers to the next request
  // of the connection or its end: its body may be large, and is held while it is handled.
  void release_upload() {
    if (upload_slot_) --s_.uploads;
    upload_slot_ = false;
  }

  void read_header(Clock::time_point began) {
    release_upload();
    started_ = began;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(o().max_header_bytes));
    // The largest limit until the request line says which applies (read_body).
    body_limit_ = std::max(o().max_body_bytes, o().max_upload_bytes);
    parser_->body_limit(static_cast<std::uint64_t>(body_limit_));
    stream_.expires_at(began + std::chrono::seconds(o().header_timeout_s));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec) return self->read_failed(ec, false);
                               self->read_body();
                             });
  }

  void read_body() {
    const auto deadline = started_ + std::chrono::seconds(o().request_timeout_s);
    stream_.expires_at(deadline);
    const auto& req = parser_->get();
    if (req.version() != 10 && req.version() != 11) {
      note_request();
      return refuse_and_close(400, "request.malformed",
                              "Version HTTP non prise en charge : HTTP/1.0 ou HTTP/1.1.");
    }
    // Uploads (a POST to one of upload_paths) may carry up to max_upload_bytes, every other
    // request max_body_bytes: a Content-Length above is refused now, a chunked body as soon as
    // its chunks pass the limit.
    const std::string_view target(req.target().data(), req.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    const bool upload = req.method() == bhttp::verb::post && is_upload_path(o().upload_paths, path);
    body_limit_ = upload ? o().max_upload_bytes : o().max_body_bytes;
    if (upload) {
      // Before any byte of a large body is read (and before anyone is authenticated): at most
      // max_uploads at once, so that uploads cannot take the server's memory.
      if (++s_.uploads > o().max_uploads) {
        --s_.uploads;
        note_request();
        return refuse_and_close(503, "server.busy",
                                "Trop d'imports de fichiers en cours : réessayez dans un instant.");
      }
      upload_slot_ = true;
    }
    if (const auto length = parser_->content_length(); length && *length > body_limit_) {
      note_request();
      return refuse_and_close(
          413, "request.too_large",
          "Le corps de la requête dépasse " + std::to_string(body_limit_) + " octets.");
    }
    parser_->body_limit(static_cast<std::uint64_t>(body_limit_));
    if (!parser_->is_done() && lower(std::string(req[bhttp::field::expect])) == "100-continue") {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue),
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return self->shut();
                         self->read_rest();
                       });
      return;
    }
    read_rest();
  }

  void read_rest() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->read_failed(ec, true);
                        self->dispatch();
                      });
  }

  // A request that could not be read whole: say why when the client can still hear it, and
  // close (its remaining bytes are never read).
  void read_failed(beast::error_code ec, bool header_done) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted)
      return shut();
    // The request line may be in even when the headers are not (a Content-Length above the
    // limit is refused as soon as it is read): the access log names what was asked.
    if (header_done || !parser_->get().method_string().empty()) note_request();
    // At a deadline Beast's stream has already closed the socket: nothing can be answered.
    if (ec == beast::error::timeout) return shut();
    if (ec == bhttp::error::body_limit)
      return refuse_and_close(
          413, "request.too_large",
          "Le corps de la requête dépasse " + std::to_string(body_limit_) + " octets.");
    if (ec == bhttp::error::header_limit)
      return refuse_and_close(431, "request.header_too_large",
                              "Les en-têtes de la requête dépassent " +
                                  std::to_string(o().max_header_bytes) + " octets.");
    refuse_and_close(400, "request.malformed", "Requête HTTP invalide.");
  }

  void note_request() {
    const auto& req = parser_->get();
    method_ = std::string(req.method_string());
    const std::string_view target(req.target().data(), req.target().size());
    path_ = percent_decode(target.substr(0, target.find('?')), false);
  }

  void refuse_and_close(int status, const std::string& code, const std::string& message) {
    handling_ = true;
    HttpResponse p = problem_response(refuse(code, "body", message), status);
    p.headers.emplace_back("Connection", "close");
    keep_alive_ = false;
    write(std::move(p), false);
  }

  void dispatch() {
    note_request();
    auto req = std::make_shared<BeastRequest>(parser_->release());
    const bool head = req->method() == bhttp::verb::head;
    keep_alive_ = req->keep_alive() && ++served_ < o().keep_alive_max_requests && !s_.closing;
    handling_ = true;
    // The event loop must not run out of work (and run() return) while a worker handles this.
    auto guard = net::make_work_guard(s_.ioc);
    net::post(s_.workers, [self = shared_from_this(), req, head, guard] {
      HttpRequest r;
      HttpResponse out;
      if (!self->to_router(*req, r, head)) {
        out = problem_response(
            refuse("request.malformed", "body", "Corps multipart/form-data mal formé."), 400);
      } else {
        out = self->s_.api.handle(r);
      }
      net::post(self->stream_.get_executor(), [self, out = std::move(out), head]() mutable {
        self->write(std::move(out), head);
      });
    });
  }

  bool to_router(const BeastRequest& req, HttpRequest& r, bool head) {
    client_ = remote_;
    if (trusted_peer_)
      if (std::string forwarded = forwarded_client(req); !forwarded.empty()) client_ = forwarded;
    if (!to_request(req, client_, r)) return false;
    if (head) r.method = "GET";  // a HEAD is a GET without its body
    return true;
  }

  void write(HttpResponse out, bool head) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(out.status));
    for (const auto& [k, v] : out.headers)
      res->insert(k, v);
    res->set("X-Content-Type-Options", "nosniff");
    // No page's address leaves in a Referer; no browser feature a form does not need.
    res->set("Referrer-Policy", "no-referrer");
    res->set("Permissions-Policy",
             "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()");
    res->set(bhttp::field::cache_control, "no-store");
    if (!out.content_type.empty()) res->set(bhttp::field::content_type, out.content_type);
    const std::size_t bytes = out.body.size();
    res->keep_alive(keep_alive_);
    if (head) {
      res->content_length(bytes);
    } else {
      res->body() = std::move(out.body);
      res->prepare_payload();
    }
    s_.access(method_, path_, out.status, started_, bytes, client_.empty() ? remote_ : client_);
    stream_.expires_after(std::chrono::seconds(o().write_timeout_s));
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                         if (ec || !self->keep_alive_) return self->shut();
                         self->wait_for_request(false);
                       });
  }

  void shut() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  Server::Impl& s_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_, method_, path_;
  std::string client_;  // of the request being served: remote_, or what a trusted proxy forwarded
  bool admitted_;
  bool trusted_peer_;
  bool handling_ = false;  // from a complete request to the end of its answer
  bool keep_alive_ = true;
  int served_ = 0;
  Clock::time_point started_ = Clock::now();
  std::size_t body_limit_ = 0;  // of the request being read (max_body_bytes or max_upload_bytes)
  bool upload_slot_ = false;    // this connection holds one of s_.uploads
};

void Server::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      // Out of descriptors or similar: try again shortly rather than spin.
      auto timer = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(50));
      timer->async_wait([this, timer](beast::error_code) { accept(); });
      return;
    }
    beast::error_code e;
    socket.set_option(tcp::no_delay(true), e);
    const auto endpoint = socket.remote_endpoint(e);
    std::string remote = e ? std::string() : endpoint.address().to_string();
    bool admitted = false;
    std::shared_ptr<Connection> c;
    {
      std::lock_guard<std::mutex> lock(conn_mu);
      auto& mine = per_address[remote];
      admitted = open < options.max_connections && mine < options.max_connections_per_address;
      if (admitted) {
        ++open;
        ++mine;
      } else if (mine == 0) {
        per_address.erase(remote);
      }
      c = std::make_shared<Connection>(*this, std::move(socket), remote, admitted);
      connections.remove_if([](const std::weak_ptr<Connection>& w) { return w.expired(); });
      connections.push_back(c);
    }
    c->start();
    accept();
  });
}

void Server::Impl::access(const std::string& method, const std::string& path, int status,
                          Clock::time_point started, std::size_t bytes, const std::string& remote) {
  if (!log) return;
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  std::lock_guard<std::mutex> lock(log_mu);
  *log << "{\"t_ms\":" << ms.count() << ",\"method\":\"" << json_escape(method) << "\",\"path\":\""
       << json_escape(path) << "\",\"status\":" << status << ",\"us\":" << elapsed.count()
       << ",\"bytes\":" << bytes << ",\"remote\":\"" << json_escape(remote) << "\"}\n";
  log->flush();
}

Server::Server(Api& api, ServerOptions options, std::ostream* access_log)
    : impl_(std::make_unique<Impl>(api, std::move(options), access_log)) {}

Server::~Server() {
  impl_->workers.join();
}

bool Server::bind(std::string& error) {
  auto& o = impl_->options;
  // Each open connection is a descriptor: raise the soft limit (often 1 024) towards the hard
  // one so that max_connections, not the process, bounds them.
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0) {
    const rlim_t wanted = static_cast<rlim_t>(o.max_connections) + 256;
    if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur < wanted) {
      files.rlim_cur = files.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, files.rlim_max);
      ::setrlimit(RLIMIT_NOFILE, &files);
    }
  }
  beast::error_code ec;
  const auto address = net::ip::make_address(o.host == "localhost" ? "127.0.0.1" : o.host, ec);
  if (!ec) {
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
    impl_->acceptor.open(endpoint.protocol(), ec);
    if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) impl_->acceptor.bind(endpoint, ec);
    if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (!ec) impl_->bound_port = impl_->acceptor.local_endpoint(ec).port();
  }
  if (ec) {
    impl_->bound_port = -1;
    error = "impossible d'écouter sur " + o.host + ":" + std::to_string(o.port) + " (" +
            ec.message() + ")";
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
  impl_->accept();
  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->options.io_threads; ++i)
    extra.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : extra)
    t.join();
  impl_->workers.join();
}

void Server::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->state_mu);
    impl_->stopping = true;
    if (!impl_->running) return;
  }
  // Stop accepting; connections waiting for a request close now, those serving one close after
  // their answer; run() returns when none is left (or after the write deadline at worst).
  net::post(impl_->ioc, [impl = impl_.get()] {
    impl->closing = true;
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    std::lock_guard<std::mutex> lock(impl->conn_mu);
    for (auto& w : impl->connections)
      if (auto c = w.lock()) c->close_if_idle();
  });
}

}  // namespace octroi::http
