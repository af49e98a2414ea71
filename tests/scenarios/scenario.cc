#include "scenario.h"

#include <fstream>
#include <sstream>

namespace octroi_scenario {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string trim_blanks(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_blank(s[b]))
    ++b;
  while (e > b && is_blank(s[e - 1]))
    --e;
  return s.substr(b, e - b);
}

// The argument of a directive that ends at an optional "# comment".
std::string strip_trailing_comment(const std::string& s) {
  const auto hash = s.find('#');
  return trim_blanks(hash == std::string::npos ? s : s.substr(0, hash));
}

// The text after `directive` and one space, or nullopt if `line` is not this directive.
// A directive alone on its line (nothing after it) yields an empty text.
std::optional<std::string> after(const std::string& line, const std::string& directive) {
  if (line == directive) return std::string();
  if (line.size() > directive.size() && line.compare(0, directive.size(), directive) == 0 &&
      line[directive.size()] == ' ')
    return line.substr(directive.size() + 1);
  return std::nullopt;
}

Command parse_command(int line_number, const std::string& text) {
  Command c;
  c.line = line_number;
  c.source = trim_blanks(text);
  std::vector<std::string> words;
  try {
    words = split_command(text);
  } catch (const std::invalid_argument& e) {
    throw ParseError(line_number, e.what());
  }
  if (words.empty()) throw ParseError(line_number, "'$' without a command");
  if (words.front() != "octroi")
    throw ParseError(line_number, "only octroi can be run, not \"" + words.front() + "\"");
  c.args.assign(words.begin() + 1, words.end());
  return c;
}

int parse_status(int line_number, const std::string& text) {
  const std::string s = strip_trailing_comment(text);
  if (s.empty() || s.size() > 3 || s.find_first_not_of("0123456789") != std::string::npos)
    throw ParseError(line_number, "'?' expects an exit status from 0 to 255, not \"" + s + "\"");
  const int status = std::stoi(s);
  if (status > 255)
    throw ParseError(line_number, "'?' expects an exit status from 0 to 255, not \"" + s + "\"");
  return status;
}

Expectation parse_json(int line_number, const std::string& text) {
  // json /POINTER = LITERAL
  const auto space = text.find(' ');
  if (space == std::string::npos || text.compare(space, 3, " = ") != 0)
    throw ParseError(line_number, "expected: json /POINTER = JSON-LITERAL");
  Expectation e;
  e.kind = Expectation::Kind::Json;
  e.line = line_number;
  e.text = text.substr(0, space);
  if (e.text.empty() || e.text.front() != '/')
    throw ParseError(line_number, "a JSON pointer starts with '/': \"" + e.text + "\"");
  try {
    (void)nlohmann::json::json_pointer(e.text);
  } catch (const nlohmann::json::exception& ex) {
    throw ParseError(line_number, "invalid JSON pointer \"" + e.text + "\": " + ex.what());
  }
  const std::string literal = text.substr(space + 3);
  try {
    e.value = nlohmann::json::parse(literal);
  } catch (const nlohmann::json::exception& ex) {
    throw ParseError(line_number, "invalid JSON literal " + literal + ": " + ex.what());
  }
  return e;
}

}  // namespace

std::string normalise_spaces(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "\xE2\x80\xAF") == 0) {  // U+202F NARROW NO-BREAK SPACE
      out += ' ';
      i += 2;
    } else if (s.compare(i, 2, "\xC2\xA0") == 0) {  // U+00A0 NO-BREAK SPACE
      out += ' ';
      i += 1;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split_command(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // a word has started (possibly empty, as in "")
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (i < n) {
    const char c = line[i];
    if (is_blank(c)) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
      ++i;
    } else if (c == '#' && !in_word) {
      break;  // comment to the end of the line
    } else if (c == '\'') {
      const auto close = line.find('\'', i + 1);
      if (close == std::string::npos)
        throw std::invalid_argument("unterminated '...' quote in the command");
      word += line.substr(i + 1, close - i - 1);
      in_word = true;
      i = close + 1;
    } else if (c == '"') {
      ++i;
      bool closed = false;
      while (i < n) {
        const char d = line[i];
        if (d == '"') {
          closed = true;
          ++i;
          break;
        }
        if (d == '\\' && i + 1 < n &&
            (line[i + 1] == '"' || line[i + 1] == '\\' || line[i + 1] == '$' ||
             line[i + 1] == '`')) {
          word += line[i + 1];
          i += 2;
        } else {
          word += d;
          ++i;
        }
      }
      if (!closed) throw std::invalid_argument("unterminated \"...\" quote in the command");
      in_word = true;
    } else if (c == '\\') {
      if (i + 1 >= n) throw std::invalid_argument("a backslash ends the command");
      word += line[i + 1];
      in_word = true;
      i += 2;
    } else if (std::string("|&;<>()`$").find(c) != std::string::npos) {
      throw std::invalid_argument(std::string("unquoted '") + c +
                                  "': no shell runs the command, quote it to pass it as text");
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

Scenario parse_scenario(const std::string& path, const std::string& text) {
  Scenario sc;
  sc.path = path;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  auto current = [&](const std::string& directive) -> Command& {
    if (sc.commands.empty()) throw ParseError(number, "'" + directive + "' before any '$' command");
    return sc.commands.back();
  };
  auto text_expectation = [&](Expectation::Kind kind, const std::string& directive,
                              const std::string& arg) {
    Command& c = current(directive);
    if (arg.empty())
      throw ParseError(number, "'" + directive + "' needs a text (it would match anything)");
    Expectation e;
    e.kind = kind;
    e.line = number;
    e.text = normalise_spaces(arg);
    c.expectations.push_back(std::move(e));
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string trimmed = trim_blanks(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    if (auto a = after(line, "$")) {
      sc.commands.push_back(parse_command(number, *a));
    } else if (auto s = after(line, "?")) {
      Command& c = current("?");
      if (c.status_line != 0)
        throw ParseError(number, "a second '?' for the command of line " + std::to_string(c.line) +
                                     " (first at line " + std::to_string(c.status_line) + ")");
      c.expected_status = parse_status(number, *s);
      c.status_line = number;
    } else if (auto lacks = after(line, ">!")) {
      text_expectation(Expectation::Kind::StdoutLacks, ">!", *lacks);
    } else if (auto out = after(line, ">")) {
      text_expectation(Expectation::Kind::StdoutContains, ">", *out);
    } else if (auto err = after(line, "2>")) {
      text_expectation(Expectation::Kind::StderrContains, "2>", *err);
    } else if (auto eq = after(line, "=")) {
      Command& c = current("=");
      const std::string what = strip_trailing_comment(*eq);
      if (what != "unchanged")
        throw ParseError(number, "unknown '=' check \"" + what + "\" (only \"= unchanged\")");
      Expectation e;
      e.kind = Expectation::Kind::Unchanged;
      e.line = number;
      c.expectations.push_back(e);
      c.wants_unchanged = true;
    } else if (auto js = after(line, "json")) {
      Command& c = current("json");
      c.expectations.push_back(parse_json(number, *js));
    } else {
      throw ParseError(number, "unknown directive: " + line);
    }
  }
  if (sc.commands.empty()) throw ParseError(0, "no '$' command in the file");
  return sc;
}

Scenario parse_scenario_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw ParseError(0, "cannot read the file");
  std::ostringstream text;
  text << f.rdbuf();
  return parse_scenario(path, text.str());
}

}  // namespace octroi_scenario
