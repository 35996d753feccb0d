#include "core/mcmc/chain_transforms.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>

#include "core/mcmc/inverse_normal_cdf.h"

namespace pathwise::mcmc {
namespace {

std::vector<double> Pooled(const Chains& chains) {
  std::vector<double> all;
  for (const std::vector<double>& chain : chains) all.insert(all.end(), chain.begin(), chain.end());
  return all;
}

// Applies f to every draw, keeping the shape.
template <typename F>
Chains Map(const Chains& chains, F f) {
  Chains out = chains;
  for (std::vector<double>& chain : out) {
    for (double& x : chain) x = f(x);
  }
  return out;
}

}  // namespace

Chains SplitChains(const Chains& chains) {
  Chains out;
  out.reserve(2 * chains.size());
  for (const std::vector<double>& chain : chains) {
    const size_t half = chain.size() / 2;
    if (half == 0) {
      out.push_back(chain);
      continue;
    }
    out.emplace_back(chain.begin(), chain.begin() + half);
    out.emplace_back(chain.end() - half, chain.end());
  }
  return out;
}

Chains RankNormalize(const Chains& chains) {
  const std::vector<double> all = Pooled(chains);
  const size_t total = all.size();
  std::vector<size_t> order(total);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&all](size_t a, size_t b) { return all[a] < all[b]; });
  // Ranks 1..S; a run of equal values [begin, end) gets their mean rank.
  std::vector<double> rank(total);
  for (size_t begin = 0; begin < total;) {
    size_t end = begin + 1;
    while (end < total && all[order[end]] == all[order[begin]]) ++end;
    const double mean_rank = 0.5 * (static_cast<double>(begin + 1) + static_cast<double>(end));
    for (size_t i = begin; i < end; ++i) rank[order[i]] = mean_rank;
    begin = end;
  }
  const double s = static_cast<double>(total);
  Chains out = chains;
  size_t index = 0;
  for (std::vector<double>& chain : out) {
    for (double& x : chain) x = InverseNormalCdf((rank[index++] - 0.375) / (s + 0.25));
  }
  return out;
}

bool AllDrawsEqual(const Chains& chains) {
  const double first = chains.front().front();
  return std::all_of(chains.begin(), chains.end(), [first](const std::vector<double>& chain) {
    return std::all_of(chain.begin(), chain.end(), [first](double x) { return x == first; });
  });
}

double PooledQuantile(const Chains& chains, double p) {
  std::vector<double> all = Pooled(chains);
  std::sort(all.begin(), all.end());
  const double h = static_cast<double>(all.size() - 1) * p;  // zero-based
  const size_t below = static_cast<size_t>(std::floor(h));
  const size_t above = std::min(below + 1, all.size() - 1);
  return all[below] + (h - static_cast<double>(below)) * (all[above] - all[below]);
}

Chains Fold(const Chains& chains) {
  const double median = PooledQuantile(chains, 0.5);
  return Map(chains, [median](double x) { return std::fabs(x - median); });
}

Chains IndicatorAtMost(const Chains& chains, double threshold) {
  return Map(chains, [threshold](double x) { return x <= threshold ? 1.0 : 0.0; });
}

}  // namespace pathwise::mcmc
