// The potential scale reduction factor R-hat (Gelman & Rubin 1992), in the
// rank-normalised split form of Vehtari et al. (2021), Section 4.
#ifndef PATHWISE_CORE_MCMC_R_HAT_H_
#define PATHWISE_CORE_MCMC_R_HAT_H_

#include "core/mcmc/chain_transforms.h"

namespace pathwise::mcmc {

// R-hat = sqrt(var+ / W) of the chains as given (split them first for
// split-R-hat). Requires M >= 1 chains of the same length N >= 2.
// NaN when all draws are equal (nothing to compare: posterior's convention);
// +inf when every chain is constant but the chains differ (W = 0 < B).
double BasicRHat(const Chains& chains);

// The R-hat of Vehtari et al. (2021), Section 4: the larger of the split
// R-hat of the rank-normalised draws (bulk) and of the rank-normalised folded
// draws |theta - median| (tails, which catch chains differing in scale).
// Requires chains of the same length N >= 4.
double RankNormalizedSplitRHat(const Chains& chains);

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_R_HAT_H_
