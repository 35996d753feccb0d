// ShOULD, the shifted ODE with Runge–Kutta three method for underdamped
// Langevin dynamics (Foster, Lyons & Oberhauser, arXiv 2101.03446, Def. 7.1, in
// the form Diffrax implements). With α = γh, β_s = e^{−sα}, a_s = (1 − β_s)/γ,
// b_s = (β_s + sα − 1)/(αγ) (s ∈ {½, 1}), aa = a_1/h, chh as in ALIGN,
// ckk = 60(β_1(α(α + 6) + 12) − α(α − 6) − 12)/(α³γ), C = chh H + ckk K, ρ = √(2γu):
//   ṽ  = v0 + ρ (H + 6K)
//   x1 = x0 + a_½ ṽ + b_½ (−u h f0 + ρ (W − 12K)),              f1 = ∇U(x1)
//   x2 = x0 + a_1 v0 − u h b_1 (f0/3 + 2 f1/3) + ρ (b_1 W + C),  f2 = ∇U(x2)
//   v2 = β_1 v0 − u h (β_1 f0/6 + 2 β_½ f1/3 + f2/6) + ρ (aa W − γ C)
// Two gradients per step (first same as last); strong order 3.0. Embedded
// error (langevin_method.h): the drift terms above minus ALIGN's quadrature on
// f0 and f2, err = (−u h b1 (2/3)(f1 − f0),
//   −u h (β_1 f0/6 + 2 β_½ f1/3 + f2/6) + u ((a_1 − b_1) f0 + b_1 f2)),
// of local order 2.5 and free: it reuses the step's own gradients.
#ifndef PATHWISE_CORE_SOLVER_SHOULD_H_
#define PATHWISE_CORE_SOLVER_SHOULD_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class Should final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_SHOULD_H_
