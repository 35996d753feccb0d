// What a solve resolves once from its options, model and method: the Brownian
// path spec, the times to hit and save, the error-estimate strategy.
#ifndef PATHWISE_CORE_INTEGRATE_PLAN_H_
#define PATHWISE_CORE_INTEGRATE_PLAN_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "core/brownian/path_spec.h"
#include "core/integrate/options.h"
#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::integrate {

struct SolvePlan {
  brownian::PathSpec spec;         // path_index = first_path; tol and kind resolved
  std::vector<double> fixed_save;  // fixed save times (saveat.ts, t0, t1), sorted, unique
  bool save_steps = false;
  std::vector<double> must_hit;  // fixed_save ∪ step_ts ∪ {t1}, sorted, unique, > t0
  uint64_t max_steps = kDefaultMaxSteps;
  double error_order = 1.0;    // local order q of the error estimate (MethodInfo)
  bool step_doubling = false;  // the controller needs an error estimate the method lacks
};

// Validates `opts` and its fit with `sde` and `method` (state dimension,
// compatibility, Lévy area) and resolves the plan.
absl::StatusOr<SolvePlan> MakePlan(const SolveOptions& opts, const model::Sde& sde,
                                   const solver::Method& method);

}  // namespace pathwise::integrate

#endif  // PATHWISE_CORE_INTEGRATE_PLAN_H_
