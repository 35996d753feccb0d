#include "core/mcmc/r_hat.h"

#include <algorithm>
#include <cmath>

#include "core/mcmc/inverse_normal_cdf.h"
#include "gtest/gtest.h"
#include "tests/core/mcmc/chain_generators.h"

namespace pathwise::mcmc {
namespace {

// Two chains {1,2,3,4} and {5,6,7,8}: means 2.5 and 6.5, s^2 = 5/3 each, so
// W = 5/3, B = 4 (2^2 + 2^2) = 32, var+ = (3/4)(5/3) + 32/4 = 37/4 and
// R-hat = sqrt(var+ / W) = sqrt(5.55).
TEST(BasicRHat, HandComputedTwoChains) {
  EXPECT_DOUBLE_EQ(BasicRHat({{1, 2, 3, 4}, {5, 6, 7, 8}}), std::sqrt(5.55));
}

// Split into {1,2},{3,4},{5,6},{7,8}: s^2 = 1/2, W = 1/2, means 1.5 .. 7.5
// around 4.5, B = 2 (9 + 1 + 1 + 9) / 3 = 40/3, var+ = (1/2)(1/2) + (40/3)/2
// = 83/12, R-hat = sqrt(83/6).
TEST(BasicRHat, HandComputedSplitChains) {
  EXPECT_DOUBLE_EQ(BasicRHat(SplitChains({{1, 2, 3, 4}, {5, 6, 7, 8}})), std::sqrt(83.0 / 6.0));
}

// Identical chains have B = 0, so R-hat = sqrt((N - 1) / N) whatever they hold.
TEST(BasicRHat, IdenticalChainsGiveTheWithinChainFactor) {
  const std::vector<double> chain = {0.3, -1.0, 2.0, 0.7, 1.1};
  EXPECT_DOUBLE_EQ(BasicRHat({chain, chain, chain}), std::sqrt(4.0 / 5.0));
}

TEST(BasicRHat, ConstantDrawsHaveNoRHat) {
  EXPECT_TRUE(std::isnan(BasicRHat({{3, 3, 3}, {3, 3, 3}})));
  // Each chain stuck at its own value: no within-chain variance at all.
  EXPECT_EQ(BasicRHat({{3, 3, 3}, {4, 4, 4}}), INFINITY);
}

// Ranks 1..8 in order: the split chains hold Blom scores z_1..z_8, and the
// folded draws |x - 4.5| = {3.5, 2.5, 1.5, 0.5 | 0.5, 1.5, 2.5, 3.5} have
// ranks {7.5, 5.5, 3.5, 1.5 | 1.5, 3.5, 5.5, 7.5}.
TEST(RankNormalizedSplitRHat, HandComputedTwoChains) {
  auto z = [](double rank) { return InverseNormalCdf((rank - 0.375) / 8.25); };
  const double bulk = BasicRHat({{z(1), z(2)}, {z(3), z(4)}, {z(5), z(6)}, {z(7), z(8)}});
  const double folded =
      BasicRHat({{z(7.5), z(5.5)}, {z(3.5), z(1.5)}, {z(1.5), z(3.5)}, {z(5.5), z(7.5)}});
  EXPECT_GT(bulk, folded);
  EXPECT_DOUBLE_EQ(RankNormalizedSplitRHat({{1, 2, 3, 4}, {5, 6, 7, 8}}), std::max(bulk, folded));
}

// For 4 chains of 2500 iid draws, B / W ~ chi^2_7 / 7 (sd 0.53), so
// R-hat - 1 ~ (B / W - 1) / (2 N) has sd 1e-4 per split chain of N = 1250:
// 1.01 is 90 sd away, while a mean shift of 1 sd in one chain of four gives
// B ~ N / 4 and R-hat ~ sqrt(1 + 1/4 (3/4)) ~ 1.09 in the bulk alone.
TEST(RankNormalizedSplitRHat, IidChainsPassShiftedChainsFail) {
  Chains chains = testing::IidNormalChains(/*seed=*/11, /*chains=*/4, /*draws=*/2500);
  EXPECT_LT(RankNormalizedSplitRHat(chains), 1.01);
  for (double& x : chains[3]) x += 1.0;
  EXPECT_GT(RankNormalizedSplitRHat(chains), 1.05);
  for (double& x : chains[3]) x += 1.0;
  EXPECT_GT(RankNormalizedSplitRHat(chains), 1.1);
}

// A chain with three times the spread but the same centre passes the bulk
// R-hat and is caught by folding (Vehtari et al. 2021, Section 4).
TEST(RankNormalizedSplitRHat, FoldingCatchesADifferentScale) {
  Chains chains = testing::IidNormalChains(/*seed=*/12, /*chains=*/4, /*draws=*/2500);
  for (double& x : chains[3]) x *= 3.0;
  EXPECT_LT(BasicRHat(RankNormalize(SplitChains(chains))), 1.01);
  EXPECT_GT(RankNormalizedSplitRHat(chains), 1.1);
}

}  // namespace
}  // namespace pathwise::mcmc
