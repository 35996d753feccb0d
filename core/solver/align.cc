#include "core/solver/align.h"

#include <cmath>

#include "core/solver/langevin_coeffs.h"
#include "core/solver/langevin_method.h"

namespace pathwise::solver {

const MethodInfo& Align::info() const {
  static constexpr MethodInfo info = LangevinInfo(
      MethodId::kAlign, "align", "ALIGN (Foster), underdamped Langevin, uses H, embedded error",
      brownian::LevyArea::kSpaceTime, 2.0, /*embedded_error=*/true);
  return info;
}

void Align::Prepare(const model::Sde& sde, StepWork& work) const {
  const int d = AsLangevin(sde).dim();
  work.scratch.assign(d, 0.0);
  work.fsal.assign(d, 0.0);
  work.fsal_next.assign(d, 0.0);
  work.fsal_valid = false;
}

void Align::Step(const model::Sde& sde, double, const BrownianIncrement& dw, const double* y0,
                 double* y1, double* err, StepWork& work) const {
  const model::LangevinModel& lm = AsLangevin(sde);
  const int d = lm.dim();
  const double h = dw.dt, gamma = lm.gamma(), u = lm.u(), rho = lm.rho();
  const double alpha = gamma * h;
  const double beta = std::exp(-alpha);
  const double a1 = h * ExpRemainder(1, alpha);
  const double b1 = h * ExpRemainder(2, alpha);
  const double aa = ExpRemainder(1, alpha);
  const double chh = h * (3.0 - 6.0 * (alpha + 2.0) * ExpRemainder(3, alpha));
  const double* x0 = y0;
  const double* v0 = y0 + d;
  double* x1 = y1;
  double* v1 = y1 + d;
  if (!work.fsal_valid) GradientAt(lm, x0, work.fsal.data(), work);
  const double* f0 = work.fsal.data();
  double* f1 = work.fsal_next.data();
  const double uh = u * h;
  for (int i = 0; i < d; ++i) {
    x1[i] = x0[i] + a1 * v0[i] - b1 * uh * f0[i] + rho * (b1 * dw.w[i] + chh * dw.h[i]);
  }
  GradientAt(lm, x1, f1, work);
  for (int i = 0; i < d; ++i) {
    v1[i] = beta * v0[i] - u * ((a1 - b1) * f0[i] + b1 * f1[i]) +
            rho * (aa * dw.w[i] - gamma * chh * dw.h[i]);
  }
  if (err != nullptr) {
    for (int i = 0; i < d; ++i) {
      err[i] = 0.0;
      err[d + i] = -u * b1 * (f1[i] - f0[i]);
    }
  }
}

}  // namespace pathwise::solver
