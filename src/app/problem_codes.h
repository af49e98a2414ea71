// Every problem code octroi makes, as data: its HTTP status and what it means, in French. The
// API's status_of reads it. problem_codes.table (tests/tools/problem_codes_check.cc) keeps it
// whole: every code the sources make is listed, and no line is made nowhere. A new refusal adds
// its line here.
#pragma once

#include <string_view>
#include <vector>

namespace octroi {

struct ProblemCode {
  std::string_view code;     // "plan.unbalanced"
  int status;                // the HTTP status of a refusal whose first problem has it
  std::string_view meaning;  // French
};

// Sorted by code.
const std::vector<ProblemCode>& problem_codes();
// nullptr for a code that is not in the table.
const ProblemCode* find_problem_code(std::string_view code);

}  // namespace octroi
