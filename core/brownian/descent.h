// The chain of nodes from the root to the last leaf visited, kept as a cache.
//
// The chain holds both children of every split on the way to its leaf. A
// descent to another leaf splits only below the deepest node the two leaves
// share, so a solver stepping forward pays O(1) levels per step on average
// (docs/design/brownian_tree.md §8). Each split's draws come from one of three sources,
// all pure functions of node ids, so the source never changes a bit:
//   - the draws of both descents of an interval query, drawn together up front
//     (PredrawBoth) and taken by the two DescendTo calls that follow;
//   - a PrefetchedSubtree, drawn when the descents step forward (dim <= 4);
//   - otherwise a DrawBatch of just the splits this descent needs.
// The leaf's own draws (§7) ride along in the same batch when asked for, or
// are drawn alone by LeafDraws.
//
// One-component paths take a leaner way through an interval query: PredrawBoth
// draws both descents with their counters computed inside the generator's loop
// (DrawBatch::FillDescents) and splits both chains at once, the two
// independent chains of splits below the common ancestor interleaved level by
// level; the two DescendTo calls that follow then only take the chains (the
// second by copying its levels in). Same formulas, same order: same bits.
#ifndef PATHWISE_CORE_BROWNIAN_DESCENT_H_
#define PATHWISE_CORE_BROWNIAN_DESCENT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/brownian/brownian_path.h"
#include "core/brownian/cursor_stats.h"
#include "core/brownian/draw_batch.h"
#include "core/brownian/levy_area.h"
#include "core/brownian/prefetched_subtree.h"
#include "core/brownian/tree_math.h"

namespace pathwise::brownian {

class CachedDescent {
 public:
  enum class Cache { kOn, kOff };  // kOff: every descent starts at the root

  CachedDescent(const BrownianPath& path, Cache cache);

  // Another path with the same dim, kind and depth; the chain starts empty.
  void Reset(const BrownianPath& path);

  const BrownianPath& path() const { return *path_; }
  // Whether forward steps are served by a PrefetchedSubtree.
  bool prefetches() const { return prefetch_.has_value(); }
  CursorStats& stats() { return stats_; }
  const CursorStats& stats() const { return stats_; }

  // Makes the chain end at `leaf`. with_leaf_draws: the leaf's draws are
  // needed too, so add them to a batch that must be drawn anyway.
  void DescendTo(uint64_t leaf, bool with_leaf_draws);

  // Draws, in one batch, everything the descents to leaf_s then leaf_t will
  // need, with the leaves' draws where s_leaf / t_leaf ask for them.
  void PredrawBoth(uint64_t leaf_s, bool s_leaf, uint64_t leaf_t, bool t_leaf);

  // Child `side` (0 left, 1 right) of the chain's node at `level` < depth.
  Segment ChildAt(int level, int side) {
    double* base = children_.data() + (size_t(level) * 2 + size_t(side)) * stride_;
    return Segment{base, base + dim_, base + 2 * dim_};
  }
  // The chain's node at `level` <= depth; the leaf at level depth.
  ConstSegment NodeAt(int level) const { return NodeOf(children_.data(), leaf_, level); }

  // The interpolation draws of `leaf` (§7), drawn now unless a batch held them.
  Draws LeafDraws(uint64_t leaf) {
    if (leaf_draws_for_ != leaf) DrawLeaf(leaf);
    return batch_.At(leaf_draws_offset_);
  }

 private:
  static constexpr uint64_t kNoLeaf = ~uint64_t{0};
  // Where the draws of one descent lie in batch_: splits from from_level down,
  // then the leaf's draws when with_leaf.
  struct Predrawn {
    uint64_t leaf = kNoLeaf;
    int from_level = 0;
    size_t split_offset = 0;
    bool with_leaf = false;
    size_t leaf_offset = 0;
  };

  // Where a descent's draws and values were made ahead by PredrawBoth for a
  // one-component path: the chain to `leaf`, split from from_level down.
  struct Presplit {
    uint64_t leaf = kNoLeaf;
    int from_level = 0;
    bool with_leaf = false;
    size_t leaf_offset = 0;
    uint64_t branches_from = kNoLeaf;  // the chain that holds its levels above from_level
  };

  // The node at `level` of the chain to `leaf` whose split levels lie at `chain`.
  ConstSegment NodeOf(const double* chain, uint64_t leaf, int level) const {
    if (level == 0) return path_->root();
    const auto side = static_cast<size_t>((leaf >> (depth_ - level)) & 1u);
    const double* base = chain + (size_t(level - 1) * 2 + side) * stride_;
    return ConstSegment(base, base + dim_, base + 2 * dim_);
  }

  // The first level to split when descending to `leaf` from the chain of
  // `cached` whose splits [0, valid_splits) are held.
  int FirstSplit(uint64_t leaf, uint64_t cached, int valid_splits) const;
  // Adds to batch_ the splits at levels [from_level, to_level) on the way to
  // `leaf`, then its leaf draws when with_leaf.
  Predrawn AddDescent(int from_level, int to_level, uint64_t leaf, bool with_leaf);
  void DrawSplits(int from_level, int to_level, uint64_t leaf, bool with_leaf);
  std::optional<Predrawn> TakePredrawn(uint64_t leaf, int first_split);
  void ForgetPredrawn();
  void DrawLeaf(uint64_t leaf);
  // The draws of the split at `level` of a descent from first_split: in batch_
  // from `base` above drawn_to, in the prefetched subtree below.
  Draws DrawsAt(int level, int first_split, int drawn_to, size_t base) const {
    return level < drawn_to ? batch_.At(base + size_t(level - first_split) * node_size_)
                            : prefetch_->At(level, leaf_);
  }
  template <LevyArea kKind>
  void SplitChain(int first_split, int drawn_to, size_t base);
  // Counters of one-component descents: the tree's words, no path yet.
  random::HeapPathCounters OneComponentDescents() const;
  // The one-component PredrawBoth, and DescendTo's use of what it made.
  void PresplitBoth(uint64_t leaf_s, bool s_leaf, uint64_t leaf_t, bool t_leaf);
  template <LevyArea kKind>
  void SplitBoth(size_t t_offset);
  bool TakePresplit(uint64_t leaf);

  const BrownianPath* path_;
  Cache cache_;
  size_t dim_;
  size_t stride_;  // 3 * dim: one node's W, Hb, Kb
  int depth_;
  LevyArea kind_;
  size_t node_size_;              // blocks of one node's draws
  const LevelConstants* levels_;  // per-level constants of §5, indexed by level
  // children_ holds, for each level l, the left then right child of the
  // chain's node at level l, 3*dim each; then as much room again for another
  // chain's (the second descent of PresplitBoth), copied in when taken.
  std::vector<double> children_;
  uint64_t leaf_ = 0;     // the chain's leaf
  int valid_splits_ = 0;  // children_[l] is valid for levels l < valid_splits_
  DrawBatch batch_;
  Predrawn predrawn_[2];
  Presplit presplit_[2];               // [1] lies in the spare room below its from_level
  uint64_t leaf_draws_for_ = kNoLeaf;  // leaf whose draws batch_ holds
  size_t leaf_draws_offset_ = 0;
  std::optional<PrefetchedSubtree> prefetch_;
  CursorStats stats_;
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_DESCENT_H_
