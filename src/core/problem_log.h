// Which problem codes a run produced: when the environment variable OCTROI_PROBLEM_LOG names a
// directory, each code a Problem is made with is appended, the first time this process makes
// it, to <directory>/<pid>.codes (one code a line). The release test preset sets it for every
// test; problem_codes.produced then compares the union with app/problem_codes.h's table.
#pragma once

namespace octroi {

// Installs the problem hook when OCTROI_PROBLEM_LOG is set (and not empty); returns whether it
// did. Called first thing in main() (the octroi binary, the test executables).
bool log_problem_codes_from_env();

}  // namespace octroi
