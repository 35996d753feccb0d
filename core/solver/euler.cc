#include "core/solver/euler.h"

namespace pathwise::solver {

const MethodInfo& Euler::info() const {
  static constexpr MethodInfo info{
      .id = MethodId::kEuler,
      .name = "euler",
      .description = "Euler–Maruyama (Itô)",
      .order_additive = 1.0,
  };
  return info;
}

void Euler::Prepare(const model::Sde& sde, StepWork& work) const {
  work.scratch.assign(sde.state_dim() + model::DiffusionSize(sde.traits()), 0.0);
}

void Euler::Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
                 double* y1, double*, StepWork& work) const {
  const int n = sde.state_dim();
  double* f = work.scratch.data();
  double* g = f + n;
  sde.Drift(t, y0, f);
  sde.Diffusion(t, y0, g);
  work.counts.drift += 1;
  work.counts.diffusion += 1;
  model::ApplyDiffusion(sde.traits(), g, dw.w, y1);
  for (int i = 0; i < n; ++i) y1[i] = y0[i] + f[i] * dw.dt + y1[i];
}

}  // namespace pathwise::solver
