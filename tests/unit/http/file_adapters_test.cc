// The files adapters (adapters/files): the types libmagic sees in a few files; the INSTREAM
// exchange with fake clamd servers written here (on a Unix socket, on TCP), what the scanner
// makes of their replies, silences and absences; and a real clamd when the machine has one, on a
// signature database of our own, then on the system's when there is one.
//
// Nothing here needs a store: the tests run the same under both prefixes.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/files/clamd_scanner.h"
#include "adapters/files/magic_sniffer.h"

extern char** environ;

namespace octroi_test {
namespace {

using namespace std::string_literals;
using octroi::ScanVerdict;
using octroi::files::clamd_verdict;
using octroi::files::ClamdScanner;
using octroi::files::MagicSniffer;
using Clock = std::chrono::steady_clock;

// A fresh directory under /tmp (not $TMPDIR: a Unix socket's path must fit in 108 bytes),
// removed with its content at destruction.
class ScratchDir {
 public:
  ScratchDir() {
    char name[] = "/tmp/octroi-files-XXXXXX";
    if (::mkdtemp(name) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The EICAR test file (68 bytes), put together at run time so that this source does not hold it
// and no scanner flags it.
std::string eicar() {
  return "X5O!P%@AP[4\\PZX5"s + "4(P^)7CC)7}$" + "EICAR-STANDARD-" + "ANTIVIRUS-TEST-" +
         "FILE!$H+H*";
}

std::string text_of(const ScanVerdict& v) {
  static const char* kinds[] = {"Clean", "Infected", "Failed"};
  return std::string(kinds[static_cast<int>(v.kind)]) + " (" + v.detail + ")";
}

// ---- libmagic ----------------------------------------------------------------------------

std::string png_bytes() {
  std::string s = "\x89PNG\r\n\x1a\n"s;
  s += "\0\0\0\x0dIHDR"s;                      // the IHDR chunk: 13 bytes
  s += "\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0"s;  // 1 x 1, 8 bits, RGB
  s += "\x90\x77\x53\xde"s;                    // its CRC
  return s;
}

std::string jpeg_bytes() {
  std::string s = "\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0"s;
  s += "\xff\xdb\0\x43\0"s + std::string(64, '\x01');  // a quantisation table
  s += "\xff\xd9"s;
  return s;
}

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

std::string zip_bytes() {
  // A whole .zip holding "a.txt" ("hello", stored): libmagic wants its central directory too.
  return from_hex(
      "504b030414000000000080a9875d86a61036050000000500000005000000612e74787468656c6c6f"
      "504b0102140314000000000080a9875d86a610360500000005000000050000000000000000000000"
      "800100000000612e747874504b0506000000000100010033000000280000000000");
}

TEST(MagicSniffer, TellsTheTypeFromTheBytes) {
  MagicSniffer sniffer;
  EXPECT_EQ(sniffer.mime_of("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                            "trailer\n<< /Root 1 0 R >>\n%%EOF\n"),
            "application/pdf");
  EXPECT_EQ(sniffer.mime_of(png_bytes()), "image/png");
  EXPECT_EQ(sniffer.mime_of(jpeg_bytes()), "image/jpeg");
  EXPECT_EQ(sniffer.mime_of("hello"), "text/plain");
  EXPECT_EQ(sniffer.mime_of("hello\n"), "text/plain");  // the type alone, no "; charset="
  EXPECT_EQ(sniffer.mime_of(""), "application/x-empty");
  EXPECT_EQ(sniffer.mime_of(std::string_view()), "application/x-empty");
}

TEST(MagicSniffer, ANameSaysNothingOnlyTheBytesDo) {
  MagicSniffer sniffer;
  // What a "facture.pdf" may hold: an executable, a .zip. The sniffer never sees the name.
  const std::string elf = read_file("/proc/self/exe").substr(0, 64 * 1024);
  ASSERT_EQ(elf.substr(0, 4),
            "\x7f"
            "ELF");
  const std::string elf_type = sniffer.mime_of(elf);
  EXPECT_NE(elf_type, "application/pdf");
  EXPECT_TRUE(elf_type.starts_with("application/")) << elf_type;
  EXPECT_EQ(sniffer.mime_of(zip_bytes()), "application/zip");
  // A PDF header after other bytes is not a PDF either.
  EXPECT_NE(sniffer.mime_of("MZ\x90\0 %PDF-1.4\n"s), "application/pdf");
}

TEST(MagicSniffer, ServesSeveralThreadsAtOnce) {
  MagicSniffer sniffer;
  const std::vector<std::pair<std::string, std::string>> files = {
      {"%PDF-1.4\n%%EOF\n", "application/pdf"},
      {png_bytes(), "image/png"},
      {jpeg_bytes(), "image/jpeg"},
      {zip_bytes(), "application/zip"}};
  std::atomic<int> wrong = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const auto& [bytes, type] = files[static_cast<std::size_t>(t + i) % files.size()];
        if (sniffer.mime_of(bytes) != type) ++wrong;
      }
    });
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(wrong, 0);
}

// ---- clamd's replies -----------------------------------------------------------------------

TEST(ClamdVerdict, ReadsClamdsReplies) {
  EXPECT_EQ(clamd_verdict("stream: OK").kind, ScanVerdict::Kind::Clean);
  EXPECT_EQ(clamd_verdict("stream: OK\n").kind, ScanVerdict::Kind::Clean);
  const ScanVerdict found = clamd_verdict("stream: Eicar-Test-Signature FOUND");
  EXPECT_EQ(found.kind, ScanVerdict::Kind::Infected);
  EXPECT_EQ(found.detail, "Eicar-Test-Signature");
  const ScanVerdict limit = clamd_verdict("INSTREAM size limit exceeded. ERROR");
  EXPECT_EQ(limit.kind, ScanVerdict::Kind::Failed);
  EXPECT_EQ(limit.detail, "clamd: INSTREAM size limit exceeded.");
  EXPECT_EQ(clamd_verdict("stream: Can't allocate memory ERROR").kind, ScanVerdict::Kind::Failed);
  EXPECT_EQ(clamd_verdict("").kind, ScanVerdict::Kind::Failed);
  EXPECT_EQ(clamd_verdict("stream:  FOUND").kind, ScanVerdict::Kind::Failed);
  EXPECT_EQ(clamd_verdict("PONG").kind, ScanVerdict::Kind::Failed);
  const ScanVerdict odd = clamd_verdict("stream: OK\x01\x02 maybe"s);
  EXPECT_EQ(odd.kind, ScanVerdict::Kind::Failed);
  EXPECT_EQ(odd.detail, "unexpected reply from clamd: stream: OK?? maybe");
}

TEST(ClamdScanner, TakesASocketPathOrHostAndPort) {
  EXPECT_NO_THROW(ClamdScanner("/run/clamav/clamd.ctl"));
  EXPECT_NO_THROW(ClamdScanner("127.0.0.1:3310"));
  EXPECT_NO_THROW(ClamdScanner("clamav:3310", 1000));
  EXPECT_NO_THROW(ClamdScanner("[::1]:3310"));
  for (const char* bad : {"", "clamd.ctl", "localhost", "localhost:", "localhost:0",
                          "localhost:65536", "localhost:clamd", ":3310", "::1:3310", "[::1]"})
    EXPECT_THROW(ClamdScanner{bad}, std::invalid_argument) << bad;
  EXPECT_THROW(ClamdScanner("/" + std::string(120, 'a')), std::invalid_argument);
  EXPECT_THROW(ClamdScanner("/run/clamav/clamd.ctl", 0), std::invalid_argument);
  EXPECT_EQ(ClamdScanner("/run/clamav/clamd.ctl").name(), "clamd");
}

// ---- fake clamd servers --------------------------------------------------------------------

// A fake clamd: it accepts one connection, reads the INSTREAM exchange (keeping every byte it
// received) and then, as told, answers, answers after the first chunk and hangs up (as clamd
// does past its StreamMaxLength), keeps silent, or never reads at all. Every wait of its own is
// bounded (10 s) or ended by stop(), so a broken scanner fails the test rather than hanging it.
class FakeClamd {
 public:
  enum class Mode { Answer, AnswerEarly, Silent, NeverRead };

  FakeClamd(Mode mode, std::string reply, bool tcp = false)
      : mode_(mode), reply_(std::move(reply)) {
    if (::pipe(stop_) != 0) throw std::runtime_error("pipe failed");
    if (tcp) {
      listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t len = sizeof addr;
      if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
          ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error("cannot bind 127.0.0.1");
      address_ = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    } else {
      address_ = dir_.path() + "/clamd.sock";
      listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", address_.c_str());
      if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("cannot bind " + address_);
    }
    if (::listen(listener_, 4) != 0) throw std::runtime_error("listen failed");
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeClamd() { finish(); }

  const std::string& address() const { return address_; }

  // Stops the fake and returns what it received.
  std::string finish() {
    if (thread_.joinable()) {
      const char c = 's';
      [[maybe_unused]] auto n = ::write(stop_[1], &c, 1);
      thread_.join();
      ::close(listener_);
      ::close(stop_[0]);
      ::close(stop_[1]);
    }
    return received_;
  }

 private:
  // Waits for `fd` to be readable: false when stopped or after 10 s.
  bool wait_readable(int fd) {
    pollfd p[2] = {{fd, POLLIN, 0}, {stop_[0], POLLIN, 0}};
    return ::poll(p, 2, 10000) > 0 && (p[1].revents & POLLIN) == 0;
  }

  bool read_exact(int fd, std::size_t n) {
    char buf[65536];
    while (n > 0) {
      if (!wait_readable(fd)) return false;
      const ssize_t got = ::recv(fd, buf, std::min(n, sizeof buf), 0);
      if (got <= 0) return false;
      received_.append(buf, static_cast<std::size_t>(got));
      n -= static_cast<std::size_t>(got);
    }
    return true;
  }

  // The command, then chunks up to the zero-length one (only the first chunk when `first`).
  bool read_exchange(int fd, bool first) {
    if (!read_exact(fd, 10)) return false;
    for (;;) {
      if (!read_exact(fd, 4)) return false;
      const auto* p = reinterpret_cast<const unsigned char*>(received_.data() + received_.size());
      const std::size_t len = std::size_t{p[-4]} << 24 | std::size_t{p[-3]} << 16 |
                              std::size_t{p[-2]} << 8 | std::size_t{p[-1]};
      if (len == 0) return true;
      if (!read_exact(fd, len)) return false;
      if (first) return true;
    }
  }

  void serve() {
    if (!wait_readable(listener_)) return;
    const int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    if (mode_ != Mode::NeverRead && read_exchange(fd, mode_ == Mode::AnswerEarly) &&
        mode_ != Mode::Silent) {
      [[maybe_unused]] auto n = ::send(fd, reply_.data(), reply_.size(), MSG_NOSIGNAL);
      if (mode_ == Mode::AnswerEarly) {
        ::close(fd);
        return;
      }
    }
    // Until the scanner hangs up (or the test stops the fake).
    char c;
    while (wait_readable(fd) && ::recv(fd, &c, 1, 0) > 0) {
    }
    ::close(fd);
  }

  Mode mode_;
  std::string reply_;
  ScratchDir dir_;
  std::string address_;
  int listener_ = -1;
  int stop_[2] = {-1, -1};
  std::string received_;
  std::thread thread_;
};

// The exchange as the fake received it: the command, each chunk's length, the data.
struct Exchange {
  std::string command;
  std::vector<std::uint32_t> lengths;  // the zero-length last one included
  std::string data;
  std::string after;  // bytes after the zero-length chunk (none expected)
};

Exchange parse_exchange(const std::string& raw) {
  Exchange e;
  e.command = raw.substr(0, 10);
  std::size_t at = e.command.size();
  while (at + 4 <= raw.size()) {
    const auto* p = reinterpret_cast<const unsigned char*>(raw.data() + at);
    const std::uint32_t len = std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 |
                              std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]};
    e.lengths.push_back(len);
    at += 4;
    if (len == 0) break;
    e.data += raw.substr(at, len);
    at += len;
  }
  e.after = raw.substr(std::min(at, raw.size()));
  return e;
}

std::string payload(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    s[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
  return s;
}

TEST(ClamdScanner, StreamsTheBytesInChunksAndReadsOk) {
  FakeClamd fake(FakeClamd::Mode::Answer, "stream: OK\0"s);
  const std::string bytes = payload(150000);
  const ScanVerdict v = ClamdScanner(fake.address(), 5000).scan(bytes);
  EXPECT_EQ(v.kind, ScanVerdict::Kind::Clean) << text_of(v);
  const Exchange e = parse_exchange(fake.finish());
  EXPECT_EQ(e.command, "zINSTREAM\0"s);
  EXPECT_EQ(e.lengths, (std::vector<std::uint32_t>{65536, 65536, 18928, 0}));
  EXPECT_TRUE(e.data == bytes);
  EXPECT_EQ(e.after, "");
}

TEST(ClamdScanner, AnEmptyFileIsTheCommandAndTheLastChunk) {
  FakeClamd fake(FakeClamd::Mode::Answer, "stream: OK\0"s);
  const ScanVerdict v = ClamdScanner(fake.address(), 5000).scan("");
  EXPECT_EQ(v.kind, ScanVerdict::Kind::Clean) << text_of(v);
  EXPECT_EQ(fake.finish(), "zINSTREAM\0\0\0\0\0"s);
}

TEST(ClamdScanner, ReportsTheSignatureFound) {
  FakeClamd fake(FakeClamd::Mode::Answer, "stream: Eicar-Test-Signature FOUND\0"s);
  const ScanVerdict v = ClamdScanner(fake.address(), 5000).scan(eicar());
  EXPECT_EQ(v.kind, ScanVerdict::Kind::Infected) << text_of(v);
  EXPECT_EQ(v.detail, "Eicar-Test-Signature");
  EXPECT_EQ(parse_exchange(fake.finish()).data, eicar());
}

TEST(ClamdScanner, AnErrorOfClamdIsAFailure) {
  FakeClamd fake(FakeClamd::Mode::Answer, "INSTREAM size limit exceeded. ERROR\0"s);
  const ScanVerdict v = ClamdScanner(fake.address(), 5000).scan("hello");
  EXPECT_EQ(v.kind, ScanVerdict::Kind::Failed) << text_of(v);
  EXPECT_EQ(v.detail, "clamd: INSTREAM size limit exceeded.");
}

TEST(ClamdScanner, ClamdsAnswerBeforeTheEndIsKeptOverTheBrokenPipe) {
  // As clamd past its StreamMaxLength: it answers in the middle of the stream and hangs up.
  FakeClamd fake(FakeClamd::Mode::AnswerEarly, "INSTREAM size limit exceeded. ERROR\0"s);
  const ScanVerdict v = ClamdScanner(fake.address(), 5000).scan(payload(4 * 1024 * 1024));
  EXPECT_EQ(v.kind, ScanVerdict::Kind::Failed) << text_of(v);
  EXPECT_EQ(v.detail, "clamd: INSTREAM size limit exceeded.");
}

TEST(ClamdScanner, AnOkBeforeTheEndIsNotClean) {
  FakeClamd fake(FakeClamd::Mode::AnswerEarly, "stream: OK\0"s);
  const ScanVerdict v = ClamdScanner(fake.address(), 5000).scan(payload(4 * 1024 * 1024));
  EXPECT_EQ(v.kind, ScanVerdict::Kind::Failed) << text_of(v);
}

TEST(ClamdScanner, ASilentClamdFailsWithinTheTimeout) {
  FakeClamd fake(FakeClamd::Mode::Silent, "");
  const auto start = Clock::now();
  const ScanVerdict v = ClamdScanner(fake.address(), 300).scan("hello");
  const auto took = Clock::now() - start;
  EXPECT_EQ(v.kind, ScanVerdict::Kind::Failed) << text_of(v);
  EXPECT_EQ(v.detail, "clamd did not answer within 300 ms");
  EXPECT_GE(took, std::chrono::milliseconds(250));
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(ClamdScanner, AClamdThatReadsNothingFailsWithinTheTimeout) {
  FakeClamd fake(FakeClamd::Mode::NeverRead, "");
  const auto start = Clock::now();
  const ScanVerdict v = ClamdScanner(fake.address(), 300).scan(payload(8 * 1024 * 1024));
  EXPECT_EQ(v.kind, ScanVerdict::Kind::Failed) << text_of(v);
  EXPECT_EQ(v.detail, "timed out sending the file to clamd");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
}

TEST(ClamdScanner, AReplyWithoutEndIsRefused) {
  FakeClamd fake(FakeClamd::Mode::Answer, std::string(5000, 'x'));
  const ScanVerdict v = ClamdScanner(fake.address(), 5000).scan("hello");
  EXPECT_EQ(v.kind, ScanVerdict::Kind::Failed) << text_of(v);
  EXPECT_EQ(v.detail, "clamd's reply is longer than 4096 bytes");
}

TEST(ClamdScanner, NobodyListeningIsAFailure) {
  ScratchDir dir;
  const ScanVerdict none = ClamdScanner(dir.path() + "/clamd.sock", 1000).scan("hello");
  EXPECT_EQ(none.kind, ScanVerdict::Kind::Failed) << text_of(none);
  EXPECT_TRUE(none.detail.starts_with("cannot connect to clamd at " + dir.path())) << none.detail;

  // A socket file that nobody listens on any more.
  const std::string path = dir.path() + "/stale.sock";
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(s);
  const ScanVerdict stale = ClamdScanner(path, 1000).scan("hello");
  EXPECT_EQ(stale.kind, ScanVerdict::Kind::Failed) << text_of(stale);
  EXPECT_NE(stale.detail.find("Connection refused"), std::string::npos) << stale.detail;
}

TEST(ClamdScanner, SpeaksTcpToo) {
  FakeClamd fake(FakeClamd::Mode::Answer, "stream: OK\0"s, /*tcp=*/true);
  const std::string bytes = payload(100000);
  const ScanVerdict v = ClamdScanner(fake.address(), 5000).scan(bytes);
  EXPECT_EQ(v.kind, ScanVerdict::Kind::Clean) << text_of(v);
  const std::string address = fake.address();
  const Exchange e = parse_exchange(fake.finish());
  EXPECT_EQ(e.lengths, (std::vector<std::uint32_t>{65536, 34464, 0}));
  EXPECT_TRUE(e.data == bytes);

  // The fake is gone: its port refuses.
  const ScanVerdict refused = ClamdScanner(address, 1000).scan("hello");
  EXPECT_EQ(refused.kind, ScanVerdict::Kind::Failed) << text_of(refused);
}

// ---- a real clamd --------------------------------------------------------------------------

constexpr const char* kClamd = "/usr/sbin/clamd";

// clamd started in the foreground on a configuration of our own (its socket in `dir`), stopped
// at destruction. As root, clamd keeps running as root when the configuration names no User.
class RealClamd {
 public:
  RealClamd(const std::string& dir, const std::string& database_dir,
            const std::string& more_config = "")
      : dir_(dir) {
    socket_ = dir + "/clamd.sock";
    write_file(dir + "/clamd.conf", "LocalSocket " + socket_ +
                                        "\n"
                                        "DatabaseDirectory " +
                                        database_dir +
                                        "\n"
                                        "LogFile " +
                                        dir +
                                        "/clamd.log\n"
                                        "Foreground yes\n" +
                                        more_config);
    const std::string out = dir + "/clamd.out", conf = "--config-file=" + dir + "/clamd.conf";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    char* argv[] = {const_cast<char*>(kClamd), const_cast<char*>(conf.c_str()), nullptr};
    if (::posix_spawn(&pid_, kClamd, &actions, nullptr, argv, environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~RealClamd() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100 && ::waitpid(pid_, nullptr, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (::kill(pid_, 0) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  RealClamd(const RealClamd&) = delete;
  RealClamd& operator=(const RealClamd&) = delete;

  const std::string& socket() const { return socket_; }

  // Waits until clamd answers PING with PONG: false when it exits first or after `limit`.
  bool wait_ready(std::chrono::seconds limit) {
    const auto until = Clock::now() + limit;
    while (pid_ > 0 && Clock::now() < until) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      if (ping()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  std::string output() const {
    return read_file(dir_ + "/clamd.out") + read_file(dir_ + "/clamd.log");
  }

 private:
  bool ping() const {
    const int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_.c_str());
    timeval tv{1, 0};
    ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    char reply[16] = {};
    const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                    ::send(s, "zPING", 6, MSG_NOSIGNAL) == 6 &&
                    ::recv(s, reply, sizeof reply - 1, MSG_WAITALL) > 0 &&
                    std::string(reply) == "PONG";
    ::close(s);
    return ok;
  }

  std::string dir_, socket_;
  pid_t pid_ = -1;
};

// EICAR as a body signature of our own (.ndb: name, any file type, at offset 0, the bytes in
// hexadecimal), so that the test needs no signature mirror.
std::string eicar_ndb() {
  std::string hex;
  static const char* digits = "0123456789abcdef";
  for (unsigned char c : eicar()) {
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return "Octroi-Test-Eicar:0:0:" + hex + "\n";
}

void expect_eicar_found_and_hello_clean(RealClamd& clamd, std::chrono::seconds ready_within,
                                        const std::string& expected_name) {  // lower case
  ASSERT_TRUE(clamd.wait_ready(ready_within)) << "clamd did not start:\n" << clamd.output();
  ClamdScanner scanner(clamd.socket(), 60000);
  const ScanVerdict infected = scanner.scan(eicar());
  EXPECT_EQ(infected.kind, ScanVerdict::Kind::Infected) << text_of(infected);
  std::string detail = infected.detail;
  for (char& c : detail)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(detail.find(expected_name), std::string::npos) << infected.detail;
  const ScanVerdict clean = scanner.scan("hello");
  EXPECT_EQ(clean.kind, ScanVerdict::Kind::Clean) << text_of(clean);
}

TEST(ClamdReal, DetectsEicarWithAScratchSignatureDatabase) {
  if (::access(kClamd, X_OK) != 0)
    GTEST_SKIP() << "no " << kClamd << " (Debian package clamav-daemon: scripts/install-deps.sh)";
  ScratchDir dir;
  const std::string db = dir.path() + "/db";
  std::filesystem::create_directory(db);
  write_file(db + "/octroi-test.ndb", eicar_ndb());
  RealClamd clamd(dir.path(), db, "StreamMaxLength 1M\n");
  // Signatures outside ClamAV's signed databases are reported with ".UNOFFICIAL" appended.
  expect_eicar_found_and_hello_clean(clamd, std::chrono::seconds(20), "octroi-test-eicar");
  // Past its StreamMaxLength (here 1 MiB; 100 MiB by default), clamd answers in the middle of
  // the stream and hangs up.
  const ScanVerdict big = ClamdScanner(clamd.socket(), 60000).scan(payload(2 * 1024 * 1024));
  EXPECT_EQ(big.kind, ScanVerdict::Kind::Failed) << text_of(big);
  EXPECT_EQ(big.detail, "clamd: INSTREAM size limit exceeded.");
}

TEST(ClamdReal, DetectsEicarWithTheSystemSignatures) {
  const std::string db = "/var/lib/clamav";
  bool has_database = false;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(db, ec)) {
    const auto ext = entry.path().extension();
    has_database = has_database || ext == ".cvd" || ext == ".cld";
  }
  if (::access(kClamd, X_OK) != 0 || !has_database)
    GTEST_SKIP() << "no ClamAV signature database in /var/lib/clamav: these machines reach no "
                    "signature mirror (freshclam)";
  ScratchDir dir;
  RealClamd clamd(dir.path(), db);
  // The official databases take a while to load (and about 1 GB of memory).
  expect_eicar_found_and_hello_clean(clamd, std::chrono::seconds(180), "eicar");
}

}  // namespace
}  // namespace octroi_test
