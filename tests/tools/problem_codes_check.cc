// problem_codes.table: the table of app/problem_codes.cc against the sources. Every code that
// src/ makes a Problem with (refuse("x.y", …), Problem{"x.y", …}, problems.push_back({"x.y", …}),
// pb.add({"x.y", …}) and the helpers that take the code first or as `code = …`) is in the table,
// and every code of the table is made somewhere in src/ (no dead line). It reads the sources as
// text, like source_sizes: a code built at run time from pieces would escape it (there is none).
// Usage: octroi_problem_codes_check <src directory>
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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: octroi_problem_codes_check <src directory>\n";
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
