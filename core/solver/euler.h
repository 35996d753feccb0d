// Euler–Maruyama (Itô): y1 = y0 + f(t, y0) h + g(t, y0) W.
// Strong order 0.5; 1.0 on additive noise. No error estimate (step doubling).
#ifndef PATHWISE_CORE_SOLVER_EULER_H_
#define PATHWISE_CORE_SOLVER_EULER_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class Euler final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_EULER_H_
