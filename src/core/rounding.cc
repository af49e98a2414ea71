#include "core/rounding.h"

#include <limits>

#include "core/result.h"

namespace octroi {

std::int64_t divide_rounded(Int128 num, Int128 den, Rounding mode) {
  OCTROI_CHECK(den != 0, "division by zero");
  if (den < 0) {
    num = -num;
    den = -den;
  }
  // Floor division first, then adjust with the remainder (0 <= rem < den).
  Int128 q = num / den;
  Int128 rem = num % den;
  if (rem < 0) {
    q -= 1;
    rem += den;
  }
  switch (mode) {
    case Rounding::Down:
      break;
    case Rounding::Up:
      if (rem != 0) q += 1;
      break;
    case Rounding::HalfUp: {
      // Ties away from zero: for a negative exact value q + rem/den, a tie goes down.
      const Int128 twice = rem * 2;
      if (twice > den || (twice == den && num >= 0)) q += 1;
      break;
    }
    case Rounding::HalfEven: {
      const Int128 twice = rem * 2;
      if (twice > den || (twice == den && (q % 2 != 0))) q += 1;
      break;
    }
  }
  if (q > std::numeric_limits<std::int64_t>::max() || q < std::numeric_limits<std::int64_t>::min())
    throw OverflowError("quotient does not fit 64 bits");
  return static_cast<std::int64_t>(q);
}

std::string_view to_string(Rounding mode) {
  return kRoundingNames.code(mode);
}

bool parse_rounding(std::string_view text, Rounding& out) {
  return kRoundingNames.parse(text, out);
}

}  // namespace octroi
