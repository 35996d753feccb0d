// E[f(y(t1))] to a target root-mean-square error: Giles' multilevel Monte
// Carlo (Operations Research 56(3), 2008; Acta Numerica 24, 2015), or plain
// Monte Carlo on one level for comparison. docs/estimate.md gives the
// algorithm with its formulas and defaults.
//
// Deterministic: samples come from fixed paths (sample_layout.h) in blocks
// whose statistics are combined in block order, and every decision (samples
// per level, new levels) is taken from those combined statistics, so the same
// request gives the same bits on any number of threads or replicas.
#ifndef PATHWISE_CORE_ESTIMATE_ESTIMATE_H_
#define PATHWISE_CORE_ESTIMATE_ESTIMATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/estimate/functional.h"
#include "core/estimate/options.h"
#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::estimate {

// Names the estimator's algorithm (bumped when any estimate changes) and the
// Brownian path algorithm it reads.
inline constexpr char kEstimatorVersion[] = "giles-mlmc-1";

struct EstimateResult {
  double value = 0.0;           // sum over levels of the level means
  double standard_error = 0.0;  // sqrt(sum V_l / N_l)
  // |E[P - P_L]| estimated from the finest corrections and the weak order
  // alpha (0 for Monte Carlo, which has no second level to estimate it).
  double bias_estimate = 0.0;
  double rmse_estimate = 0.0;  // sqrt(standard_error^2 + bias_estimate^2)
  std::vector<LevelStatistics> levels;
  uint64_t total_path_steps = 0;
  // The RMSE target was met: bias <= target/sqrt(2) (multilevel) and
  // variance <= target^2/2, within max_level and max_path_steps.
  bool converged = false;
  bool path_step_budget_reached = false;  // stopped by max_path_steps
  double alpha = 0.0;                     // fitted weak order |E[Y_l]| ~ 2^-alpha l (multilevel)
  double beta = 0.0;                      // fitted variance decay V_l ~ 2^-beta l (multilevel)
  std::string algorithm;                  // e.g. "giles-mlmc-1/vbt-philox-1"
};

// `functional` is compiled in `scope` (errors name "functional"); `sde` and
// `method` as for a solve (a mismatch is MakePlan's error). Errors are
// InvalidArgument naming the field, or a sample that failed.
absl::StatusOr<EstimateResult> Estimate(const model::Sde& sde, const solver::Method& method,
                                        const FunctionalScope& scope, const EstimateOptions& opts);

}  // namespace pathwise::estimate

#endif  // PATHWISE_CORE_ESTIMATE_ESTIMATE_H_
