// The normal draws of several tree nodes for a lane of paths (random::kLanes
// paths of one ensemble), drawn in one vectorised call.
//
// The lane's paths split the same nodes with the same counters; only their
// Philox keys differ (counter_layout.h). So a node's counters are added once
// and drawn under every lane's key: draw k of component j of lane i lies at
// index j * kLanes + i of the node's draw arrays. A lane's values therefore
// look like those of one path with dim * kLanes components, and the formulas
// of tree_math.h, which treat every component alike, compute each lane's
// values with exactly the arithmetic of its own path (same bits).
#ifndef PATHWISE_CORE_BROWNIAN_LANE_DRAW_BATCH_H_
#define PATHWISE_CORE_BROWNIAN_LANE_DRAW_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/brownian/counter_layout.h"
#include "core/brownian/levy_area.h"
#include "core/brownian/tree_math.h"
#include "core/random/lane_normal.h"

namespace pathwise::brownian {

class LaneDrawBatch {
 public:
  static constexpr size_t kLanes = random::kLanes;

  // Room for the draws of up to max_nodes nodes of paths with this kind and dim.
  LaneDrawBatch(LevyArea kind, size_t dim, size_t max_nodes);

  // Starts an empty batch; offsets returned before become invalid.
  void Clear() { size_ = 0; }

  // Adds the counters of `node`'s draws for `purpose` (block-major, then
  // component, as DrawBatch); returns the offset for At().
  size_t Add(uint64_t node, DrawPurpose purpose);

  // Draws every counter added under each lane's key; returns the Philox blocks
  // drawn per lane.
  size_t Fill(const random::LaneKeys& keys);

  // The draws of the node added at `offset`, over dim * kLanes components.
  Draws At(size_t offset) const {
    const double* first = first_.data() + offset * kLanes;
    return Draws{{first, second_.data() + offset * kLanes, first + dim_ * kLanes}};
  }

 private:
  LevyArea kind_;
  size_t dim_;
  int blocks_;       // Philox blocks per node and component
  size_t size_ = 0;  // counters added
  std::vector<uint32_t> c0_, c1_, c2_, c3_;
  std::vector<double> first_, second_;  // kLanes per counter
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_LANE_DRAW_BATCH_H_
