#include "core/estimate/options.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace pathwise::estimate {

absl::Status EstimateOptions::Validate() const {
  if (!std::isfinite(t0) || !std::isfinite(t1) || !(t0 < t1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("t1: must be finite and > t0, got t0 = ", t0, ", t1 = ", t1));
  }
  for (size_t i = 0; i < y0.size(); ++i) {
    if (!std::isfinite(y0[i])) {
      return absl::InvalidArgumentError(absl::StrCat("y0[", i, "]: must be finite"));
    }
  }
  if (functional.empty()) return absl::InvalidArgumentError("functional: required");
  if (!(target_rmse > 0.0) || !std::isfinite(target_rmse)) {
    return absl::InvalidArgumentError(
        absl::StrCat("target_rmse: must be > 0 and finite, got ", target_rmse));
  }
  // The sample counts are 2/eps^2 times the levels' cost-weighted standard
  // deviations (Giles 2015, (1.9)): below about 1e-154 that factor overflows,
  // and no double could count the samples anyway.
  if (!std::isfinite(2.0 / (target_rmse * target_rmse))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "target_rmse: too small, 2 / target_rmse^2 overflows a double, got ", target_rmse));
  }
  if (estimator != Estimator::kMultilevel && estimator != Estimator::kMonteCarlo) {
    return absl::InvalidArgumentError("estimator: unknown");
  }
  if (!(coarsest_dt >= 0.0) || !(coarsest_dt <= t1 - t0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("coarsest_dt: must be in (0, t1 - t0] (0: (t1 - t0) / 4), got ", coarsest_dt));
  }
  if (max_level < 0 || max_level > kMaxMaxLevel) {
    return absl::InvalidArgumentError(absl::StrCat("max_level: must be in [1, ", kMaxMaxLevel,
                                                   "] (0: ", kDefaultMaxLevel, "), got ",
                                                   max_level));
  }
  const double finest = LevelDt(ResolvedMaxLevel());
  if (!(brownian.tol >= 0.0) || !(brownian.tol < finest)) {
    return absl::InvalidArgumentError(
        absl::StrCat("brownian.tol: must be below the finest level's dt ", finest,
                     " (0: half of it), got ", brownian.tol));
  }
  if (threads < 1) {
    return absl::InvalidArgumentError(absl::StrCat("threads: must be >= 1, got ", threads));
  }
  return absl::OkStatus();
}

double EstimateOptions::ResolvedCoarsestDt() const {
  return coarsest_dt > 0.0 ? coarsest_dt : (t1 - t0) / 4.0;
}

int EstimateOptions::ResolvedMaxLevel() const {
  return max_level > 0 ? max_level : kDefaultMaxLevel;
}

uint64_t EstimateOptions::ResolvedMaxPathSteps() const {
  return max_path_steps > 0 ? max_path_steps : kDefaultMaxPathSteps;
}

double EstimateOptions::LevelDt(int level) const {
  return std::ldexp(ResolvedCoarsestDt(), -level);
}

double EstimateOptions::ResolvedTol() const {
  return brownian.tol > 0.0 ? brownian.tol : 0.5 * LevelDt(ResolvedMaxLevel());
}

}  // namespace pathwise::estimate
