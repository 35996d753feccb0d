#include "core/mcmc/inverse_normal_cdf.h"

#include <cmath>

#include "gtest/gtest.h"

namespace pathwise::mcmc {
namespace {

// Well-known percentage points of N(0, 1) (Phi(1) = 0.8413447460685429);
// every region of the approximation is checked against erfc below.
TEST(InverseNormalCdf, KnownPercentagePoints) {
  EXPECT_EQ(InverseNormalCdf(0.5), 0.0);
  EXPECT_NEAR(InverseNormalCdf(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(InverseNormalCdf(0.025), -1.959963984540054, 1e-14);
  EXPECT_NEAR(InverseNormalCdf(0.995), 2.5758293035489004, 1e-14);
  EXPECT_NEAR(InverseNormalCdf(0.999), 3.090232306167813, 1e-14);
  EXPECT_NEAR(InverseNormalCdf(0.8413447460685429), 1.0, 1e-14);
}

// Phi(x) = erfc(-x / sqrt 2) / 2 inverted across the three regions of AS 241
// (central, r <= 5 and r > 5, i.e. p < e^-25 ~ 1.4e-11) down to x = -37.5.
// Only x <= 0, where p is exact to relative 1e-16 (1 - p would round away the
// upper tail); the error in x is then about 1e-16 p / phi(x) <= 1e-16 / |x|.
TEST(InverseNormalCdf, InvertsTheErfcCdf) {
  for (double x = -37.5; x <= 0.0; x += 0.125) {
    const double p = 0.5 * std::erfc(-x / std::sqrt(2.0));
    EXPECT_NEAR(InverseNormalCdf(p), x, 1e-13 * (1.0 + std::fabs(x))) << "x = " << x;
  }
}

// Up to the rounding of 1 - p (relative 1e-16, divided by phi(x) >= 0.003 here).
TEST(InverseNormalCdf, IsAntisymmetric) {
  for (double p = 0.001; p < 0.5; p += 0.0123) {
    EXPECT_NEAR(InverseNormalCdf(p), -InverseNormalCdf(1.0 - p), 1e-13) << "p = " << p;
  }
}

TEST(InverseNormalCdf, EndpointsAndOutsideValues) {
  EXPECT_EQ(InverseNormalCdf(0.0), -INFINITY);
  EXPECT_EQ(InverseNormalCdf(1.0), INFINITY);
  EXPECT_TRUE(std::isnan(InverseNormalCdf(-0.1)));
  EXPECT_TRUE(std::isnan(InverseNormalCdf(1.5)));
  EXPECT_TRUE(std::isnan(InverseNormalCdf(NAN)));
  EXPECT_TRUE(std::isfinite(InverseNormalCdf(1e-320)));  // subnormal tail
}

}  // namespace
}  // namespace pathwise::mcmc
