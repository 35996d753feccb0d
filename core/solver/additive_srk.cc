#include "core/solver/additive_srk.h"

#include <vector>

namespace pathwise::solver {

namespace {

// Layout of work.scratch: gW, gH, z (n each), stage drifts (kMaxStages n), g, g(t1)
// (DiffusionSize each), ½W − H (m).
int GOffset(const model::Sde& sde) { return (3 + AdditiveTableau::kMaxStages) * sde.state_dim(); }

bool ConstantDiffusion(const model::SdeTraits& tr) { return !tr.diffusion_depends_on_t; }

}  // namespace

void AdditiveSrkPrepare(const model::Sde& sde, StepWork& work) {
  const int gs = model::DiffusionSize(sde.traits());
  work.scratch.assign(GOffset(sde) + 2 * gs + sde.noise_dim(), 0.0);
  if (ConstantDiffusion(sde.traits())) {
    // g does not depend on y (additive noise) nor on t: evaluate it once.
    const std::vector<double> y(sde.state_dim(), 0.0);
    sde.Diffusion(0.0, y.data(), work.scratch.data() + GOffset(sde));
    work.counts.diffusion += 1;
  }
}

namespace {

// The step for a fixed number of stages S, so that the stage loops unroll.
template <int S>
void StepWithStages(const AdditiveTableau& tab, const model::Sde& sde, double t,
                    const BrownianIncrement& dw, const double* y0, double* y1, double* err,
                    StepWork& work) {
  const model::SdeTraits& tr = sde.traits();
  const int n = tr.state_dim;
  const int gs = model::DiffusionSize(tr);
  double* gw = work.scratch.data();  // g(t0) W
  double* gh = gw + n;               // g(t0) H
  double* z = gh + n;
  double* fs = z + n;  // stage drifts, kMaxStages × n
  double* g = fs + AdditiveTableau::kMaxStages * n;
  double* g1 = g + gs;
  double* wh = g1 + gs;  // ½ W − H, noise_dim
  const double h = dw.dt;
  if (!ConstantDiffusion(tr)) {
    sde.Diffusion(t, y0, g);
    work.counts.diffusion += 1;
  }
  model::ApplyDiffusion(tr, g, dw.w, gw);
  model::ApplyDiffusion(tr, g, dw.h, gh);
  for (int j = 0; j < S; ++j) {
    for (int i = 0; i < n; ++i) {
      double acc = 0.0;
      for (int l = 0; l < j; ++l) acc += tab.a[j][l] * fs[l * n + i];
      z[i] = y0[i] + h * acc + (tab.aw[j] * gw[i] + tab.ah[j] * gh[i]);
    }
    sde.Drift(t + tab.c[j] * h, z, fs + j * n);
  }
  work.counts.drift += S;
  for (int i = 0; i < n; ++i) {
    double acc = 0.0;
    for (int j = 0; j < S; ++j) acc += tab.b[j] * fs[j * n + i];
    y1[i] = y0[i] + h * acc + (tab.bw * gw[i] + tab.bh * gh[i]);
  }
  if (tr.diffusion_depends_on_t) {
    // (g(t1) − g(t0)) (½ W − H): the correction for time-dependent additive noise.
    sde.Diffusion(t + h, y0, g1);
    work.counts.diffusion += 1;
    for (int k = 0; k < gs; ++k) g1[k] -= g[k];
    for (int j = 0; j < tr.noise_dim; ++j) wh[j] = 0.5 * dw.w[j] - dw.h[j];
    model::AddDiffusion(tr, g1, wh, 1.0, y1);
  }
  if (err != nullptr && tab.has_error) {
    for (int i = 0; i < n; ++i) {
      double acc = 0.0;
      for (int j = 0; j < S; ++j) acc += tab.e[j] * fs[j * n + i];
      err[i] = h * acc;
    }
  }
}

}  // namespace

void AdditiveSrkStep(const AdditiveTableau& tab, const model::Sde& sde, double t,
                     const BrownianIncrement& dw, const double* y0, double* y1, double* err,
                     StepWork& work) {
  switch (tab.stages) {
    case 1:
      return StepWithStages<1>(tab, sde, t, dw, y0, y1, err, work);
    case 2:
      return StepWithStages<2>(tab, sde, t, dw, y0, y1, err, work);
    default:
      return StepWithStages<3>(tab, sde, t, dw, y0, y1, err, work);
  }
}

void AdditiveSrkMethod::Prepare(const model::Sde& sde, StepWork& work) const {
  AdditiveSrkPrepare(sde, work);
}

void AdditiveSrkMethod::Step(const model::Sde& sde, double t, const BrownianIncrement& dw,
                             const double* y0, double* y1, double* err, StepWork& work) const {
  AdditiveSrkStep(tableau_, sde, t, dw, y0, y1, err, work);
}

}  // namespace pathwise::solver
