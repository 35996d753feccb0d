// Effective sample size of M chains (Vehtari et al. 2021, Section 3, and
// Geyer 1992, "Practical Markov chain Monte Carlo", Statistical Science 7).
//
//   ESS = S / tau,   tau = 1 + 2 sum_{t>=1} rho_t,   S = M N,
//
// with the autocorrelation at lag t combined across chains
//   rho_t = 1 - (W - (1/M) sum_m s_m^2 rho_{t,m}) / var+,
// where s_m^2 rho_{t,m} is chain m's autocovariance at lag t, taken with the
// divisor N (Geyer's biased estimate, as Stan). The infinite sum is truncated
// by Geyer's initial positive sequence: the pair sums P_k = rho_{2k} + rho_{2k+1}
// are summed while positive, then made monotone non-increasing.
// As Stan and posterior do, the last even-lag rho, if positive, is added once
// (tau = -1 + 2 sum_{t<2K} rho_t + rho_{2K}), which reduces the variance for
// antithetic chains, and tau is floored at 1 / log10(S) so that
// ESS <= S log10(S).
//
// The autocovariances are direct sums, computed lag by lag only as far as the
// truncation reaches: O(M N T) for truncation lag T, which is N-independent for
// a chain that mixes; Stan's FFT is O(M N log N) whatever the mixing.
#ifndef PATHWISE_CORE_MCMC_EFFECTIVE_SAMPLE_SIZE_H_
#define PATHWISE_CORE_MCMC_EFFECTIVE_SAMPLE_SIZE_H_

#include "core/mcmc/chain_transforms.h"

namespace pathwise::mcmc {

// The ESS of the chains as given (split or transform them first).
// Requires M >= 1 chains of the same length N; NaN when N < 3 or when all
// draws are equal (no variance to estimate).
double BasicEffectiveSampleSize(const Chains& chains);

// ESS of the mean: split chains, draws as they are (Section 3).
double MeanEffectiveSampleSize(const Chains& chains);

// Bulk-ESS: split chains, rank-normalised (Section 4).
double BulkEffectiveSampleSize(const Chains& chains);

// Tail-ESS: the smaller ESS of the indicators I(theta <= q) for the 5 % and
// 95 % quantiles q of all draws, on split chains (Section 4).
double TailEffectiveSampleSize(const Chains& chains);

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_EFFECTIVE_SAMPLE_SIZE_H_
