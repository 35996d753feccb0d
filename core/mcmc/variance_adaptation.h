// The diagonal inverse mass M^{-1} adapted during warm-up from the draws'
// variances, window by window (adaptation_windows.h), as Stan does: at the end
// of each slow window the variances of that window's draws, pooled over all
// chains, are shrunk towards 1e-3,
//   M^{-1}_i = n / (n + 5) var_i + 1e-3 * 5 / (n + 5),   n draws in the window,
// (Stan's regularisation, which keeps a short window from producing a
// degenerate metric), and the estimator starts afresh. Welford's running
// mean and variance; chains are added in a fixed order, so the result is a
// deterministic function of the draws.
#ifndef PATHWISE_CORE_MCMC_VARIANCE_ADAPTATION_H_
#define PATHWISE_CORE_MCMC_VARIANCE_ADAPTATION_H_

#include <cstddef>
#include <vector>

#include "core/mcmc/adaptation_windows.h"

namespace pathwise::mcmc {

class VarianceAdaptation {
 public:
  // Starts from the identity inverse mass in dim coordinates.
  VarianceAdaptation(int dim, int num_warmup, AdaptationBuffers buffers = {});

  // Adds the draws of warm-up iteration `iteration` (0-based, increasing; one
  // call per iteration, every chain's draw x[chain][coordinate], in the
  // original coordinates). Returns true when this iteration closed a slow
  // window and inverse_mass() changed.
  bool AddIteration(int iteration, const std::vector<std::vector<double>>& draws);

  const std::vector<double>& inverse_mass() const { return inverse_mass_; }
  const std::vector<AdaptationWindow>& windows() const { return windows_; }

 private:
  std::vector<AdaptationWindow> windows_;
  size_t next_window_ = 0;
  std::vector<double> inverse_mass_;
  // Welford accumulators over the current window.
  double count_ = 0.0;
  std::vector<double> mean_;
  std::vector<double> sum_squares_;
};

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_VARIANCE_ADAPTATION_H_
