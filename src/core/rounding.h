// Rounding modes and exact integer division with a named rounding.
//
// Every lossy step in octroi names its rounding: a rate applied to an amount, a share printed
// to two decimals, an award rounded down to the thousand. There is no implicit rounding and no
// floating point anywhere in core or domain.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "core/enum_names.h"

namespace octroi {

// 128-bit intermediate for exact products of two int64 (a GCC/Clang extension).
__extension__ typedef __int128 Int128;

enum class Rounding {
  Down,      // toward minus infinity ("arrondi à l'inférieur")
  Up,        // toward plus infinity ("arrondi au supérieur")
  HalfUp,    // to nearest, ties away from zero (the usual commercial rounding)
  HalfEven,  // to nearest, ties to the even neighbour (banker's rounding)
};

// Thrown when an exact computation does not fit 64 bits. Amounts entered by users are bounded
// well below this (Money::kMaxInputCents), so reaching it is a programming or data error.
class OverflowError : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

// num / den rounded as asked. REQUIRES: den != 0. Throws OverflowError if the quotient does not
// fit an int64.
std::int64_t divide_rounded(Int128 num, Int128 den, Rounding mode);

std::string_view to_string(Rounding mode);  // "down", "up", "half_up", "half_even"
bool parse_rounding(std::string_view text, Rounding& out);
inline constexpr auto kRoundingNames = name_table<Rounding>({
    {Rounding::Down, "down", "à l'inférieur"},
    {Rounding::Up, "up", "au supérieur"},
    {Rounding::HalfUp, "half_up", "au plus proche"},
    {Rounding::HalfEven, "half_even", "au plus proche, à égalité vers le pair"},
});

}  // namespace octroi
