#include "core/control/error_norm.h"

#include <algorithm>
#include <cmath>

namespace pathwise::control {

double ScaledErrorNorm(int n, const double* err, const double* y0, const double* y1, double rtol,
                       double atol) {
  double acc = 0.0;
  for (int i = 0; i < n; ++i) {
    const double scale = atol + rtol * std::max(std::abs(y0[i]), std::abs(y1[i]));
    const double e = err[i] / scale;
    acc += e * e;
  }
  return std::sqrt(acc / n);
}

}  // namespace pathwise::control
