// The command-line interface (CLI11): parses arguments, opens the store, calls one use case,
// renders its result as French text or JSON. It holds no business rule.
//
// Exit status: 0 done; 1 refused (a business refusal, printed with its field and code);
// 2 bad command line; 3 infrastructure failure (database missing or unreadable).
#pragma once

namespace octroi::cli {

int run(int argc, char** argv);

}  // namespace octroi::cli
