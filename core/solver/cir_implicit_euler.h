// The drift-implicit square-root Euler scheme for CIR (Alfonsi, "On the
// discretization schemes for the CIR (and Bessel squared) processes", Monte
// Carlo Methods Appl. 11, 2005). For z = √y the Itô equation reads
//   dz = ((4ab − σ²)/(8z) − a z/2) dt + σ/2 dW,
// and taking the drift at the new point gives a quadratic with the root
//   z1 = (q + √max(q² + (2 + ah)(4ab − σ²) h / 4, 0)) / (2 + ah),   q = z0 + σW/2,
//   y1 = max(z1, 0)²
// (the max keeps the scheme defined when 4ab < σ², where it is only a heuristic:
// clipping at 0 biases the mean high, converging like dt^0.15 — the scheme's
// limit, measured in docs/solver.md; solver::RegimeWarning flags such solves).
// Uses W only; strong order 1.0 for 4ab > σ² comfortably. No error estimate.
#ifndef PATHWISE_CORE_SOLVER_CIR_IMPLICIT_EULER_H_
#define PATHWISE_CORE_SOLVER_CIR_IMPLICIT_EULER_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class CirImplicitEuler final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_CIR_IMPLICIT_EULER_H_
