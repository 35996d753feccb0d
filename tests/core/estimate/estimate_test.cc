// Estimates against closed forms, determinism, budgets and invalid requests.
#include "core/estimate/estimate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <thread>
#include <vector>

#include "tests/core/estimate/estimate_test_util.h"

namespace pathwise::estimate {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The call of the issue: S0 = K = 1, r = 0.05, sigma = 0.2, T = 1.
constexpr double kRate = 0.05, kVol = 0.2;
constexpr char kCall[] = "exp(-0.05) * max(y - 1, 0)";

EstimateOptions CallOptions(double target) {
  EstimateOptions opts;
  opts.y0 = {1.0};
  opts.seed = 7;
  opts.functional = kCall;
  opts.target_rmse = target;
  return opts;
}

std::unique_ptr<model::Sde> RiskNeutralGbm() {
  return testing::Model("gbm", {{"mu", kRate}, {"sigma", kVol}});
}

// The estimate is within 3 of its own RMSE estimates of the truth (a normal
// estimator misses that with probability 0.3%, and the seed is fixed), and
// the RMSE estimate meets the target.
void ExpectMeetsTarget(const EstimateResult& result, double exact, double target) {
  EXPECT_TRUE(result.converged);
  EXPECT_LE(result.rmse_estimate, target);
  EXPECT_NEAR(result.value, exact, 3.0 * result.rmse_estimate);
}

TEST(EstimateTest, GbmCallWithMilsteinMatchesBlackScholes) {
  auto gbm = RiskNeutralGbm();
  const double target = 1e-3;
  auto result =
      Estimate(*gbm, testing::MethodNamed("milstein"), testing::ScalarScope(), CallOptions(target));
  ASSERT_TRUE(result.ok()) << result.status();
  const double exact = testing::BlackScholesCall(1.0, 1.0, kRate, kVol, 1.0);
  ExpectMeetsTarget(*result, exact, target);
  EXPECT_EQ(result->algorithm, "giles-mlmc-1/vbt-philox-1");
  std::printf("call: %.6f (exact %.6f), rmse %.2g, levels %zu, steps %llu, alpha %.2f beta %.2f\n",
              result->value, exact, result->rmse_estimate, result->levels.size(),
              static_cast<unsigned long long>(result->total_path_steps), result->alpha,
              result->beta);

  // Plain Monte Carlo at the finest level the multilevel estimate needed:
  // there the multilevel estimate found the bias below target/sqrt(2), and
  // Monte Carlo's standard error is below it too, so its error is below
  // 3 target with the same 0.3% chance.
  EstimateOptions mc = CallOptions(target);
  mc.estimator = Estimator::kMonteCarlo;
  mc.max_level = result->levels.back().level;
  auto plain = Estimate(*gbm, testing::MethodNamed("milstein"), testing::ScalarScope(), mc);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_TRUE(plain->converged);
  EXPECT_LE(plain->standard_error, target / std::sqrt(2.0));
  EXPECT_NEAR(plain->value, exact, 3.0 * target);
  ASSERT_EQ(plain->levels.size(), 1u);
  std::printf(
      "monte carlo at level %d: %.6f, steps %llu, MC/MLMC steps %.2f\n", mc.max_level, plain->value,
      static_cast<unsigned long long>(plain->total_path_steps),
      static_cast<double>(plain->total_path_steps) / static_cast<double>(result->total_path_steps));
}

struct OuMoment {
  const char* functional;
  double exact;
};

TEST(EstimateTest, OuMomentsWithEulerMatchClosedForms) {
  // dy = theta (mu - y) dt + sigma dW: E[y_T] = mu + (y0 - mu) e^{-theta T},
  // Var[y_T] = sigma^2 (1 - e^{-2 theta T}) / (2 theta).
  const double theta = 1.0, mu = 0.5, sigma = 0.5, y0 = 2.0, t = 1.0;
  auto ou = testing::Model("ou", {{"theta", theta}, {"mu", mu}, {"sigma", sigma}});
  const double mean = mu + (y0 - mu) * std::exp(-theta * t);
  const double var = sigma * sigma * (1.0 - std::exp(-2.0 * theta * t)) / (2.0 * theta);
  const double target = 2e-3;
  for (const OuMoment& moment : {OuMoment{"y", mean}, OuMoment{"y^2", var + mean * mean}}) {
    EstimateOptions opts = CallOptions(target);
    opts.y0 = {y0};
    opts.functional = moment.functional;
    auto result = Estimate(*ou, testing::MethodNamed("euler"), testing::ScalarScope(), opts);
    ASSERT_TRUE(result.ok()) << result.status();
    SCOPED_TRACE(moment.functional);
    ExpectMeetsTarget(*result, moment.exact, target);
    std::printf("ou %s: %.6f (exact %.6f), levels %zu, alpha %.2f beta %.2f\n", moment.functional,
                result->value, moment.exact, result->levels.size(), result->alpha, result->beta);
  }
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof(double)) == 0; }

void ExpectSameBits(const EstimateResult& a, const EstimateResult& b) {
  EXPECT_TRUE(SameBits(a.value, b.value));
  EXPECT_TRUE(SameBits(a.standard_error, b.standard_error));
  EXPECT_TRUE(SameBits(a.bias_estimate, b.bias_estimate));
  EXPECT_EQ(a.total_path_steps, b.total_path_steps);
  ASSERT_EQ(a.levels.size(), b.levels.size());
  for (size_t l = 0; l < a.levels.size(); ++l) {
    EXPECT_EQ(a.levels[l].paths, b.levels[l].paths);
    EXPECT_TRUE(SameBits(a.levels[l].mean, b.levels[l].mean));
    EXPECT_TRUE(SameBits(a.levels[l].variance, b.levels[l].variance));
  }
}

TEST(EstimateTest, SameBitsOnAnyThreadCountAndRunner) {
  auto gbm = RiskNeutralGbm();
  const solver::Method& euler = testing::MethodNamed("euler");
  EstimateOptions opts = CallOptions(4e-3);
  opts.antithetic = true;
  auto one = Estimate(*gbm, euler, testing::ScalarScope(), opts);
  ASSERT_TRUE(one.ok()) << one.status();
  opts.threads = 3;
  auto three = Estimate(*gbm, euler, testing::ScalarScope(), opts);
  ASSERT_TRUE(three.ok()) << three.status();
  ExpectSameBits(*one, *three);
  // A runner that solves the blocks last to first on two threads.
  opts.runner = [](size_t n, const std::function<void(size_t)>& task) {
    std::thread other([&] {
      for (size_t i = n; i-- > 0;) {
        if (i % 2 == 0) task(i);
      }
    });
    for (size_t i = n; i-- > 0;) {
      if (i % 2 == 1) task(i);
    }
    other.join();
  };
  auto reversed = Estimate(*gbm, euler, testing::ScalarScope(), opts);
  ASSERT_TRUE(reversed.ok()) << reversed.status();
  ExpectSameBits(*one, *reversed);
}

TEST(EstimateTest, LevelStatisticsAreEmittedAsCountsGrow) {
  auto gbm = RiskNeutralGbm();
  EstimateOptions opts = CallOptions(4e-3);
  std::map<int, uint64_t> last;
  int calls = 0;
  opts.on_level = [&](const LevelStatistics& stats) {
    ++calls;
    EXPECT_GT(stats.paths, last[stats.level]);
    EXPECT_DOUBLE_EQ(stats.dt, 0.25 * std::exp2(-stats.level));
    EXPECT_GT(stats.path_steps_per_sample, 0.0);
    last[stats.level] = stats.paths;
  };
  auto result = Estimate(*gbm, testing::MethodNamed("milstein"), testing::ScalarScope(), opts);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_GE(calls, static_cast<int>(result->levels.size()));
  for (const LevelStatistics& level : result->levels) EXPECT_EQ(last[level.level], level.paths);
}

// The cancel flag stops the estimate: set before, nothing is solved; set
// once the first round's statistics arrive, no further round runs.
TEST(EstimateTest, CancelFlagStopsTheEstimate) {
  auto gbm = RiskNeutralGbm();
  std::atomic<bool> cancel{true};
  EstimateOptions opts = CallOptions(1e-4);  // many rounds if not stopped
  opts.cancel = &cancel;
  int levels_emitted = 0;
  opts.on_level = [&](const LevelStatistics&) { ++levels_emitted; };
  auto before = Estimate(*gbm, testing::MethodNamed("milstein"), testing::ScalarScope(), opts);
  EXPECT_EQ(before.status().code(), absl::StatusCode::kCancelled) << before.status();
  EXPECT_EQ(levels_emitted, 0);

  cancel.store(false);
  opts.on_level = [&](const LevelStatistics&) {
    ++levels_emitted;
    cancel.store(true);
  };
  auto during = Estimate(*gbm, testing::MethodNamed("milstein"), testing::ScalarScope(), opts);
  EXPECT_EQ(during.status().code(), absl::StatusCode::kCancelled) << during.status();
  EXPECT_EQ(levels_emitted, 3);  // the first round's three levels, nothing after
}

TEST(EstimateTest, PathStepBudgetIsReportedNotAnError) {
  auto gbm = RiskNeutralGbm();
  EstimateOptions opts = CallOptions(1e-4);  // would need far more than the budget
  opts.max_path_steps = 200000;
  auto result = Estimate(*gbm, testing::MethodNamed("milstein"), testing::ScalarScope(), opts);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->path_step_budget_reached);
  EXPECT_FALSE(result->converged);
  EXPECT_LE(result->total_path_steps, opts.max_path_steps);
  EXPECT_GT(result->total_path_steps, 0u);
}

// A functional that is 0 on every path (a call far out of the money) has no
// variance on any level: the estimate is 0, converged, with the first
// samples only, even at the smallest target the options accept (found by
// estimate_request_fuzzer, where 0 times an overflowing count made a NaN that
// was converted to an integer).
TEST(EstimateTest, AFunctionalWithoutVarianceNeedsNoMoreSamples) {
  auto gbm = RiskNeutralGbm();
  EstimateOptions opts = CallOptions(1.1e-154);
  opts.functional = "max(y - 100, 0)";
  opts.max_path_steps = uint64_t{1} << 24;
  auto result = Estimate(*gbm, testing::MethodNamed("milstein"), testing::ScalarScope(), opts);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->value, 0.0);
  EXPECT_TRUE(result->converged);
  EXPECT_FALSE(result->path_step_budget_reached);
}

TEST(EstimateTest, InvalidRequestsNameTheField) {
  auto gbm = RiskNeutralGbm();
  const solver::Method& milstein = testing::MethodNamed("milstein");
  auto error = [&](const EstimateOptions& opts, const solver::Method& method) {
    auto result = Estimate(*gbm, method, testing::ScalarScope(), opts);
    EXPECT_FALSE(result.ok());
    return std::string(result.status().message());
  };
  EstimateOptions opts = CallOptions(0.0);
  EXPECT_THAT(error(opts, milstein), StartsWith("target_rmse: "));
  // 2 / target_rmse^2 overflows (found by estimate_request_fuzzer).
  opts = CallOptions(7.4583407312002069e-157);
  EXPECT_THAT(error(opts, milstein), StartsWith("target_rmse: too small"));
  opts = CallOptions(1e-3);
  opts.functional = "exp(-0.05) * max(y - 1, 0";
  const std::string syntax = error(opts, milstein);
  EXPECT_THAT(syntax, StartsWith("functional:1:26: "));  // line:column, as for models
  EXPECT_THAT(syntax, HasSubstr("^"));
  opts.functional = "max(S - 1, 0)";
  const std::string unknown = error(opts, milstein);
  EXPECT_THAT(unknown, StartsWith("functional:1:5: "));
  EXPECT_THAT(unknown, HasSubstr("S"));
  EXPECT_THAT(unknown, HasSubstr("^"));
  opts.functional = "";
  EXPECT_THAT(error(opts, milstein), StartsWith("functional: "));
  opts = CallOptions(1e-3);
  opts.brownian.tol = 0.25;  // not below the finest step
  EXPECT_THAT(error(opts, milstein), StartsWith("brownian.tol: "));
  opts = CallOptions(1e-3);
  opts.coarsest_dt = 2.0;
  EXPECT_THAT(error(opts, milstein), StartsWith("coarsest_dt: "));
  opts = CallOptions(1e-3);
  opts.max_level = 31;
  EXPECT_THAT(error(opts, milstein), StartsWith("max_level: "));
  // SRA1 needs additive noise; GBM's is multiplicative.
  opts = CallOptions(1e-3);
  const std::string mismatch = error(opts, testing::MethodNamed("sra1"));
  EXPECT_THAT(mismatch, HasSubstr("sra1"));
  std::printf("mismatch: %s\n", mismatch.c_str());
}

}  // namespace
}  // namespace pathwise::estimate
