#include "core/integrate/plan.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/solver/registry.h"
#include "core/util/status_macros.h"

namespace pathwise::integrate {
namespace {

std::vector<double> SortedUnique(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

absl::StatusOr<SolvePlan> MakePlan(const SolveOptions& opts, const model::Sde& sde,
                                   const solver::Method& method) {
  RETURN_IF_ERROR(opts.Validate());
  if (static_cast<int>(opts.y0.size()) != sde.state_dim()) {
    return absl::InvalidArgumentError(absl::StrCat("y0: the model has state dimension ",
                                                   sde.state_dim(), ", got ", opts.y0.size(),
                                                   " values"));
  }
  RETURN_IF_ERROR(solver::CheckCompatibility(method, sde));
  const solver::MethodInfo& info = method.info();
  SolvePlan plan;
  const brownian::LevyArea needed = info.levy_area;
  const brownian::LevyArea given = opts.brownian.levy_area.value_or(kDefaultLevyArea);
  if (static_cast<int>(given) < static_cast<int>(needed)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "brownian.levy_area: ", info.name, " needs ", std::string(brownian::LevyAreaName(needed)),
        ", got ", std::string(brownian::LevyAreaName(given))));
  }
  plan.spec.seed = opts.seed;
  plan.spec.path_index = opts.first_path;
  plan.spec.dim = static_cast<uint32_t>(sde.noise_dim());
  plan.spec.t0 = opts.t0;
  plan.spec.t1 = opts.t1;
  plan.spec.levy_area = given;
  plan.spec.tol = opts.brownian.tol > 0.0
                      ? opts.brownian.tol
                      : 0.5 * control::SmallestStep(opts.step, opts.t0, opts.t1);
  // Half of a subnormal step can round to 0, which the path would read as its
  // own default, (t1 - t0) 2^-20: far coarser than the steps.
  if (plan.spec.tol == 0.0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "brownian.tol: the default, half the smallest step (",
        control::SmallestStep(opts.step, opts.t0, opts.t1), "), rounds to 0; use larger steps"));
  }
  absl::Status s = brownian::ValidatePathSpec(plan.spec);
  if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat("brownian.", s.message()));

  const SaveAt& sa = opts.saveat;
  std::vector<double> fixed = sa.ts;
  if (sa.t0) fixed.push_back(opts.t0);
  if (sa.t1 || (sa.ts.empty() && !sa.t0 && !sa.steps)) fixed.push_back(opts.t1);
  plan.fixed_save = SortedUnique(std::move(fixed));
  plan.save_steps = sa.steps;

  std::vector<double> hit;
  for (double t : plan.fixed_save) {
    if (t > opts.t0) hit.push_back(t);
  }
  if (const auto* a = std::get_if<control::AdaptiveStep>(&opts.step)) {
    for (double t : a->step_ts) {
      if (t > opts.t0) hit.push_back(t);
    }
  }
  hit.push_back(opts.t1);
  plan.must_hit = SortedUnique(std::move(hit));
  plan.max_steps = opts.max_steps > 0 ? opts.max_steps : kDefaultMaxSteps;
  plan.step_doubling =
      std::holds_alternative<control::AdaptiveStep>(opts.step) && !info.embedded_error;
  // Step doubling estimates the method's own local error; an embedded
  // estimate may declare a lower order (that of its companion).
  plan.error_order = !plan.step_doubling && info.embedded_error_order > 0.0
                         ? info.embedded_error_order
                         : solver::StrongOrder(info, sde.traits()) + 0.5;
  return plan;
}

}  // namespace pathwise::integrate
