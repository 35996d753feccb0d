// ShARK, the shifted additive-noise Runge–Kutta method (Foster, dos Reis & Strange,
// arXiv 2210.17543, eq. (6.1)) in the additive SRK form of additive_srk.h:
//   a21 = 5/6, c = (0, 5/6), b = (2/5, 3/5), aW = (0, 5/6), aH = (1, 1), bW = 1, bH = 0,
//   error weights e = (−3/5, 3/5).
// Two drift evaluations; strong order 1.5 on additive noise; embedded error estimate.
#ifndef PATHWISE_CORE_SOLVER_SHARK_H_
#define PATHWISE_CORE_SOLVER_SHARK_H_

#include "core/solver/additive_srk.h"

namespace pathwise::solver {

class Shark final : public AdditiveSrkMethod {
 public:
  Shark();
  const MethodInfo& info() const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_SHARK_H_
