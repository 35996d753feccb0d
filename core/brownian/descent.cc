#include "core/brownian/descent.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "core/brownian/counter_layout.h"

namespace pathwise::brownian {
namespace {

// Prefetching pays for small dimensions, where one node's draws are too few to
// fill the vector lanes; wide paths vectorise across components anyway.
constexpr size_t kPrefetchMaxDim = 4;

}  // namespace

CachedDescent::CachedDescent(const BrownianPath& path, Cache cache)
    : path_(&path),
      cache_(cache),
      dim_(path.dim()),
      stride_(3 * path.dim()),
      depth_(path.depth()),
      kind_(path.levy_area()),
      node_size_(size_t(BlocksPerNode(path.levy_area())) * path.dim()),
      levels_(LevelConstantsTable()),
      // Two chains: the current one and the second descent of PresplitBoth.
      children_(size_t(depth_) * 4 * stride_, 0.0),
      chain_(size_t(depth_)),
      spare_(size_t(depth_)),
      // Room for two descents with their leaves (PredrawBoth).
      batch_(kind_, dim_, 2 * size_t(depth_ + 1)) {
  for (size_t level = 0; level < chain_.size(); ++level) {
    chain_[level] = level * 2 * stride_;
    spare_[level] = (chain_.size() + level) * 2 * stride_;
  }
  if (dim_ <= kPrefetchMaxDim) prefetch_.emplace(kind_, dim_, depth_);
}

void CachedDescent::Reset(const BrownianPath& path) {
  path_ = &path;
  valid_splits_ = 0;
  leaf_ = 0;
  if (prefetch_) prefetch_->Forget();
  leaf_draws_for_ = kNoLeaf;
  ForgetPredrawn();
}

int CachedDescent::FirstSplit(uint64_t leaf, uint64_t cached, int valid_splits) const {
  // Nodes at levels [0, depth - diverge] are shared with the cached chain, and
  // so are their children; splits below that are computed afresh.
  if (cache_ == Cache::kOff) return 0;
  const int diverge = static_cast<int>(std::bit_width(leaf ^ cached));
  return std::min(depth_ - diverge + 1, valid_splits);
}

void CachedDescent::DescendTo(uint64_t leaf, bool with_leaf_draws) {
  if (TakePresplit(leaf)) return;
  const int first_split = FirstSplit(leaf, leaf_, valid_splits_);
  const uint64_t previous = leaf_;
  leaf_ = leaf;
  stats_.levels_reused += static_cast<uint64_t>(first_split);
  stats_.levels_descended += static_cast<uint64_t>(depth_ - first_split);
  const std::optional<Predrawn> pre = TakePredrawn(leaf, first_split);
  if (pre && pre->with_leaf) {
    leaf_draws_for_ = leaf;
    leaf_draws_offset_ = pre->leaf_offset;
  }
  if (first_split == depth_) return;
  size_t base = 0;  // offset of the first split's draws in batch_
  int drawn_to = depth_;
  if (pre) {
    base = pre->split_offset;
  } else {
    const bool stepping_forward = cache_ == Cache::kOn && leaf > previous && leaf - previous <= 2;
    if (prefetch_ && stepping_forward && !prefetch_->Covers(depth_ - 1, leaf)) {
      stats_.blocks_drawn += prefetch_->DrawAbove(path_->key(), leaf);
    }
    // Levels the prefetched subtree does not hold are drawn now, in one batch.
    if (prefetch_ && prefetch_->Covers(depth_ - 1, leaf)) {
      drawn_to = std::max(first_split, prefetch_->root_level());
    }
    if (drawn_to > first_split) DrawSplits(first_split, drawn_to, leaf, with_leaf_draws);
  }
  for (int level = first_split; level < depth_; ++level) {
    const Draws draws = level < drawn_to
                            ? batch_.At(base + size_t(level - first_split) * node_size_)
                            : prefetch_->At(level, leaf);
    SplitNode(kind_, levels_[level], NodeAt(level), draws, dim_, ChildAt(level, 0),
              ChildAt(level, 1));
  }
  valid_splits_ = depth_;
}

CachedDescent::Predrawn CachedDescent::AddDescent(int from_level, int to_level, uint64_t leaf,
                                                  bool with_leaf) {
  // Node ids depend on the leaf only, not on any value, so they are known up front.
  Predrawn added{leaf, from_level, batch_.size(), with_leaf, 0};
  for (int level = from_level; level < to_level; ++level) {
    batch_.Add(NodeId(level, leaf >> (depth_ - level)), DrawPurpose::kSplit);
  }
  if (with_leaf) added.leaf_offset = batch_.Add(NodeId(depth_, leaf), DrawPurpose::kLeaf);
  return added;
}

void CachedDescent::DrawSplits(int from_level, int to_level, uint64_t leaf, bool with_leaf) {
  ForgetPredrawn();  // the batch is overwritten below
  batch_.Clear();
  const Predrawn drawn = AddDescent(from_level, to_level, leaf, with_leaf);
  leaf_draws_for_ = with_leaf ? leaf : kNoLeaf;
  leaf_draws_offset_ = drawn.leaf_offset;
  stats_.blocks_drawn += batch_.Fill(path_->key());
}

void CachedDescent::PredrawBoth(uint64_t leaf_s, bool s_leaf, uint64_t leaf_t, bool t_leaf) {
  if (dim_ == 1) return PresplitBoth(leaf_s, s_leaf, leaf_t, t_leaf);
  ForgetPredrawn();
  // s's splits below its shared levels, then t's below the common ancestor
  // (where t's descent starts once s's chain is cached), and their leaves.
  batch_.Clear();
  predrawn_[0] = AddDescent(FirstSplit(leaf_s, leaf_, valid_splits_), depth_, leaf_s, s_leaf);
  predrawn_[1] = AddDescent(FirstSplit(leaf_t, leaf_s, depth_), depth_, leaf_t, t_leaf);
  stats_.blocks_drawn += batch_.Fill(path_->key());
  leaf_draws_for_ = kNoLeaf;
}

std::optional<CachedDescent::Predrawn> CachedDescent::TakePredrawn(uint64_t leaf, int first_split) {
  for (Predrawn& entry : predrawn_) {
    if (entry.leaf == leaf && entry.from_level == first_split) {
      const Predrawn taken = entry;
      entry.leaf = kNoLeaf;
      return taken;
    }
  }
  return std::nullopt;
}

void CachedDescent::ForgetPredrawn() {
  for (Predrawn& entry : predrawn_) entry.leaf = kNoLeaf;
  for (Presplit& entry : presplit_) entry.leaf = kNoLeaf;
}

void CachedDescent::PresplitBoth(uint64_t leaf_s, bool s_leaf, uint64_t leaf_t, bool t_leaf) {
  // The levels to split are those PredrawBoth would draw: s's below what it
  // shares with the cached chain, t's below its common ancestor with s.
  const int from_s = FirstSplit(leaf_s, leaf_, valid_splits_);
  const int from_t = FirstSplit(leaf_t, leaf_s, depth_);
  const auto blocks = static_cast<uint32_t>(BlocksPerNode(kind_));
  random::HeapPathCounters descents;
  descents.depth = static_cast<uint32_t>(depth_);
  descents.log2_blocks = blocks == 2 ? 1u : 0u;
  descents.split_word = PurposeWord(kind_, DrawPurpose::kSplit, 0);
  descents.leaf_word = PurposeWord(kind_, DrawPurpose::kLeaf, 0);
  descents.paths[0] = {leaf_s, static_cast<uint32_t>(from_s),
                       static_cast<uint32_t>(depth_ - from_s + int{s_leaf}) * blocks};
  descents.paths[1] = {leaf_t, static_cast<uint32_t>(from_t),
                       static_cast<uint32_t>(depth_ - from_t + int{t_leaf}) * blocks};
  ForgetPredrawn();
  stats_.blocks_drawn += batch_.FillDescents(path_->key(), descents);
  leaf_draws_for_ = kNoLeaf;
  const size_t t_offset = descents.paths[0].count;
  presplit_[0] = {leaf_s, from_s, s_leaf, size_t(depth_ - from_s) * blocks, leaf_};
  presplit_[1] = {leaf_t, from_t, t_leaf, t_offset + size_t(depth_ - from_t) * blocks, leaf_s};
  leaf_ = leaf_s;  // levels above from_s are shared with the cached chain
  switch (kind_) {
    case LevyArea::kNone:
      return SplitBoth<LevyArea::kNone>(t_offset);
    case LevyArea::kSpaceTime:
      return SplitBoth<LevyArea::kSpaceTime>(t_offset);
    case LevyArea::kSpaceTimeTime:
      return SplitBoth<LevyArea::kSpaceTimeTime>(t_offset);
  }
}

namespace {

// The child on the way to a leaf, chosen with bit masks: the way down is
// random, so a branch would be mispredicted half the time.
template <LevyArea kKind>
NodeValues ChildOnTheWay(const Children& children, uint64_t leaf, int shift) {
  const uint64_t right = 0 - ((leaf >> shift) & 1u);
  const auto pick = [right](double left_value, double right_value) {
    return std::bit_cast<double>((std::bit_cast<uint64_t>(left_value) & ~right) |
                                 (std::bit_cast<uint64_t>(right_value) & right));
  };
  NodeValues next;
  next.w = pick(children.left.w, children.right.w);
  if constexpr (HasSpaceTime(kKind)) next.hb = pick(children.left.hb, children.right.hb);
  if constexpr (HasSpaceTimeTime(kKind)) next.kb = pick(children.left.kb, children.right.kb);
  return next;
}

// Stores a one-component node's children where ChildAt finds them.
template <LevyArea kKind>
void StoreChildren(const Children& children, double* left, size_t stride) {
  StoreValues<kKind>(children.left, Segment{left, left + 1, left + 2}, 0);
  StoreValues<kKind>(children.right, Segment{left + stride, left + stride + 1, left + stride + 2},
                     0);
}

}  // namespace

template <LevyArea kKind>
void CachedDescent::SplitBoth(size_t t_offset) {
  // One component and a fixed kind: the node being split stays in registers
  // from level to level, and the two chains of splits, each waiting on the
  // level above, overlap in the pipeline. t's node at its first level is a
  // child on s's chain, split before it (or cached).
  const Presplit& s = presplit_[0];
  const Presplit& t = presplit_[1];
  constexpr size_t kBlocks = BlocksPerNode(kKind);
  constexpr int kDraws = DrawsPerNode(kKind);
  const Draws s_draws = batch_.At(0), t_draws = batch_.At(t_offset);
  double* const children = children_.data();
  const size_t* const chain = chain_.data();
  const size_t* const spare = spare_.data();
  const size_t stride = stride_;
  const int depth = depth_;
  const int s_from = s.from_level, t_from = t.from_level;
  const uint64_t s_leaf = s.leaf, t_leaf = t.leaf;
  NodeValues s_node, t_node;
  if (s_from < depth) s_node = ValuesAt<kKind>(NodeOf(chain, s_leaf, s_from), 0);
  for (int level = std::min(s_from, t_from); level < depth; ++level) {
    const LevelConstants& c = levels_[level];
    if (level >= s_from) {
      const size_t e = size_t(level - s_from) * kBlocks;
      const Children split =
          SplitValues<kKind>(c, s_node, s_draws.draw[0][e], kDraws > 1 ? s_draws.draw[1][e] : 0.0,
                             kDraws > 2 ? s_draws.draw[2][e] : 0.0);
      StoreChildren<kKind>(split, children + chain[level], stride);
      s_node = ChildOnTheWay<kKind>(split, s_leaf, depth - 1 - level);
    }
    if (level >= t_from) {
      if (level == t_from) t_node = ValuesAt<kKind>(NodeOf(chain, t_leaf, t_from), 0);
      const size_t e = size_t(level - t_from) * kBlocks;
      const Children split =
          SplitValues<kKind>(c, t_node, t_draws.draw[0][e], kDraws > 1 ? t_draws.draw[1][e] : 0.0,
                             kDraws > 2 ? t_draws.draw[2][e] : 0.0);
      StoreChildren<kKind>(split, children + spare[level], stride);
      t_node = ChildOnTheWay<kKind>(split, t_leaf, depth - 1 - level);
    }
  }
  valid_splits_ = depth_;
}

bool CachedDescent::TakePresplit(uint64_t leaf) {
  Presplit* taken = nullptr;
  if (presplit_[0].leaf == leaf && leaf_ == leaf) {
    taken = &presplit_[0];
  } else if (presplit_[1].leaf == leaf && leaf_ == presplit_[1].branches_from) {
    taken = &presplit_[1];
    for (size_t level = size_t(taken->from_level); level < chain_.size(); ++level) {
      std::swap(chain_[level], spare_[level]);
    }
    leaf_ = leaf;
  } else {
    return false;
  }
  stats_.levels_reused += static_cast<uint64_t>(taken->from_level);
  stats_.levels_descended += static_cast<uint64_t>(depth_ - taken->from_level);
  if (taken->with_leaf) {
    leaf_draws_for_ = leaf;
    leaf_draws_offset_ = taken->leaf_offset;
  }
  taken->leaf = kNoLeaf;
  return true;
}

void CachedDescent::DrawLeaf(uint64_t leaf) {
  stats_.blocks_drawn += batch_.FillOne(path_->key(), NodeId(depth_, leaf), DrawPurpose::kLeaf);
  ForgetPredrawn();
  leaf_draws_for_ = leaf;
  leaf_draws_offset_ = 0;
}

}  // namespace pathwise::brownian
