// A scenario file (*.scn): octroi commands and what each must print, parsed into data.
// The format is described in tests/scenarios/README.md.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace octroi_scenario {

struct Expectation {
  enum class Kind {
    StdoutContains,  // > TEXT
    StdoutLacks,     // >! TEXT
    StderrContains,  // 2> TEXT
    Unchanged,       // = unchanged
    Json,            // json /POINTER = LITERAL
  };
  Kind kind = Kind::StdoutContains;
  int line = 0;
  std::string text;      // the text to look for (already normalised), or the JSON pointer
  nlohmann::json value;  // Json only: the expected value
};

struct Command {
  int line = 0;
  std::string source;             // the command as written after "$ "
  std::vector<std::string> args;  // the arguments after the leading "octroi"
  int expected_status = 0;
  int status_line = 0;  // line of the "?" directive, 0 if none (then 0 is expected)
  std::vector<Expectation> expectations;
  bool wants_unchanged = false;  // some expectation is "= unchanged"
};

struct Scenario {
  std::string path;
  std::vector<Command> commands;
};

// A file that is not a valid scenario; `line` is 0 when the whole file is at fault.
struct ParseError : std::runtime_error {
  ParseError(int line_number, const std::string& message)
      : std::runtime_error(message), line(line_number) {}
  int line;
};

// Reads and parses a scenario file; throws ParseError.
Scenario parse_scenario_file(const std::string& path);
// Parses scenario text; `path` is only recorded. Throws ParseError.
Scenario parse_scenario(const std::string& path, const std::string& text);

// Splits a command line the way a POSIX shell splits words, without running one: blanks
// separate words; '...' is literal; inside "..." a backslash escapes " \ $ and `; outside
// quotes a backslash escapes any character; an unquoted '#' starting a word begins a comment.
// Unquoted shell operators (| & ; < > ( ) ` $) are refused, since no shell would interpret them.
// Throws std::invalid_argument.
std::vector<std::string> split_command(const std::string& line);

// U+202F (narrow no-break space) and U+00A0 (no-break space) become plain spaces.
std::string normalise_spaces(const std::string& s);

}  // namespace octroi_scenario
