// GoogleTest printers for the ledger's balances, shared by the ledger and vote tests, so that a
// failed comparison shows the five balances rather than raw bytes.
#pragma once

#include <ostream>

#include "domain/budget/ledger.h"

namespace octroi {

inline void PrintTo(const LineBalances& b, std::ostream* os) {
  *os << "{ae_voted " << b.ae_voted.to_decimal_string() << ", cp_voted "
      << b.cp_voted.to_decimal_string() << ", allocated " << b.allocated.to_decimal_string()
      << ", committed " << b.committed.to_decimal_string() << ", paid "
      << b.paid.to_decimal_string() << ", cp_used " << b.cp_used.to_decimal_string() << "}";
}

}  // namespace octroi
