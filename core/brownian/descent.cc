#include "core/brownian/descent.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "core/brownian/counter_layout.h"

namespace pathwise::brownian {
namespace {

// A one-component descent draws along its heap path and keeps its node in
// registers (SplitChain) when it splits at least this many levels; a solver's
// step splits one or two, for which the plain batch and loop cost less.
constexpr int kMinChainLevels = 4;

// One level of a one-component descent: splits `node` with the draws at
// `draws`, stores both children where ChildAt finds them (left at `left`,
// right a stride further), and returns the child on the way to `leaf`, picked
// with bit masks because the way down is random and a branch would be
// mispredicted half the time.
template <LevyArea kKind>
NodeValues SplitOnTheWay(const LevelConstants& c, const NodeValues& node, const Draws& draws,
                         double* left, size_t stride, uint64_t leaf, int shift) {
  constexpr int kDraws = DrawsPerNode(kKind);
  const Children split =
      SplitValues<kKind>(c, node, draws.draw[0][0], kDraws > 1 ? draws.draw[1][0] : 0.0,
                         kDraws > 2 ? draws.draw[2][0] : 0.0);
  double* right = left + stride;
  StoreValues<kKind>(split.left, Segment{left, left + 1, left + 2}, 0);
  StoreValues<kKind>(split.right, Segment{right, right + 1, right + 2}, 0);
  const uint64_t go_right = 0 - ((leaf >> shift) & 1u);
  const auto pick = [go_right](double left_value, double right_value) {
    return std::bit_cast<double>((std::bit_cast<uint64_t>(left_value) & ~go_right) |
                                 (std::bit_cast<uint64_t>(right_value) & go_right));
  };
  NodeValues next;
  next.w = pick(split.left.w, split.right.w);
  if constexpr (HasSpaceTime(kKind)) next.hb = pick(split.left.hb, split.right.hb);
  if constexpr (HasSpaceTimeTime(kKind)) next.kb = pick(split.left.kb, split.right.kb);
  return next;
}

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
      // Room for two descents with their leaves (PredrawBoth).
      batch_(kind_, dim_, 2 * size_t(depth_ + 1)) {
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
  if ((presplit_[0].leaf == leaf || presplit_[1].leaf == leaf) && TakePresplit(leaf)) return;
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
    const bool stepping_forward = cache_ == Cache::kOn && leaf > previous &&
                                  leaf - previous <= PrefetchedSubtree::kForwardReach;
    if (prefetch_ && stepping_forward && !prefetch_->Covers(depth_ - 1, leaf)) {
      stats_.blocks_drawn += prefetch_->DrawAbove(path_->key(), leaf);
    }
    // Levels the prefetched subtree does not hold are drawn now, in one batch.
    if (prefetch_ && prefetch_->Covers(depth_ - 1, leaf)) {
      drawn_to = std::max(first_split, prefetch_->root_level());
    }
    if (drawn_to > first_split) DrawSplits(first_split, drawn_to, leaf, with_leaf_draws);
  }
  if (dim_ == 1 && depth_ - first_split >= kMinChainLevels) {
    switch (kind_) {
      case LevyArea::kNone:
        SplitChain<LevyArea::kNone>(first_split, drawn_to, base);
        break;
      case LevyArea::kSpaceTime:
        SplitChain<LevyArea::kSpaceTime>(first_split, drawn_to, base);
        break;
      case LevyArea::kSpaceTimeTime:
        SplitChain<LevyArea::kSpaceTimeTime>(first_split, drawn_to, base);
        break;
    }
  } else {
    for (int level = first_split; level < depth_; ++level) {
      SplitNode(kind_, levels_[level], NodeAt(level), DrawsAt(level, first_split, drawn_to, base),
                dim_, ChildAt(level, 0), ChildAt(level, 1));
    }
  }
  valid_splits_ = depth_;
}

template <LevyArea kKind>
void CachedDescent::SplitChain(int first_split, int drawn_to, size_t base) {
  // One component: the node being split stays in registers from level to level.
  NodeValues node = ValuesAt<kKind>(NodeAt(first_split), 0);
  for (int level = first_split; level < depth_; ++level) {
    node = SplitOnTheWay<kKind>(levels_[level], node, DrawsAt(level, first_split, drawn_to, base),
                                &ChildAt(level, 0).w[0], stride_, leaf_, depth_ - 1 - level);
  }
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

random::HeapPathCounters CachedDescent::OneComponentDescents() const {
  random::HeapPathCounters descents;
  descents.depth = static_cast<uint32_t>(depth_);
  descents.log2_blocks = BlocksPerNode(kind_) == 2 ? 1u : 0u;
  descents.split_word = PurposeWord(kind_, DrawPurpose::kSplit, 0);
  descents.leaf_word = PurposeWord(kind_, DrawPurpose::kLeaf, 0);
  return descents;
}

void CachedDescent::DrawSplits(int from_level, int to_level, uint64_t leaf, bool with_leaf) {
  ForgetPredrawn();  // the batch is overwritten below
  if (dim_ == 1 && to_level - from_level >= kMinChainLevels && (!with_leaf || to_level == depth_)) {
    // The splits and the leaf lie on one heap path: counters in the fill loop.
    random::HeapPathCounters descent = OneComponentDescents();
    const auto blocks = static_cast<uint32_t>(BlocksPerNode(kind_));
    descent.paths[0] = {leaf, static_cast<uint32_t>(from_level),
                        static_cast<uint32_t>(to_level - from_level + int{with_leaf}) * blocks};
    stats_.blocks_drawn += batch_.FillDescents(path_->key(), descent);
    leaf_draws_for_ = with_leaf ? leaf : kNoLeaf;
    leaf_draws_offset_ = size_t(to_level - from_level) * blocks;
    return;
  }
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
  random::HeapPathCounters descents = OneComponentDescents();
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

template <LevyArea kKind>
void CachedDescent::SplitBoth(size_t t_offset) {
  // One component and a fixed kind: the node being split stays in registers
  // from level to level, and the two chains of splits, each waiting on the
  // level above, overlap in the pipeline. t's node at its first level is a
  // child on s's chain, split before it (or cached).
  const Presplit& s = presplit_[0];
  const Presplit& t = presplit_[1];
  constexpr size_t kBlocks = BlocksPerNode(kKind);
  // s's children go to the chain, t's to the spare room after it.
  double* const chain = children_.data();
  const size_t stride = stride_;
  double* const spare = chain + size_t(depth_) * 2 * stride;
  const int depth = depth_;
  const int s_from = s.from_level, t_from = t.from_level;
  const uint64_t s_leaf = s.leaf, t_leaf = t.leaf;
  NodeValues s_node, t_node;
  if (s_from < depth) s_node = ValuesAt<kKind>(NodeOf(chain, s_leaf, s_from), 0);
  for (int level = std::min(s_from, t_from); level < depth; ++level) {
    const LevelConstants& c = levels_[level];
    if (level >= s_from) {
      s_node = SplitOnTheWay<kKind>(c, s_node, batch_.At(size_t(level - s_from) * kBlocks),
                                    chain + size_t(level) * 2 * stride, stride, s_leaf,
                                    depth - 1 - level);
    }
    if (level >= t_from) {
      if (level == t_from) t_node = ValuesAt<kKind>(NodeOf(chain, t_leaf, t_from), 0);
      t_node = SplitOnTheWay<kKind>(
          c, t_node, batch_.At(t_offset + size_t(level - t_from) * kBlocks),
          spare + size_t(level) * 2 * stride, stride, t_leaf, depth - 1 - level);
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
    const size_t begin = size_t(taken->from_level) * 2 * stride_;
    const size_t end = size_t(depth_) * 2 * stride_;
    std::copy(children_.begin() + std::ptrdiff_t(end + begin),
              children_.begin() + std::ptrdiff_t(2 * end),
              children_.begin() + std::ptrdiff_t(begin));
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
