// SEA, the shifted Euler method for additive noise (Foster, dos Reis & Strange,
// arXiv 2210.17543, eq. (5.8)): y1 = y0 + f(t0, y0 + g(½ W + H)) h + g W.
// One drift evaluation; strong order 1.0 on additive noise; no error estimate.
#ifndef PATHWISE_CORE_SOLVER_SEA_H_
#define PATHWISE_CORE_SOLVER_SEA_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class Sea final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_SEA_H_
