// problem_codes.table: the table of app/problem_codes.cc against the sources. Every code that
// src/ makes a Problem with (refuse("x.y", …), Problem{"x.y", …}, problems.push_back({"x.y", …}),
// pb.add({"x.y", …}), refuse_and_close(status, "x.y", …) and the helpers that take the code
// first or as `code = …`) is in the table,
// and every code of the table is made somewhere in src/ (no dead line). It reads the sources as
// text, like source_sizes: a code built at run time from pieces would escape it (there is none).
//
// With --produced, the codes the test suite made (one file per process in the directory of
// OCTROI_PROBLEM_LOG, core/problem_log.h) against the same table: every code made is in the
// table (codes of the tests' own, "test.*", are not octroi's); and, only when the whole suite ran
// (OCTROI_PROBLEM_CODES_COMPLETE=1, set by `make test-release`), every code of the table was made
// by some test; otherwise it says why it does not check that half.
// Usage: octroi_problem_codes_check <src directory>
//        octroi_problem_codes_check --produced <log directory>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "app/problem_codes.h"

namespace {

const char* const kCode = R"re("([a-z_0-9]+\.[a-z_0-9]+)")re";

std::map<std::string, std::string> codes_in(const std::filesystem::path& src) {
  const std::string code = kCode;
  const std::vector<std::regex> patterns = {
      std::regex(
          R"re(\b(?:refuse|Problem|push_back|emplace_back|add|fail|invalid|bad)\(\s*\{?\s*)re" +
          code + R"re(\s*,)re"),
      std::regex(R"re(\bProblem\s*\{\s*)re" + code),
      std::regex(R"re(\barticle_refusal\(\s*\w+,\s*)re" + code),
      std::regex(R"re(\brefuse_and_close\(\s*\d+,\s*)re" + code),
      std::regex(R"re(\bneed\([^;]*?,\s*)re" + code + R"re(,\s*"[a-z_])re"),
  };
  const std::regex assigned(R"re(\bstd::string code = ([^;]*);)re");
  const std::regex literal(code);
  std::map<std::string, std::string> out;  // code -> first file
  for (const auto& entry : std::filesystem::recursive_directory_iterator(src)) {
    const auto ext = entry.path().extension();
    if (ext != ".cc" && ext != ".h") continue;
    if (entry.path().filename() == "problem_codes.cc") continue;
    std::ifstream in(entry.path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const std::string file = entry.path().lexically_relative(src).string();
    auto note = [&](const std::string& c) {
      static const std::set<std::string> file_names = {"content.xml", "manifest.xml", "meta.xml",
                                                       "settings.xml", "styles.xml"};
      if (file_names.count(c)) return;  // an OpenDocument package's entries, not codes
      out.emplace(c, file);
    };
    for (const auto& re : patterns)
      for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
        note((*it)[1].str());
    for (std::sregex_iterator it(text.begin(), text.end(), assigned), end; it != end; ++it) {
      const std::string expr = (*it)[1].str();
      for (std::sregex_iterator l(expr.begin(), expr.end(), literal); l != end; ++l)
        note((*l)[1].str());
    }
  }
  return out;
}

int check_produced(const std::filesystem::path& dir) {
  std::set<std::string> produced;
  std::size_t files = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".codes") continue;
    ++files;
    std::ifstream in(entry.path());
    for (std::string code; std::getline(in, code);)
      if (!code.empty() && code.rfind("test.", 0) != 0) produced.insert(code);
  }
  if (files == 0) {
    std::cout << "No log of problem codes in " << dir.string()
              << " (OCTROI_PROBLEM_LOG, set by the release test preset): nothing to compare.\n";
    return 0;
  }
  std::set<std::string> table;
  for (const auto& p : octroi::problem_codes())
    table.insert(std::string(p.code));
  int failures = 0;
  for (const auto& code : produced)
    if (!table.count(code)) {
      std::cout << "made by a test but not in app/problem_codes.cc: " << code << "\n";
      ++failures;
    }
  std::cout << produced.size() << " codes made by " << files << " processes, " << table.size()
            << " in the table.\n";
  const char* complete = std::getenv("OCTROI_PROBLEM_CODES_COMPLETE");
  if (!complete || std::string(complete) != "1") {
    std::cout << "Not checking that a test makes every code of the table: only the whole suite "
                 "can say, and OCTROI_PROBLEM_CODES_COMPLETE=1 (set by make test-release) is not "
                 "set.\n";
    return failures ? 1 : 0;
  }
  for (const auto& code : table)
    if (!produced.count(code)) {
      std::cout << "in the table but made by no test: " << code << "\n";
      ++failures;
    }
  return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--produced") return check_produced(argv[2]);
  if (argc != 2) {
    std::cerr << "usage: octroi_problem_codes_check <src directory> | --produced <directory>\n";
    return 2;
  }
  const auto made = codes_in(argv[1]);
  std::set<std::string> table;
  int failures = 0;
  std::string previous;
  for (const auto& p : octroi::problem_codes()) {
    const std::string c(p.code);
    if (c <= previous) {
      std::cout << "app/problem_codes.cc: not sorted at " << c << "\n";
      ++failures;
    }
    previous = c;
    table.insert(c);
    if (p.status < 400 || p.status > 599 || p.meaning.empty()) {
      std::cout << "app/problem_codes.cc: " << c << " needs a 4xx/5xx status and a meaning\n";
      ++failures;
    }
  }
  for (const auto& [c, file] : made)
    if (!table.count(c)) {
      std::cout << file << ": makes " << c << ", which app/problem_codes.cc does not list\n";
      ++failures;
    }
  for (const auto& c : table)
    if (!made.count(c)) {
      std::cout << "app/problem_codes.cc: " << c << " is made nowhere in src/\n";
      ++failures;
    }
  std::cout << made.size() << " codes made in src/, " << table.size() << " in the table, "
            << failures << " problem(s)\n";
  return failures ? 1 : 0;
}
