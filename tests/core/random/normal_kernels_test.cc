// The batch kernels of normal_kernels.h: on every instruction set this CPU
// runs, each fill gives the scalar NormalPairAt bits for every entry, for
// batch lengths that end in whole vectors and in tails of every length; and
// the heap-path counters address the tree's nodes as counter_layout.h does.
#include "core/random/normal_kernels.h"

#include <gtest/gtest.h>

#include <cstring>
#include <iostream>
#include <vector>

#include "core/random/normal.h"

namespace pathwise::random {
namespace {

constexpr PhiloxKey kKey = {0x2468ace0u, 0x13579bdfu};

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof(double)) == 0; }

// The instruction sets this CPU runs; the skipped ones are named in the log.
std::vector<VectorIsa> RunnableIsas() {
  std::vector<VectorIsa> runnable;
  for (VectorIsa isa : kAllVectorIsas) {
    if (CpuRuns(isa)) {
      runnable.push_back(isa);
    } else {
      std::cout << "[ SKIPPED  ] " << VectorIsaName(isa) << ": not run by this CPU\n";
    }
  }
  return runnable;
}

TEST(NormalKernelsTest, BaselineAlwaysRunsAndTheWidestIsUsed) {
  EXPECT_TRUE(CpuRuns(VectorIsa::kBaseline));
  EXPECT_TRUE(CpuRuns(FillIsa()));
  for (VectorIsa isa : kAllVectorIsas) {
    if (static_cast<int>(isa) > static_cast<int>(FillIsa())) {
      EXPECT_FALSE(CpuRuns(isa));
    }
  }
}

TEST(NormalKernelsTest, ArrayFillEqualsScalarOnEveryKernel) {
  for (VectorIsa isa : RunnableIsas()) {
    for (size_t n = 0; n <= 41; ++n) {
      std::vector<uint32_t> c0(n), c1(n), c2(n), c3(n);
      for (size_t i = 0; i < n; ++i) {
        c0[i] = static_cast<uint32_t>(i * 2654435761u);
        c1[i] = static_cast<uint32_t>(n - i);
        c2[i] = static_cast<uint32_t>(i % 5);
        c3[i] = 0x01020300u + static_cast<uint32_t>(i & 1);
      }
      std::vector<double> first(n), second(n);
      FillNormalPairsOn(isa, kKey, c0.data(), c1.data(), c2.data(), c3.data(), n, first.data(),
                        second.data());
      for (size_t i = 0; i < n; ++i) {
        const NormalPair pair = NormalPairAt({c0[i], c1[i], c2[i], c3[i]}, kKey);
        ASSERT_TRUE(SameBits(pair.first, first[i])) << VectorIsaName(isa) << " " << n << " " << i;
        ASSERT_TRUE(SameBits(pair.second, second[i])) << VectorIsaName(isa) << " " << n << " " << i;
      }
    }
  }
}

TEST(NormalKernelsTest, ComponentFillEqualsScalarOnEveryKernel) {
  for (VectorIsa isa : RunnableIsas()) {
    for (size_t n = 0; n <= 41; ++n) {
      std::vector<double> first(n), second(n);
      FillNormalPairsAlongComponentOn(isa, kKey, 7u, 8u, 0xfffffff0u, 9u, n, first.data(),
                                      second.data());
      for (size_t i = 0; i < n; ++i) {
        const NormalPair pair = NormalPairAt({7u, 8u, 0xfffffff0u + uint32_t(i), 9u}, kKey);
        ASSERT_TRUE(SameBits(pair.first, first[i])) << VectorIsaName(isa) << " " << n << " " << i;
        ASSERT_TRUE(SameBits(pair.second, second[i])) << VectorIsaName(isa) << " " << n << " " << i;
      }
    }
  }
}

// The counter of entry i of `paths`, written out as counter_layout.h states it:
// node id 2^level + (leaf >> (depth - level)), the leaf's purpose word at level depth.
PhiloxCounter ExpectedHeapCounter(const HeapPathCounters& paths, size_t i) {
  size_t p = 0;
  if (i >= paths.paths[0].count) {
    i -= paths.paths[0].count;
    p = 1;
  }
  const HeapPathCounters::Path& path = paths.paths[p];
  const uint32_t blocks = 1u << paths.log2_blocks;
  const uint32_t level = path.from_level + static_cast<uint32_t>(i) / blocks;
  const uint64_t id = (uint64_t{1} << level) + (path.leaf >> (paths.depth - level));
  const uint32_t word = (level == paths.depth ? paths.leaf_word : paths.split_word) +
                        static_cast<uint32_t>(i) % blocks;
  return {static_cast<uint32_t>(id), static_cast<uint32_t>(id >> 32), paths.component, word};
}

TEST(NormalKernelsTest, HeapPathFillEqualsScalarOnEveryKernel) {
  // Two descents of depth 45 (ids past 32 bits), one or two blocks per node,
  // with and without their leaves, of every length from 0 up.
  const std::vector<VectorIsa> isas = RunnableIsas();
  for (uint32_t log2_blocks : {0u, 1u}) {
    for (uint32_t from0 : {0u, 30u, 44u}) {
      for (uint32_t levels1 : {0u, 1u, 5u, 14u}) {
        for (bool with_leaf : {false, true}) {
          HeapPathCounters paths;
          paths.depth = 45;
          paths.log2_blocks = log2_blocks;
          paths.component = 3;
          paths.split_word = 0x01010000u;
          paths.leaf_word = 0x01010100u;
          const uint32_t leaf_levels = with_leaf ? 1u : 0u;
          paths.paths[0] = {0x123456789abull, from0, (45 - from0 + leaf_levels) << log2_blocks};
          paths.paths[1] = {0x1fedcba98765ull, 45 - levels1,
                            (levels1 + leaf_levels) << log2_blocks};
          const size_t n = paths.size();
          for (size_t i = 0; i < n; ++i) ASSERT_EQ(paths.At(i), ExpectedHeapCounter(paths, i)) << i;
          for (VectorIsa isa : isas) {
            // Room for the padding the fill may write past size().
            std::vector<double> first(n + kHeapPathFillWidth), second(n + kHeapPathFillWidth);
            FillNormalPairsAlongHeapPathsOn(isa, kKey, paths, first.data(), second.data());
            for (size_t i = 0; i < n; ++i) {
              const NormalPair pair = NormalPairAt(ExpectedHeapCounter(paths, i), kKey);
              ASSERT_TRUE(SameBits(pair.first, first[i])) << VectorIsaName(isa) << " " << i;
              ASSERT_TRUE(SameBits(pair.second, second[i])) << VectorIsaName(isa) << " " << i;
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace pathwise::random
