// The scenario driver: one GoogleTest test per tests/scenarios/*.scn file, each run with the
// real `octroi` binary against a fresh temporary database (format: tests/scenarios/README.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/db_dump.h"
#include "common/test_store.h"
#include "process.h"
#include "scenario.h"

namespace octroi_scenario {
namespace {

namespace fs = std::filesystem;
using octroi_testing::dump_database;
using octroi_testing::first_difference;

constexpr std::chrono::seconds kCommandTimeout{60};
constexpr std::size_t kShownOutput = 3000;

// A fresh directory (mkdtemp under $TMPDIR, or /tmp), removed with its content at destruction
// unless OCTROI_SCENARIO_KEEP is set (then its path is printed).
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/octroi-scn-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data()))
      throw std::runtime_error("mkdtemp(" + templ + "): " + std::strerror(errno));
    path_ = buf.data();
  }
  ~TempDir() {
    const char* keep = std::getenv("OCTROI_SCENARIO_KEEP");
    if (keep && *keep) {
      std::printf("scenario database kept in %s\n", path_.c_str());
      return;
    }
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// At most kShownOutput bytes, cut on a UTF-8 character boundary.
std::string shown(const std::string& s) {
  if (s.size() <= kShownOutput) return s;
  std::size_t cut = kShownOutput;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
    --cut;
  return s.substr(0, cut) + "\n[… truncated: " + std::to_string(s.size()) + " bytes in all]";
}

std::string block(const char* title, const std::string& s) {
  std::string out = std::string("--- ") + title + " ---\n";
  if (s.empty()) return out + "(empty)\n";
  out += shown(s);
  if (out.back() != '\n') out += '\n';
  return out;
}

std::string describe_run(const Command& c, const ProcessResult& r) {
  std::string out = "command (line " + std::to_string(c.line) + "): $ " + c.source + "\n";
  if (r.timed_out) {
    out += "killed after " + std::to_string(kCommandTimeout.count()) + " s (timeout)\n";
  } else if (r.signal) {
    out += "killed by signal " + std::to_string(r.signal) + " (" + strsignal(r.signal) + ")\n";
  } else {
    out += "exit status " + std::to_string(r.status) + "\n";
  }
  return out + block("stdout", r.out) + block("stderr", r.err);
}

const char* directive_of(Expectation::Kind k) {
  switch (k) {
    case Expectation::Kind::StdoutContains:
      return ">";
    case Expectation::Kind::StdoutLacks:
      return ">!";
    case Expectation::Kind::StderrContains:
      return "2>";
    case Expectation::Kind::Unchanged:
      return "=";
    case Expectation::Kind::Json:
      return "json";
  }
  return "?";
}

class ScenarioRun {
 public:
  explicit ScenarioRun(const Scenario& sc) : sc_(sc) {}

  void run() {
    TempDir dir;
    octroi_testing::TestDatabase database(dir.path());
    db_ = database.locator();
    env_ = environment_with({"OCTROI_DB", "OCTROI_AUTHORITY"}, {"OCTROI_DB=" + db_});
    for (const auto& c : sc_.commands)
      if (!run_command(c)) return;  // the scenario cannot go on
  }

 private:
  void fail(int line, const std::string& message) {
    ADD_FAILURE_AT(sc_.path.c_str(), line) << sc_.path << ":" << line << ": " << message;
  }

  // False if the command could not run to its end (start failure, timeout, dump error).
  bool run_command(const Command& c) {
    std::string before;
    if (c.wants_unchanged) {
      try {
        before = dump_database(db_);
      } catch (const std::exception& e) {
        fail(c.line, "cannot dump the database before the command: " + std::string(e.what()) +
                         "\ncommand: $ " + c.source);
        return false;
      }
    }
    std::vector<std::string> argv{OCTROI_BINARY};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    const ProcessResult r = run_process(argv, env_, kCommandTimeout);
    if (!r.error.empty()) {
      fail(c.line, r.error + "\ncommand: $ " + c.source);
      return false;
    }
    if (r.timed_out) {
      fail(c.line, "timeout\n" + describe_run(c, r));
      return false;
    }
    if (r.status != c.expected_status)
      fail(c.status_line ? c.status_line : c.line,
           "expected exit status " + std::to_string(c.expected_status) +
               (c.status_line ? "" : " (no '?' given)") + ", got " + std::to_string(r.status) +
               "\n" + describe_run(c, r));

    const std::string out = normalise_spaces(r.out);
    const std::string err = normalise_spaces(r.err);
    std::unique_ptr<nlohmann::json> json;
    std::string json_error;
    bool json_parsed = false;
    for (const auto& e : c.expectations) {
      const std::string where = std::string("'") + directive_of(e.kind) + "' ";
      switch (e.kind) {
        case Expectation::Kind::StdoutContains:
          if (out.find(e.text) == std::string::npos)
            fail(e.line,
                 where + "stdout does not contain \"" + e.text + "\"\n" + describe_run(c, r));
          break;
        case Expectation::Kind::StdoutLacks:
          if (out.find(e.text) != std::string::npos)
            fail(e.line, where + "stdout contains \"" + e.text + "\", which it must not\n" +
                             describe_run(c, r));
          break;
        case Expectation::Kind::StderrContains:
          if (err.find(e.text) == std::string::npos)
            fail(e.line,
                 where + "stderr does not contain \"" + e.text + "\"\n" + describe_run(c, r));
          break;
        case Expectation::Kind::Unchanged: {
          std::string after;
          try {
            after = dump_database(db_);
          } catch (const std::exception& ex) {
            fail(e.line, "cannot dump the database after the command: " + std::string(ex.what()) +
                             "\n" + describe_run(c, r));
            return false;
          }
          if (after != before)
            fail(e.line, "'= unchanged' the database changed: " + first_difference(before, after) +
                             "\n" + describe_run(c, r));
          break;
        }
        case Expectation::Kind::Json: {
          if (!json_parsed) {
            json_parsed = true;
            try {
              json = std::make_unique<nlohmann::json>(nlohmann::json::parse(r.out));
            } catch (const nlohmann::json::exception& ex) {
              json_error = ex.what();
            }
          }
          if (!json) {
            fail(e.line, "'json' stdout is not JSON: " + json_error + "\n" + describe_run(c, r));
            break;
          }
          const nlohmann::json::json_pointer ptr(e.text);
          if (!json->contains(ptr)) {
            fail(e.line, "'json' nothing at " + e.text + " (expected " + e.value.dump() + ")\n" +
                             describe_run(c, r));
          } else if (json->at(ptr) != e.value) {
            fail(e.line, "'json' at " + e.text + ": expected " + e.value.dump() + ", got " +
                             json->at(ptr).dump() + "\n" + describe_run(c, r));
          }
          break;
        }
      }
    }
    return true;
  }

  const Scenario& sc_;
  std::string db_;
  std::vector<std::string> env_;
};

class ScenarioTest : public testing::Test {
 public:
  explicit ScenarioTest(std::string path) : path_(std::move(path)) {}
  void TestBody() override {
    Scenario sc;
    try {
      sc = parse_scenario_file(path_);
    } catch (const ParseError& e) {
      // Line 0: the whole file is at fault.
      ADD_FAILURE_AT(path_.c_str(), std::max(e.line, 1))
          << path_ << (e.line > 0 ? ":" + std::to_string(e.line) : std::string())
          << ": not a valid scenario: " << e.what();
      return;
    }
    ScenarioRun(sc).run();
  }

 private:
  std::string path_;
};

class FailingTest : public testing::Test {
 public:
  explicit FailingTest(std::string message) : message_(std::move(message)) {}
  void TestBody() override { ADD_FAILURE() << message_; }

 private:
  std::string message_;
};

std::string test_name(const fs::path& file) {
  std::string name = file.stem().string();
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

void register_scenarios(const std::string& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".scn") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  if (ec || files.empty()) {
    const std::string message = "no *.scn scenario in " + dir + (ec ? ": " + ec.message() : "");
    testing::RegisterTest("Scenario", "directory", nullptr, nullptr, __FILE__, __LINE__,
                          [message]() -> testing::Test* { return new FailingTest(message); });
    return;
  }
  std::map<std::string, std::string> seen;
  for (const auto& f : files) {
    std::string name = test_name(f);
    const std::string path = f.string();
    if (auto it = seen.find(name); it != seen.end()) {
      const std::string message =
          path + " and " + it->second + " give the same test name Scenario." + name;
      name += "_duplicate_name";
      testing::RegisterTest("Scenario", name.c_str(), nullptr, nullptr, path.c_str(), 1,
                            [message]() -> testing::Test* { return new FailingTest(message); });
      continue;
    }
    seen.emplace(name, path);
    testing::RegisterTest("Scenario", name.c_str(), nullptr, nullptr, path.c_str(), 1,
                          [path]() -> testing::Test* { return new ScenarioTest(path); });
  }
}

}  // namespace
}  // namespace octroi_scenario

int main(int argc, char** argv) {
  octroi_testing::take_store_argument(argc, argv);
  testing::InitGoogleTest(&argc, argv);
  // OCTROI_SCENARIO_DIR in the environment runs the scenarios of another directory.
  const char* dir = std::getenv("OCTROI_SCENARIO_DIR");
  octroi_scenario::register_scenarios(dir && *dir ? dir : OCTROI_SCENARIO_DIR);
  return RUN_ALL_TESTS();
}
