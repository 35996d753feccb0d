// What identifies one Brownian path, and its validation.
#ifndef PATHWISE_CORE_BROWNIAN_PATH_SPEC_H_
#define PATHWISE_CORE_BROWNIAN_PATH_SPEC_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/brownian/levy_area.h"

namespace pathwise::brownian {

// The path-algorithm version. It names the construction (tree, formulas,
// counter layout, normal generator) and changes exactly when any path changes;
// the golden vectors in tests/core/brownian/brownian_golden_test.cc pin it.
inline constexpr absl::string_view kAlgorithmVersion = "vbt-philox-1";

// The deepest tree allowed: tol >= (t1 - t0) * 2^-kMaxDepth.
inline constexpr int kMaxDepth = 52;

// The default resolution when tol is 0: (t1 - t0) * 2^-kDefaultDepth.
inline constexpr int kDefaultDepth = 20;

struct PathSpec {
  uint64_t seed = 0;
  uint64_t path_index = 0;  // ensemble member; (seed, path_index) pairs give independent paths
  uint32_t dim = 1;         // number of Brownian components, >= 1
  double t0 = 0.0;
  double t1 = 1.0;  // t0 < t1, both finite
  // Tree resolution in time units, in [(t1 - t0) 2^-52, t1 - t0]; 0 means (t1 - t0) 2^-20.
  double tol = 0.0;
  LevyArea levy_area = LevyArea::kNone;
  // The antithetic mirror: every normal of the path negated, so every
  // increment W, H, K is the exact negation of the unmirrored path's. Not part
  // of the path's address (the same draws are read); see BrownianCursor.
  bool antithetic = false;
};

struct PathLimits {
  uint32_t max_dim = 4096;  // largest accepted dim
};

// Checks every field. Error messages name the field as in the wire contract
// (e.g. "tol: must be > 0 and <= t1 - t0"), so the server only adds a prefix.
absl::Status ValidatePathSpec(const PathSpec& spec, const PathLimits& limits = {});

// The tolerance actually used: tol, or (t1 - t0) 2^-20 when tol is 0.
double ResolvedTolerance(const PathSpec& spec);

// Tree depth for a valid spec: the smallest D with (t1 - t0) 2^-D <= tol.
int TreeDepth(const PathSpec& spec);

// The shortest non-empty query with Lévy areas: t - s >= (t1 - t0) * 2^-kMinAreaExponent.
// H and K are normalised by the length and its square (in units of t1 - t0);
// far below it the square underflows and K would be NaN, and on a path of a
// huge span (t1 - t0 beyond about 1e130) a query 2^-266 of it long already
// overflowed K to infinity (both found fuzzing the wire). At 2^-200 every
// value is finite up to the largest span of doubles (tests).
inline constexpr int kMinAreaExponent = 200;

// Checks a query interval [s, t] against a path's [t0, t1] (and, when the path
// carries Lévy areas, its length); `field` names it in errors.
absl::Status ValidateInterval(const PathSpec& spec, double s, double t, absl::string_view field);

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_PATH_SPEC_H_
