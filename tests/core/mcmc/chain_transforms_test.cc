#include "core/mcmc/chain_transforms.h"

#include <cmath>

#include "core/mcmc/inverse_normal_cdf.h"
#include "gtest/gtest.h"

namespace pathwise::mcmc {
namespace {

TEST(SplitChains, HalvesEachChainAndDropsTheMiddleOfAnOddOne) {
  EXPECT_EQ(SplitChains({{1, 2, 3, 4}, {5, 6, 7, 8}}), (Chains{{1, 2}, {3, 4}, {5, 6}, {7, 8}}));
  EXPECT_EQ(SplitChains({{1, 2, 3, 4, 5}}), (Chains{{1, 2}, {4, 5}}));
  EXPECT_EQ(SplitChains({{7}}), (Chains{{7}}));
}

// Blom's offset: z = Phi^{-1}((r - 3/8) / (S + 1/4)); ties share the mean rank.
TEST(RankNormalize, UsesBlomScoresOfPooledAverageRanks) {
  const Chains ranked = RankNormalize({{30, 10}, {20, 20}});
  auto blom = [](double rank) { return InverseNormalCdf((rank - 0.375) / 4.25); };
  EXPECT_EQ(ranked, (Chains{{blom(4), blom(1)}, {blom(2.5), blom(2.5)}}));
  EXPECT_NEAR(ranked[1][0], 0.0, 1e-15);  // the middle rank maps to 0
}

TEST(RankNormalize, IsInvariantUnderIncreasingTransforms) {
  const Chains draws = {{0.3, -1.2, 2.5}, {0.1, 4.0, -0.7}};
  Chains exponentiated = draws;
  for (auto& chain : exponentiated) {
    for (double& x : chain) x = std::exp(x);
  }
  EXPECT_EQ(RankNormalize(draws), RankNormalize(exponentiated));
}

TEST(Fold, IsTheDistanceFromThePooledMedian) {
  // Median of {1, 2, 4, 10} is 3.
  EXPECT_EQ(Fold({{1, 10}, {4, 2}}), (Chains{{2, 7}, {1, 1}}));
}

// Type 7: h = (S - 1) p over the sorted draws {1, 2, 4, 10}.
TEST(PooledQuantile, InterpolatesLinearlyBetweenOrderStatistics) {
  const Chains draws = {{10, 1}, {4, 2}};
  EXPECT_EQ(PooledQuantile(draws, 0.0), 1.0);
  EXPECT_EQ(PooledQuantile(draws, 1.0), 10.0);
  EXPECT_DOUBLE_EQ(PooledQuantile(draws, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(PooledQuantile(draws, 0.05), 1.15);  // 1 + 0.15 (2 - 1)
  EXPECT_DOUBLE_EQ(PooledQuantile(draws, 0.95), 9.1);   // 4 + 0.85 (10 - 4)
}

TEST(IndicatorAtMost, MarksDrawsAtOrBelowTheThreshold) {
  EXPECT_EQ(IndicatorAtMost({{1, 3}, {2, 5}}, 2.0), (Chains{{1, 0}, {1, 0}}));
}

TEST(AllDrawsEqual, LooksAtEveryChain) {
  EXPECT_TRUE(AllDrawsEqual({{2, 2}, {2, 2}}));
  EXPECT_FALSE(AllDrawsEqual({{2, 2}, {2, 3}}));
}

}  // namespace
}  // namespace pathwise::mcmc
