// Running the real `octroi` in the background for the tests that need it serving
// (http_server_test.cc, two_servers_test.cc, write_crash_test.cc): a port that is free, a child
// process whose stdout and stderr are read through pipes, and `octroi serve` as such a child.
// Test code only.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "integration/test_support.h"

extern char** environ;

namespace octroi_test {

// A port that was free a moment ago (bound to port 0, read back, closed).
inline int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(s);
  return port;
}

// `octroi args...` in the background, its stdout and stderr read through pipes.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args) {
    std::vector<std::string> argv_s = {octroi_binary()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s = child_environment();
    std::vector<char*> envp;
    for (auto& e : env_s)
      envp.push_back(e.data());
    envp.push_back(nullptr);
    int out_pipe[2], err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
      const int devnull = open("/dev/null", O_RDONLY);
      if (devnull >= 0) dup2(devnull, STDIN_FILENO);
      dup2(out_pipe[1], STDOUT_FILENO);
      dup2(err_pipe[1], STDERR_FILENO);
      for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
        close(fd);
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_ = out_pipe[0];
    err_ = err_pipe[0];
  }
  ~Child() {
    if (pid_ > 0 && !status_) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    close(out_);
    close(err_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Reads stdout and stderr until stdout contains `needle` (true) or `timeout` passes.
  bool read_until(const std::string& needle, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (out.find(needle) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !pump(static_cast<int>(left.count()))) return false;
    }
    return true;
  }

  // Waits for the exit (reading what is left of the pipes); the exit status, or nullopt.
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      pump(20);
      int status = 0;
      const pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        while (pump(0)) {
        }
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return status_;
      }
    }
    return std::nullopt;
  }

  pid_t pid() const { return pid_; }
  std::string out, err;

 private:
  // One poll of both pipes; false once both are closed or nothing came within `ms`.
  bool pump(int ms) {
    pollfd fds[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
    if (poll(fds, 2, ms) <= 0) return false;
    bool any = false;
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? out : err).append(buf, static_cast<std::size_t>(n));
        any = true;
      }
    }
    return any;
  }

  pid_t pid_ = -1;
  int out_ = -1, err_ = -1;
  std::optional<int> status_;
};

// `octroi serve --db <the test's database>` on a free port of 127.0.0.1, answering.
class ServeProcess {
 public:
  explicit ServeProcess(const std::string& db) : port_(free_port()) {
    child_ = std::make_unique<Child>(std::vector<std::string>{
        "serve", "--db", db, "--listen", "127.0.0.1:" + std::to_string(port_)});
  }
  // Waits for its "octroi sert … http://127.0.0.1:PORT/" line and its first answer.
  ::testing::AssertionResult ready() {
    using namespace std::chrono_literals;
    const std::string url = "http://127.0.0.1:" + std::to_string(port_) + "/";
    if (port_ <= 0 || !child_->read_until(url, 20s))
      return ::testing::AssertionFailure()
             << "no listening line\nstdout: " << child_->out << "\nstderr: " << child_->err;
    auto c = client();
    for (int i = 0; i < 500; ++i) {
      if (auto r = c.Get("/api/v1/openapi.json"); r && r->status == 200)
        return ::testing::AssertionSuccess();
      std::this_thread::sleep_for(10ms);
    }
    return ::testing::AssertionFailure() << "no answer on port " << port_;
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(20);
    return c;
  }
  // SIGTERM, then the exit status (nullopt if it did not exit within 15 s).
  std::optional<int> stop() {
    using namespace std::chrono_literals;
    kill(child_->pid(), SIGTERM);
    return child_->wait(15s);
  }
  int port() const { return port_; }
  const Child& child() const { return *child_; }

 private:
  int port_;
  std::unique_ptr<Child> child_;
};

}  // namespace octroi_test
