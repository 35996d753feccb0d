// Between- and within-chain variances of M chains of N draws (Gelman et al.,
// Bayesian Data Analysis, 3rd ed., Section 11.4; Vehtari et al. 2021, Section 3),
// shared by R-hat and the effective sample size.
#ifndef PATHWISE_CORE_MCMC_VARIANCE_COMPONENTS_H_
#define PATHWISE_CORE_MCMC_VARIANCE_COMPONENTS_H_

#include <vector>

#include "core/mcmc/chain_transforms.h"

namespace pathwise::mcmc {

struct VarianceComponents {
  int chains = 0;                       // M
  int draws_per_chain = 0;              // N
  std::vector<double> chain_means;      // theta-bar_m
  std::vector<double> chain_variances;  // s_m^2 = 1/(N-1) sum_n (theta_nm - theta-bar_m)^2
  double between = 0.0;  // B = N/(M-1) sum_m (theta-bar_m - theta-bar)^2  (0 when M = 1)
  double within = 0.0;   // W = 1/M sum_m s_m^2
  // var+ = (N-1)/N W + B/N, the overestimate of the target variance.
  double variance_plus = 0.0;
};

// Requires M >= 1 chains, all of the same length N >= 2.
VarianceComponents ComputeVarianceComponents(const Chains& chains);

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_VARIANCE_COMPONENTS_H_
