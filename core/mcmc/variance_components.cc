#include "core/mcmc/variance_components.h"

#include <cstddef>

namespace pathwise::mcmc {

VarianceComponents ComputeVarianceComponents(const Chains& chains) {
  VarianceComponents c;
  c.chains = static_cast<int>(chains.size());
  c.draws_per_chain = static_cast<int>(chains.front().size());
  const double n = c.draws_per_chain;
  const double m = c.chains;
  double grand_mean = 0.0;
  for (const std::vector<double>& chain : chains) {
    double mean = 0.0;
    for (double x : chain) mean += x;
    mean /= n;
    double squares = 0.0;
    for (double x : chain) squares += (x - mean) * (x - mean);
    c.chain_means.push_back(mean);
    c.chain_variances.push_back(squares / (n - 1.0));
    grand_mean += mean;
    c.within += squares / (n - 1.0);
  }
  grand_mean /= m;
  c.within /= m;
  if (c.chains > 1) {
    double spread = 0.0;
    for (double mean : c.chain_means) spread += (mean - grand_mean) * (mean - grand_mean);
    c.between = n * spread / (m - 1.0);
  }
  c.variance_plus = (n - 1.0) / n * c.within + c.between / n;
  return c;
}

}  // namespace pathwise::mcmc
