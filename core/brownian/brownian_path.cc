#include "core/brownian/brownian_path.h"

#include <cmath>

#include "core/brownian/counter_layout.h"
#include "core/random/normal.h"

namespace pathwise::brownian {

absl::StatusOr<BrownianPath> BrownianPath::Create(const PathSpec& spec, const PathLimits& limits) {
  if (absl::Status status = ValidatePathSpec(spec, limits); !status.ok()) return status;
  return BrownianPath(spec);
}

BrownianPath::BrownianPath(const PathSpec& spec)
    : spec_(spec),
      tol_(ResolvedTolerance(spec)),
      depth_(TreeDepth(spec)),
      span_(spec.t1 - spec.t0),
      sqrt_span_(std::sqrt(spec.t1 - spec.t0)),
      key_(PathKey(spec.seed, spec.path_index)),
      root_(3 * size_t{spec.dim}, 0.0) {
  DrawRoot();
}

BrownianPath BrownianPath::WithPathIndex(uint64_t path_index) const {
  PathSpec spec = spec_;
  spec.path_index = path_index;
  return BrownianPath(spec);
}

ConstSegment BrownianPath::root() const {
  const size_t d = spec_.dim;
  return ConstSegment(root_.data(), root_.data() + d, root_.data() + 2 * d);
}

void BrownianPath::DrawRoot() {
  const size_t d = spec_.dim;
  const LevyArea kind = spec_.levy_area;
  // Two blocks per component cover up to three draws; node id 0 is reserved for the root.
  std::vector<double> draws(4 * d);
  for (int block = 0; block < BlocksPerNode(kind); ++block) {
    random::FillNormalPairsAlongComponent(
        key_, 0u, 0u, 0u, PurposeWord(kind, DrawPurpose::kRoot, block), d,
        draws.data() + (2 * block) * d, draws.data() + (2 * block + 1) * d);
  }
  Segment root{root_.data(), root_.data() + d, root_.data() + 2 * d};
  RootFromDraws(kind, Draws{{draws.data(), draws.data() + d, draws.data() + 2 * d}}, d, root);
}

}  // namespace pathwise::brownian
