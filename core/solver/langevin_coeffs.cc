#include "core/solver/langevin_coeffs.h"

#include <cmath>

namespace pathwise::solver {

double ExpRemainder(int p, double alpha) {
  if (alpha < 2.0) {
    // Σ_{k≥0} (−α)^k / (k + p)!: 30 terms reach 2^30 / 30! < 1e-23.
    double factorial = 1.0;
    for (int k = 2; k <= p; ++k) factorial *= k;
    double term = 1.0 / factorial;
    double sum = term;
    for (int k = 1; k < 30; ++k) {
      term *= -alpha / (k + p);
      sum += term;
    }
    return sum;
  }
  double partial = 0.0, power = 1.0, factorial = 1.0;
  for (int k = 0; k < p; ++k) {
    if (k > 0) factorial *= k;
    partial += power / factorial;
    power *= -alpha;
  }
  return (std::exp(-alpha) - partial) / power;
}

}  // namespace pathwise::solver
