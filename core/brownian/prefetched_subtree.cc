#include "core/brownian/prefetched_subtree.h"

#include <algorithm>

#include "core/brownian/counter_layout.h"

namespace pathwise::brownian {

PrefetchedSubtree::PrefetchedSubtree(LevyArea kind, size_t dim, int depth)
    : depth_(depth),
      node_size_(size_t(BlocksPerNode(kind)) * dim),
      batch_(kind, dim, (size_t{1} << std::min(depth, kHeight)) - 1) {}

size_t PrefetchedSubtree::DrawAbove(const random::PhiloxKey& key, uint64_t leaf) {
  root_level_ = std::max(0, depth_ - kHeight);
  root_position_ = leaf >> (depth_ - root_level_);
  batch_.Clear();
  for (int level = root_level_; level < depth_; ++level) {
    const uint64_t count = uint64_t{1} << (level - root_level_);
    const uint64_t begin = root_position_ << (level - root_level_);
    for (uint64_t position = begin; position < begin + count; ++position) {
      batch_.Add(NodeId(level, position), DrawPurpose::kSplit);
    }
  }
  return batch_.Fill(key);
}

}  // namespace pathwise::brownian
