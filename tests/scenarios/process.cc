#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace octroi_scenario {
namespace {

// A file descriptor closed at scope exit.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read, write;
};

bool make_pipe(Pipe& p) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  p.read.reset(fds[0]);
  p.write.reset(fds[1]);
  return true;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::vector<std::string> environment_with(const std::vector<std::string>& drop,
                                          const std::vector<std::string>& add) {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    bool dropped = false;
    for (const auto& d : drop)
      dropped = dropped || d == name;
    for (const auto& a : add)
      dropped = dropped || a.substr(0, a.find('=')) == name;
    if (!dropped) out.push_back(entry);
  }
  out.insert(out.end(), add.begin(), add.end());
  return out;
}

ProcessResult run_process(const std::vector<std::string>& argv_in,
                          const std::vector<std::string>& env_in,
                          std::chrono::milliseconds timeout) {
  ProcessResult r;
  // Everything the child uses is prepared before fork(): after it, only async-signal-safe calls.
  std::vector<std::string> argv_s = argv_in, env_s = env_in;
  std::vector<char*> argv = pointers(argv_s), envp = pointers(env_s);
  if (argv_s.empty()) {
    r.error = "no program to run";
    return r;
  }
  Pipe out, err, exec_status;
  Fd devnull(open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!make_pipe(out) || !make_pipe(err) || !make_pipe(exec_status) || devnull.get() < 0) {
    r.error = std::string("pipe/open: ") + std::strerror(errno);
    return r;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    r.error = std::string("fork: ") + std::strerror(errno);
    return r;
  }
  if (pid == 0) {
    // dup2 clears FD_CLOEXEC on the new descriptors; every other descriptor closes on exec.
    if (dup2(devnull.get(), STDIN_FILENO) < 0 || dup2(out.write.get(), STDOUT_FILENO) < 0 ||
        dup2(err.write.get(), STDERR_FILENO) < 0)
      _exit(127);
    execve(argv[0], argv.data(), envp.data());
    const int e = errno;
    if (write(exec_status.write.get(), &e, sizeof e) < 0) _exit(127);
    _exit(127);
  }
  out.write.reset();
  err.write.reset();
  exec_status.write.reset();
  devnull.reset();

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[16384];
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    const int ready = poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      r.error = std::string("poll: ") + std::strerror(errno);
      kill(pid, SIGKILL);
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;  // the Pipe closes it
        --open_fds;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  int exec_errno = 0;
  if (read(exec_status.read.get(), &exec_errno, sizeof exec_errno) ==
      static_cast<ssize_t>(sizeof exec_errno)) {
    r.error = "cannot execute " + argv_s.front() + ": " + std::strerror(exec_errno);
    r.status = -1;
    return r;
  }
  if (WIFEXITED(status)) {
    r.status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
    r.status = 128 + r.signal;
  }
  return r;
}

}  // namespace octroi_scenario
