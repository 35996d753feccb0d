#include "core/brownian/lane_cursor.h"

#include <algorithm>
#include <bit>

#include "core/brownian/counter_layout.h"
#include "core/brownian/leaf_position.h"

namespace pathwise::brownian {

LaneCursor::LaneCursor(const BrownianPath& base)
    : base_(base),
      dim_(base.dim()),
      wide_(base.dim() * kLanes),
      stride_(3 * wide_),
      depth_(base.depth()),
      kind_(base.levy_area()),
      node_size_(size_t(BlocksPerNode(base.levy_area())) * base.dim()),
      levels_(LevelConstantsTable()),
      root_(stride_, 0.0),
      children_(size_t(depth_) * 2 * stride_, 0.0),
      // One descent's splits and its leaf.
      batch_(kind_, dim_, size_t(depth_) + 1),
      to_s_(stride_),
      to_t_(stride_),
      to_t_in_leaf_(stride_),
      leaf_value_(stride_),
      weights_(kind_) {
  if (dim_ <= kPrefetchMaxDim) {
    prefetch_.emplace(kind_, dim_, depth_);
    leaves_ahead_.emplace(kind_, dim_, depth_);
  }
}

void LaneCursor::Reset(uint64_t first_path_index, size_t count) {
  count_ = count;
  for (size_t i = 0; i < kLanes; ++i) {
    const BrownianPath path = base_.WithPathIndex(first_path_index + std::min(i, count - 1));
    keys_.k0[i] = path.key()[0];
    keys_.k1[i] = path.key()[1];
    const ConstSegment root = path.root();
    for (size_t j = 0; j < dim_; ++j) {
      root_[j * kLanes + i] = root.w[j];
      root_[wide_ + j * kLanes + i] = root.hb[j];
      root_[2 * wide_ + j * kLanes + i] = root.kb[j];
    }
  }
  leaf_ = 0;
  valid_splits_ = 0;
  leaf_draws_for_ = kNoLeaf;
  point_ = KeptPoint{};
  weights_.Rewind();
  // Drawn under the keys before.
  if (prefetch_) prefetch_->Forget();
  if (leaves_ahead_) leaves_ahead_->Forget();
  last_tau_t_ = -1.0;
}

void LaneCursor::CountBlocks(size_t blocks) { stats_.blocks_drawn += blocks * count_; }

ConstSegment LaneCursor::NodeAt(int level) const {
  if (level == 0) return ConstSegment(root_.data(), root_.data() + wide_, root_.data() + 2 * wide_);
  const int side = static_cast<int>((leaf_ >> (depth_ - level)) & 1u);
  const double* base = children_.data() + (size_t(level - 1) * 2 + size_t(side)) * stride_;
  return ConstSegment(base, base + wide_, base + 2 * wide_);
}

void LaneCursor::DescendTo(uint64_t leaf, bool with_leaf) {
  // Nodes at levels [0, depth - diverge] are shared with the cached chain
  // (CachedDescent::FirstSplit); only the splits below are drawn and computed.
  const int diverge = static_cast<int>(std::bit_width(leaf ^ leaf_));
  const int first_split = std::min(depth_ - diverge + 1, valid_splits_);
  const uint64_t previous = leaf_;
  leaf_ = leaf;
  stats_.levels_reused += static_cast<uint64_t>(first_split) * count_;
  stats_.levels_descended += static_cast<uint64_t>(depth_ - first_split) * count_;
  if (first_split == depth_) return;
  // Levels from drawn_to down come from the prefetched subtree (CachedDescent::DescendTo).
  int drawn_to = depth_;
  if (prefetch_) {
    const bool stepping_forward =
        leaf > previous && leaf - previous <= LanePrefetchedSubtree::kForwardReach;
    if (stepping_forward && !prefetch_->Covers(depth_ - 1, leaf)) {
      CountBlocks(prefetch_->DrawAbove(keys_, leaf));
    }
    if (prefetch_->Covers(depth_ - 1, leaf))
      drawn_to = std::max(first_split, prefetch_->root_level());
  }
  batch_.Clear();
  for (int level = first_split; level < drawn_to; ++level) {
    batch_.Add(NodeId(level, leaf >> (depth_ - level)), DrawPurpose::kSplit);
  }
  if (with_leaf) leaf_draws_offset_ = batch_.Add(NodeId(depth_, leaf), DrawPurpose::kLeaf);
  leaf_draws_for_ = with_leaf ? leaf : kNoLeaf;
  if (drawn_to > first_split || with_leaf) CountBlocks(batch_.Fill(keys_));
  for (int level = first_split; level < depth_; ++level) {
    const Draws draws = level < drawn_to ? batch_.At(size_t(level - first_split) * node_size_)
                                         : prefetch_->At(level, leaf);
    SplitNode(kind_, levels_[level], NodeAt(level), draws, wide_, ChildAt(level, 0),
              ChildAt(level, 1));
  }
  valid_splits_ = depth_;
}

bool LaneCursor::NeedsLeafDraws(uint64_t leaf, const LeafPosition& at) const {
  return at.sr > 0.0 && at.ru > 0.0 && !KeepsPoint(leaf, at) &&
         !(leaves_ahead_ && leaves_ahead_->Find(leaf));
}

bool LaneCursor::DrawLeavesAhead(double tau_s, double tau_t, uint64_t leaf_t) {
  if (!leaves_ahead_ || !ContinuesConstantSteps(tau_s, tau_t, last_tau_t_, last_length_)) {
    return true;
  }
  uint64_t leaves[kMaxLeavesAhead];
  const size_t n = StepLeavesAhead(tau_t, tau_t - tau_s, leaf_t, depth_, leaves);
  CountBlocks(leaves_ahead_->Draw(keys_, leaves, n));
  return false;
}

Draws LaneCursor::LeafDraws(uint64_t leaf) {
  if (leaves_ahead_) {
    if (const std::optional<Draws> ahead = leaves_ahead_->Find(leaf)) {
      stats_.leaf_draws_ahead += count_;
      return *ahead;
    }
  }
  if (leaf_draws_for_ != leaf) {
    batch_.Clear();
    leaf_draws_offset_ = batch_.Add(NodeId(depth_, leaf), DrawPurpose::kLeaf);
    CountBlocks(batch_.Fill(keys_));
    leaf_draws_for_ = leaf;
  }
  return batch_.At(leaf_draws_offset_);
}

Segment LaneCursor::Buffer(std::vector<double>& values) const {
  return Segment{values.data(), values.data() + wide_, values.data() + 2 * wide_};
}

ConstSegment LaneCursor::InterpolatedInLeaf(uint64_t leaf, double sr, double ru) {
  const Segment value = Buffer(leaf_value_);
  if (KeepsPoint(leaf, {sr, ru, 0.0})) {
    stats_.leaf_points_reused += count_;
    return value;
  }
  bool replayed = false;
  const LeafWeights& weights = weights_.Get(sr, ru, replayed);
  if (replayed) stats_.leaf_weights_replayed += count_;
  ApplyLeafWeights(kind_, weights, NodeAt(depth_), LeafDraws(leaf), wide_, value);
  point_ = KeptPoint{leaf, sr, ru};
  return value;
}

double LaneCursor::AppendLeafStart(uint64_t leaf, double tau, Segment acc, double p) {
  const LeafPosition at = PositionInLeafOf(tau, leaf, depth_);
  if (at.sr <= 0.0) return p;
  if (at.ru <= 0.0) {
    AppendSegment(kind_, acc, p, NodeAt(depth_), at.length, wide_);
    return p + at.length;
  }
  AppendSegment(kind_, acc, p, InterpolatedInLeaf(leaf, at.sr, at.ru), at.sr, wide_);
  return p + at.sr;
}

double LaneCursor::FoldPoint(int ancestor, uint64_t leaf, double tau, Segment acc) {
  std::fill(acc.w, acc.w + stride_, 0.0);
  double p = 0.0;
  for (int level = ancestor; level < depth_; ++level) {
    if (((leaf >> (depth_ - 1 - level)) & 1u) == 0) continue;
    const double half = PowerOfTwo(-(level + 1));
    AppendSegment(kind_, acc, p, ChildAt(level, 0), half, wide_);
    p += half;
  }
  return AppendLeafStart(leaf, tau, acc, p);
}

double LaneCursor::ComposeAcrossLeaves(double tau_s, uint64_t leaf_s, double tau_t, uint64_t leaf_t,
                                       Segment acc) {
  // BrownianCursor::ComposeAcrossLeaves: the rest of s's leaf, the right
  // siblings up s's chain, the left siblings down t's chain, the start of t's leaf.
  const int ancestor = depth_ - std::bit_width(leaf_s ^ leaf_t);
  std::fill(acc.w, acc.w + stride_, 0.0);
  double p = 0.0;
  const LeafPosition at_s = PositionInLeafOf(tau_s, leaf_s, depth_);
  const LeafPosition at_t = PositionInLeafOf(tau_t, leaf_t, depth_);
  // A solver's step starts at the kept point; its end's leaf draws may have
  // been drawn ahead, or are now (BrownianCursor::ComposeAcrossLeaves).
  const bool s_draws = NeedsLeafDraws(leaf_s, at_s);
  const bool t_draws = NeedsLeafDraws(leaf_t, at_t) && DrawLeavesAhead(tau_s, tau_t, leaf_t);
  DescendTo(leaf_s, s_draws);
  if (at_s.ru > 0.0) {
    const ConstSegment head = InterpolatedInLeaf(leaf_s, at_s.sr, at_s.ru);
    DifferenceOfPoints(kind_, head, at_s.sr, NodeAt(depth_), at_s.length, wide_, acc);
    p = at_s.ru;
  }
  for (int level = depth_ - 1; level > ancestor; --level) {
    if (((leaf_s >> (depth_ - 1 - level)) & 1u) != 0) continue;
    const double length = PowerOfTwo(-(level + 1));
    AppendSegment(kind_, acc, p, ChildAt(level, 1), length, wide_);
    p += length;
  }
  DescendTo(leaf_t, t_draws);
  for (int level = ancestor + 1; level < depth_; ++level) {
    if (((leaf_t >> (depth_ - 1 - level)) & 1u) == 0) continue;
    const double length = PowerOfTwo(-(level + 1));
    AppendSegment(kind_, acc, p, ChildAt(level, 0), length, wide_);
    p += length;
  }
  return AppendLeafStart(leaf_t, tau_t, acc, p);
}

void LaneCursor::Increment(double s, double t, double* w, double* h, double* k) {
  stats_.queries += count_;
  const double tau_s = base_.Normalise(s);
  const double tau_t = base_.Normalise(t);
  const uint64_t leaf_s = LeafIndexOf(tau_s, depth_);
  const uint64_t leaf_t = LeafIndexOf(tau_t, depth_);
  Segment value = Buffer(to_t_);
  double length = 0.0;
  if (tau_s >= tau_t) {
    length = 0.0;
  } else if (tau_s == 0.0) {
    DescendTo(leaf_t, NeedsLeafDraws(leaf_t, PositionInLeafOf(tau_t, leaf_t, depth_)));
    length = FoldPoint(0, leaf_t, tau_t, value);
  } else if (leaf_s == leaf_t) {
    const bool t_draws = NeedsLeafDraws(leaf_t, PositionInLeafOf(tau_t, leaf_t, depth_)) &&
                         DrawLeavesAhead(tau_s, tau_t, leaf_t);
    DescendTo(leaf_s, t_draws || NeedsLeafDraws(leaf_s, PositionInLeafOf(tau_s, leaf_s, depth_)));
    Segment to_s = Buffer(to_s_);
    const double sp = FoldPoint(depth_, leaf_s, tau_s, to_s);
    Segment to_t = Buffer(to_t_in_leaf_);
    const double tp = FoldPoint(depth_, leaf_t, tau_t, to_t);
    DifferenceOfPoints(kind_, to_s, sp, to_t, tp, wide_, value);
    length = tp - sp;
  } else {
    length = ComposeAcrossLeaves(tau_s, leaf_s, tau_t, leaf_t, value);
  }
  last_tau_t_ = tau_t;
  last_length_ = tau_t - tau_s;
  WriteScaled(value, length, w, h, k);
}

void LaneCursor::WriteScaled(ConstSegment value, double length, double* w, double* h, double* k) {
  // BrownianCursor::WriteScaled: back to time units, H and K normalised by the
  // length; the antithetic mirror negates the scale.
  if (!(length > 0.0)) {
    std::fill(w, w + wide_, 0.0);
    if (HasSpaceTime(kind_)) std::fill(h, h + wide_, 0.0);
    if (HasSpaceTimeTime(kind_)) std::fill(k, k + wide_, 0.0);
    return;
  }
  const double scale = base_.spec().antithetic ? -base_.sqrt_span() : base_.sqrt_span();
  const double h_scale = scale / length;
  const double k_scale = scale / (length * length);
  for (size_t j = 0; j < wide_; ++j) w[j] = scale * value.w[j];
  if (HasSpaceTime(kind_)) {
    for (size_t j = 0; j < wide_; ++j) h[j] = h_scale * value.hb[j];
  }
  if (HasSpaceTimeTime(kind_)) {
    for (size_t j = 0; j < wide_; ++j) k[j] = k_scale * value.kb[j];
  }
}

}  // namespace pathwise::brownian
