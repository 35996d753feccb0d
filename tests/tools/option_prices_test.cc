// The lab's closed-form call prices against published reference values.
#include "tools/lab/option_prices.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace pathwise::lab {
namespace {

TEST(BlackScholesCallTest, MatchesTheTextbookValue) {
  // S = K = 100, r = 0.05, sigma = 0.2, T = 1: 10.450583572185565 (e.g.
  // Hull, Options, Futures and Other Derivatives; d1 = 0.35, d2 = 0.15).
  EXPECT_NEAR(BlackScholesCall(100.0, 100.0, 0.05, 0.2, 1.0), 10.450583572185565, 1e-12);
  EXPECT_NEAR(BlackScholesCall(1.0, 1.0, 0.05, 0.2, 1.0), 0.10450583572185565, 1e-14);
}

// Fang & Oosterlee (SIAM J. Sci. Comput. 31(2), 2008), §5.2: S0 = K = 100,
// r = 0, kappa = 1.5768, theta = 0.0398, xi = 0.5751, rho = -0.5711,
// v0 = 0.0175 (the Feller condition fails). Reference values 5.785155450
// (T = 1) and 22.318945791474590 (T = 10).
constexpr HestonParameters kFangOosterlee{1.5768, 0.0398, 0.5751, -0.5711, 0.0};

TEST(HestonCallTest, MatchesFangOosterleeAtOneYear) {
  // The reference is printed to 9 decimals (1e-9 relative).
  EXPECT_NEAR(HestonCall(100.0, 0.0175, 100.0, 1.0, kFangOosterlee), 5.785155450, 5e-8);
}

TEST(HestonCallTest, MatchesFangOosterleeAtTenYears) {
  EXPECT_NEAR(HestonCall(100.0, 0.0175, 100.0, 10.0, kFangOosterlee), 22.318945791474590, 5e-9);
}

TEST(HestonCallTest, TendsToBlackScholesAsTheVolatilityOfVarianceVanishes) {
  // v0 = theta and xi -> 0: v stays at theta, so S is GBM with sigma^2 =
  // theta. Uncorrelated, the price moves by O(xi^2) (about 2e-8 at xi =
  // 1e-3); with rho != 0 by O(rho xi) (the skew), about 2e-5 off the money.
  for (double strike : {0.8, 1.0, 1.25}) {
    const double bs = BlackScholesCall(1.0, strike, 0.02, 0.2, 1.0);
    const HestonParameters uncorrelated{2.0, 0.04, 1e-3, 0.0, 0.02};
    EXPECT_NEAR(HestonCall(1.0, 0.04, strike, 1.0, uncorrelated), bs, 1e-7) << strike;
    if (strike == 1.0) continue;  // the first-order term vanishes at the money
    const HestonParameters small{2.0, 0.04, 1e-3, -0.7, 0.02}, smaller{2.0, 0.04, 1e-4, -0.7, 0.02};
    const double ratio = (HestonCall(1.0, 0.04, strike, 1.0, small) - bs) /
                         (HestonCall(1.0, 0.04, strike, 1.0, smaller) - bs);
    EXPECT_NEAR(ratio, 10.0, 0.1) << strike;
  }
}

TEST(HestonCallTest, IsDecreasingInTheStrikeAndWithinNoArbitrageBounds) {
  const HestonParameters p;  // the built-in model's defaults
  double last = 1.0;
  for (double strike = 0.5; strike <= 2.0; strike += 0.25) {
    const double c = HestonCall(1.0, 0.04, strike, 1.0, p);
    // max(S0 - K e^{-rT}, 0) <= C <= S0, C decreasing in K.
    EXPECT_GE(c, std::max(1.0 - strike * std::exp(-p.r), 0.0)) << strike;
    EXPECT_LE(c, 1.0) << strike;
    EXPECT_LT(c, last) << strike;
    last = c;
  }
}

}  // namespace
}  // namespace pathwise::lab
