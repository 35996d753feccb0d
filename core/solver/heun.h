// Heun's method (Stratonovich), the explicit trapezoidal rule on the joint
// increment k(y) = f(t, y) h + g(t, y) W:
//   k1 = k(y0),  k2 = k(y0 + k1) (drift at t + h),  y1 = y0 + ½ (k1 + k2),
// with the embedded estimate err = ½ (k1 − k2) (the Euler step minus Heun's).
// Strong order 0.5; 1.0 on commutative and additive noise.
#ifndef PATHWISE_CORE_SOLVER_HEUN_H_
#define PATHWISE_CORE_SOLVER_HEUN_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class Heun final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_HEUN_H_
