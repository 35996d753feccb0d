#include "core/solver/heun.h"

namespace pathwise::solver {

const MethodInfo& Heun::info() const {
  static constexpr MethodInfo info{
      .id = MethodId::kHeun,
      .name = "heun",
      .description = "Heun (Stratonovich), embedded error estimate",
      .calculus = model::Calculus::kStratonovich,
      .order_additive = 1.0,
      .order_commutative = 1.0,
      .embedded_error = true,
  };
  return info;
}

void Heun::Prepare(const model::Sde& sde, StepWork& work) const {
  const int n = sde.state_dim();
  work.scratch.assign(4 * n + model::DiffusionSize(sde.traits()), 0.0);
}

void Heun::Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
                double* y1, double* err, StepWork& work) const {
  const int n = sde.state_dim();
  double* k1 = work.scratch.data();
  double* k2 = k1 + n;
  double* z = k2 + n;
  double* f = z + n;
  double* g = f + n;
  const double h = dw.dt;
  // k(y) = f h + g W at (t, y0), then at (t + h, y0 + k1).
  sde.Drift(t, y0, f);
  sde.Diffusion(t, y0, g);
  model::ApplyDiffusion(sde.traits(), g, dw.w, k1);
  for (int i = 0; i < n; ++i) {
    k1[i] = f[i] * h + k1[i];
    z[i] = y0[i] + k1[i];
  }
  sde.Drift(t + h, z, f);
  sde.Diffusion(t + h, z, g);
  work.counts.drift += 2;
  work.counts.diffusion += 2;
  model::ApplyDiffusion(sde.traits(), g, dw.w, k2);
  for (int i = 0; i < n; ++i) {
    k2[i] = f[i] * h + k2[i];
    y1[i] = y0[i] + (0.5 * k1[i] + 0.5 * k2[i]);
  }
  if (err != nullptr) {
    for (int i = 0; i < n; ++i) err[i] = 0.5 * k1[i] - 0.5 * k2[i];
  }
}

}  // namespace pathwise::solver
