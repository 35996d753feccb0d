// A high-order Strang splitting for the CIR model (after Foster, dos Reis &
// Strange, "High order splitting methods for SDEs satisfying a commutativity
// condition", arXiv 2210.17543): the driving path (t, W) on [t0, t1] is
// replaced by the piecewise-linear path that first moves W by ½W + H, then
// time by h, then W by ½W − H. It matches W, h and both iterated integrals
// ∫ W dt = h(½W + H) and ∫ t dW = h(½W − H) (H normalised, docs/design/brownian_tree.md §1).
// Along each piece the ODE is solved exactly, for the Stratonovich form
//   dy = (ab − σ²/4 − a y) dt + σ √y ∘ dW,
// in z = ±√y, whose noise flow is a shift (dz = σ/2 ∘ dW):
//   noise flow by c:  z ← z + σc/2
//   drift flow by h:  z ← sign(z) √(z² e^{−ah} + (ab − σ²/4) h E_1(ah))   (E_1(x) = (1 − e^{−x})/x)
// starting from z = √y0 and ending with y1 = z² >= 0. The scheme needs
// 4ab >= σ²; below it the drift flow reaches 0 within a step and is stopped
// there, which biases the mean upward and converges very slowly (measured
// table in docs/solver.md).
// Uses W and H; strong order 1.0 when the Feller condition 2ab >= σ² holds
// comfortably, lower when it fails (the paper's experiment). No error estimate.
#ifndef PATHWISE_CORE_SOLVER_CIR_SPLITTING_H_
#define PATHWISE_CORE_SOLVER_CIR_SPLITTING_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class CirSplitting final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_CIR_SPLITTING_H_
