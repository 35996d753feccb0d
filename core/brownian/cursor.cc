#include "core/brownian/cursor.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace pathwise::brownian {

BrownianCursor::BrownianCursor(const BrownianPath& path, Cache cache)
    : descent_(path, cache),
      dim_(path.dim()),
      depth_(path.depth()),
      kind_(path.levy_area()),
      to_s_(3 * dim_),
      to_t_(3 * dim_),
      to_t_in_leaf_(3 * dim_),
      point_value_(3 * dim_),
      leaves_ahead_(kind_, dim_, depth_),
      weights_(kind_) {}

void BrownianCursor::Reset(const BrownianPath& path) {
  descent_.Reset(path);
  scaled_length_ = 0.0;  // the span may differ
  point_ = KeptPoint{};
  last_tau_t_ = -1.0;
  leaves_ahead_.Forget();
  weights_.Rewind();
}

Segment BrownianCursor::Buffer(std::vector<double>& values) const {
  return Segment{values.data(), values.data() + dim_, values.data() + 2 * dim_};
}

bool BrownianCursor::KeepsPoint(uint64_t leaf, const LeafPosition& at) const {
  return point_.leaf == leaf && point_.sr == at.sr && point_.ru == at.ru;
}

bool BrownianCursor::NeedsLeafDraws(uint64_t leaf, const LeafPosition& at) const {
  return at.sr > 0.0 && at.ru > 0.0 && !KeepsPoint(leaf, at) && !leaves_ahead_.Find(leaf);
}

Draws BrownianCursor::LeafDraws(uint64_t leaf) {
  if (const std::optional<Draws> ahead = leaves_ahead_.Find(leaf)) {
    ++descent_.stats().leaf_draws_ahead;
    return *ahead;
  }
  return descent_.LeafDraws(leaf);
}

ConstSegment BrownianCursor::InterpolatedInLeaf(uint64_t leaf, double sr, double ru) {
  // The value is a function of the leaf and the position only, so the kept
  // one is exactly what the interpolation would give again.
  const Segment value = Buffer(point_value_);
  if (KeepsPoint(leaf, {sr, ru, 0.0})) {
    ++descent_.stats().leaf_points_reused;
    return value;
  }
  bool replayed = false;
  const LeafWeights& weights = weights_.Get(sr, ru, replayed);
  if (replayed) ++descent_.stats().leaf_weights_replayed;
  ApplyLeafWeights(kind_, weights, descent_.NodeAt(depth_), LeafDraws(leaf), dim_, value);
  point_ = KeptPoint{leaf, sr, ru};
  return value;
}

bool BrownianCursor::DrawLeavesAhead(double tau_s, double tau_t, uint64_t leaf_t) {
  // Wide paths draw one leaf in vector code already (along its components).
  if (!descent_.prefetches() || !ContinuesConstantSteps(tau_s, tau_t, last_tau_t_, last_length_)) {
    return true;
  }
  uint64_t leaves[kMaxLeavesAhead];
  const size_t n = StepLeavesAhead(tau_t, tau_t - tau_s, leaf_t, depth_, leaves);
  descent_.stats().blocks_drawn += leaves_ahead_.Draw(descent_.path().key(), leaves, n);
  return false;
}

double BrownianCursor::AppendLeafStart(uint64_t leaf, double tau, Segment acc, double p) {
  // Nothing at l, the whole node at u, an interpolation (§7) in between.
  const LeafPosition at = PositionInLeaf(tau, leaf);
  if (at.sr <= 0.0) return p;
  if (at.ru <= 0.0) {
    AppendSegment(kind_, acc, p, descent_.NodeAt(depth_), at.length, dim_);
    return p + at.length;
  }
  AppendSegment(kind_, acc, p, InterpolatedInLeaf(leaf, at.sr, at.ru), at.sr, dim_);
  return p + at.sr;
}

double BrownianCursor::FoldPoint(int ancestor, uint64_t leaf, double tau, Segment acc) {
  std::fill(acc.w, acc.w + 3 * dim_, 0.0);
  double p = 0.0;
  for (int level = ancestor; level < depth_; ++level) {
    if (((leaf >> (depth_ - 1 - level)) & 1u) == 0) continue;
    const double half = PowerOfTwo(-(level + 1));
    AppendSegment(kind_, acc, p, descent_.ChildAt(level, 0), half, dim_);
    p += half;
  }
  return AppendLeafStart(leaf, tau, acc, p);
}

double BrownianCursor::ComposeAcrossLeaves(double tau_s, uint64_t leaf_s, double tau_t,
                                           uint64_t leaf_t, Segment acc) {
  // [s, t] is the union, in time order, of: the rest of s's leaf [s, u_s]; the
  // right siblings met going up s's chain to the common ancestor; the left
  // siblings met going down t's chain; and the start of t's leaf [l_t, t].
  // Chen's forward relation (§4) appends them, with values relative to s, so
  // nothing cancels. A dyadic solver step is typically one or two appends.
  const int ancestor = depth_ - std::bit_width(leaf_s ^ leaf_t);
  std::fill(acc.w, acc.w + 3 * dim_, 0.0);
  double p = 0.0;
  const LeafPosition at_s = PositionInLeaf(tau_s, leaf_s);  // sr > 0: leaves are (l, u]
  const LeafPosition at_t = PositionInLeaf(tau_t, leaf_t);
  // A solver's step starts where the last one ended: its start is the kept
  // point. The leaf draws of its end may have been drawn ahead, or are now.
  const bool s_draws = NeedsLeafDraws(leaf_s, at_s);
  const bool t_draws = NeedsLeafDraws(leaf_t, at_t) && DrawLeavesAhead(tau_s, tau_t, leaf_t);
  // A forward step of a solver is served by the prefetch instead.
  const bool near = descent_.prefetches() && leaf_t - leaf_s <= PrefetchedSubtree::kForwardReach;
  if (!near) descent_.PredrawBoth(leaf_s, s_draws, leaf_t, t_draws);
  descent_.DescendTo(leaf_s, s_draws);
  if (at_s.ru > 0.0) {
    const ConstSegment head = InterpolatedInLeaf(leaf_s, at_s.sr, at_s.ru);
    DifferenceOfPoints(kind_, head, at_s.sr, descent_.NodeAt(depth_), at_s.length, dim_, acc);
    p = at_s.ru;
  }
  for (int level = depth_ - 1; level > ancestor; --level) {
    if (((leaf_s >> (depth_ - 1 - level)) & 1u) != 0) continue;
    const double length = PowerOfTwo(-(level + 1));
    AppendSegment(kind_, acc, p, descent_.ChildAt(level, 1), length, dim_);
    p += length;
  }
  descent_.DescendTo(leaf_t, t_draws);
  for (int level = ancestor + 1; level < depth_; ++level) {
    if (((leaf_t >> (depth_ - 1 - level)) & 1u) == 0) continue;
    const double length = PowerOfTwo(-(level + 1));
    AppendSegment(kind_, acc, p, descent_.ChildAt(level, 0), length, dim_);
    p += length;
  }
  return AppendLeafStart(leaf_t, tau_t, acc, p);
}

void BrownianCursor::Increment(double s, double t, double* w, double* h, double* k) {
  ++descent_.stats().queries;
  const BrownianPath& path = descent_.path();
  const double tau_s = path.Normalise(s);
  const double tau_t = path.Normalise(t);
  const uint64_t leaf_s = LeafIndex(tau_s);
  const uint64_t leaf_t = LeafIndex(tau_t);
  Segment value = Buffer(to_t_);
  double length = 0.0;
  if (tau_s >= tau_t) {
    length = 0.0;
  } else if (tau_s == 0.0) {
    // A point value: the left siblings down t's chain, then the start of its leaf.
    descent_.DescendTo(leaf_t, NeedsLeafDraws(leaf_t, PositionInLeaf(tau_t, leaf_t)));
    length = FoldPoint(0, leaf_t, tau_t, value);
  } else if (leaf_s == leaf_t) {
    // Both ends in one leaf: two interpolations with the leaf's draws, differenced.
    const bool t_draws = NeedsLeafDraws(leaf_t, PositionInLeaf(tau_t, leaf_t)) &&
                         DrawLeavesAhead(tau_s, tau_t, leaf_t);
    descent_.DescendTo(leaf_s, t_draws || NeedsLeafDraws(leaf_s, PositionInLeaf(tau_s, leaf_s)));
    Segment to_s = Buffer(to_s_);
    const double sp = FoldPoint(depth_, leaf_s, tau_s, to_s);
    Segment to_t = Buffer(to_t_in_leaf_);
    const double tp = FoldPoint(depth_, leaf_t, tau_t, to_t);
    DifferenceOfPoints(kind_, to_s, sp, to_t, tp, dim_, value);
    length = tp - sp;
  } else {
    length = ComposeAcrossLeaves(tau_s, leaf_s, tau_t, leaf_t, value);
  }
  last_tau_t_ = tau_t;
  last_length_ = tau_t - tau_s;
  WriteScaled(value, length, w, h, k);
}

void BrownianCursor::WriteScaled(ConstSegment value, double length, double* w, double* h,
                                 double* k) {
  // Back to the path's time units (§2), H and K normalised by the length (§1).
  if (!(length > 0.0)) {
    std::fill(w, w + dim_, 0.0);
    if (HasSpaceTime(kind_)) std::fill(h, h + dim_, 0.0);
    if (HasSpaceTimeTime(kind_)) std::fill(k, k + dim_, 0.0);
    return;
  }
  // The antithetic mirror negates every normal of the tree. Every value the
  // tree composes (the root, the midpoint splits of §5, Chen's relation of §4
  // and the leaf interpolation of §7) is a sum of products of draws with
  // coefficients that depend only on times, so it is odd in the draws; and
  // IEEE-754 round-to-nearest is symmetric under negation, so computing with
  // negated draws gives exactly the negated bits. Negating the final scale
  // is therefore bit-identical to negating the normals, at no cost
  // (tests/core/brownian/brownian_invariance_test.cc checks the increments).
  const double scale = descent_.path().spec().antithetic ? -descent_.path().sqrt_span()
                                                         : descent_.path().sqrt_span();
  if (length != scaled_length_) {
    // Solvers step with equal lengths: the two divisions are usually cached.
    scaled_length_ = length;
    h_scale_ = scale / length;
    k_scale_ = scale / (length * length);
  }
  for (size_t j = 0; j < dim_; ++j) w[j] = scale * value.w[j];
  if (HasSpaceTime(kind_)) {
    for (size_t j = 0; j < dim_; ++j) h[j] = h_scale_ * value.hb[j];
  }
  if (HasSpaceTimeTime(kind_)) {
    for (size_t j = 0; j < dim_; ++j) k[j] = k_scale_ * value.kb[j];
  }
}

absl::Status BrownianCursor::CheckedIncrement(double s, double t, double* w, double* h, double* k) {
  const BrownianPath& path = descent_.path();
  if (absl::Status status = ValidateInterval(path.spec(), s, t, "interval"); !status.ok()) {
    return status;
  }
  Increment(s, t, w, h, k);
  return absl::OkStatus();
}

}  // namespace pathwise::brownian
