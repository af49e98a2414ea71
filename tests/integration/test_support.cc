#include "integration/test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "app/ports/parties.h"

extern char** environ;

namespace octroi_test {
namespace {}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/octroi-integ-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data()))
    throw std::runtime_error("mkdtemp(" + templ + "): " + std::strerror(errno));
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string octroi_binary() {
  return OCTROI_BINARY;
}

std::vector<std::string> child_environment(
    const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> out;
  auto overridden = [&](const std::string& entry) {
    const std::string name = entry.substr(0, entry.find('='));
    if (name == "OCTROI_DB" || name == "OCTROI_AUTHORITY") return true;
    for (const auto& [k, v] : env)
      if (k == name) return true;
    return false;
  };
  for (char** e = environ; e && *e; ++e)
    if (!overridden(*e)) out.emplace_back(*e);
  for (const auto& [k, v] : env)
    out.push_back(k + "=" + v);
  return out;
}

ProcessResult run_octroi(const std::vector<std::string>& args,
                         const std::vector<std::pair<std::string, std::string>>& env) {
  // Everything the child needs is built before fork().
  std::vector<std::string> argv_s;
  argv_s.push_back(octroi_binary());
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_s = child_environment(env);
  std::vector<char*> envp;
  for (auto& e : env_s)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0)
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[0]);
    close(err_pipe[1]);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);

  ProcessResult r;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[8192];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    r.status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.status = 128 + WTERMSIG(status);
  }
  return r;
}

// ---- DemoDatabaseTest ------------------------------------------------------------------------

void DemoDatabaseTest::SetUp() {
  database_ = std::make_unique<octroi_testing::TestDatabase>(dir_.path());
  db_ = database_->locator();
  store_ = octroi::stores::open(db_, octroi::stores::OpenMode::Create);
  auto loaded = octroi::run_write(
      *store_, [&](octroi::Transaction& tx) { return octroi::load_demo(tx, "demo", clock_); });
  ASSERT_TRUE(loaded.ok()) << loaded.refusal().describe();
  auto a = octroi::run_read(
      *store_, [&](octroi::Transaction& tx) { return octroi::authority_by_code(tx, "idf"); });
  ASSERT_TRUE(a.ok()) << a.refusal().describe();
  idf_ = a->id;
}

octroi::Context DemoDatabaseTest::context() {
  return octroi::Context{idf_, "test:instructeur", &clock_};
}

octroi::ApplicationView DemoDatabaseTest::show(const std::string& number) {
  auto v = octroi::run_read(
      *store_, [&](octroi::Transaction& tx) { return octroi::show_application(tx, idf_, number); });
  if (!v.ok()) {
    ADD_FAILURE() << "show_application(" << number << ") refused: " << v.refusal().describe();
    throw std::runtime_error("show_application refused");
  }
  return std::move(v).value();
}

std::int64_t DemoDatabaseTest::party_id(const std::string& legal_name) {
  auto parties = octroi::run_read(
      *store_, [&](octroi::Transaction& tx) { return tx.parties().list_parties(idf_); });
  for (const auto& p : parties)
    if (p.legal_name == legal_name) return p.id.value;
  ADD_FAILURE() << "no party named " << legal_name;
  return 0;
}

}  // namespace octroi_test
