#include "core/solver/euler_heun.h"

namespace pathwise::solver {

const MethodInfo& EulerHeun::info() const {
  static constexpr MethodInfo info{
      .id = MethodId::kEulerHeun,
      .name = "euler_heun",
      .description = "Euler–Heun (Stratonovich)",
      .calculus = model::Calculus::kStratonovich,
      .order_additive = 1.0,
      .order_commutative = 1.0,
  };
  return info;
}

void EulerHeun::Prepare(const model::Sde& sde, StepWork& work) const {
  const int n = sde.state_dim();
  work.scratch.assign(3 * n + 2 * model::DiffusionSize(sde.traits()), 0.0);
}

void EulerHeun::Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
                     double* y1, double*, StepWork& work) const {
  const int n = sde.state_dim();
  const int gs = model::DiffusionSize(sde.traits());
  double* f = work.scratch.data();
  double* gw0 = f + n;
  double* yp = gw0 + n;
  double* g0 = yp + n;
  double* g1 = g0 + gs;
  sde.Drift(t, y0, f);
  sde.Diffusion(t, y0, g0);
  model::ApplyDiffusion(sde.traits(), g0, dw.w, gw0);
  for (int i = 0; i < n; ++i) yp[i] = y0[i] + gw0[i];
  sde.Diffusion(t, yp, g1);
  work.counts.drift += 1;
  work.counts.diffusion += 2;
  model::ApplyDiffusion(sde.traits(), g1, dw.w, y1);  // y1 <- g(y') W
  for (int i = 0; i < n; ++i) y1[i] = y0[i] + f[i] * dw.dt + 0.5 * (gw0[i] + y1[i]);
}

}  // namespace pathwise::solver
