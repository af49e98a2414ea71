// The two share computations the domain needs.
//
// 1. Printed shares (share_basis_points): each line's share of a total, rounded on its own,
//    half up, to hundredths of a percent. This is how financing plans are printed in the seed:
//    Montfermeil's expense shares 51,62 + 11,23 + 22,45 + 14,71 add up to 100,01 %, and that is
//    what must be printed, not silently "fixed".
// 2. Largest-remainder splitting (split_largest_remainder, largest_remainder_basis_points),
//    where parts must add up to the total exactly: each part gets the floor of its exact share,
//    then the units left over go one each to the largest remainders (ties to the earlier part).
#pragma once

#include <cstdint>
#include <vector>

#include "core/money.h"

namespace octroi {

// part / total in hundredths of a percent, rounded as asked. REQUIRES: total > 0.
std::int64_t share_basis_points(Money part, Money total, Rounding mode = Rounding::HalfUp);

// Splits `total` into parts proportional to `weights` that add up to `total` exactly.
// REQUIRES: total >= 0, weights non-empty, each >= 0, their sum > 0.
std::vector<Money> split_largest_remainder(Money total, const std::vector<std::int64_t>& weights);

// Shares of each part in hundredths of a percent that add up to exactly 10 000 (100,00 %).
// REQUIRES: parts non-empty, each >= 0, their sum > 0.
std::vector<std::int64_t> largest_remainder_basis_points(const std::vector<Money>& parts);

}  // namespace octroi
