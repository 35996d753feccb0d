// The split draws of one subtree, drawn ahead when a solver steps forward.
//
// A solver stepping forward descends to neighbouring leaves, so its next
// descents split nodes of the same small subtree above the leaf. Drawing all
// that subtree's splits at once — kHeight levels, 2^kHeight - 1 nodes, in one
// vectorised batch — replaces many batches of one or two nodes. Draws are pure
// functions of node ids, so where a draw came from changes no bit.
//
// Nodes are held in heap order below the subtree's root: relative level r,
// position p within that level is entry 2^r - 1 + p.
//
// One path's cursor draws them in a DrawBatch under its key
// (PrefetchedSubtree), a lane of paths in a LaneDrawBatch under the lane's
// keys (LanePrefetchedSubtree): the same nodes in the same order either way.
#ifndef PATHWISE_CORE_BROWNIAN_PREFETCHED_SUBTREE_H_
#define PATHWISE_CORE_BROWNIAN_PREFETCHED_SUBTREE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "core/brownian/counter_layout.h"
#include "core/brownian/draw_batch.h"
#include "core/brownian/lane_draw_batch.h"
#include "core/brownian/levy_area.h"
#include "core/brownian/tree_math.h"

namespace pathwise::brownian {

// Prefetching (a subtree, leaves ahead) pays for paths this narrow, where one
// node's draws are too few to fill the generator's vectors; wider paths
// vectorise across their components anyway. Both cursors use this bound.
inline constexpr size_t kPrefetchMaxDim = 4;

// Batch: DrawBatch or LaneDrawBatch (Clear, Add, Fill(keys), At).
template <class Batch>
class BasicPrefetchedSubtree {
 public:
  static constexpr int kHeight = 6;
  // A descent to a leaf at most this many leaves past the last one is a
  // solver's forward step, served by the subtree: a step of two leaves (the
  // solver's default tol is half the step) spans three when it straddles them.
  static constexpr uint64_t kForwardReach = 3;

  // For paths with this Lévy kind and dim whose leaves are at `depth`.
  BasicPrefetchedSubtree(LevyArea kind, size_t dim, int depth)
      : depth_(depth),
        node_size_(size_t(BlocksPerNode(kind)) * dim),
        batch_(kind, dim, (size_t{1} << std::min(depth, kHeight)) - 1) {}

  // Holds nothing (a new path, or new keys).
  void Forget() { root_level_ = -1; }

  // Whether the split at `level` on the way to `leaf` is held.
  bool Covers(int level, uint64_t leaf) const {
    return root_level_ >= 0 && level >= root_level_ &&
           (leaf >> (depth_ - root_level_)) == root_position_;
  }

  // The level of the subtree's root; meaningful while something is held.
  int root_level() const { return root_level_; }

  // Draws every split of the subtree of height kHeight (or the whole tree, if
  // shallower) above `leaf` under `keys` (the batch's Fill argument); returns
  // the number of Philox blocks drawn (per key).
  template <class Keys>
  size_t DrawAbove(const Keys& keys, uint64_t leaf) {
    root_level_ = std::max(0, depth_ - kHeight);
    root_position_ = leaf >> (depth_ - root_level_);
    batch_.Clear();
    for (int level = root_level_; level < depth_; ++level) {
      const uint64_t count = uint64_t{1} << (level - root_level_);
      const uint64_t begin = root_position_ << (level - root_level_);
      for (uint64_t position = begin; position < begin + count; ++position) {
        batch_.Add(NodeId(level, position), DrawPurpose::kSplit);
      }
    }
    return batch_.Fill(keys);
  }

  // The draws of the split at `level` on the way to `leaf`; Covers(level, leaf).
  Draws At(int level, uint64_t leaf) const {
    const int rel = level - root_level_;
    const uint64_t entry =
        (uint64_t{1} << rel) - 1 + ((leaf >> (depth_ - level)) - (root_position_ << rel));
    return batch_.At(size_t(entry) * node_size_);
  }

 private:
  int depth_;
  size_t node_size_;     // counters of one node's draws
  int root_level_ = -1;  // -1: nothing held
  uint64_t root_position_ = 0;
  Batch batch_;
};

using PrefetchedSubtree = BasicPrefetchedSubtree<DrawBatch>;
using LanePrefetchedSubtree = BasicPrefetchedSubtree<LaneDrawBatch>;

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_PREFETCHED_SUBTREE_H_
