#include "core/shares.h"

#include <algorithm>
#include <numeric>

namespace octroi {
namespace {

// Distributes `units` among parts proportional to weights, by largest remainder.
std::vector<std::int64_t> distribute(std::int64_t units, const std::vector<std::int64_t>& weights) {
  OCTROI_CHECK(!weights.empty(), "something to split into");
  OCTROI_CHECK(units >= 0, "a non-negative quantity to split");
  Int128 sum = 0;
  for (auto w : weights) {
    OCTROI_CHECK(w >= 0, "non-negative weights");
    sum += w;
  }
  OCTROI_CHECK(sum > 0, "weights with a positive sum");
  std::vector<std::int64_t> out(weights.size());
  std::vector<Int128> remainder(weights.size());
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const Int128 exact = static_cast<Int128>(units) * weights[i];
    out[i] = static_cast<std::int64_t>(exact / sum);
    remainder[i] = exact % sum;
    given += out[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; given < units; ++k, ++given)
    out[order[k]] += 1;
  return out;
}

}  // namespace

std::int64_t share_basis_points(Money part, Money total, Rounding mode) {
  OCTROI_CHECK(total.is_positive(), "a share of a positive total");
  return divide_rounded(static_cast<Int128>(part.cents()) * 10000, total.cents(), mode);
}

std::vector<Money> split_largest_remainder(Money total, const std::vector<std::int64_t>& weights) {
  std::vector<Money> out;
  for (auto c : distribute(total.cents(), weights))
    out.push_back(Money::from_cents(c));
  return out;
}

std::vector<std::int64_t> largest_remainder_basis_points(const std::vector<Money>& parts) {
  std::vector<std::int64_t> weights;
  for (auto p : parts)
    weights.push_back(p.cents());
  return distribute(10000, weights);
}

}  // namespace octroi
