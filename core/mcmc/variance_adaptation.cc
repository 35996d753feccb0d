#include "core/mcmc/variance_adaptation.h"

#include <algorithm>

namespace pathwise::mcmc {

VarianceAdaptation::VarianceAdaptation(int dim, int num_warmup, AdaptationBuffers buffers)
    : windows_(SlowAdaptationWindows(num_warmup, buffers)),
      inverse_mass_(dim, 1.0),
      mean_(dim, 0.0),
      sum_squares_(dim, 0.0) {}

bool VarianceAdaptation::AddIteration(int iteration,
                                      const std::vector<std::vector<double>>& draws) {
  if (next_window_ >= windows_.size() || iteration < windows_[next_window_].begin) return false;
  for (const std::vector<double>& x : draws) {
    count_ += 1.0;
    for (size_t i = 0; i < mean_.size(); ++i) {
      const double delta = x[i] - mean_[i];
      mean_[i] += delta / count_;
      sum_squares_[i] += delta * (x[i] - mean_[i]);
    }
  }
  if (iteration + 1 < windows_[next_window_].end) return false;
  const double n = count_;
  for (size_t i = 0; i < mean_.size(); ++i) {
    const double variance = sum_squares_[i] / (n - 1.0);
    inverse_mass_[i] = n / (n + 5.0) * variance + 1e-3 * (5.0 / (n + 5.0));
  }
  count_ = 0.0;
  std::fill(mean_.begin(), mean_.end(), 0.0);
  std::fill(sum_squares_.begin(), sum_squares_.end(), 0.0);
  ++next_window_;
  return true;
}

}  // namespace pathwise::mcmc
