#include "core/control/state_dependent.h"

#include <algorithm>
#include <cmath>

namespace pathwise::control {

double StateDependentController::StepFor(double m) const {
  const double h = std::cbrt(std::pow(std::max(m, 0.0) * opts_.ctol, 2.0));
  return std::clamp(h, opts_.hmin, opts_.hmax);
}

void StateDependentController::Reset(double, const double* y0, int n) {
  double m = y0[0];
  for (int i = 1; i < n; ++i) m = std::min(m, y0[i]);
  h_ = StepFor(m);
}

Decision StateDependentController::Decide(const StepAttempt& a) {
  double m = std::min(a.y0[0], a.y1[0]);
  for (int i = 1; i < a.n; ++i) m = std::min({m, a.y0[i], a.y1[i]});
  h_ = StepFor(std::isfinite(m) ? m : 0.0);
  return {};
}

}  // namespace pathwise::control
