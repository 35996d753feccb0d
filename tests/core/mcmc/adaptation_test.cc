#include <cmath>
#include <vector>

#include "core/mcmc/adaptation_windows.h"
#include "core/mcmc/variance_adaptation.h"
#include "gtest/gtest.h"
#include "tests/core/mcmc/chain_generators.h"

namespace pathwise::mcmc {
namespace {

using Windows = std::vector<AdaptationWindow>;

// Stan's 1000 warm-up iterations: 75 fast, slow windows of 25, 50, 100, 200
// and 500 (the last stretched: 400 + 800 would overrun), 50 fast.
TEST(SlowAdaptationWindows, StansDefaultSchedule) {
  EXPECT_EQ(SlowAdaptationWindows(1000),
            (Windows{{75, 100}, {100, 150}, {150, 250}, {250, 450}, {450, 950}}));
}

TEST(SlowAdaptationWindows, ShortWarmups) {
  // Exactly the three defaults: one slow window.
  EXPECT_EQ(SlowAdaptationWindows(150), (Windows{{75, 100}}));
  // The first window is never stretched; the second takes the rest.
  EXPECT_EQ(SlowAdaptationWindows(170), (Windows{{75, 100}, {100, 120}}));
  // Defaults do not fit: 15 % fast, the rest slow, 10 % fast.
  EXPECT_EQ(SlowAdaptationWindows(100), (Windows{{15, 90}}));
  EXPECT_TRUE(SlowAdaptationWindows(19).empty());
}

// One chain, one coordinate, a window of the draws 1, 2, 3, 4: variance 5/3,
// n = 4, so M^{-1} = (4/9)(5/3) + 1e-3 (5/9).
TEST(VarianceAdaptation, RegularisesTheWindowVariance) {
  VarianceAdaptation adaptation(/*dim=*/1, /*num_warmup=*/20,
                                {.init_buffer = 0, .base_window = 4, .term_buffer = 0});
  ASSERT_EQ(adaptation.windows(), (Windows{{0, 4}, {4, 20}}));
  for (int t = 0; t < 3; ++t) EXPECT_FALSE(adaptation.AddIteration(t, {{t + 1.0}}));
  EXPECT_EQ(adaptation.inverse_mass(), std::vector<double>{1.0});
  EXPECT_TRUE(adaptation.AddIteration(3, {{4.0}}));
  EXPECT_DOUBLE_EQ(adaptation.inverse_mass()[0], 4.0 / 9.0 * 5.0 / 3.0 + 1e-3 * 5.0 / 9.0);
}

// Scales 0.1, 1 and 10 (variances spanning 10^4): the last window pools
// 500 iterations of 4 chains, n = 2000 draws, so each variance is recovered
// with relative sd sqrt(2 / (n - 1)) = 0.032; the test allows 5 sd. Draws from
// the first windows (here from a wrong centre, as early warm-up would be) are
// forgotten.
TEST(VarianceAdaptation, RecoversVariancesSpanningAHundredfoldScale) {
  const std::vector<double> scales = {0.1, 1.0, 10.0};
  constexpr int kChains = 4, kWarmup = 1000;
  std::vector<Chains> coordinates;  // coordinates[i][chain][t]
  for (size_t i = 0; i < scales.size(); ++i) {
    coordinates.push_back(testing::IidNormalChains(/*seed=*/41 + i, kChains, kWarmup));
  }
  VarianceAdaptation adaptation(static_cast<int>(scales.size()), kWarmup);
  int updates = 0;
  for (int t = 0; t < kWarmup; ++t) {
    std::vector<std::vector<double>> draws(kChains, std::vector<double>(scales.size()));
    for (int m = 0; m < kChains; ++m) {
      for (size_t i = 0; i < scales.size(); ++i) {
        const double transient = t < 450 ? 100.0 * m : 0.0;
        draws[m][i] = scales[i] * coordinates[i][m][t] + transient;
      }
    }
    updates += adaptation.AddIteration(t, draws);
  }
  EXPECT_EQ(updates, 5);
  const double tolerance = 5.0 * std::sqrt(2.0 / 1999.0);
  for (size_t i = 0; i < scales.size(); ++i) {
    const double variance = scales[i] * scales[i];
    EXPECT_NEAR(adaptation.inverse_mass()[i] / variance, 1.0, tolerance) << "coordinate " << i;
  }
}

}  // namespace
}  // namespace pathwise::mcmc
