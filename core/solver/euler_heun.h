// Euler–Heun (Stratonovich):
//   y' = y0 + g(t, y0) W
//   y1 = y0 + f(t, y0) h + ½ (g(t, y0) + g(t, y')) W.
// Strong order 0.5; 1.0 on commutative (incl. scalar) and additive noise.
// No error estimate (step doubling).
#ifndef PATHWISE_CORE_SOLVER_EULER_HEUN_H_
#define PATHWISE_CORE_SOLVER_EULER_HEUN_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class EulerHeun final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_EULER_HEUN_H_
