#include "core/mcmc/effective_sample_size.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "core/mcmc/variance_components.h"

namespace pathwise::mcmc {
namespace {

// The autocorrelation rho_t combined across chains (see the header), lag by lag.
class CombinedAutocorrelation {
 public:
  explicit CombinedAutocorrelation(const Chains& chains)
      : chains_(chains), components_(ComputeVarianceComponents(chains)) {}

  double AtLag(size_t lag) const {
    const size_t n = chains_.front().size();
    double mean_autocovariance = 0.0;
    for (size_t m = 0; m < chains_.size(); ++m) {
      const std::vector<double>& chain = chains_[m];
      const double mean = components_.chain_means[m];
      double sum = 0.0;
      for (size_t i = 0; i + lag < n; ++i) sum += (chain[i] - mean) * (chain[i + lag] - mean);
      mean_autocovariance += sum / static_cast<double>(n);
    }
    mean_autocovariance /= static_cast<double>(chains_.size());
    return 1.0 - (components_.within - mean_autocovariance) / components_.variance_plus;
  }

 private:
  const Chains& chains_;
  VarianceComponents components_;
};

}  // namespace

double BasicEffectiveSampleSize(const Chains& chains) {
  const size_t n = chains.front().size();
  if (n < 3 || AllDrawsEqual(chains)) return std::numeric_limits<double>::quiet_NaN();
  const CombinedAutocorrelation autocorrelation(chains);
  // rho[t] for t = 0 .. 2K + 1; rho_0 = 1 by definition.
  std::vector<double> rho = {1.0, autocorrelation.AtLag(1)};
  double rho_even = rho[0];
  double rho_odd = rho[1];
  size_t t = 0;
  // Geyer's initial positive sequence. The bound t < N - 5 keeps the last
  // lags, whose estimates rest on a handful of products, out of the sum.
  while (t + 5 < n && rho_even + rho_odd > 0.0) {
    t += 2;
    rho_even = autocorrelation.AtLag(t);
    rho_odd = autocorrelation.AtLag(t + 1);
    if (rho_even + rho_odd >= 0.0) {
      rho.push_back(rho_even);
      rho.push_back(rho_odd);
    } else {
      rho.push_back(0.0);
      rho.push_back(0.0);
    }
  }
  const size_t last = t;  // 2K: the pair sums P_0 .. P_{K-1} are summed
  if (rho_even > 0.0) rho[last] = rho_even;
  // Geyer's initial monotone sequence: no pair sum exceeds the one before.
  for (size_t k = 2; k + 2 <= last; k += 2) {
    const double previous = rho[k - 2] + rho[k - 1];
    if (rho[k] + rho[k + 1] > previous) {
      rho[k] = previous / 2.0;
      rho[k + 1] = previous / 2.0;
    }
  }
  double tau = -1.0 + rho[last];
  for (size_t i = 0; i < last; ++i) tau += 2.0 * rho[i];
  const double total = static_cast<double>(chains.size() * n);
  tau = std::max(tau, 1.0 / std::log10(total));
  return total / tau;
}

double MeanEffectiveSampleSize(const Chains& chains) {
  return BasicEffectiveSampleSize(SplitChains(chains));
}

double BulkEffectiveSampleSize(const Chains& chains) {
  return BasicEffectiveSampleSize(RankNormalize(SplitChains(chains)));
}

double TailEffectiveSampleSize(const Chains& chains) {
  // Quantiles of all draws (the middle draw of an odd chain included), then split.
  const double lower = PooledQuantile(chains, 0.05);
  const double upper = PooledQuantile(chains, 0.95);
  return std::min(BasicEffectiveSampleSize(SplitChains(IndicatorAtMost(chains, lower))),
                  BasicEffectiveSampleSize(SplitChains(IndicatorAtMost(chains, upper))));
}

}  // namespace pathwise::mcmc
