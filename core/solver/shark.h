// ShARK, the shifted additive-noise Runge–Kutta method (Foster, dos Reis & Strange,
// arXiv 2210.17543, eq. (6.1)) in the additive SRK form of additive_srk.h:
//   a21 = 5/6, c = (0, 5/6), b = (2/5, 3/5), aW = (0, 5/6), aH = (1, 1), bW = 1, bH = 0,
//   error weights e = (−3/5, 3/5).
// Two drift evaluations; strong order 1.5 on additive noise; embedded error estimate.
#ifndef PATHWISE_CORE_SOLVER_SHARK_H_
#define PATHWISE_CORE_SOLVER_SHARK_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class Shark final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_SHARK_H_
