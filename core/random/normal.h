// Standard normal variates from Philox blocks, with a fixed budget of random
// bits per output: one Philox4x32 block (128 bits) -> two normals, always.
//
// Box-Muller (Box & Muller 1958): for U in (0, 1] and V in [0, 1),
//   R = sqrt(-2 log U),  Z0 = R cos(2 pi V),  Z1 = R sin(2 pi V)
// are independent N(0, 1). U and V each take 52 bits of the block, so U is
// never 0 and the largest |Z| is sqrt(-2 log 2^-52) = 8.49; the radius is
// resolved to relative steps of 2^-52 / U, which keeps the tail beyond 6 sigma
// (U < e^-18, about 7e7 distinct values) accurate.
#ifndef PATHWISE_CORE_RANDOM_NORMAL_H_
#define PATHWISE_CORE_RANDOM_NORMAL_H_

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/random/elementary.h"
#include "core/random/philox.h"

namespace pathwise::random {

// A double in [1, 2) from the top 52 bits of a 64-bit word (exact, branch-free).
inline double UnitIntervalPlusOne(uint64_t bits) {
  return std::bit_cast<double>((bits >> 12) | (uint64_t{1023} << 52));
}

struct NormalPair {
  double first;
  double second;
};

// Box-Muller on two 64-bit words: the first sets the radius, the second the angle.
inline NormalPair BoxMuller(uint64_t radius_bits, uint64_t angle_bits) {
  const double u = 2.0 - UnitIntervalPlusOne(radius_bits);  // (0, 1]
  const double v = UnitIntervalPlusOne(angle_bits) - 1.0;   // [0, 1)
  const double radius = std::sqrt(-2.0 * DeterministicLog(u));
  const SinCos angle = DeterministicSinCosTurns(v);
  return {radius * angle.cos, radius * angle.sin};
}

// Words 0-1 of the block give the radius, words 2-3 the angle.
inline NormalPair NormalPairFromBlock(const PhiloxBlock& block) {
  const uint64_t radius_bits = (uint64_t{block[1]} << 32) | block[0];
  const uint64_t angle_bits = (uint64_t{block[3]} << 32) | block[2];
  return BoxMuller(radius_bits, angle_bits);
}

inline NormalPair NormalPairAt(const PhiloxCounter& counter, const PhiloxKey& key) {
  return NormalPairFromBlock(Philox4x32_10(counter, key));
}

// The counters of the draws along at most two root-to-leaf paths of a binary
// heap whose node at level l and position p is numbered 2^l + p (the tree of
// core/brownian/counter_layout.h). Entry e of a path is block e mod blocks of
// the node at level from_level + e / blocks on the way to `leaf`; its counter is
// (node id bits 0..31, bits 32..63, component, word + block), word being
// leaf_word for the leaf itself (level == depth) and split_word above it.
// Path 0's entries come first. A fill computes these counters in its loop,
// from (leaf, level), instead of storing and loading them.
struct HeapPathCounters {
  struct Path {
    uint64_t leaf = 0;
    uint32_t from_level = 0;
    uint32_t count = 0;  // entries: nodes times blocks
  };
  Path paths[2];
  uint32_t depth = 0;        // the leaves' level, <= 52
  uint32_t log2_blocks = 0;  // blocks per node: 1 (0) or 2 (1)
  uint32_t component = 0;
  uint32_t split_word = 0;
  uint32_t leaf_word = 0;

  size_t size() const { return size_t{paths[0].count} + paths[1].count; }

  // Entry i < size(). Written with masks instead of branches or selects on
  // loads, so that a fill loop vectorises.
  PhiloxCounter At(size_t i) const {
    const auto index = static_cast<uint32_t>(i);
    const uint32_t second = 0u - static_cast<uint32_t>(index >= paths[0].count);  // all ones or 0
    const uint32_t entry = index - (paths[0].count & second);
    const uint32_t from =
        paths[0].from_level ^ ((paths[0].from_level ^ paths[1].from_level) & second);
    const uint32_t level = from + (entry >> log2_blocks);
    // 2^level + (leaf >> (depth - level)) = (2^depth + leaf) >> (depth - level): one shift.
    const uint64_t leaf_id0 = (uint64_t{1} << depth) | paths[0].leaf;
    const uint64_t leaf_id1 = (uint64_t{1} << depth) | paths[1].leaf;
    const uint64_t leaf_id = leaf_id0 ^ ((leaf_id0 ^ leaf_id1) & (uint64_t{second} << 32 | second));
    const uint64_t id = leaf_id >> (depth - level);
    const uint32_t at_leaf = 0u - static_cast<uint32_t>(level == depth);
    const uint32_t block = entry & ((1u << log2_blocks) - 1u);
    const uint32_t word = (split_word ^ ((split_word ^ leaf_word) & at_leaf)) + block;
    return {static_cast<uint32_t>(id), static_cast<uint32_t>(id >> 32), component, word};
  }
};

// The fills below use the widest instruction set the CPU runs
// (normal_kernels.h); each gives the same bits as NormalPairAt.

// Batch fill: for i in [0, n), the block at counter (c0[i], c1[i], c2[i], c3[i])
// gives first[i] and second[i]. Structure of arrays, no branches: the loop
// vectorises, and each output equals NormalPairAt on the same counter bit for bit.
void FillNormalPairs(const PhiloxKey& key, const uint32_t* c0, const uint32_t* c1,
                     const uint32_t* c2, const uint32_t* c3, size_t n, double* first,
                     double* second);

// Batch fill along the third counter word: counters (c0, c1, c2_begin + i, c3).
// The common case of one node drawing for d consecutive Brownian components.
void FillNormalPairsAlongComponent(const PhiloxKey& key, uint32_t c0, uint32_t c1,
                                   uint32_t c2_begin, uint32_t c3, size_t n, double* first,
                                   double* second);

// Batch fill of the entries of `paths`: entry i gives first[i] and second[i].
// Both arrays need room for size() rounded up to a multiple of
// kHeapPathFillWidth: the fill may run whole vectors, and what it writes past
// size() is not part of the result.
inline constexpr size_t kHeapPathFillWidth = 8;
void FillNormalPairsAlongHeapPaths(const PhiloxKey& key, const HeapPathCounters& paths,
                                   double* first, double* second);

}  // namespace pathwise::random

#endif  // PATHWISE_CORE_RANDOM_NORMAL_H_
