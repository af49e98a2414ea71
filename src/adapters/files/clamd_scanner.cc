#include "adapters/files/clamd_scanner.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace octroi::files {
namespace {

using Clock = std::chrono::steady_clock;

// clamd reads chunks of any size up to its StreamMaxLength; 64 KiB keeps each one small.
constexpr std::size_t kChunkBytes = 64 * 1024;
// clamd's replies are a line ("stream: <name> FOUND"); anything longer is not clamd talking.
constexpr std::size_t kMaxReplyBytes = 4096;
// What a detail keeps of a text that came from the other end.
constexpr std::size_t kMaxDetailBytes = 200;

// A socket closed at scope exit.
class Socket {
 public:
  Socket() = default;
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  void reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  int get() const { return fd_; }

 private:
  int fd_ = -1;
};

std::string error_text(int e) {
  char buf[256];
  // The GNU strerror_r (g++ defines _GNU_SOURCE): it returns the text, maybe not in buf.
  return strerror_r(e, buf, sizeof buf);
}

ScanVerdict failed(std::string why) {
  return ScanVerdict{ScanVerdict::Kind::Failed, std::move(why)};
}

// A text from the other end made fit for a detail: printable ASCII, at most kMaxDetailBytes.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, kMaxDetailBytes))
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

// The milliseconds left before `deadline`, for poll(): 0 once it has passed, rounded up before
// (a wait of 0 ms while time is left would spin).
int remaining_ms(Clock::time_point deadline) {
  const auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
}

// Waits until `fd` is ready for `events` (or in error: the next call on it says which) or the
// deadline passes: false then, with errno ETIMEDOUT, or another errno when poll() fails.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, remaining_ms(deadline));
    if (r > 0) return true;
    if (r == 0) {
      errno = ETIMEDOUT;
      return false;
    }
    if (errno != EINTR) return false;
  }
}

// Connects a non-blocking socket to `addr` before the deadline: nullopt, or why not.
std::optional<std::string> connect_to(Socket& s, int family, const sockaddr* addr,
                                      socklen_t addr_len, Clock::time_point deadline) {
  s.reset(::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (s.get() < 0) return "cannot create a socket: " + error_text(errno);
  if (::connect(s.get(), addr, addr_len) == 0) return std::nullopt;
  // EINPROGRESS: a TCP connection under way; EINTR: the connection goes on asynchronously.
  // A Unix socket whose listen queue is full says EAGAIN instead: clamd is overloaded.
  if (errno == EAGAIN) return "clamd is busy (its listen queue is full)";
  if (errno != EINPROGRESS && errno != EINTR) return error_text(errno);
  if (!wait_for(s.get(), POLLOUT, deadline))
    return errno == ETIMEDOUT ? std::string("timed out") : error_text(errno);
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(s.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) return error_text(errno);
  if (err != 0) return error_text(err);
  return std::nullopt;
}

// Sends all of `data` (partial writes resumed, EINTR retried; MSG_NOSIGNAL: a closed connection
// is an EPIPE error here, not a SIGPIPE that kills the process): nullopt, or why not.
std::optional<std::string> send_all(int fd, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (wait_for(fd, POLLOUT, deadline)) continue;
      if (errno == ETIMEDOUT) return "timed out sending the file to clamd";
    }
    return "cannot send the file to clamd: " + error_text(n < 0 ? errno : EPIPE);
  }
  return std::nullopt;
}

void put_length(std::string& frame, std::uint32_t n) {
  frame.push_back(static_cast<char>((n >> 24) & 0xff));
  frame.push_back(static_cast<char>((n >> 16) & 0xff));
  frame.push_back(static_cast<char>((n >> 8) & 0xff));
  frame.push_back(static_cast<char>(n & 0xff));
}

// The INSTREAM exchange up to the reply: the command ('z': replies end with '\0'), the bytes in
// chunks (a 4-byte big-endian length, then the data), a zero-length chunk to end. Each chunk
// is one buffer, length and data together, so that a TCP connection never holds a lone header
// back (Nagle's algorithm) waiting for an acknowledgement.
std::optional<std::string> send_stream(int fd, std::string_view bytes, Clock::time_point deadline) {
  static constexpr char kCommand[] = "zINSTREAM";  // sent with its '\0'
  if (auto e = send_all(fd, std::string_view(kCommand, sizeof kCommand), deadline)) return e;
  std::string frame;
  frame.reserve(4 + kChunkBytes);
  while (!bytes.empty()) {
    const std::string_view chunk = bytes.substr(0, kChunkBytes);
    bytes.remove_prefix(chunk.size());
    frame.clear();
    put_length(frame, static_cast<std::uint32_t>(chunk.size()));
    frame.append(chunk);
    if (auto e = send_all(fd, frame, deadline)) return e;
  }
  frame.clear();
  put_length(frame, 0);
  return send_all(fd, frame, deadline);
}

// clamd's reply, up to its '\0' (the text without it), at most kMaxReplyBytes: nullopt and
// `reply` set, or why not. A reply cut by the end of the connection is taken as it is.
std::optional<std::string> read_reply(int fd, Clock::time_point deadline, long timeout_ms,
                                      std::string& reply) {
  reply.clear();
  char buf[512];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      reply.append(buf, static_cast<std::size_t>(n));
      const auto end = reply.find('\0');
      if (end != std::string::npos && end <= kMaxReplyBytes) {
        reply.resize(end);
        return std::nullopt;
      }
      if (reply.size() > kMaxReplyBytes)
        return "clamd's reply is longer than " + std::to_string(kMaxReplyBytes) + " bytes";
      continue;
    }
    if (n == 0) {
      if (reply.empty()) return "clamd closed the connection without answering";
      return std::nullopt;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (wait_for(fd, POLLIN, deadline)) continue;
      if (errno == ETIMEDOUT)
        return "clamd did not answer within " + std::to_string(timeout_ms) + " ms";
    }
    return "cannot read clamd's reply: " + error_text(errno);
  }
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

ScanVerdict clamd_verdict(std::string_view reply) {
  while (!reply.empty() && (reply.back() == '\n' || reply.back() == '\r' || reply.back() == ' '))
    reply.remove_suffix(1);
  constexpr std::string_view kStream = "stream: ", kFound = " FOUND", kError = " ERROR";
  if (reply == "stream: OK") return ScanVerdict{ScanVerdict::Kind::Clean, ""};
  if (reply.starts_with(kStream) && reply.ends_with(kFound) &&
      reply.size() > kStream.size() + kFound.size()) {
    const std::string_view sig =
        reply.substr(kStream.size(), reply.size() - kStream.size() - kFound.size());
    return ScanVerdict{ScanVerdict::Kind::Infected, printable(sig)};
  }
  if (reply.ends_with(kError)) {
    reply.remove_suffix(kError.size());
    if (reply.starts_with(kStream)) reply.remove_prefix(kStream.size());
    return failed("clamd: " + printable(reply));
  }
  if (reply.empty()) return failed("clamd gave an empty reply");
  return failed("unexpected reply from clamd: " + printable(reply));
}

ClamdScanner::ClamdScanner(std::string address, long timeout_ms)
    : address_(std::move(address)), timeout_(timeout_ms) {
  if (timeout_ms <= 0) throw std::invalid_argument("clamd: the timeout must be positive");
  if (address_.starts_with('/')) {
    if (address_.size() >= sizeof(sockaddr_un{}.sun_path))
      throw std::invalid_argument("clamd: the socket path is too long: " + address_);
    unix_path_ = address_;
    return;
  }
  // "host:port", the host of an IPv6 address in brackets ("[::1]:3310").
  const auto colon = address_.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw std::invalid_argument("clamd: neither a socket path nor host:port: " + address_);
  host_ = address_.substr(0, colon);
  port_ = address_.substr(colon + 1);
  if (host_.size() > 2 && host_.front() == '[' && host_.back() == ']')
    host_ = host_.substr(1, host_.size() - 2);
  if (!all_digits(port_) || port_.size() > 5 || std::stoi(port_) < 1 || std::stoi(port_) > 65535)
    throw std::invalid_argument("clamd: not a port: " + address_);
  if (host_.find_first_of("[]") != std::string::npos ||
      (host_.find(':') != std::string::npos && address_.front() != '['))
    throw std::invalid_argument("clamd: an IPv6 address goes in brackets: " + address_);
}

ScanVerdict ClamdScanner::scan(std::string_view bytes) {
  const auto deadline = Clock::now() + timeout_;
  Socket s;
  std::optional<std::string> error;
  if (!unix_path_.empty()) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, unix_path_.c_str(), unix_path_.size() + 1);
    error = connect_to(s, AF_UNIX, reinterpret_cast<const sockaddr*>(&addr), sizeof addr, deadline);
  } else {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const int rc = ::getaddrinfo(host_.c_str(), port_.c_str(), &hints, &found);
    if (rc != 0) return failed("cannot resolve " + host_ + ": " + gai_strerror(rc));
    // Each address of the host in turn, while time is left.
    error = "no address";
    for (addrinfo* a = found; a != nullptr && error; a = a->ai_next)
      error = connect_to(s, a->ai_family, a->ai_addr, a->ai_addrlen, deadline);
    ::freeaddrinfo(found);
    if (!error) {
      // Whole chunks are written at once: no small segment to delay.
      const int one = 1;
      ::setsockopt(s.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
  }
  if (error) return failed("cannot connect to clamd at " + address_ + ": " + *error);

  const auto sent = send_stream(s.get(), bytes, deadline);
  // Even when sending failed, clamd may have answered first and closed the connection (its
  // "INSTREAM size limit exceeded"): a reply already there says more than the broken pipe. It
  // never makes the file Clean, though: clamd did not see all of it.
  std::string reply;
  const auto read = read_reply(s.get(), deadline, timeout_.count(), reply);
  if (sent) {
    if (!read) {
      ScanVerdict v = clamd_verdict(reply);
      if (v.kind != ScanVerdict::Kind::Clean) return v;
    }
    return failed(*sent);
  }
  if (read) return failed(*read);
  return clamd_verdict(reply);
}

}  // namespace octroi::files
