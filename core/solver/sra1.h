// SRA1 (Rößler 2010, SIAM J. Numer. Anal. 48(3)) for additive noise, in the
// additive SRK form of additive_srk.h with the tableau Diffrax uses:
//   a21 = 3/4, c = (0, 3/4), b = (1/3, 2/3), aW = (0, 3/4), aH = (0, 3/2), bW = 1, bH = 0,
//   error weights e = (−2/3, 2/3).
// Two drift evaluations; strong order 1.5 on additive noise; embedded error estimate.
#ifndef PATHWISE_CORE_SOLVER_SRA1_H_
#define PATHWISE_CORE_SOLVER_SRA1_H_

#include "core/solver/additive_srk.h"

namespace pathwise::solver {

class Sra1 final : public AdditiveSrkMethod {
 public:
  Sra1();
  const MethodInfo& info() const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_SRA1_H_
