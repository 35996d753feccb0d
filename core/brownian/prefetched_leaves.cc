#include "core/brownian/prefetched_leaves.h"

#include "core/brownian/counter_layout.h"

namespace pathwise::brownian {

PrefetchedLeaves::PrefetchedLeaves(LevyArea kind, size_t dim, int depth)
    : depth_(depth), node_size_(size_t(BlocksPerNode(kind)) * dim), batch_(kind, dim, kMaxLeaves) {}

size_t PrefetchedLeaves::Draw(const random::PhiloxKey& key, const uint64_t* leaves, size_t n) {
  batch_.Clear();
  count_ = 0;
  for (size_t i = 0; i < n && i < kMaxLeaves; ++i) {
    batch_.Add(NodeId(depth_, leaves[i]), DrawPurpose::kLeaf);
    leaves_[count_++] = leaves[i];
  }
  return batch_.Fill(key);
}

}  // namespace pathwise::brownian
