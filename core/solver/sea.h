// SEA, the shifted Euler method for additive noise (Foster, dos Reis & Strange,
// arXiv 2210.17543, eq. (5.8)): y1 = y0 + f(t0, y0 + g(½ W + H)) h + g W.
// One drift evaluation; strong order 1.0 on additive noise; no error estimate.
#ifndef PATHWISE_CORE_SOLVER_SEA_H_
#define PATHWISE_CORE_SOLVER_SEA_H_

#include "core/solver/additive_srk.h"

namespace pathwise::solver {

class Sea final : public AdditiveSrkMethod {
 public:
  Sea();
  const MethodInfo& info() const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_SEA_H_
