// octroi_source_sizes DIR MAX_FUNCTION_LINES MAX_FILE_LINES
//
// Lists every file of DIR (*.h, *.cc, recursively) longer than MAX_FILE_LINES lines and every
// function longer than MAX_FUNCTION_LINES lines, then exits 1 if there is any (0 otherwise), so
// that the limits of docs/ARCHITECTURE.md stay true: ctest runs it on src/ (test
// "source.sizes"), and `build/release/octroi_source_sizes src 150 800` shows the longest ones.
//
// A function is a brace block whose header (the text since the previous `;`, `{` or `}`) ends
// with `)` and optional qualifiers, opened where a declaration may stand: at file scope, in a
// namespace, or in a class body. Lambdas and nested blocks count toward the function that holds
// them. Comments, string and character literals (raw strings too) are skipped.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Finding {
  std::string file;
  int line = 0;
  int length = 0;
  std::string what;
};

// The source with comments and literals blanked (newlines kept, so line numbers stay right).
std::string strip(const std::string& s) {
  std::string out = s;
  std::size_t i = 0;
  auto blank = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to && k < out.size(); ++k)
      if (out[k] != '\n') out[k] = ' ';
  };
  bool line_start = true;
  while (i < s.size()) {
    const bool at_line_start = line_start;
    line_start = s[i] == '\n' || (line_start && (s[i] == ' ' || s[i] == '\t'));
    if (at_line_start && s[i] == '#') {
      // A preprocessor line, with its continuations.
      std::size_t end = i;
      while (end < s.size() && s[end] != '\n')
        end += s[end] == '\\' ? 2 : 1;
      blank(i, end);
      i = end;
    } else if (s.compare(i, 2, "//") == 0) {
      const std::size_t end = s.find('\n', i);
      blank(i, end == std::string::npos ? s.size() : end);
      i = end == std::string::npos ? s.size() : end;
    } else if (s.compare(i, 2, "/*") == 0) {
      const std::size_t end = s.find("*/", i + 2);
      const std::size_t stop = end == std::string::npos ? s.size() : end + 2;
      blank(i, stop);
      i = stop;
    } else if (s[i] == 'R' && i + 1 < s.size() && s[i + 1] == '"' &&
               (i == 0 ||
                !(std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_'))) {
      const std::size_t open = s.find('(', i);
      const std::string delim = ")" + s.substr(i + 2, open - i - 2) + "\"";
      const std::size_t end = s.find(delim, open);
      const std::size_t stop = end == std::string::npos ? s.size() : end + delim.size();
      blank(i, stop);
      i = stop;
    } else if (s[i] == '"' ||
               (s[i] == '\'' &&
                !(i > 0 && std::isxdigit(static_cast<unsigned char>(s[i - 1])) &&
                  i + 1 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1]))))) {
      // A string or character literal (a digit separator such as 1'000 is not one).
      const char q = s[i];
      std::size_t k = i + 1;
      while (k < s.size() && s[k] != q && s[k] != '\n')
        k += s[k] == '\\' ? 2 : 1;
      blank(i, k + 1);
      i = k + 1;
    } else {
      ++i;
    }
  }
  return out;
}

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  const auto b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

void scan(const std::filesystem::path& path, int max_fn, int max_file, std::vector<Finding>& out) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string src = buf.str();
  const int lines = static_cast<int>(std::count(src.begin(), src.end(), '\n'));
  if (lines > max_file) out.push_back({path.string(), 1, lines, "file"});
  const std::string s = strip(src);
  // A stack of open blocks: whether each is "transparent" (declarations stand inside it).
  struct Block {
    bool transparent;
    bool function;
    int start_line;
    std::string name;
  };
  std::vector<Block> stack;
  std::string header;
  int line = 1, header_line = 1;
  static const std::regex function_header(
      R"(\)\s*(const|override|final|noexcept|mutable|&|&&|\s)*(->\s*[^{;]+)?$)");
  static const std::regex ctor_init(R"(\)\s*:\s*[\s\S]*\)$)");
  static const std::regex scope_header(R"(\b(namespace|class|struct|union|extern)\b)");
  for (char c : s) {
    if (c == '\n') ++line;
    const bool in_decl_scope = stack.empty() || stack.back().transparent;
    if (c == '{') {
      const std::string h = trim(header);
      if (!in_decl_scope) {
        stack.push_back({false, false, line, ""});
      } else if (std::regex_search(h, scope_header) && h.find('(') == std::string::npos) {
        stack.push_back({h.rfind("enum", 0) != 0, false, line, ""});
      } else if (std::regex_search(h, function_header) || std::regex_search(h, ctor_init)) {
        std::string name = h.substr(0, h.find('('));
        const auto sp = name.find_last_of(" \t\n*&");
        if (sp != std::string::npos) name = name.substr(sp + 1);
        stack.push_back({false, true, header_line, name});
      } else {
        stack.push_back({false, false, line, ""});  // an initializer, an enum: data
      }
      header.clear();
      header_line = line;
    } else if (c == '}') {
      if (!stack.empty()) {
        const Block b = stack.back();
        stack.pop_back();
        if (b.function && line - b.start_line + 1 > max_fn)
          out.push_back({path.string(), b.start_line, line - b.start_line + 1, b.name});
      }
      header.clear();
      header_line = line;
    } else if (c == ';') {
      header.clear();
      header_line = line;
    } else if (in_decl_scope) {
      if (trim(header).empty() && c != ' ' && c != '\n' && c != '\t') header_line = line;
      header += c;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: octroi_source_sizes DIR MAX_FUNCTION_LINES MAX_FILE_LINES\n";
    return 2;
  }
  const int max_fn = std::atoi(argv[2]), max_file = std::atoi(argv[3]);
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1])) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".h" || ext == ".cc")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Finding> found;
  for (const auto& f : files)
    scan(f, max_fn, max_file, found);
  for (const auto& f : found)
    std::cout << f.file << ":" << f.line << ": " << (f.what == "file" ? "file" : f.what + "()")
              << " has " << f.length << " lines (limit " << (f.what == "file" ? max_file : max_fn)
              << ")\n";
  std::cout << files.size() << " files checked, " << found.size() << " over the limits\n";
  return found.empty() ? 0 : 1;
}
