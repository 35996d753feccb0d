// ALIGN, "Adaptive Langevin via Interpolated Gradients and Noise" (Foster; a
// modification of the Strang splitting of Foster, Lyons & Oberhauser, "The
// shifted ODE method for underdamped Langevin MCMC", arXiv 2101.03446, Def. 4.2),
// with α = γh, β = e^{−α}, a1 = (1 − β)/γ, b1 = (β + α − 1)/(γα), aa = a1/h,
// chh = 6(β(α + 2) + α − 2)/(α²γ), ρ = √(2γu), f0 = ∇U(x0):
//   x1 = x0 + a1 v0 − b1 u h f0 + ρ (b1 W + chh H)
//   v1 = β v0 − u ((a1 − b1) f0 + b1 f1) + ρ (aa W − γ chh H),   f1 = ∇U(x1)
//   err = (0, −u b1 (f1 − f0)).
// One gradient per step (first same as last); strong order 2.0; embedded error.
#ifndef PATHWISE_CORE_SOLVER_ALIGN_H_
#define PATHWISE_CORE_SOLVER_ALIGN_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class Align final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_ALIGN_H_
