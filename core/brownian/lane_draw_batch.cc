#include "core/brownian/lane_draw_batch.h"

namespace pathwise::brownian {

LaneDrawBatch::LaneDrawBatch(LevyArea kind, size_t dim, size_t max_nodes)
    : kind_(kind), dim_(dim), blocks_(BlocksPerNode(kind)) {
  const size_t capacity = max_nodes * size_t(blocks_) * dim_;
  for (auto* counters : {&c0_, &c1_, &c2_, &c3_}) counters->resize(capacity);
  first_.resize(capacity * kLanes);
  second_.resize(capacity * kLanes);
}

size_t LaneDrawBatch::Add(uint64_t node, DrawPurpose purpose) {
  const size_t offset = size_;
  const uint32_t low = static_cast<uint32_t>(node), high = static_cast<uint32_t>(node >> 32);
  size_t e = offset;
  for (int block = 0; block < blocks_; ++block) {
    const uint32_t word = PurposeWord(kind_, purpose, block);
    for (size_t j = 0; j < dim_; ++j, ++e) {
      c0_[e] = low;
      c1_[e] = high;
      c2_[e] = static_cast<uint32_t>(j);
      c3_[e] = word;
    }
  }
  size_ = e;
  return offset;
}

size_t LaneDrawBatch::Fill(const random::LaneKeys& keys) {
  random::FillLaneNormalPairs(keys, c0_.data(), c1_.data(), c2_.data(), c3_.data(), size_,
                              first_.data(), second_.data());
  return size_;
}

}  // namespace pathwise::brownian
