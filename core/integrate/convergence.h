// Empirical strong convergence: errors of a method at several constant step
// sizes against a fine-step solution of the same method on the same Brownian
// paths, and the fitted order (the least-squares slope of log error against
// log step size). Used by the tests and by `pathwise-lab orders`.
#ifndef PATHWISE_CORE_INTEGRATE_CONVERGENCE_H_
#define PATHWISE_CORE_INTEGRATE_CONVERGENCE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::integrate {

struct ConvergenceOptions {
  std::vector<double> y0;
  double t0 = 0.0;
  double t1 = 1.0;
  uint64_t seed = 0;
  uint32_t num_paths = 100;
  // Step sizes (t1 − t0) 2^-k for k in [coarsest_level, finest_level]; the
  // reference uses (t1 − t0) 2^-reference_level, reference_level > finest_level.
  int coarsest_level = 2;
  int finest_level = 6;
  int reference_level = 10;
  int threads = 1;
};

struct ConvergenceResult {
  std::vector<double> dts;
  std::vector<double> errors;  // mean over paths of |y(t1) − y_ref(t1)| (Euclidean)
  double order = 0.0;          // fitted slope
  double reference_dt = 0.0;
};

// Least-squares slope of log(y) against log(x) (all values > 0).
double LogLogSlope(absl::Span<const double> x, absl::Span<const double> y);

// Every solve uses one Brownian tree: tol = half the reference step, the Lévy
// area the method needs. Errors are those of SolveEnsemble.
absl::StatusOr<ConvergenceResult> MeasureStrongOrder(const model::Sde& sde,
                                                     const solver::Method& method,
                                                     const ConvergenceOptions& opts);

}  // namespace pathwise::integrate

#endif  // PATHWISE_CORE_INTEGRATE_CONVERGENCE_H_
