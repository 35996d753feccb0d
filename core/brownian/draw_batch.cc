#include "core/brownian/draw_batch.h"

#include <algorithm>
#include <cassert>

#include "core/random/normal.h"

namespace pathwise::brownian {
namespace {

// The generator's vector width in blocks, and the shortest tail worth padding
// to it: shorter tails are cheaper in scalar code than a padded vector pass.
constexpr size_t kVectorWidth = 8;
constexpr size_t kMinPaddedRest = 3;

}  // namespace

DrawBatch::DrawBatch(LevyArea kind, size_t dim, size_t max_nodes)
    : kind_(kind), dim_(dim), blocks_(BlocksPerNode(kind)) {
  const size_t capacity = max_nodes * size_t(blocks_) * dim_ + kVectorWidth;
  for (auto* counters : {&c0_, &c1_, &c2_, &c3_}) counters->resize(capacity);
  first_.resize(capacity);
  second_.resize(capacity);
}

size_t DrawBatch::PadToVectorWidth() {
  // A batch whose length is not a multiple of the vector width ends in scalar
  // code that costs several times a vector lane; padding with spare counters
  // keeps the whole batch in vector code. The spare results are never read.
  const size_t rest = size_ % kVectorWidth;
  if (rest < kMinPaddedRest) return size_;
  const size_t padded = size_ + (kVectorWidth - rest);
  for (auto* counters : {&c0_, &c1_, &c2_, &c3_}) {
    std::fill(counters->begin() + size_, counters->begin() + padded, 0u);
  }
  return padded;
}

size_t DrawBatch::Fill(const random::PhiloxKey& key) {
  random::FillNormalPairs(key, c0_.data(), c1_.data(), c2_.data(), c3_.data(), PadToVectorWidth(),
                          first_.data(), second_.data());
  return size_;
}

size_t DrawBatch::FillDescents(const random::PhiloxKey& key,
                               const random::HeapPathCounters& descents) {
  assert(dim_ == 1 && descents.size() + random::kHeapPathFillWidth <= first_.size());
  random::FillNormalPairsAlongHeapPaths(key, descents, first_.data(), second_.data());
  size_ = descents.size();
  return size_;
}

size_t DrawBatch::FillOne(const random::PhiloxKey& key, uint64_t node, DrawPurpose purpose) {
  for (int block = 0; block < blocks_; ++block) {
    random::FillNormalPairsAlongComponent(
        key, static_cast<uint32_t>(node), static_cast<uint32_t>(node >> 32), 0u,
        PurposeWord(kind_, purpose, block), dim_, first_.data() + block * dim_,
        second_.data() + block * dim_);
  }
  size_ = size_t(blocks_) * dim_;
  return size_;
}

}  // namespace pathwise::brownian
