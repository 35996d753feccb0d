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
#ifndef PATHWISE_CORE_BROWNIAN_PREFETCHED_SUBTREE_H_
#define PATHWISE_CORE_BROWNIAN_PREFETCHED_SUBTREE_H_

#include <cstddef>
#include <cstdint>

#include "core/brownian/draw_batch.h"
#include "core/brownian/levy_area.h"
#include "core/brownian/tree_math.h"
#include "core/random/philox.h"

namespace pathwise::brownian {

class PrefetchedSubtree {
 public:
  static constexpr int kHeight = 6;
  // A descent to a leaf at most this many leaves past the last one is a
  // solver's forward step, served by the subtree: a step of two leaves (the
  // solver's default tol is half the step) spans three when it straddles them.
  static constexpr uint64_t kForwardReach = 3;

  // For a path with this Lévy kind and dim whose leaves are at `depth`.
  PrefetchedSubtree(LevyArea kind, size_t dim, int depth);

  // Holds nothing (a new path).
  void Forget() { root_level_ = -1; }

  // Whether the split at `level` on the way to `leaf` is held.
  bool Covers(int level, uint64_t leaf) const {
    return root_level_ >= 0 && level >= root_level_ &&
           (leaf >> (depth_ - root_level_)) == root_position_;
  }

  // The level of the subtree's root; meaningful while something is held.
  int root_level() const { return root_level_; }

  // Draws every split of the subtree of height kHeight (or the whole tree, if
  // shallower) above `leaf`; returns the number of Philox blocks drawn.
  size_t DrawAbove(const random::PhiloxKey& key, uint64_t leaf);

  // The draws of the split at `level` on the way to `leaf`; Covers(level, leaf).
  Draws At(int level, uint64_t leaf) const {
    const int rel = level - root_level_;
    const uint64_t entry =
        (uint64_t{1} << rel) - 1 + ((leaf >> (depth_ - level)) - (root_position_ << rel));
    return batch_.At(size_t(entry) * node_size_);
  }

 private:
  int depth_;
  size_t node_size_;     // blocks of one node's draws
  int root_level_ = -1;  // -1: nothing held
  uint64_t root_position_ = 0;
  DrawBatch batch_;
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_PREFETCHED_SUBTREE_H_
