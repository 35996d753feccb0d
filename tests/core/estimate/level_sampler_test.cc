// One level's samples: the coupling of the fine and coarse solves (the
// variance decay of the corrections), and antithetic pairs.
#include "core/estimate/level_sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/estimate/sample_layout.h"
#include "tests/core/estimate/estimate_test_util.h"

namespace pathwise::estimate {
namespace {

EstimateOptions GbmOptions(const char* functional) {
  EstimateOptions opts;
  opts.t0 = 0.0;
  opts.t1 = 1.0;
  opts.y0 = {1.0};
  opts.seed = 2024;
  opts.functional = functional;
  opts.target_rmse = 1e-3;
  opts.max_level = 8;
  return opts;
}

// Mean and variance of `blocks` blocks of a level.
SampleMoments Sample(const model::Sde& sde, const solver::Method& method,
                     const Functional& functional, const EstimateOptions& opts, int level,
                     bool coupled, uint64_t blocks) {
  auto sampler = LevelSampler::Create(sde, method, functional, opts, level, coupled);
  EXPECT_TRUE(sampler.ok()) << sampler.status();
  SampleMoments moments;
  for (uint64_t b = 0; b < blocks; ++b) {
    auto block = (*sampler)->SampleBlock(b);
    EXPECT_TRUE(block.ok()) << block.status();
    moments.Merge(*block);
  }
  return moments;
}

// Least-squares slope of log2 v[i] against the levels.
double DecayRate(const std::vector<int>& levels, const std::vector<double>& v) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t i = 0; i < levels.size(); ++i) {
    const double x = levels[i], y = std::log2(v[i]);
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  return -(n * sxy - sx * sy) / (n * sxx - sx * sx);
}

struct CouplingCase {
  const char* method;
  double beta;  // the theory's variance decay of P_l - P_{l-1}
};

class CouplingTest : public ::testing::TestWithParam<CouplingCase> {};

TEST_P(CouplingTest, CorrectionVarianceDecaysAtTheStrongOrderRate) {
  // For a smooth functional (f = y) of GBM, Var[P_l - P_{l-1}] ~ dt_l^(2 p)
  // with p the strong order: beta = 1 for Euler (p = 1/2), 2 for Milstein
  // (p = 1) (Giles 2015 §2.3). That holds only when the coarse solve is
  // driven by the fine solve's Brownian path; with independent paths the
  // variance would stay at 2 Var[P] and not decay.
  auto gbm = testing::Model("gbm", {{"mu", 0.05}, {"sigma", 0.4}});
  const solver::Method& method = testing::MethodNamed(GetParam().method);
  const EstimateOptions opts = GbmOptions("y");
  auto functional = Functional::Compile(opts.functional, testing::ScalarScope());
  ASSERT_TRUE(functional.ok());
  // 4096 samples per level: the variance estimates' relative standard error
  // is sqrt((kurtosis - 1) / N), below 5% (0.07 in log2) for kurtosis <= 10,
  // so the slope over levels 2..6 is within about ±0.05 of its mean; the
  // band ±0.25 leaves room for pre-asymptotic terms at the coarse levels.
  const std::vector<int> levels = {2, 3, 4, 5, 6};
  std::vector<double> variances;
  for (int level : levels) {
    variances.push_back(Sample(*gbm, method, *functional, opts, level, true, 64).Variance());
  }
  const double beta = DecayRate(levels, variances);
  EXPECT_NEAR(beta, GetParam().beta, 0.25);
  const double var_p = Sample(*gbm, method, *functional, opts, 6, false, 64).Variance();
  // The corrections at level 6 are far below what uncoupled paths give.
  EXPECT_LT(variances.back(), 2.0 * var_p * std::exp2(-4.0));
  std::printf("%s: beta = %.3f, V_6 = %.3g, Var[P] = %.3g\n", GetParam().method, beta,
              variances.back(), var_p);
}

INSTANTIATE_TEST_SUITE_P(Methods, CouplingTest,
                         ::testing::Values(CouplingCase{"euler", 1.0},
                                           CouplingCase{"milstein", 2.0}),
                         [](const auto& info) { return std::string(info.param.method); });

TEST(AntitheticTest, OuMeanUnderEulerHasNoVarianceLeft) {
  // Euler on OU is affine in the Brownian increments, so a path and its
  // mirror average to the noise-free solution: the antithetic sample's
  // variance is rounding only (values of order 1: below 1e-24), while the
  // plain sample's is sigma^2 (1 - e^-2 theta T) / (2 theta) ≈ 0.108.
  auto ou = testing::Model("ou", {{"theta", 1.0}, {"mu", 0.5}, {"sigma", 0.5}});
  const solver::Method& euler = testing::MethodNamed("euler");
  EstimateOptions opts = GbmOptions("y");
  auto functional = Functional::Compile(opts.functional, testing::ScalarScope());
  ASSERT_TRUE(functional.ok());
  const double plain = Sample(*ou, euler, *functional, opts, 3, false, 16).Variance();
  opts.antithetic = true;
  const SampleMoments mirrored = Sample(*ou, euler, *functional, opts, 3, false, 16);
  EXPECT_GT(plain, 0.05);
  EXPECT_LT(mirrored.Variance(), 1e-24);
  // Path steps count both the path and its mirror.
  EXPECT_EQ(mirrored.path_steps, 16 * kBlockSamples * 2 * 32);
}

TEST(AntitheticTest, MonotonePayoffHalvesTheVariancePerPathStep) {
  // For f monotone in each normal, Cov[f(Z), f(-Z)] <= 0, so the antithetic
  // sample's variance is at most half the plain one: it pays for its second
  // solve. The call payoff on GBM is such an f.
  auto gbm = testing::Model("gbm", {{"mu", 0.05}, {"sigma", 0.2}});
  const solver::Method& milstein = testing::MethodNamed("milstein");
  EstimateOptions opts = GbmOptions("exp(-0.05) * max(y - 1, 0)");
  auto functional = Functional::Compile(opts.functional, testing::ScalarScope());
  ASSERT_TRUE(functional.ok());
  const double plain = Sample(*gbm, milstein, *functional, opts, 2, false, 64).Variance();
  opts.antithetic = true;
  const double mirrored = Sample(*gbm, milstein, *functional, opts, 2, false, 64).Variance();
  EXPECT_LT(2.0 * mirrored, plain);
  std::printf("call: Var plain %.4g, Var antithetic %.4g, per path step %.3f\n", plain, mirrored,
              2.0 * mirrored / plain);
}

TEST(SampleLayoutTest, LevelsUseDisjointPathIndices) {
  EXPECT_EQ(SamplePathIndex(0, 5), 5u);
  EXPECT_EQ(SamplePathIndex(3, 0), uint64_t{3} << kSampleBits);
  EXPECT_NE(SamplePathIndex(1, kMaxSamplesPerLevel - 1), SamplePathIndex(2, 0));
}

}  // namespace
}  // namespace pathwise::estimate
