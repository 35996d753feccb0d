// The normal generator: accuracy of its elementary functions, moments, a KS
// test, tails at 4 and 6 sigma, batch = scalar bits, and frozen outputs.
//
// False-positive budget: every statistical check uses a fixed counter range
// (so it is deterministic) and a threshold of 5 standard errors or a KS
// critical value at p = 0.001; for a correct generator the chance that any of
// the checks below fails for a given choice of counters is below 0.5%.
#include "core/random/normal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/random/elementary.h"

namespace pathwise::random {
namespace {

constexpr PhiloxKey kKey = {0x12345678u, 0x9abcdef0u};

std::vector<double> DrawNormals(size_t pairs, uint32_t stream) {
  std::vector<double> out(2 * pairs);
  FillNormalPairsAlongComponent(kKey, stream, 0u, 0u, 0u, pairs, out.data(), out.data() + pairs);
  return out;
}

double StandardNormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

TEST(ElementaryTest, LogIsAccurateOverTheGeneratorsRange) {
  // Inputs U = k 2^-52 across (0, 1], and a wide range beyond: error <= 2 ulp.
  double worst_ulps = 0.0;
  for (int e = -60; e <= 60; ++e) {
    for (int i = 0; i < 2000; ++i) {
      const double x = std::ldexp(1.0 + i / 2000.0, e);
      const long double exact = std::log(static_cast<long double>(x));
      const double got = DeterministicLog(x);
      const double ulp = std::nextafter(std::fabs(static_cast<double>(exact)), INFINITY) -
                         std::fabs(static_cast<double>(exact));
      if (exact != 0.0L) {
        worst_ulps = std::max(worst_ulps, static_cast<double>(std::fabs(got - exact) / ulp));
      }
    }
  }
  EXPECT_LE(worst_ulps, 2.0);
  EXPECT_EQ(DeterministicLog(1.0), 0.0);
}

TEST(ElementaryTest, SinCosOfTurnsIsAccurate) {
  // Absolute error against long double sin/cos of 2 pi v: <= 4e-16 (2 ulp of 1).
  const long double two_pi = 6.283185307179586476925286766559L;
  double worst = 0.0;
  for (int i = 0; i < 200000; ++i) {
    const double v = (i + 0.37) / 200000.0;
    const SinCos sc = DeterministicSinCosTurns(v);
    worst = std::max(worst, static_cast<double>(std::fabs(sc.sin - std::sin(two_pi * v))));
    worst = std::max(worst, static_cast<double>(std::fabs(sc.cos - std::cos(two_pi * v))));
  }
  EXPECT_LE(worst, 4e-16);
}

TEST(NormalTest, MomentsMatchTheStandardNormal) {
  // Two million draws; each moment within 5 of its standard errors:
  // mean 1/sqrt(n), variance sqrt(2/n), skewness sqrt(6/n), excess kurtosis sqrt(24/n).
  const std::vector<double> z = DrawNormals(1000000, 1);
  const double n = static_cast<double>(z.size());
  double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
  for (double x : z) {
    m1 += x;
    m2 += x * x;
    m3 += x * x * x;
    m4 += x * x * x * x;
  }
  m1 /= n, m2 /= n, m3 /= n, m4 /= n;
  EXPECT_NEAR(m1, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(m2, 1.0, 5.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR(m3, 0.0, 5.0 * std::sqrt(6.0 / n));
  EXPECT_NEAR(m4 - 3.0, 0.0, 5.0 * std::sqrt(24.0 / n));
}

TEST(NormalTest, KolmogorovSmirnovAgainstPhi) {
  // sqrt(n) D_n exceeds 1.95 with probability 0.001 under the null.
  std::vector<double> z = DrawNormals(100000, 2);
  std::sort(z.begin(), z.end());
  const double n = static_cast<double>(z.size());
  double d = 0.0;
  for (size_t i = 0; i < z.size(); ++i) {
    const double f = StandardNormalCdf(z[i]);
    d = std::max({d, f - i / n, (i + 1) / n - f});
  }
  EXPECT_LT(std::sqrt(n) * d, 1.95);
}

TEST(NormalTest, FrequencyBeyondFourSigma) {
  // P(|Z| > 4) = 6.334e-5: 10^7 draws expect 633.4, standard deviation 25.2.
  const std::vector<double> z = DrawNormals(5000000, 3);
  const double p = 2.0 * StandardNormalCdf(-4.0);
  const double n = static_cast<double>(z.size());
  const double count = static_cast<double>(
      std::count_if(z.begin(), z.end(), [](double x) { return std::fabs(x) > 4.0; }));
  EXPECT_NEAR(count, n * p, 5.0 * std::sqrt(n * p * (1.0 - p)));
}

TEST(NormalTest, FrequencyBeyondSixSigmaByImportanceSampling) {
  // P(|Z| > 6) = 1.973e-9 is out of reach of plain sampling. Box-Muller's first
  // output exceeds 6 only when the radius does, i.e. when U < c = e^-18. Feed the
  // transform radius words uniform over exactly that part of the 52-bit grid (U is
  // then uniform on (0, c]), and angle words uniform: P(|Z| > 6) = c * P(|Z| > 6 | U <= c).
  const uint64_t grid = uint64_t{1} << 52;
  const uint64_t tail_points = static_cast<uint64_t>(std::exp(-18.0) * static_cast<double>(grid));
  const double c = static_cast<double>(tail_points) / static_cast<double>(grid);
  const int n = 400000;
  int hits = 0;
  for (int i = 0; i < n; ++i) {
    const PhiloxBlock block = Philox4x32_10({static_cast<uint32_t>(i), 0u, 0u, 9u}, kKey);
    const uint64_t offset = ((uint64_t{block[1]} << 32) | block[0]) % tail_points;
    // u = 1 - m 2^-52 for the mantissa m = radius_bits >> 12; the largest m give the smallest u.
    const uint64_t mantissa = grid - 1 - offset;
    const uint64_t angle_bits = (uint64_t{block[3]} << 32) | block[2];
    const NormalPair pair = BoxMuller(mantissa << 12, angle_bits);
    if (std::fabs(pair.first) > 6.0) ++hits;
  }
  const double q = static_cast<double>(hits) / n;  // P(|Z| > 6 | U <= c)
  const double exact = 2.0 * StandardNormalCdf(-6.0);
  EXPECT_NEAR(c * q, exact, 5.0 * c * std::sqrt(q * (1.0 - q) / n));
}

TEST(NormalTest, LargestOutputIsBoundedByTheUniformGrid) {
  // The smallest U is 2^-52: |Z| <= sqrt(104 ln 2) = 8.49, and never NaN or inf.
  const NormalPair extreme = BoxMuller(~uint64_t{0}, 0);
  EXPECT_NEAR(extreme.first, std::sqrt(-2.0 * std::log(std::ldexp(1.0, -52))), 1e-12);
  const NormalPair zero = BoxMuller(0, 0);  // U = 1: radius 0
  EXPECT_EQ(zero.first, 0.0);
  EXPECT_EQ(zero.second, 0.0);
}

TEST(NormalTest, BatchFillEqualsScalarBitForBit) {
  const size_t n = 1001;
  std::vector<uint32_t> c0(n), c1(n), c2(n), c3(n);
  for (size_t i = 0; i < n; ++i) {
    c0[i] = static_cast<uint32_t>(i * 2654435761u);
    c1[i] = static_cast<uint32_t>(i >> 3);
    c2[i] = static_cast<uint32_t>(i % 7);
    c3[i] = 0xabcu;
  }
  std::vector<double> first(n), second(n);
  FillNormalPairs(kKey, c0.data(), c1.data(), c2.data(), c3.data(), n, first.data(), second.data());
  for (size_t i = 0; i < n; ++i) {
    const NormalPair pair = NormalPairAt({c0[i], c1[i], c2[i], c3[i]}, kKey);
    ASSERT_EQ(std::memcmp(&pair.first, &first[i], sizeof(double)), 0) << i;
    ASSERT_EQ(std::memcmp(&pair.second, &second[i], sizeof(double)), 0) << i;
  }
}

TEST(NormalTest, StabilityOfFrozenOutputs) {
  // Frozen bits: a change here changes every Brownian path (new algorithm version).
  const NormalPair a = NormalPairAt({0, 0, 0, 0}, {0, 0});
  const NormalPair b = NormalPairAt({1, 2, 3, 4}, {5, 6});
  EXPECT_EQ(a.first, -0x1.9ffd9aa3bc9b8p+0);
  EXPECT_EQ(a.second, -0x1.44b28888d8c8ep+0);
  EXPECT_EQ(b.first, 0x1.1886f4833d62bp-1);
  EXPECT_EQ(b.second, 0x1.1b6291944e69ep+0);
}

}  // namespace
}  // namespace pathwise::random
