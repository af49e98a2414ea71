// Every problem code octroi produces, as data: its HTTP status and what it means, in French.
// The API's status_of reads it; the test problem_codes.check compares it with the codes the
// whole test suite produced (core/problem_log.h): every code made is in the table, and every
// code of the table is made by some test. A new refusal adds its line here.
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
