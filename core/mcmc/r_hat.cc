#include "core/mcmc/r_hat.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/mcmc/variance_components.h"

namespace pathwise::mcmc {
double BasicRHat(const Chains& chains) {
  if (AllDrawsEqual(chains)) return std::numeric_limits<double>::quiet_NaN();
  const VarianceComponents c = ComputeVarianceComponents(chains);
  if (c.within == 0.0) return std::numeric_limits<double>::infinity();
  return std::sqrt(c.variance_plus / c.within);
}

double RankNormalizedSplitRHat(const Chains& chains) {
  const double bulk = BasicRHat(RankNormalize(SplitChains(chains)));
  // The folded draws are split after folding about the median of all draws,
  // the middle draw of an odd chain included (as the paper's reference code).
  const double tail = BasicRHat(RankNormalize(SplitChains(Fold(chains))));
  // The folded draws may all be equal when the draws are not (two values
  // symmetric about the median): then only the bulk R-hat has anything to say.
  if (std::isnan(tail)) return bulk;
  return std::max(bulk, tail);
}

}  // namespace pathwise::mcmc
