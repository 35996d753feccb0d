// The lane fill of lane_normal.h: on every instruction set this CPU runs,
// each path's outputs are NormalPairAt's bits under that path's key, for
// short and long runs of counters and keys at the edges of their range.
#include "core/random/lane_normal.h"

#include <gtest/gtest.h>

#include <cstring>
#include <iostream>
#include <vector>

#include "core/random/normal.h"

namespace pathwise::random {
namespace {

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof(double)) == 0; }

void ExpectLaneFillMatchesScalar(VectorIsa isa, const LaneKeys& keys,
                                 const std::vector<uint32_t> (&c)[4], size_t n) {
  std::vector<double> first(n * kLanes), second(n * kLanes);
  FillLaneNormalPairsOn(isa, keys, c[0].data(), c[1].data(), c[2].data(), c[3].data(), n,
                        first.data(), second.data());
  for (size_t e = 0; e < n; ++e) {
    for (size_t i = 0; i < kLanes; ++i) {
      const NormalPair pair =
          NormalPairAt({c[0][e], c[1][e], c[2][e], c[3][e]}, {keys.k0[i], keys.k1[i]});
      ASSERT_TRUE(SameBits(pair.first, first[e * kLanes + i]))
          << VectorIsaName(isa) << " n " << n << " entry " << e << " lane " << i;
      ASSERT_TRUE(SameBits(pair.second, second[e * kLanes + i]))
          << VectorIsaName(isa) << " n " << n << " entry " << e << " lane " << i;
    }
  }
}

TEST(LaneNormalTest, EveryKernelGivesEachPathsScalarBits) {
  // Keys: zero, all ones, and mixed words, a different one in every lane.
  LaneKeys keys;
  for (size_t i = 0; i < kLanes; ++i) {
    keys.k0[i] = i == 0 ? 0u : i == 1 ? ~0u : static_cast<uint32_t>(i * 0x9E3779B9u);
    keys.k1[i] = i == 0 ? 0u : i == 1 ? ~0u : static_cast<uint32_t>(~i * 0x85EBCA6Bu);
  }
  const size_t max_n = 300;
  std::vector<uint32_t> c[4];
  for (auto& words : c) words.resize(max_n);
  for (size_t e = 0; e < max_n; ++e) {
    c[0][e] = static_cast<uint32_t>(e * 2654435761u);
    c[1][e] = e % 3 == 0 ? ~0u : static_cast<uint32_t>(e >> 2);
    c[2][e] = static_cast<uint32_t>(e % 5);
    c[3][e] = 0x01020300u + static_cast<uint32_t>(e & 1);
  }
  ASSERT_TRUE(CpuRuns(VectorIsa::kBaseline));
  for (VectorIsa isa : kAllVectorIsas) {
    if (!CpuRuns(isa)) {
      std::cout << "[ SKIPPED  ] " << VectorIsaName(isa) << ": not run by this CPU\n";
      continue;
    }
    for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{7}, max_n}) {
      ExpectLaneFillMatchesScalar(isa, keys, c, n);
    }
  }
}

}  // namespace
}  // namespace pathwise::random
