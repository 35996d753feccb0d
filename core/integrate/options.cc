#include "core/integrate/options.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace pathwise::integrate {
namespace {

absl::Status Prefixed(const absl::Status& s, const std::string& prefix) {
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat(prefix, s.message()));
}

absl::Status ValidateSaveAt(const SaveAt& s, double t0, double t1) {
  for (size_t i = 0; i < s.ts.size(); ++i) {
    if (!std::isfinite(s.ts[i]) || s.ts[i] < t0 || s.ts[i] > t1) {
      return absl::InvalidArgumentError(
          absl::StrCat("saveat.ts[", i, "]: must be within [t0, t1]"));
    }
    if (i > 0 && !(s.ts[i] > s.ts[i - 1])) {
      return absl::InvalidArgumentError(
          absl::StrCat("saveat.ts[", i, "]: must be greater than the previous time"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SolveOptions::Validate() const {
  if (!std::isfinite(t0)) return absl::InvalidArgumentError("t0: must be finite");
  if (!std::isfinite(t1) || !(t1 > t0))
    return absl::InvalidArgumentError("t1: must be finite and > t0");
  for (size_t i = 0; i < y0.size(); ++i) {
    if (!std::isfinite(y0[i]))
      return absl::InvalidArgumentError(absl::StrCat("y0[", i, "]: must be finite"));
  }
  absl::Status s = control::ValidateStepControl(step, t0, t1);
  if (!s.ok()) return Prefixed(s, absl::StrCat("step.", control::StepControlName(step), "."));
  s = ValidateSaveAt(saveat, t0, t1);
  if (!s.ok()) return s;
  if (num_paths < 1) return absl::InvalidArgumentError("num_paths: must be >= 1");
  if (first_path > UINT64_MAX - (num_paths - 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "num_paths: first_path + num_paths overflows 2^64 (", first_path, " + ", num_paths, ")"));
  }
  if (!(brownian.tol >= 0.0) || !std::isfinite(brownian.tol)) {
    return absl::InvalidArgumentError("brownian.tol: must be >= 0 and finite");
  }
  for (size_t i = 0; i < statistics.quantile_levels.size(); ++i) {
    const double q = statistics.quantile_levels[i];
    if (!(q >= 0.0 && q <= 1.0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("statistics.quantile_levels[", i, "]: must be in [0, 1]"));
    }
  }
  if (threads < 1) return absl::InvalidArgumentError("threads: must be >= 1");
  if (!(progress_interval_s > 0.0 && progress_interval_s <= 1.0)) {
    return absl::InvalidArgumentError("progress_interval_s: must be in (0, 1]");
  }
  return absl::OkStatus();
}

}  // namespace pathwise::integrate
