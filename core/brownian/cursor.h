// Reads increments of a BrownianPath by composing tree nodes (Chen's relation).
//
// An interval [s, t] is answered from the nodes of the tree's chains to the
// leaves of s and t: the pieces between them are appended in time order by
// Chen's forward relation (docs/design/brownian_tree.md §4), so nothing cancels, and a
// piece inside a leaf is interpolated with the leaf's draws (§7). The chains
// come from a CachedDescent (descent.h), which keeps the last one and splits
// only below the node a query shares with it; its draws come in DrawBatches
// and, for a solver stepping forward, from a PrefetchedSubtree. Every cached
// value and draw is a pure function of its node id, and each answer is
// computed by the same arithmetic in the same order whether or not levels came
// from the cache, so answers are bit-identical with the cache on or off, in any
// query order.
//
// Steps that end inside leaves (a step length that is not a multiple of the
// leaf length) need interpolations (§7). The cursor keeps the last one, which
// is the start of the next step of a solver; draws the leaves the next steps
// of a constant-step solver will end in together (PrefetchedLeaves); and, once
// pointed at another path, replays the interpolation weights of the path
// before (LeafWeightsReplay), since paths stepping on one grid put their
// points at the same places in the same leaves. All three hold pure functions
// of node ids and positions, so they change no bit either.
//
// A cursor is cheap to create and is not thread-safe: use one per thread.
#ifndef PATHWISE_CORE_BROWNIAN_CURSOR_H_
#define PATHWISE_CORE_BROWNIAN_CURSOR_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "core/brownian/brownian_path.h"
#include "core/brownian/cursor_stats.h"
#include "core/brownian/descent.h"
#include "core/brownian/leaf_position.h"
#include "core/brownian/leaf_weights_replay.h"
#include "core/brownian/prefetched_leaves.h"
#include "core/brownian/tree_math.h"

namespace pathwise::brownian {

class BrownianCursor {
 public:
  using Cache = CachedDescent::Cache;

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

  // Increment with the interval checked first; errors name the field `interval`.
  absl::Status CheckedIncrement(double s, double t, double* w, double* h, double* k);

  const BrownianPath& path() const { return descent_.path(); }
  const CursorStats& stats() const { return descent_.stats(); }

 private:
  // The leaf of tau and where tau lies in it (leaf_position.h, shared with
  // the lanes' cursor).
  uint64_t LeafIndex(double tau) const { return LeafIndexOf(tau, depth_); }
  LeafPosition PositionInLeaf(double tau, uint64_t leaf) const {
    return PositionInLeafOf(tau, leaf, depth_);
  }
  Segment Buffer(std::vector<double>& values) const;
  // The increment over [l, r] inside `leaf` = [l, u] (sr = r - l, ru = u - r > 0);
  // the chain must end at `leaf`. Valid until the next call.
  ConstSegment InterpolatedInLeaf(uint64_t leaf, double sr, double ru);
  // Whether InterpolatedInLeaf(leaf, ...) at `at` would be the kept value, and
  // whether it would need leaf draws the descent must provide.
  bool KeepsPoint(uint64_t leaf, const LeafPosition& at) const;
  bool NeedsLeafDraws(uint64_t leaf, const LeafPosition& at) const;
  // The interpolation draws of `leaf`.
  Draws LeafDraws(uint64_t leaf);
  // Before the descent to the leaf of t (strictly inside it) for the query
  // [tau_s, tau_t]: when the query continues the last one with the same
  // length, draws t's leaf with those the next steps of that length will end
  // in, in one batch. Returns whether the descent must still draw t's leaf.
  bool DrawLeavesAhead(double tau_s, double tau_t, uint64_t leaf_t);
  // Appends [l, tau] of the leaf [l, u] to acc = [a, a + p]; returns its new length.
  double AppendLeafStart(uint64_t leaf, double tau, Segment acc, double p);
  // Accumulates the value over [a, tau], a the left end of the leaf's ancestor at
  // `ancestor` (0: a point value; depth: inside the leaf); returns tau - a as
  // the accumulation saw it.
  double FoldPoint(int ancestor, uint64_t leaf, double tau, Segment acc);
  // The value over [s, t] for ends in different leaves; returns t - s as composed.
  double ComposeAcrossLeaves(double tau_s, uint64_t leaf_s, double tau_t, uint64_t leaf_t,
                             Segment acc);
  void WriteScaled(ConstSegment value, double length, double* w, double* h, double* k);

  CachedDescent descent_;
  size_t dim_;
  int depth_;
  LevyArea kind_;
  // The last interval length scaled, and its H and K factors sqrt(T)/l, sqrt(T)/l^2.
  double scaled_length_ = 0.0, h_scale_ = 0.0, k_scale_ = 0.0;
  // to_t_ holds each answer; to_s_ and to_t_in_leaf_ the two ends of a query inside one
  // leaf; point_value_ the last interpolation inside a leaf, at point_.
  std::vector<double> to_s_, to_t_, to_t_in_leaf_, point_value_;
  struct KeptPoint {
    uint64_t leaf = ~uint64_t{0};  // none
    double sr = 0.0, ru = 0.0;
  } point_;
  // The last query's end and length (normalised); a step continues it when it
  // starts at its end.
  double last_tau_t_ = -1.0, last_length_ = 0.0;
  PrefetchedLeaves leaves_ahead_;
  LeafWeightsReplay weights_;
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_CURSOR_H_
