// SPaRK, the splitting path Runge–Kutta method (Foster, "On the convergence of
// adaptive approximations for SDEs", arXiv 2311.14201, Definition 1.6), for
// Stratonovich SDEs with any noise. Three stages, each evaluating f and g:
//   z_j = y0 + Σ_{i<j} (h a_ji f_i + aW_ji g_i W + aH_ji g_i H)
//   y1  = y0 + Σ_j (h b_j f_j + bW_j g_j W + bH_j g_j H)
//   err = Σ_j (h e_j f_j + eW_j g_j W + eH_j g_j H)
// with x1 = (3 − √3)/6, x2 = √3/3 and
//   a = aW = [[½], [0, 1]], c = (0, ½, 1), aH = [[√3], [0, 0]],
//   b = bW = (x1, x2, x1), bH = (1, 0, −1), e = eW = (x1 − ½, x2, x1 − ½), eH = (1, 0, −1).
// Strong order 0.5 (general), 1.0 (commutative), 1.5 (additive); embedded error.
#ifndef PATHWISE_CORE_SOLVER_SPARK_H_
#define PATHWISE_CORE_SOLVER_SPARK_H_

#include "core/solver/method.h"

namespace pathwise::solver {

class Spark final : public Method {
 public:
  const MethodInfo& info() const override;
  void Prepare(const model::Sde& sde, StepWork& work) const override;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const override;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_SPARK_H_
