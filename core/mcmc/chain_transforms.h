// The transformations of draws on which the diagnostics of Vehtari, Gelman,
// Simpson, Carpenter & Buerkner, "Rank-normalization, folding, and
// localization: An improved R-hat for assessing convergence of MCMC",
// Bayesian Analysis 16 (2021) 667-718 (arXiv:1903.08008), are built:
// splitting chains in half, rank normalisation and folding (Sections 3 and 4).
//
// Draws of one scalar quantity are held as chains[m][n]: chain m, iteration n.
#ifndef PATHWISE_CORE_MCMC_CHAIN_TRANSFORMS_H_
#define PATHWISE_CORE_MCMC_CHAIN_TRANSFORMS_H_

#include <vector>

namespace pathwise::mcmc {

using Chains = std::vector<std::vector<double>>;

// Each chain of N draws becomes two chains of floor(N / 2): its first and its
// last half. For odd N the middle draw is dropped (as in Stan and posterior),
// so both halves have the same length. A chain of one draw is kept whole.
Chains SplitChains(const Chains& chains);

// Rank normalisation (Section 4): every draw is replaced by
//   z = Phi^{-1}((r - 3/8) / (S + 1/4)),
// its rank r among all S draws of all chains (1 = smallest; ties get the mean
// of the ranks they span), through Blom's (1958) fractional offset.
Chains RankNormalize(const Chains& chains);

// Folding (Section 4): |theta - median|, the median taken over all draws
// (the mean of the two middle ones when their number is even).
Chains Fold(const Chains& chains);

// True when every draw of every chain equals the first (no variance at all).
bool AllDrawsEqual(const Chains& chains);

// The p-quantile of all draws with linear interpolation between order
// statistics (Hyndman & Fan 1996, type 7; R's and numpy's default):
// x_(h) with h = (S - 1) p + 1, interpolated between floor(h) and ceil(h).
double PooledQuantile(const Chains& chains, double p);

// 1 where the draw is <= threshold, else 0: the indicator chains whose
// effective sample size is that of the quantile estimate (Section 4).
Chains IndicatorAtMost(const Chains& chains, double threshold);

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_CHAIN_TRANSFORMS_H_
