// Chains with known autocorrelation for the diagnostics tests, drawn from the
// project's Philox normals (core/random/normal.h) so every run sees the same draws.
#ifndef PATHWISE_TESTS_MCMC_CHAIN_GENERATORS_H_
#define PATHWISE_TESTS_MCMC_CHAIN_GENERATORS_H_

#include <cmath>
#include <cstdint>

#include "core/mcmc/chain_transforms.h"
#include "core/random/normal.h"

namespace pathwise::mcmc::testing {

// The i-th standard normal of chain m: counter (m, i / 2), first or second of the pair.
inline double ChainNormal(uint32_t seed, uint32_t chain, uint32_t index) {
  const random::NormalPair pair = random::NormalPairAt({chain, index / 2, 0, 0}, {seed, 0});
  return index % 2 == 0 ? pair.first : pair.second;
}

// Stationary AR(1): x_0 ~ N(0, 1), x_t = rho x_{t-1} + sqrt(1 - rho^2) e_t, whose
// autocorrelation is rho^t, so tau = (1 + rho) / (1 - rho) and ESS / S -> (1 - rho) / (1 + rho).
inline Chains Ar1Chains(uint32_t seed, int chains, int draws, double rho) {
  Chains out(chains);
  const double innovation_scale = std::sqrt(1.0 - rho * rho);
  for (int m = 0; m < chains; ++m) {
    double x = ChainNormal(seed, m, 0);
    out[m].push_back(x);
    for (int t = 1; t < draws; ++t) {
      x = rho * x + innovation_scale * ChainNormal(seed, m, t);
      out[m].push_back(x);
    }
  }
  return out;
}

inline Chains IidNormalChains(uint32_t seed, int chains, int draws) {
  return Ar1Chains(seed, chains, draws, 0.0);
}

}  // namespace pathwise::mcmc::testing

#endif  // PATHWISE_TESTS_MCMC_CHAIN_GENERATORS_H_
