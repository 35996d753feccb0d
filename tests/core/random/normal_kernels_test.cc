// The batch kernels of normal_kernels.h: on every instruction set this CPU
// runs, each fill gives the scalar NormalPairAt bits for every entry, for
// batch lengths that end in whole vectors and in tails of every length, for
// many random counters and keys, and Box-Muller gives the scalar bits on the
// words at the edges of its inputs; and the heap-path counters address the
// tree's nodes as counter_layout.h does.
#include "core/random/normal_kernels.h"

#include <gtest/gtest.h>

#include <cmath>
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

// SplitMix64 (Steele, Lea & Flood 2014): test inputs from a fixed seed.
uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

TEST(NormalKernelsTest, ArrayFillEqualsScalarOnManyRandomCountersAndKeys) {
  const size_t n = 1 << 15;
  uint64_t state = 17;
  std::vector<uint32_t> c[4];
  for (auto& words : c) words.resize(n);
  for (size_t i = 0; i < n; ++i) {
    for (auto& words : c) words[i] = static_cast<uint32_t>(SplitMix64(state));
  }
  for (int k = 0; k < 3; ++k) {
    const uint64_t key_bits = SplitMix64(state);
    const PhiloxKey key = {static_cast<uint32_t>(key_bits), static_cast<uint32_t>(key_bits >> 32)};
    for (VectorIsa isa : RunnableIsas()) {
      std::vector<double> first(n), second(n);
      FillNormalPairsOn(isa, key, c[0].data(), c[1].data(), c[2].data(), c[3].data(), n,
                        first.data(), second.data());
      for (size_t i = 0; i < n; ++i) {
        const NormalPair pair = NormalPairAt({c[0][i], c[1][i], c[2][i], c[3][i]}, key);
        ASSERT_TRUE(SameBits(pair.first, first[i])) << VectorIsaName(isa) << " " << i;
        ASSERT_TRUE(SameBits(pair.second, second[i])) << VectorIsaName(isa) << " " << i;
      }
    }
  }
}

// The 64-bit word whose top 52 bits are round(t 2^52), t in [0, 1), plus `step`
// units of the last bit, with `low` in the 12 bits the generator ignores.
uint64_t WordAt(double t, int64_t step, uint64_t low = 0) {
  const auto top = static_cast<uint64_t>(std::llround(std::ldexp(t, 52)) + step);
  return (top << 12) | low;
}

// Radius words: u = 1 - t is 1 (radius 0), 2^-52 (the largest radius) and
// 1 - 2^-52; u on either side of sqrt(2) 2^-j, where DeterministicLog halves
// its mantissa; powers of two. Angle words: v = t is 0, 2^-52 and 1 - 2^-52;
// next to the quadrant boundaries 1/4, 1/2, 3/4, where sine and cosine trade
// places; on and next to 1/8, 3/8, 5/8, 7/8, where 4v rounds half to even.
std::vector<uint64_t> EdgeRadiusWords() {
  std::vector<uint64_t> words = {0, ~uint64_t{0}, uint64_t{1} << 12, ~uint64_t{0} << 12, 0xfff};
  for (int j = 1; j <= 6; ++j) {
    const double t = 1.0 - std::sqrt(2.0) * std::ldexp(1.0, -j);
    for (int64_t step = -2; step <= 2; ++step) words.push_back(WordAt(t, step));
  }
  for (int j = 1; j <= 52; j += 3) {
    for (int64_t step = -1; step <= 1; ++step)
      words.push_back(WordAt(1.0 - std::ldexp(1.0, -j), step));
  }
  return words;
}

std::vector<uint64_t> EdgeAngleWords() {
  std::vector<uint64_t> words = {0, ~uint64_t{0}, uint64_t{1} << 12, 0xfff, ~uint64_t{0} << 12};
  for (int eighth = 1; eighth < 8; ++eighth) {
    for (int64_t step = -2; step <= 2; ++step) {
      words.push_back(WordAt(eighth / 8.0, step));
      words.push_back(WordAt(eighth / 8.0, step, 0xfff));
    }
  }
  return words;
}

TEST(NormalKernelsTest, BoxMullerEqualsScalarOnEdgeWords) {
  std::vector<uint64_t> radius, angle;
  for (uint64_t r : EdgeRadiusWords()) {
    for (uint64_t a : EdgeAngleWords()) {
      radius.push_back(r);
      angle.push_back(a);
    }
  }
  const size_t n = radius.size();
  for (VectorIsa isa : RunnableIsas()) {
    // Every tail length too: the last `rest` words alone.
    for (size_t rest = 0; rest <= 9; ++rest) {
      const size_t from = rest == 0 ? 0 : n - rest;
      std::vector<double> first(n - from), second(n - from);
      BoxMullerOn(isa, radius.data() + from, angle.data() + from, n - from, first.data(),
                  second.data());
      for (size_t i = from; i < n; ++i) {
        const NormalPair pair = BoxMuller(radius[i], angle[i]);
        ASSERT_TRUE(std::isfinite(pair.first) && std::isfinite(pair.second)) << i;
        ASSERT_TRUE(SameBits(pair.first, first[i - from]))
            << VectorIsaName(isa) << std::hex << " radius " << radius[i] << " angle " << angle[i];
        ASSERT_TRUE(SameBits(pair.second, second[i - from]))
            << VectorIsaName(isa) << std::hex << " radius " << radius[i] << " angle " << angle[i];
      }
    }
  }
}

}  // namespace
}  // namespace pathwise::random
