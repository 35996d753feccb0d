#include "core/brownian/cursor.h"

#include <bit>
#include <cmath>
#include <optional>

#include "core/brownian/counter_layout.h"
#include "core/random/normal.h"

namespace pathwise::brownian {

BrownianCursor::BrownianCursor(const BrownianPath& path, Cache cache)
    : path_(&path),
      cache_(cache),
      dim_(path.dim()),
      depth_(path.depth()),
      kind_(path.levy_area()),
      blocks_(BlocksPerNode(path.levy_area())),
      levels_(LevelConstantsTable()) {
  children_.assign(size_t(depth_) * 2 * Stride(), 0.0);
  // Room for two descents with their leaves (PredrawBoth), plus padding.
  const size_t max_blocks = 2 * size_t(depth_ + 1) * blocks_ * dim_ + 8;
  for (auto* counters : {&c0_, &c1_, &c2_, &c3_}) counters->resize(max_blocks);
  first_.resize(max_blocks);
  second_.resize(max_blocks);
  // Prefetching pays for small dimensions, where one node's draws are too few
  // to fill the vector lanes; wide paths vectorise across components anyway.
  prefetch_enabled_ = dim_ <= kPrefetchMaxDim;
  if (prefetch_enabled_) {
    const size_t nodes = (size_t{1} << std::min(depth_, kPrefetchHeight)) - 1;
    const size_t blocks = nodes * size_t(blocks_) * dim_;
    prefetch_first_.resize(blocks + 8);
    prefetch_second_.resize(blocks + 8);
    for (auto* counters : {&c0_, &c1_, &c2_, &c3_}) {
      counters->resize(std::max(counters->size(), blocks + 8));
    }
  }
  to_s_.resize(Stride());
  to_t_.resize(Stride());
  to_t_in_leaf_.resize(Stride());
  leaf_value_.resize(Stride());
}

void BrownianCursor::Reset(const BrownianPath& path) {
  path_ = &path;
  valid_splits_ = 0;
  cached_leaf_ = 0;
  prefetch_level_ = -1;
  leaf_draws_for_ = kNoLeaf;
  ForgetPredrawn();
  scaled_length_ = 0.0;  // the span may differ
}

Segment BrownianCursor::ChildAt(int level, int side) {
  double* base = children_.data() + (size_t(level) * 2 + size_t(side)) * Stride();
  return Segment{base, base + dim_, base + 2 * dim_};
}

ConstSegment BrownianCursor::NodeAt(int level) const {
  if (level == 0) return path_->root();
  const int side = static_cast<int>((cached_leaf_ >> (depth_ - level)) & 1u);
  const double* base = children_.data() + (size_t(level - 1) * 2 + size_t(side)) * Stride();
  return ConstSegment(base, base + dim_, base + 2 * dim_);
}

uint64_t BrownianCursor::LeafIndex(double tau) const {
  // The leaf (i 2^-D, (i + 1) 2^-D] containing tau, [0, 2^-D] for tau = 0: the
  // same leaf as descending right exactly when tau is past a midpoint (§6).
  // Integer truncation instead of ceil(), which is a libm call on baseline x86-64.
  const double scaled = tau * PowerOfTwo(depth_);  // exact, in [0, 2^D]
  const auto whole = static_cast<uint64_t>(scaled);
  const bool on_boundary = static_cast<double>(whole) == scaled;
  return on_boundary && whole > 0 ? whole - 1 : whole;
}

void BrownianCursor::DrawSplits(int from_level, int to_level, uint64_t leaf, bool with_leaf) {
  // All normals of the splits at levels [from_level, to_level) in one batch,
  // and the leaf's own draws too when the query needs them; node ids depend on
  // the leaf only, not on any value, so they are known up front.
  size_t n = 0;
  for (int level = from_level; level < to_level; ++level) {
    n = AddCounters(NodeId(level, leaf >> (depth_ - level)), DrawPurpose::kSplit, n);
  }
  ForgetPredrawn();  // first_ and second_ are overwritten below
  leaf_draws_for_ = with_leaf ? leaf : kNoLeaf;
  leaf_draws_offset_ = n;
  if (with_leaf) n = AddCounters(NodeId(depth_, leaf), DrawPurpose::kLeaf, n);
  stats_.blocks_drawn += n;
  n = PadToVectorWidth(n);
  random::FillNormalPairs(path_->key(), c0_.data(), c1_.data(), c2_.data(), c3_.data(), n,
                          first_.data(), second_.data());
}

size_t BrownianCursor::PadToVectorWidth(size_t n) {
  // A batch whose length is not a multiple of the vector width ends in scalar
  // code that costs several times a vector lane; padding with spare counters
  // keeps the whole batch in vector code. The spare results are never read.
  constexpr size_t kWidth = 8;
  const size_t rest = n % kWidth;
  if (rest < kMinPaddedRest) return n;
  const size_t padded = n + (kWidth - rest);
  std::fill(c0_.begin() + n, c0_.begin() + padded, 0u);
  std::fill(c1_.begin() + n, c1_.begin() + padded, 0u);
  std::fill(c2_.begin() + n, c2_.begin() + padded, 0u);
  std::fill(c3_.begin() + n, c3_.begin() + padded, 0u);
  return padded;
}

size_t BrownianCursor::AddCounters(uint64_t node, DrawPurpose purpose, size_t n) {
  const uint32_t low = static_cast<uint32_t>(node), high = static_cast<uint32_t>(node >> 32);
  uint32_t* c0 = c0_.data() + n;
  uint32_t* c1 = c1_.data() + n;
  uint32_t* c2 = c2_.data() + n;
  uint32_t* c3 = c3_.data() + n;
  for (int block = 0; block < blocks_; ++block) {
    const uint32_t word = PurposeWord(kind_, purpose, block);
    for (size_t j = 0; j < dim_; ++j) {
      *c0++ = low;
      *c1++ = high;
      *c2++ = static_cast<uint32_t>(j);
      *c3++ = word;
    }
  }
  return n + size_t(blocks_) * dim_;
}

bool BrownianCursor::PrefetchCovers(int level, uint64_t leaf) const {
  return prefetch_level_ >= 0 && level >= prefetch_level_ &&
         (leaf >> (depth_ - prefetch_level_)) == prefetch_position_;
}

void BrownianCursor::Prefetch(uint64_t leaf) {
  // Draws every split of the subtree of height kPrefetchHeight above the leaf,
  // in heap order, in one vectorised batch: a solver stepping forward then finds
  // the draws of its next descents here instead of drawing one block at a time.
  prefetch_level_ = std::max(0, depth_ - kPrefetchHeight);
  prefetch_position_ = leaf >> (depth_ - prefetch_level_);
  size_t n = 0;
  for (int level = prefetch_level_; level < depth_; ++level) {
    const uint64_t count = uint64_t{1} << (level - prefetch_level_);
    const uint64_t begin = prefetch_position_ << (level - prefetch_level_);
    for (uint64_t pos = begin; pos < begin + count; ++pos) {
      n = AddCounters(NodeId(level, pos), DrawPurpose::kSplit, n);
    }
  }
  stats_.blocks_drawn += n;
  n = PadToVectorWidth(n);
  random::FillNormalPairs(path_->key(), c0_.data(), c1_.data(), c2_.data(), c3_.data(), n,
                          prefetch_first_.data(), prefetch_second_.data());
}

Draws BrownianCursor::PrefetchedDraws(int level, uint64_t leaf) const {
  const int rel = level - prefetch_level_;
  const uint64_t node =
      (uint64_t{1} << rel) - 1 + ((leaf >> (depth_ - level)) - (prefetch_position_ << rel));
  const size_t offset = size_t(node) * size_t(blocks_) * dim_;
  return Draws{{prefetch_first_.data() + offset, prefetch_second_.data() + offset,
                prefetch_first_.data() + offset + dim_}};
}

int BrownianCursor::FirstSplit(uint64_t leaf, uint64_t cached, int valid_splits) const {
  // Nodes at levels [0, depth - diverge] are shared with the cached chain, and
  // so are their children; splits below that are computed afresh.
  if (cache_ == Cache::kOff) return 0;
  const int diverge = static_cast<int>(std::bit_width(leaf ^ cached));
  return std::min(depth_ - diverge + 1, valid_splits);
}

void BrownianCursor::DescendTo(uint64_t leaf, bool with_leaf_draws) {
  const int first_split = FirstSplit(leaf, cached_leaf_, valid_splits_);
  const uint64_t previous = cached_leaf_;
  cached_leaf_ = leaf;
  stats_.levels_reused += static_cast<uint64_t>(first_split);
  stats_.levels_descended += static_cast<uint64_t>(depth_ - first_split);
  const std::optional<Predrawn> pre = TakePredrawn(leaf, first_split);
  if (pre && pre->with_leaf) {
    leaf_draws_for_ = leaf;
    leaf_draws_offset_ = pre->leaf_offset;
  }
  if (first_split == depth_) return;
  size_t base = 0;  // offset of the first split's draws in first_ and second_
  int drawn_to = depth_;
  if (pre) {
    base = pre->split_offset;
  } else {
    const bool stepping_forward = cache_ == Cache::kOn && leaf > previous && leaf - previous <= 2;
    if (prefetch_enabled_ && stepping_forward && !PrefetchCovers(depth_ - 1, leaf)) {
      Prefetch(leaf);
    }
    // Levels the prefetched subtree does not hold are drawn now, in one batch.
    if (PrefetchCovers(depth_ - 1, leaf)) drawn_to = std::max(first_split, prefetch_level_);
    if (drawn_to > first_split) DrawSplits(first_split, drawn_to, leaf, with_leaf_draws);
  }
  for (int level = first_split; level < depth_; ++level) {
    const size_t offset = base + size_t(level - first_split) * blocks_ * dim_;
    const Draws draws = level < drawn_to ? Draws{{first_.data() + offset, second_.data() + offset,
                                                  first_.data() + offset + dim_}}
                                         : PrefetchedDraws(level, leaf);
    SplitNode(kind_, levels_[level], NodeAt(level), draws, dim_, ChildAt(level, 0),
              ChildAt(level, 1));
  }
  valid_splits_ = depth_;
}

void BrownianCursor::PredrawBoth(uint64_t leaf_s, bool s_leaf, uint64_t leaf_t, bool t_leaf) {
  // The draws of both descents of an interval query in one vectorised batch:
  // s's splits below its shared levels, then t's below the common ancestor
  // (where t's descent starts once s's chain is cached), and their leaves.
  const int first_s = FirstSplit(leaf_s, cached_leaf_, valid_splits_);
  const int first_t = FirstSplit(leaf_t, leaf_s, depth_);
  size_t n = 0;
  Predrawn s{leaf_s, first_s, n, s_leaf, 0};
  for (int level = first_s; level < depth_; ++level) {
    n = AddCounters(NodeId(level, leaf_s >> (depth_ - level)), DrawPurpose::kSplit, n);
  }
  if (s_leaf) {
    s.leaf_offset = n;
    n = AddCounters(NodeId(depth_, leaf_s), DrawPurpose::kLeaf, n);
  }
  Predrawn t{leaf_t, first_t, n, t_leaf, 0};
  for (int level = first_t; level < depth_; ++level) {
    n = AddCounters(NodeId(level, leaf_t >> (depth_ - level)), DrawPurpose::kSplit, n);
  }
  if (t_leaf) {
    t.leaf_offset = n;
    n = AddCounters(NodeId(depth_, leaf_t), DrawPurpose::kLeaf, n);
  }
  stats_.blocks_drawn += n;
  n = PadToVectorWidth(n);
  random::FillNormalPairs(path_->key(), c0_.data(), c1_.data(), c2_.data(), c3_.data(), n,
                          first_.data(), second_.data());
  leaf_draws_for_ = kNoLeaf;
  predrawn_[0] = s;
  predrawn_[1] = t;
}

std::optional<BrownianCursor::Predrawn> BrownianCursor::TakePredrawn(uint64_t leaf,
                                                                     int first_split) {
  for (Predrawn& entry : predrawn_) {
    if (entry.leaf == leaf && entry.from_level == first_split) {
      const Predrawn taken = entry;
      entry.leaf = kNoLeaf;
      return taken;
    }
  }
  return std::nullopt;
}

void BrownianCursor::ForgetPredrawn() {
  for (Predrawn& entry : predrawn_) entry.leaf = kNoLeaf;
}

void BrownianCursor::DrawLeaf(uint64_t leaf) {
  const uint64_t node = NodeId(depth_, leaf);
  for (int block = 0; block < blocks_; ++block) {
    random::FillNormalPairsAlongComponent(
        path_->key(), static_cast<uint32_t>(node), static_cast<uint32_t>(node >> 32), 0u,
        PurposeWord(kind_, DrawPurpose::kLeaf, block), dim_, first_.data() + block * dim_,
        second_.data() + block * dim_);
  }
  stats_.blocks_drawn += size_t(blocks_) * dim_;
  ForgetPredrawn();
  leaf_draws_for_ = leaf;
  leaf_draws_offset_ = 0;
}

bool BrownianCursor::StrictlyInsideLeaf(double tau, uint64_t leaf) const {
  const LeafPosition at = PositionInLeaf(tau, leaf);
  return at.sr > 0.0 && at.ru > 0.0;
}

void BrownianCursor::InterpolateInLeaf(uint64_t leaf, double sr, double ru, Segment out) {
  if (leaf_draws_for_ != leaf) DrawLeaf(leaf);
  const double* first = first_.data() + leaf_draws_offset_;
  const double* second = second_.data() + leaf_draws_offset_;
  const Draws draws{{first, second, first + dim_}};
  InterpolateLeaf(kind_, NodeAt(depth_), sr, ru, draws, dim_, out);
}

double BrownianCursor::FoldPoint(int ancestor, uint64_t leaf, double tau, Segment acc) {
  std::fill(acc.w, acc.w + Stride(), 0.0);
  double p = 0.0;
  for (int level = ancestor; level < depth_; ++level) {
    if (((leaf >> (depth_ - 1 - level)) & 1u) == 0) continue;
    const double half = PowerOfTwo(-(level + 1));
    AppendSegment(kind_, acc, p, ChildAt(level, 0), half, dim_);
    p += half;
  }
  return AppendLeafStart(leaf, tau, acc, p);
}

BrownianCursor::LeafPosition BrownianCursor::PositionInLeaf(double tau, uint64_t leaf) const {
  const double length = PowerOfTwo(-depth_);
  const double start = static_cast<double>(leaf) * length;  // exact
  return {tau - start, (start + length) - tau, length};
}

double BrownianCursor::AppendLeafStart(uint64_t leaf, double tau, Segment acc, double p) {
  // Appends [l, tau] of the leaf [l, u] to acc = [a, a + p]: nothing at l, the
  // whole node at u, an interpolation (§7) in between.
  const LeafPosition at = PositionInLeaf(tau, leaf);
  if (at.sr <= 0.0) return p;
  if (at.ru <= 0.0) {
    AppendSegment(kind_, acc, p, NodeAt(depth_), at.length, dim_);
    return p + at.length;
  }
  Segment inside = Buffer(leaf_value_);
  InterpolateInLeaf(leaf, at.sr, at.ru, inside);
  AppendSegment(kind_, acc, p, inside, at.sr, dim_);
  return p + at.sr;
}

Segment BrownianCursor::Buffer(std::vector<double>& values) const {
  return Segment{values.data(), values.data() + dim_, values.data() + 2 * dim_};
}

double BrownianCursor::ComposeAcrossLeaves(double tau_s, uint64_t leaf_s, double tau_t,
                                           uint64_t leaf_t, Segment acc) {
  // [s, t] is the union, in time order, of: the rest of s's leaf [s, u_s]; the
  // right siblings met going up s's chain to the common ancestor; the left
  // siblings met going down t's chain; and the start of t's leaf [l_t, t].
  // Chen's forward relation (§4) appends them, with values relative to s, so
  // nothing cancels. A dyadic solver step is typically one or two appends.
  const int ancestor = depth_ - std::bit_width(leaf_s ^ leaf_t);
  std::fill(acc.w, acc.w + Stride(), 0.0);
  double p = 0.0;
  const LeafPosition at_s = PositionInLeaf(tau_s, leaf_s);  // sr > 0: leaves are (l, u]
  const bool t_inside = StrictlyInsideLeaf(tau_t, leaf_t);
  // A forward step of a solver is served by the prefetch instead.
  const bool near = prefetch_enabled_ && leaf_t - leaf_s <= 2;
  if (!near) PredrawBoth(leaf_s, at_s.ru > 0.0, leaf_t, t_inside);
  DescendTo(leaf_s, at_s.ru > 0.0);
  if (at_s.ru > 0.0) {
    Segment head = Buffer(leaf_value_);
    InterpolateInLeaf(leaf_s, at_s.sr, at_s.ru, head);
    DifferenceOfPoints(kind_, head, at_s.sr, NodeAt(depth_), at_s.length, dim_, acc);
    p = at_s.ru;
  }
  for (int level = depth_ - 1; level > ancestor; --level) {
    if (((leaf_s >> (depth_ - 1 - level)) & 1u) != 0) continue;
    const double length = PowerOfTwo(-(level + 1));
    AppendSegment(kind_, acc, p, ChildAt(level, 1), length, dim_);
    p += length;
  }
  DescendTo(leaf_t, t_inside);
  for (int level = ancestor + 1; level < depth_; ++level) {
    if (((leaf_t >> (depth_ - 1 - level)) & 1u) == 0) continue;
    const double length = PowerOfTwo(-(level + 1));
    AppendSegment(kind_, acc, p, ChildAt(level, 0), length, dim_);
    p += length;
  }
  return AppendLeafStart(leaf_t, tau_t, acc, p);
}

void BrownianCursor::Increment(double s, double t, double* w, double* h, double* k) {
  ++stats_.queries;
  const double tau_s = path_->Normalise(s);
  const double tau_t = path_->Normalise(t);
  const uint64_t leaf_s = LeafIndex(tau_s);
  const uint64_t leaf_t = LeafIndex(tau_t);
  Segment value = Buffer(to_t_);
  double length = 0.0;
  if (tau_s >= tau_t) {
    length = 0.0;
  } else if (tau_s == 0.0) {
    // A point value: the left siblings down t's chain, then the start of its leaf.
    DescendTo(leaf_t, StrictlyInsideLeaf(tau_t, leaf_t));
    length = FoldPoint(0, leaf_t, tau_t, value);
  } else if (leaf_s == leaf_t) {
    // Both ends in one leaf: two interpolations with the leaf's draws, differenced.
    DescendTo(leaf_s, StrictlyInsideLeaf(tau_s, leaf_s));
    Segment to_s = Buffer(to_s_);
    const double sp = FoldPoint(depth_, leaf_s, tau_s, to_s);
    Segment to_t = Buffer(to_t_in_leaf_);
    const double tp = FoldPoint(depth_, leaf_t, tau_t, to_t);
    DifferenceOfPoints(kind_, to_s, sp, to_t, tp, dim_, value);
    length = tp - sp;
  } else {
    length = ComposeAcrossLeaves(tau_s, leaf_s, tau_t, leaf_t, value);
  }
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
  const double scale = path_->sqrt_span();
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
  if (absl::Status status = ValidateInterval(path_->spec(), s, t, "interval"); !status.ok()) {
    return status;
  }
  Increment(s, t, w, h, k);
  return absl::OkStatus();
}

}  // namespace pathwise::brownian
