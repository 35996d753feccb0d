// Reads increments of a lane of paths — random::kLanes consecutive members of
// one ensemble — with one walk of the tree for all of them.
//
// The paths of an ensemble differ only in their Philox keys: a query visits
// the same nodes, with the same counters, on every path. So the lane keeps
// one chain of nodes (as CachedDescent does for one path), each node holding
// the values of every lane side by side (component j of lane i at
// j * kLanes + i, see lane_draw_batch.h), draws the splits a descent needs
// under all the lanes' keys in one batch, and composes an answer with the
// formulas of tree_math.h over dim * kLanes components. Those formulas treat
// every component alike, and the composition below follows BrownianCursor's
// step for step (same nodes, same order, same coefficients), so every lane's
// answer is bit for bit its own path's BrownianCursor answer
// (tests/core/brownian/lane_cursor_test.cc).
//
// Not thread-safe: use one per thread.
#ifndef PATHWISE_CORE_BROWNIAN_LANE_CURSOR_H_
#define PATHWISE_CORE_BROWNIAN_LANE_CURSOR_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/brownian/brownian_path.h"
#include "core/brownian/cursor_stats.h"
#include "core/brownian/lane_draw_batch.h"
#include "core/brownian/leaf_position.h"
#include "core/brownian/leaf_weights_replay.h"
#include "core/brownian/prefetched_leaves.h"
#include "core/brownian/prefetched_subtree.h"
#include "core/brownian/tree_math.h"
#include "core/random/lane_normal.h"

namespace pathwise::brownian {

class LaneCursor {
 public:
  static constexpr size_t kLanes = random::kLanes;

  // For the paths of `base`'s ensemble: every spec field but path_index is
  // `base`'s. No lane is set until Reset.
  explicit LaneCursor(const BrownianPath& base);

  // Points lane i at path first_path_index + i for i < count (1 <= count <=
  // kLanes). Lanes past count repeat the last path; their values are computed
  // and never meant to be read. The cache starts empty.
  void Reset(uint64_t first_path_index, size_t count);

  size_t count() const { return count_; }
  size_t dim() const { return dim_; }

  // The increment over [s, t] (as BrownianCursor::Increment, unchecked) for
  // every lane: component j of lane i at w[j * kLanes + i] (and h, k alike when
  // the kind carries them; else they may be null). Each array holds dim * kLanes.
  void Increment(double s, double t, double* w, double* h, double* k);

  // Counts the work of the active lanes as their paths' own cursors would.
  const CursorStats& stats() const { return stats_; }

 private:
  static constexpr uint64_t kNoLeaf = ~uint64_t{0};

  // The chain (as CachedDescent): makes it end at `leaf`, drawing the splits
  // below the levels it shares with the previous chain, and the leaf's own
  // draws when with_leaf, in one batch.
  void DescendTo(uint64_t leaf, bool with_leaf);
  Draws LeafDraws(uint64_t leaf);
  Segment ChildAt(int level, int side) {
    double* base = children_.data() + (size_t(level) * 2 + size_t(side)) * stride_;
    return Segment{base, base + wide_, base + 2 * wide_};
  }
  ConstSegment NodeAt(int level) const;
  void CountBlocks(size_t blocks);

  // BrownianCursor's composition, over the lanes.
  Segment Buffer(std::vector<double>& values) const;
  // The increment over [l, r] inside `leaf` = [l, u] (sr = r - l, ru = u - r > 0)
  // for every lane; the chain must end at `leaf`. Valid until the next call.
  ConstSegment InterpolatedInLeaf(uint64_t leaf, double sr, double ru);
  bool KeepsPoint(uint64_t leaf, const LeafPosition& at) const {
    return point_.leaf == leaf && point_.sr == at.sr && point_.ru == at.ru;
  }
  // Whether an interpolation at `at` in `leaf` needs leaf draws the descent
  // must provide (none for the kept point or a leaf drawn ahead).
  bool NeedsLeafDraws(uint64_t leaf, const LeafPosition& at) const;
  // Before the descent to t's leaf (t strictly inside it) for [tau_s, tau_t]:
  // when the query continues the last one with the same length, draws t's
  // leaf with those the next steps will end in, in one batch (as
  // BrownianCursor does). Returns whether the descent must still draw t's leaf.
  bool DrawLeavesAhead(double tau_s, double tau_t, uint64_t leaf_t);
  double AppendLeafStart(uint64_t leaf, double tau, Segment acc, double p);
  double FoldPoint(int ancestor, uint64_t leaf, double tau, Segment acc);
  double ComposeAcrossLeaves(double tau_s, uint64_t leaf_s, double tau_t, uint64_t leaf_t,
                             Segment acc);
  void WriteScaled(ConstSegment value, double length, double* w, double* h, double* k);

  const BrownianPath base_;
  size_t dim_;
  size_t wide_;    // dim * kLanes: the components the formulas see
  size_t stride_;  // 3 * wide_: one node's W, Hb, Kb
  int depth_;
  LevyArea kind_;
  size_t node_size_;  // counters of one node's draws
  const LevelConstants* levels_;
  size_t count_ = 0;
  random::LaneKeys keys_{};
  std::vector<double> root_;      // 3 * wide_
  std::vector<double> children_;  // [level][side]: 3 * wide_ each
  uint64_t leaf_ = 0;
  int valid_splits_ = 0;
  LaneDrawBatch batch_;
  // A solver stepping forward splits the nodes of one small subtree: all of
  // them are drawn in one fill (as CachedDescent does per path), which keeps
  // the generator's vectors full. Narrow paths only (wide ones fill them per node).
  std::optional<LanePrefetchedSubtree> prefetch_;
  std::optional<LanePrefetchedLeaves> leaves_ahead_;  // narrow paths, as prefetch_
  // The last query's end and length (normalised); a step continues it when it
  // starts at its end.
  double last_tau_t_ = -1.0, last_length_ = 0.0;
  uint64_t leaf_draws_for_ = kNoLeaf;
  size_t leaf_draws_offset_ = 0;
  std::vector<double> to_s_, to_t_, to_t_in_leaf_, leaf_value_;
  // Where leaf_value_ was last interpolated. A solver's step starts where the
  // last one ended, inside a leaf when the step is not dyadic: its start is
  // this point, a pure function of the lanes' keys and the position, so it is
  // reused rather than interpolated again (as BrownianCursor keeps its own).
  struct KeptPoint {
    uint64_t leaf = kNoLeaf;
    double sr = 0.0, ru = 0.0;
  } point_;
  // The next lane of the ensemble steps on the same grid: its interpolation
  // weights are replayed from this lane's (as BrownianCursor does per path).
  LeafWeightsReplay weights_;
  CursorStats stats_;
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_LANE_CURSOR_H_
