// Reads increments of a BrownianPath, keeping the last descent as a cache.
//
// The cursor holds the chain of nodes from the root to the last leaf visited,
// with both children of every split. A query descends only below the deepest
// node it shares with that chain, so a solver stepping forward pays O(1)
// levels per step on average (docs/design/brownian_tree.md §8). Every cached value is a
// pure function of its node id, and each answer is computed by the same
// arithmetic in the same order whether or not levels came from the cache, so
// answers are bit-identical with the cache on or off, in any query order.
//
// A cursor is cheap to create and is not thread-safe: use one per thread.
#ifndef PATHWISE_CORE_BROWNIAN_CURSOR_H_
#define PATHWISE_CORE_BROWNIAN_CURSOR_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "core/brownian/brownian_path.h"
#include "core/brownian/counter_layout.h"

namespace pathwise::brownian {

struct CursorStats {
  uint64_t queries = 0;           // increments answered
  uint64_t levels_descended = 0;  // node splits computed
  uint64_t levels_reused = 0;     // node splits served from the cache
  uint64_t blocks_drawn = 0;      // Philox blocks drawn (two normals each), prefetch included
};

class BrownianCursor {
 public:
  enum class Cache { kOn, kOff };

  explicit BrownianCursor(const BrownianPath& path, Cache cache = Cache::kOn);

  // Points the cursor at another path with the same dim, kind and depth (an
  // ensemble member), keeping its buffers. The cache starts empty.
  void Reset(const BrownianPath& path);

  // The increment over [s, t] in the path's time units, t0 <= s <= t <= t1
  // (unchecked: validate with ValidateInterval first). Writes dim values to w,
  // and to h and k when the path's Lévy kind carries them (else they may be
  // null): W_{s,t}, and H_{s,t}, K_{s,t} normalised by the interval length as in
  // docs/design/brownian_tree.md §1. A zero-length interval gives zeros.
  void Increment(double s, double t, double* w, double* h, double* k);

  // Increment with the interval checked first; errors name it "interval".
  absl::Status CheckedIncrement(double s, double t, double* w, double* h, double* k);

  const BrownianPath& path() const { return *path_; }
  const CursorStats& stats() const { return stats_; }

 private:
  size_t Stride() const { return 3 * dim_; }
  Segment ChildAt(int level, int side);  // child `side` (0 left, 1 right) of the level's node
  ConstSegment NodeAt(int level) const;
  uint64_t LeafIndex(double tau) const;
  // Makes the chain end at `leaf`; with_leaf_draws adds the leaf's own draws
  // to the batch when splits must be drawn anyway.
  void DescendTo(uint64_t leaf, bool with_leaf_draws);
  // The first level to split when descending to `leaf` from the chain of
  // `cached` whose splits [0, valid_splits) are held.
  int FirstSplit(uint64_t leaf, uint64_t cached, int valid_splits) const;
  // Draws of both descents of an interval query, taken by DescendTo.
  struct Predrawn {
    uint64_t leaf;
    int from_level;
    size_t split_offset;
    bool with_leaf;
    size_t leaf_offset;
  };
  void PredrawBoth(uint64_t leaf_s, bool s_leaf, uint64_t leaf_t, bool t_leaf);
  std::optional<Predrawn> TakePredrawn(uint64_t leaf, int first_split);
  void ForgetPredrawn();
  void DrawSplits(int from_level, int to_level, uint64_t leaf, bool with_leaf);
  size_t AddCounters(uint64_t node, DrawPurpose purpose, size_t n);
  bool StrictlyInsideLeaf(double tau, uint64_t leaf) const;
  struct LeafPosition {
    double sr;      // tau - l
    double ru;      // u - tau
    double length;  // u - l
  };
  LeafPosition PositionInLeaf(double tau, uint64_t leaf) const;
  double AppendLeafStart(uint64_t leaf, double tau, Segment acc, double p);
  size_t PadToVectorWidth(size_t n);
  bool PrefetchCovers(int level, uint64_t leaf) const;
  void Prefetch(uint64_t leaf);
  Draws PrefetchedDraws(int level, uint64_t leaf) const;
  // Accumulates the value over [a, tau], a the left end of the leaf's ancestor at
  // `ancestor` (0: a point value; depth: inside the leaf); returns tau - a as
  // the accumulation saw it.
  double FoldPoint(int ancestor, uint64_t leaf, double tau, Segment acc);
  void DrawLeaf(uint64_t leaf);
  Segment Buffer(std::vector<double>& values) const;
  // The increment over [l, r] inside `leaf` = [l, u] (sr = r - l, ru = u - r > 0).
  void InterpolateInLeaf(uint64_t leaf, double sr, double ru, Segment out);
  // The value over [s, t] for ends in different leaves; returns t - s as composed.
  double ComposeAcrossLeaves(double tau_s, uint64_t leaf_s, double tau_t, uint64_t leaf_t,
                             Segment acc);
  void WriteScaled(ConstSegment value, double length, double* w, double* h, double* k);

  const BrownianPath* path_;
  Cache cache_;
  size_t dim_;
  int depth_;
  LevyArea kind_;
  int blocks_;
  const LevelConstants* levels_;  // per-level constants of §5, indexed by level
  // children_[l] holds the left then right child of the node at level l, 3*dim each.
  std::vector<double> children_;
  uint64_t cached_leaf_ = 0;
  int valid_splits_ = 0;  // children_[l] is valid for levels l < valid_splits_
  // Split draws of one subtree, prefetched when the cursor steps forward; they
  // are pure functions of node ids, like every draw, so answers do not change.
  static constexpr int kPrefetchHeight = 6;
  static constexpr size_t kMinPaddedRest = 3;  // shorter tails stay scalar
  static constexpr size_t kPrefetchMaxDim = 4;
  // The last interval length scaled, and its H and K factors sqrt(T)/l, sqrt(T)/l^2.
  double scaled_length_ = 0.0, h_scale_ = 0.0, k_scale_ = 0.0;
  static constexpr uint64_t kNoLeaf = ~uint64_t{0};
  uint64_t leaf_draws_for_ = kNoLeaf;  // leaf whose draws first_/second_ hold
  Predrawn predrawn_[2] = {{kNoLeaf, 0, 0, false, 0}, {kNoLeaf, 0, 0, false, 0}};
  size_t leaf_draws_offset_ = 0;
  bool prefetch_enabled_ = false;
  int prefetch_level_ = -1;  // root level of the prefetched subtree; -1: none
  uint64_t prefetch_position_ = 0;
  std::vector<double> prefetch_first_, prefetch_second_;
  // Scratch: counters and normals for one batch of draws, folded values.
  std::vector<uint32_t> c0_, c1_, c2_, c3_;
  std::vector<double> first_, second_;
  // to_t_ holds each answer; to_s_ and to_t_in_leaf_ the two ends of a query inside one
  // leaf; leaf_value_ an interpolation inside a leaf.
  std::vector<double> to_s_, to_t_, to_t_in_leaf_, leaf_value_;
  CursorStats stats_;
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_CURSOR_H_
