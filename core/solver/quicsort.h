// QUICSORT, "QUadrature Inspired and Contractive Shifted ODE with Runge–Kutta
// Three" (Foster & O'Kane; a variant of SORT, with UBU-inspired modifications),
// in the form Diffrax implements. With l, r = ½ ∓ √3/6, for s ∈ {l, r, 1}:
// β_s = e^{−sγh}, a_s = (1 − β_s)/γ, b_s = (β_s + sγh − 1)/(γ² h); a_⅓ = (1 − e^{−γh/3})/γ,
// ā = (1 − e^{−γh})/(γh), ρ = √(2γu), R = ρ (W − 12K):
//   ṽ  = v0 + ρ (H + 6K)
//   x1 = x0 + a_l ṽ + b_l R,                 F1 = u h ∇U(x1)
//   x2 = x0 + a_r ṽ + b_r R − a_⅓ F1,        F2 = u h ∇U(x2)
//   x  = x0 + a_1 ṽ + b_1 R − ½ (a_r F1 + a_l F2)
//   v  = β_1 ṽ − ½ (β_r F1 + β_l F2) + ā R − ρ (H − 6K)
// Two gradients per step; strong order 3.0. Embedded error (langevin_method.h):
// the drift terms above minus ALIGN's quadrature on g0 = ∇U(x0), g1 = ∇U(x),
//   err = (−½ (a_r F1 + a_l F2) + u h b_1 g0,
//          −½ (β_r F1 + β_l F2) + u ((a_1 − b_1) g0 + b_1 g1)),
// of local order 2.5. Only a step asked for it computes it, at one extra
// gradient, ∇U(x), which is first same as last (the next step's g0).
#ifndef PATHWISE_CORE_SOLVER_QUICSORT_H_
#define PATHWISE_CORE_SOLVER_QUICSORT_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class Quicsort final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_QUICSORT_H_
