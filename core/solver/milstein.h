// Milstein (Itô) for commutative noise (Kloeden & Platen, eq. 10.3.3 with the
// commutativity condition):
//   y1 = y0 + f h + g W + ½ Σ_{j,k} (L^j g^k)(W_j W_k − δ_jk h),   L^j = Σ_i g_ij ∂/∂y_i.
// With J(v) = Σ_i v_i ∂g/∂y_i (Sde::DiffusionJvp): Σ_{j,k} L^j g^k W_j W_k = J(g W) W and
// Σ_j L^j g^j = Σ_j J(g_{·j})_{·j}. For diagonal noise this is
//   y1 = y0 + f h + g⊙W + ½ (J(g⊙W)⊙W − h J(g)).
// Strong order 1.0. No error estimate (step doubling).
#ifndef PATHWISE_CORE_SOLVER_MILSTEIN_H_
#define PATHWISE_CORE_SOLVER_MILSTEIN_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class Milstein final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_MILSTEIN_H_
