#include "core/solver/should.h"

#include <cmath>

#include "core/solver/langevin_coeffs.h"
#include "core/solver/langevin_method.h"

namespace pathwise::solver {

const MethodInfo& Should::info() const {
  static constexpr MethodInfo info = LangevinInfo(
      MethodId::kShould, "should",
      "ShOULD (Foster, Lyons & Oberhauser), underdamped Langevin, uses H and K",
      brownian::LevyArea::kSpaceTimeTime, 3.0, /*embedded_error=*/true, kCompanionErrorOrder);
  return info;
}

void Should::Prepare(const model::Sde& sde, StepWork& work) const {
  const int d = AsLangevin(sde).dim();
  work.scratch.assign(2 * d, 0.0);  // x1, f1
  work.fsal.assign(d, 0.0);
  work.fsal_next.assign(d, 0.0);
  work.fsal_valid = false;
}

void Should::Step(const model::Sde& sde, double, const BrownianIncrement& dw, const double* y0,
                  double* y1, double* err, StepWork& work) const {
  const model::LangevinModel& lm = AsLangevin(sde);
  const int d = lm.dim();
  const double h = dw.dt, gamma = lm.gamma(), u = lm.u(), rho = lm.rho();
  const double alpha = gamma * h;
  const double beta_half = std::exp(-0.5 * alpha);
  const double beta1 = std::exp(-alpha);
  const double a_half = 0.5 * h * ExpRemainder(1, 0.5 * alpha);
  const double a1 = h * ExpRemainder(1, alpha);
  const double b_half = 0.25 * h * ExpRemainder(2, 0.5 * alpha);
  const double b1 = h * ExpRemainder(2, alpha);
  const double aa = ExpRemainder(1, alpha);
  const double chh = h * (3.0 - 6.0 * (alpha + 2.0) * ExpRemainder(3, alpha));
  // ckk/h = 60 α (1/12 + α/24 − (α² + 6α + 12) E_5(α)), the closed form above expanded.
  const double ckk =
      h * 60.0 * alpha *
      (1.0 / 12.0 + alpha / 24.0 - (alpha * alpha + 6.0 * alpha + 12.0) * ExpRemainder(5, alpha));
  const double uh = u * h;
  const double* x0 = y0;
  const double* v0 = y0 + d;
  double* x2 = y1;
  double* v2 = y1 + d;
  double* x1 = work.scratch.data();
  double* f1 = x1 + d;
  if (!work.fsal_valid) GradientAt(lm, x0, work.fsal.data(), work);
  const double* f0 = work.fsal.data();
  double* f2 = work.fsal_next.data();
  for (int i = 0; i < d; ++i) {
    const double v_shift = v0[i] + rho * (dw.h[i] + 6.0 * dw.k[i]);
    x1[i] = x0[i] + a_half * v_shift + b_half * (-uh * f0[i] + rho * (dw.w[i] - 12.0 * dw.k[i]));
  }
  GradientAt(lm, x1, f1, work);
  // The error companion (langevin_method.h) shares f0 and f2 = ∇U(x2), the
  // gradient the next step reuses: the estimate costs no gradient.
  const AlignDriftQuadrature companion = MakeAlignDriftQuadrature(h, a1, b1, u);
  for (int i = 0; i < d; ++i) {
    const double c = chh * dw.h[i] + ckk * dw.k[i];
    const double drift_x = uh * b1 * (f0[i] / 3.0 + 2.0 * f1[i] / 3.0);
    x2[i] = x0[i] + a1 * v0[i] - drift_x + rho * (b1 * dw.w[i] + c);
    if (err != nullptr) err[i] = -drift_x - companion.X(f0[i]);
  }
  GradientAt(lm, x2, f2, work);
  for (int i = 0; i < d; ++i) {
    const double c = chh * dw.h[i] + ckk * dw.k[i];
    const double drift_v = uh * (beta1 * f0[i] / 6.0 + 2.0 * beta_half * f1[i] / 3.0 + f2[i] / 6.0);
    v2[i] = beta1 * v0[i] - drift_v + rho * (aa * dw.w[i] - gamma * c);
    if (err != nullptr) err[d + i] = -drift_v - companion.V(f0[i], f2[i]);
  }
}

}  // namespace pathwise::solver
