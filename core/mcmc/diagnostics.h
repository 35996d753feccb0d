// Per-parameter summary of MCMC draws, as recommended by Vehtari, Gelman,
// Simpson, Carpenter & Buerkner (2021), "Rank-normalization, folding, and
// localization: An improved R-hat for assessing convergence of MCMC",
// Bayesian Analysis 16, 667-718: mean, sd, the Monte Carlo standard error of
// the mean, bulk- and tail-ESS and the rank-normalised split R-hat.
// See docs/mcmc.md for the formulas.
#ifndef PATHWISE_CORE_MCMC_DIAGNOSTICS_H_
#define PATHWISE_CORE_MCMC_DIAGNOSTICS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "core/mcmc/chain_transforms.h"

namespace pathwise::mcmc {

struct ParameterSummary {
  double mean = 0.0;       // of all draws
  double sd = 0.0;         // of all draws, divisor S - 1
  double mcse_mean = 0.0;  // sd / sqrt(ESS of the mean), the ESS of the split draws as they are
  double ess_bulk = 0.0;   // rank-normalised split chains
  double ess_tail = 0.0;   // min over the 5 % and 95 % quantile indicators
  double r_hat = 0.0;      // max of bulk and folded rank-normalised split R-hat
};

// The fewest draws per chain accepted: the split halves then have 2 draws
// each, enough for R-hat (the ESS needs halves of 3 and is NaN below).
inline constexpr int kMinDrawsPerChain = 4;

// Summary of one parameter's draws, chains[m][n]. InvalidArgument (naming the
// chain and draw) when there is no chain, the chains differ in length, a chain
// has fewer than kMinDrawsPerChain draws or a draw is not finite. R-hat and the
// ESS are NaN when all draws are equal (then sd and mcse_mean are 0).
absl::StatusOr<ParameterSummary> Summarize(const Chains& chains);

// Summaries of every parameter: draws[m][n][p] is parameter p at iteration n
// of chain m; every draw must have the same number of parameters.
absl::StatusOr<std::vector<ParameterSummary>> SummarizeAll(
    const std::vector<std::vector<std::vector<double>>>& draws);

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_DIAGNOSTICS_H_
