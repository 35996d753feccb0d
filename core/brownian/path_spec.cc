#include "core/brownian/path_spec.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace pathwise::brownian {

absl::Status ValidatePathSpec(const PathSpec& spec, const PathLimits& limits) {
  if (spec.dim == 0) return absl::InvalidArgumentError("dim: must be >= 1");
  if (spec.dim > limits.max_dim) {
    return absl::InvalidArgumentError(
        absl::StrCat("dim: ", spec.dim, " exceeds the limit max_dim = ", limits.max_dim));
  }
  if (!std::isfinite(spec.t0)) return absl::InvalidArgumentError("t0: must be finite");
  if (!std::isfinite(spec.t1)) return absl::InvalidArgumentError("t1: must be finite");
  if (!(spec.t0 < spec.t1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("t1: must be > t0 (got t0 = ", spec.t0, ", t1 = ", spec.t1, ")"));
  }
  const double span = spec.t1 - spec.t0;
  if (!std::isfinite(span)) return absl::InvalidArgumentError("t1: t1 - t0 overflows");
  if (!std::isfinite(spec.tol) || spec.tol < 0.0 || spec.tol > span) {
    return absl::InvalidArgumentError(
        absl::StrCat("tol: must be > 0 and <= t1 - t0 = ", span, ", or 0 for the default"));
  }
  if (spec.tol != 0.0 && spec.tol < std::ldexp(span, -kMaxDepth)) {
    return absl::InvalidArgumentError(absl::StrCat("tol: must be >= (t1 - t0) * 2^-", kMaxDepth,
                                                   " = ", std::ldexp(span, -kMaxDepth)));
  }
  switch (spec.levy_area) {
    case LevyArea::kNone:
    case LevyArea::kSpaceTime:
    case LevyArea::kSpaceTimeTime:
      return absl::OkStatus();
  }
  return absl::InvalidArgumentError("levy_area: unknown kind");
}

double ResolvedTolerance(const PathSpec& spec) {
  return spec.tol == 0.0 ? std::ldexp(spec.t1 - spec.t0, -kDefaultDepth) : spec.tol;
}

int TreeDepth(const PathSpec& spec) {
  const double span = spec.t1 - spec.t0;
  const double tol = ResolvedTolerance(spec);
  int depth = 0;
  while (depth < kMaxDepth && std::ldexp(span, -depth) > tol) ++depth;
  return depth;
}

absl::Status ValidateInterval(const PathSpec& spec, double s, double t, absl::string_view field) {
  if (!std::isfinite(s) || !std::isfinite(t)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be finite"));
  }
  if (s < spec.t0 || t > spec.t1) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must lie within [t0, t1] = [", spec.t0, ", ", spec.t1, "]"));
  }
  if (s > t) return absl::InvalidArgumentError(absl::StrCat(field, ": needs s <= t"));
  const double shortest = std::ldexp(spec.t1 - spec.t0, -kMinAreaExponent);
  if (HasSpaceTime(spec.levy_area) && s < t && t - s < shortest) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": the length ", t - s,
                     " is too short for Lévy areas: must be 0 or >= (t1 - t0) * 2^-",
                     kMinAreaExponent, " = ", shortest));
  }
  return absl::OkStatus();
}

}  // namespace pathwise::brownian
