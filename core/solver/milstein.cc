#include "core/solver/milstein.h"

namespace pathwise::solver {

const MethodInfo& Milstein::info() const {
  static constexpr MethodInfo info{
      .id = MethodId::kMilstein,
      .name = "milstein",
      .description = "Milstein (Itô), commutative noise",
      .max_noise = model::NoiseClass::kCommutative,
      .needs_diffusion_jvp = true,
      .order_additive = 1.0,
      .order_commutative = 1.0,
      .order_general = 1.0,
  };
  return info;
}

void Milstein::Prepare(const model::Sde& sde, StepWork& work) const {
  const int n = sde.state_dim();
  const int gs = model::DiffusionSize(sde.traits());
  work.scratch.assign(3 * n + 2 * gs, 0.0);
}

void Milstein::Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
                    double* y1, double*, StepWork& work) const {
  const model::SdeTraits& tr = sde.traits();
  const int n = tr.state_dim;
  const int m = tr.noise_dim;
  const int gs = model::DiffusionSize(tr);
  double* f = work.scratch.data();
  double* gw = f + n;
  double* v = gw + n;
  double* g = v + n;
  double* jv = g + gs;
  const double h = dw.dt;
  sde.Drift(t, y0, f);
  sde.Diffusion(t, y0, g);
  model::ApplyDiffusion(tr, g, dw.w, gw);
  work.counts.drift += 1;
  work.counts.diffusion += 1;
  for (int i = 0; i < n; ++i) y1[i] = y0[i] + f[i] * h + gw[i];
  // Σ_{j,k} (L^j g^k) W_j W_k = J(g W) W.
  sde.DiffusionJvp(t, y0, gw, jv);
  model::AddDiffusion(tr, jv, dw.w, 0.5, y1);
  // − (h/2) Σ_j L^j g^j.
  if (tr.shape == model::NoiseShape::kDiagonal) {
    sde.DiffusionJvp(t, y0, g, jv);
    work.counts.diffusion += 2;
    for (int i = 0; i < n; ++i) y1[i] -= 0.5 * h * jv[i];
    return;
  }
  work.counts.diffusion += 1 + m;
  for (int j = 0; j < m; ++j) {
    for (int i = 0; i < n; ++i) v[i] = g[i * m + j];
    sde.DiffusionJvp(t, y0, v, jv);
    for (int i = 0; i < n; ++i) y1[i] -= 0.5 * h * jv[i * m + j];
  }
}

}  // namespace pathwise::solver
