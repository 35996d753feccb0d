// One Brownian path: an immutable function of its PathSpec, shareable across
// threads. Values are read through a BrownianCursor (one per thread).
#ifndef PATHWISE_CORE_BROWNIAN_BROWNIAN_PATH_H_
#define PATHWISE_CORE_BROWNIAN_BROWNIAN_PATH_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "core/brownian/path_spec.h"
#include "core/brownian/tree_math.h"
#include "core/random/philox.h"

namespace pathwise::brownian {

class BrownianPath {
 public:
  // Validates the spec (see ValidatePathSpec) and draws the root.
  static absl::StatusOr<BrownianPath> Create(const PathSpec& spec, const PathLimits& limits = {});

  // The path of another ensemble member, with everything else equal. Cheap: O(dim).
  BrownianPath WithPathIndex(uint64_t path_index) const;

  const PathSpec& spec() const { return spec_; }
  uint32_t dim() const { return spec_.dim; }
  LevyArea levy_area() const { return spec_.levy_area; }
  double tol() const { return tol_; }  // resolved: never 0
  int depth() const { return depth_; }
  const random::PhiloxKey& key() const { return key_; }
  double t0() const { return spec_.t0; }
  double t1() const { return spec_.t1; }
  double span() const { return span_; }
  double sqrt_span() const { return sqrt_span_; }
  // Increment over the whole normalised path [0, 1].
  ConstSegment root() const;

  // Normalised time in [0, 1] of t in [t0, t1] (exact at both ends).
  double Normalise(double t) const { return (t - spec_.t0) / span_; }

 private:
  explicit BrownianPath(const PathSpec& spec);
  void DrawRoot();

  PathSpec spec_;
  double tol_;
  int depth_;
  double span_;
  double sqrt_span_;
  random::PhiloxKey key_;
  std::vector<double> root_;  // [W | Hb | Kb], dim each
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_BROWNIAN_PATH_H_
