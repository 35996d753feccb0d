#include "core/mcmc/effective_sample_size.h"

#include <cmath>

#include "gtest/gtest.h"
#include "tests/core/mcmc/chain_generators.h"

namespace pathwise::mcmc {
namespace {

// Sokal (1989, "Monte Carlo methods in statistical mechanics", eq. 3.19):
// an autocorrelation time summed over a window of T lags from S draws has
// relative sd sqrt(2 (2T + 1) / S). The bounds T below exceed the truncation
// lag of Geyer's sequence for these chains (where rho^t drops under the
// estimation noise sqrt(tau / S)); the tests allow 4 such sd.
double RelativeTolerance(int window, double total_draws) {
  return 4.0 * std::sqrt(2.0 * (2.0 * window + 1.0) / total_draws);
}

struct Ar1Case {
  double rho;
  int draws_per_chain;
  int window;  // bound on the truncation lag
};

class Ar1EffectiveSampleSize : public ::testing::TestWithParam<Ar1Case> {};

// ESS / S -> (1 - rho) / (1 + rho) for AR(1) chains (tau = sum_t rho^|t|); for
// the antithetic rho < 0 it exceeds 1 (below the S log10 S cap).
TEST_P(Ar1EffectiveSampleSize, ApproachesTheAr1Value) {
  const Ar1Case c = GetParam();
  constexpr int kChains = 4;
  const Chains chains = testing::Ar1Chains(/*seed=*/21, kChains, c.draws_per_chain, c.rho);
  const double total = kChains * c.draws_per_chain;
  const double expected = total * (1.0 - c.rho) / (1.0 + c.rho);
  const double tolerance = RelativeTolerance(c.window, total) * expected;
  EXPECT_NEAR(MeanEffectiveSampleSize(chains), expected, tolerance);
  // Rank normalisation is near the identity on Gaussian draws.
  EXPECT_NEAR(BulkEffectiveSampleSize(chains), expected, tolerance);
}

INSTANTIATE_TEST_SUITE_P(Rho, Ar1EffectiveSampleSize,
                         ::testing::Values(Ar1Case{0.5, 50000, 40}, Ar1Case{0.9, 100000, 200},
                                           Ar1Case{-0.3, 50000, 20}));

// iid draws: ESS ~ S in the bulk and in the tails.
TEST(EffectiveSampleSize, IidDrawsGiveTheirNumber) {
  const Chains chains = testing::IidNormalChains(/*seed=*/22, /*chains=*/4, /*draws=*/25000);
  const double total = 100000;
  const double tolerance = RelativeTolerance(/*window=*/10, total) * total;
  EXPECT_NEAR(MeanEffectiveSampleSize(chains), total, tolerance);
  EXPECT_NEAR(BulkEffectiveSampleSize(chains), total, tolerance);
  EXPECT_NEAR(TailEffectiveSampleSize(chains), total, tolerance);
}

// +1, -1, +1, ...: rho_1 < -1 ends the sequence at once (tau = -1 + rho_0 = 0),
// and the floor tau >= 1 / log10(S) caps the ESS at S log10 S.
TEST(EffectiveSampleSize, AlternatingChainsHitTheCap) {
  Chains chains(2);
  for (auto& chain : chains) {
    for (int i = 0; i < 20; ++i) chain.push_back(i % 2 == 0 ? 1.0 : -1.0);
  }
  EXPECT_DOUBLE_EQ(MeanEffectiveSampleSize(chains), 40.0 * std::log10(40.0));
}

TEST(EffectiveSampleSize, NeedsThreeDrawsAndSomeVariance) {
  EXPECT_TRUE(std::isnan(BasicEffectiveSampleSize({{1, 2}, {3, 4}})));
  EXPECT_TRUE(std::isnan(BasicEffectiveSampleSize({{1, 1, 1}, {1, 1, 1}})));
  EXPECT_FALSE(std::isnan(BasicEffectiveSampleSize({{1, 2, 4}, {3, 0, 5}})));
}

}  // namespace
}  // namespace pathwise::mcmc
