// The posterior sampler (core/mcmc/sampler.h) end to end on Gaussian targets
// whose moments are exact, on a badly scaled one that only the adapted
// preconditioner makes mix, its determinism, unstable chains and the
// validation of every option.
#include "core/mcmc/sampler.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/mcmc/effective_sample_size.h"
#include "core/model/catalog.h"
#include "core/model/potential.h"
#include "core/random/normal.h"
#include "gtest/gtest.h"

namespace pathwise::mcmc {
namespace {

std::shared_ptr<const model::Potential> Gaussian(double mean, const std::vector<double>& sds) {
  auto target = model::MakeBuiltinPotential("gaussian", {{"mean", mean}}, sds, 0,
                                            static_cast<int>(sds.size()));
  EXPECT_TRUE(target.ok()) << target.status();
  return *target;
}

// Chains of coordinate i of the result's draws.
Chains Coordinate(const SamplerResult& result, int i) {
  Chains chains(result.draws.size());
  for (size_t m = 0; m < result.draws.size(); ++m) {
    for (const std::vector<double>& x : result.draws[m]) chains[m].push_back(x[i]);
  }
  return chains;
}

// Means and sds of N(1.5, diag(sds^2)) within 5 Monte Carlo standard errors
// (a 5-sigma band: a false alarm has probability ~6e-7 per check), R-hat < 1.01.
void ExpectGaussianMoments(const SamplerResult& result, double mean,
                           const std::vector<double>& sds) {
  ASSERT_EQ(result.diagnostics.size(), sds.size());
  for (size_t i = 0; i < sds.size(); ++i) {
    const ParameterSummary& s = result.diagnostics[i];
    EXPECT_NEAR(s.mean, mean, 5.0 * s.mcse_mean) << "coordinate " << i;
    // MCSE of the sd for a Gaussian by the delta method: sd(s) = sigma /
    // sqrt(2 ESS(x^2)), the ESS of the squared deviations from the exact mean.
    Chains squares = Coordinate(result, static_cast<int>(i));
    for (auto& chain : squares) {
      for (double& v : chain) v = (v - mean) * (v - mean);
    }
    const double mcse_sd = sds[i] / std::sqrt(2.0 * MeanEffectiveSampleSize(squares));
    EXPECT_NEAR(s.sd, sds[i], 5.0 * mcse_sd) << "coordinate " << i;
    EXPECT_LT(s.r_hat, 1.01) << "coordinate " << i;
  }
}

// The sampler's defaults on N(1.5, diag(0.5^2, 1, 2^2)).
SamplerOptions GaussianOptions(uint64_t seed) {
  SamplerOptions options;
  options.seed = seed;
  options.warmup_time = 50.0;
  options.num_draws = 2000;
  return options;
}

TEST(Sampler, GaussianMomentsWithDefaults) {
  const std::vector<double> sds = {0.5, 1.0, 2.0};
  absl::StatusOr<SamplerResult> result = Sample(Gaussian(1.5, sds), GaussianOptions(7));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->num_chains, kDefaultNumChains);
  EXPECT_EQ(result->kept_draws, uint64_t{kDefaultNumChains} * 2000);
  EXPECT_TRUE(result->unstable_chains.empty());
  EXPECT_EQ(result->algorithm, "langevin-mcmc-2/align/vbt-philox-1");
  EXPECT_GT(result->gradient_evaluations_warmup, 0u);
  EXPECT_GT(result->gradient_evaluations_sampling, 0u);
  // Constant steps divide thin_time evenly.
  const double steps_per_draw = kDefaultThinTime / result->step_size;
  EXPECT_DOUBLE_EQ(steps_per_draw, std::round(steps_per_draw));
  ExpectGaussianMoments(*result, 1.5, sds);
}

TEST(Sampler, QuicsortWithPidStepsGetsTheMoments) {
  const std::vector<double> sds = {0.5, 1.0, 2.0};
  SamplerOptions options = GaussianOptions(8);
  options.method = solver::MethodId::kQuicsort;
  control::AdaptiveStep pid;
  pid.rtol = 0.05;
  pid.atol = 0.05;
  options.step = pid;
  absl::StatusOr<SamplerResult> result = Sample(Gaussian(1.5, sds), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->unstable_chains.empty());
  EXPECT_EQ(result->algorithm, "langevin-mcmc-2/quicsort/vbt-philox-1");
  EXPECT_GT(result->step_size, 0.0);
  EXPECT_LE(result->step_size, kDefaultThinTime);
  ExpectGaussianMoments(*result, 1.5, sds);
}

// Per-coordinate sds spanning two orders of magnitude. With the adapted
// inverse mass every coordinate mixes alike; with none the step is set by
// the narrowest coordinate and the widest one hardly moves.
TEST(Sampler, AdaptedPreconditionerMixesABadlyScaledGaussian) {
  const std::vector<double> sds = {0.1, 1.0, 10.0};
  SamplerOptions options;
  options.seed = 9;
  options.warmup_time = 100.0;
  options.num_draws = 1000;
  absl::StatusOr<SamplerResult> adapted = Sample(Gaussian(0.0, sds), options);
  ASSERT_TRUE(adapted.ok()) << adapted.status();
  ExpectGaussianMoments(*adapted, 0.0, sds);
  // The final inverse mass estimates the variances (windowed, from 4 chains:
  // within a factor 2).
  for (size_t i = 0; i < sds.size(); ++i) {
    EXPECT_GT(adapted->inverse_mass[i], 0.5 * sds[i] * sds[i]) << i;
    EXPECT_LT(adapted->inverse_mass[i], 2.0 * sds[i] * sds[i]) << i;
  }
  options.preconditioner = Preconditioner::kNone;
  absl::StatusOr<SamplerResult> none = Sample(Gaussian(0.0, sds), options);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->inverse_mass, std::vector<double>(3, 1.0));
  auto ess_per_gradient = [](const SamplerResult& r, int i) {
    return r.diagnostics[i].ess_bulk /
           static_cast<double>(r.gradient_evaluations_warmup + r.gradient_evaluations_sampling);
  };
  // The widest coordinate: without preconditioning it needs ~100x more
  // gradients per effective draw (steps 100x shorter for the same
  // relaxation time); ask for 10x.
  EXPECT_GT(ess_per_gradient(*adapted, 2), 10.0 * ess_per_gradient(*none, 2));
  EXPECT_GT(none->diagnostics[2].r_hat, adapted->diagnostics[2].r_hat);
}

TEST(Sampler, GivenInverseMassIsUsedAndReported) {
  const std::vector<double> sds = {0.5, 1.0, 2.0};
  SamplerOptions options = GaussianOptions(10);
  options.preconditioner = Preconditioner::kDiagonalGiven;
  options.inverse_mass = {0.25, 1.0, 4.0};
  absl::StatusOr<SamplerResult> result = Sample(Gaussian(1.5, sds), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->inverse_mass, options.inverse_mass);
  ExpectGaussianMoments(*result, 1.5, sds);
}

// Same options, same bits: on 1 or 2 threads, or through a runner; another
// seed gives other draws.
TEST(Sampler, IsDeterministicForAnyThreadCount) {
  const auto target = Gaussian(1.5, {0.5, 1.0, 2.0});
  SamplerOptions options = GaussianOptions(11);
  options.num_draws = 100;
  absl::StatusOr<SamplerResult> one = Sample(target, options);
  options.threads = 2;
  absl::StatusOr<SamplerResult> two = Sample(target, options);
  options.threads = 1;
  int runner_calls = 0;
  options.runner = [&](size_t n, const std::function<void(size_t)>& task) {
    ++runner_calls;
    for (size_t i = n; i-- > 0;) task(i);  // in reverse: order must not matter
  };
  absl::StatusOr<SamplerResult> run = Sample(target, options);
  ASSERT_TRUE(one.ok() && two.ok() && run.ok());
  EXPECT_GT(runner_calls, 0);
  EXPECT_EQ(one->draws, two->draws);
  EXPECT_EQ(one->draws, run->draws);
  EXPECT_EQ(one->inverse_mass, two->inverse_mass);
  EXPECT_EQ(one->step_size, two->step_size);
  EXPECT_EQ(one->gradient_evaluations_sampling, run->gradient_evaluations_sampling);
  options.runner = nullptr;
  options.seed = 12;
  absl::StatusOr<SamplerResult> other = Sample(target, options);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(one->draws, other->draws);
}

// on_draws sees every kept draw once, in order, as in the result; progress
// is reported; initial positions are used as given.
TEST(Sampler, CallbacksSeeTheDraws) {
  const auto target = Gaussian(0.0, {1.0, 1.0});
  SamplerOptions options;
  options.seed = 13;
  options.num_chains = 2;
  options.num_draws = 70;  // 3 rounds: 32, 32, 6
  options.warmup_time = 0.0;
  options.initial_positions = {5.0, 5.0, -5.0, -5.0};
  std::vector<std::vector<double>> streamed(2);
  int progress_calls = 0;
  options.on_draws = [&](uint32_t chain, uint32_t first, const std::vector<double>& x) {
    EXPECT_EQ(first * 2, streamed[chain].size());
    streamed[chain].insert(streamed[chain].end(), x.begin(), x.end());
  };
  options.on_progress = [&](const integrate::Progress& p) {
    ++progress_calls;
    EXPECT_EQ(p.num_paths, 2u);
  };
  absl::StatusOr<SamplerResult> result = Sample(target, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(progress_calls, 3);
  for (int c = 0; c < 2; ++c) {
    std::vector<double> flat;
    for (const auto& x : result->draws[c]) flat.insert(flat.end(), x.begin(), x.end());
    EXPECT_EQ(streamed[c], flat);
  }
  // One unit of time from x = +-5 toward 0 (friction 0.5): still on its side.
  EXPECT_GT(result->draws[0][0][0], 0.0);
  EXPECT_LT(result->draws[1][0][0], 0.0);
}

TEST(Sampler, CancelledReturnsCancelled) {
  std::atomic<bool> cancel{true};
  SamplerOptions options = GaussianOptions(14);
  options.cancel = &cancel;
  absl::StatusOr<SamplerResult> result = Sample(Gaussian(0.0, {1.0}), options);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
}

// U = sum x^4 / 4: stable from near 0 at dt = 0.1, divergent from x = 100
// (curvature 3e4, so h sqrt(lambda) = 17).
class Quartic final : public model::Potential {
 public:
  explicit Quartic(int dim) : Potential(dim) {}
  absl::string_view name() const override { return "quartic"; }
  double Value(const double* x) const override {
    double u = 0.0;
    for (int i = 0; i < dim(); ++i) u += x[i] * x[i] * x[i] * x[i] / 4.0;
    return u;
  }
  void Gradient(const double* x, double* grad) const override {
    for (int i = 0; i < dim(); ++i) grad[i] = x[i] * x[i] * x[i];
  }
};

TEST(Sampler, DivergentChainIsFlaggedAndExcluded) {
  SamplerOptions options;
  options.seed = 15;
  options.num_chains = 4;
  options.warmup_time = 10.0;
  options.num_draws = 200;
  options.step = control::ConstantStep{0.1};
  options.preconditioner = Preconditioner::kNone;
  options.initial_positions = {0.5, -0.5, 100.0, 0.0};
  absl::StatusOr<SamplerResult> result = Sample(std::make_shared<Quartic>(1), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->unstable_chains, std::vector<uint32_t>{2});
  EXPECT_TRUE(result->draws[2].empty());
  ASSERT_EQ(result->diagnostics.size(), 1u);
  EXPECT_TRUE(std::isfinite(result->diagnostics[0].mean));
  EXPECT_EQ(result->kept_draws, 3u * 200);
}

TEST(Sampler, EveryChainDivergingIsReportedNotFatal) {
  SamplerOptions options;
  options.seed = 16;
  options.num_draws = 10;
  options.step = control::ConstantStep{0.5};
  options.preconditioner = Preconditioner::kNone;
  options.initial_positions.assign(kDefaultNumChains, 100.0);
  absl::StatusOr<SamplerResult> result = Sample(std::make_shared<Quartic>(1), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->unstable_chains.size(), kDefaultNumChains);
  EXPECT_TRUE(result->diagnostics.empty());
}

// max_steps_per_chain bounds a chain's steps over the whole run, not each
// round of draws (a round used to get the whole bound afresh: found by
// mcmc_request_fuzzer, corpus_mcmc/regression-max-steps-across-rounds).
TEST(Sampler, MaxStepsPerChainBoundsTheWholeRun) {
  SamplerOptions options = GaussianOptions(5);
  options.num_draws = 200;  // thin_time 1: hundreds of steps per chain
  options.max_steps_per_chain = 100;
  absl::StatusOr<SamplerResult> result = Sample(Gaussian(0.0, {1.0}), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_LE(result->steps_accepted + result->steps_rejected,
            uint64_t{kDefaultNumChains} * options.max_steps_per_chain);
  EXPECT_EQ(result->unstable_chains.size(), kDefaultNumChains);
}

// Every invalid option is rejected with a message naming its wire field.
// Neal's funnel in 10 dimensions, x0 ~ N(0, 3²), x_i | x0 ~ N(0, e^{x0}):
//   U = x0²/18 + Σ_{i=1..9} (x_i² e^{-x0} + x0) / 2.
class FunnelPotential final : public model::Potential {
 public:
  FunnelPotential() : Potential(10) {}
  absl::string_view name() const override { return "funnel"; }
  double Value(const double* x) const override {
    double u = x[0] * x[0] / 18.0;
    for (int i = 1; i < dim(); ++i) u += 0.5 * (x[i] * x[i] * std::exp(-x[0]) + x[0]);
    return u;
  }
  void Gradient(const double* x, double* g) const override {
    const double e = std::exp(-x[0]);
    g[0] = x[0] / 9.0;
    for (int i = 1; i < dim(); ++i) {
      g[0] += 0.5 * (1.0 - x[i] * x[i] * e);
      g[i] = x[i] * e;
    }
  }
};

// Chains started in the funnel's neck (x0 = -7, x_i ~ N(0, e^{-7}) from
// Philox normals, velocities from their stationary law) and run for 4 time
// units with constant steps: how many leave it for the mouth (a draw with
// x0 > 0) or are flagged unstable. Exact dynamics stay in the neck over that
// time (x0 drifts by about 1).
int ChainsLostFromTheNeck(solver::MethodId method, double dt) {
  constexpr uint32_t kChains = 64;
  SamplerOptions options;
  options.method = method;
  options.seed = 11;
  options.num_chains = kChains;
  options.num_draws = 4;
  options.step = control::ConstantStep{dt};
  options.preconditioner = Preconditioner::kNone;
  for (uint32_t c = 0; c < kChains; ++c) {
    options.initial_positions.push_back(-7.0);
    for (uint32_t i = 1; i < 10; ++i) {
      const double z = random::NormalPairAt({c, i, 0, 0}, {13, 0}).first;
      options.initial_positions.push_back(std::exp(-3.5) * z);
    }
  }
  absl::StatusOr<SamplerResult> result = Sample(std::make_shared<FunnelPotential>(), options);
  EXPECT_TRUE(result.ok()) << result.status();
  if (!result.ok()) return -1;
  int lost = static_cast<int>(result->unstable_chains.size());
  for (uint32_t c = 0; c < kChains; ++c) {
    if (std::find(result->unstable_chains.begin(), result->unstable_chains.end(), c) !=
        result->unstable_chains.end()) {
      continue;
    }
    for (const std::vector<double>& x : result->draws[c]) {
      if (x[0] > 0.0) {
        ++lost;
        break;
      }
    }
  }
  return lost;
}

// QUICSORT's bias in the funnel is a property of the method at that step,
// not of its use of H and K (docs/mcmc.md, "QUICSORT in the funnel's neck";
// tests/core/solver/langevin_stationary_test.cc): at dt = 0.05, where the
// neck's curvature e^{7..9} makes h√λ 1.7-4.5, its stationary variance in
// the stiff directions contracts (to 11 % at h√λ = 2), which pulls x0 further
// down until the step is unstable (h√λ > 2.5) and the chain is flung out;
// ALIGN over-disperses there instead, which pushes x0 up and out of harm. At
// dt = 0.002 (h√λ < 0.2) QUICSORT keeps every chain.
TEST(Sampler, QuicsortAtTheFunnelsStepLosesItsChainsFromTheNeck) {
  EXPECT_EQ(ChainsLostFromTheNeck(solver::MethodId::kQuicsort, 0.002), 0);
  EXPECT_EQ(ChainsLostFromTheNeck(solver::MethodId::kAlign, 0.05), 0);
  // Measured: 53 of 64.
  EXPECT_GE(ChainsLostFromTheNeck(solver::MethodId::kQuicsort, 0.05), 32);
}

TEST(Sampler, InvalidOptionsNameTheirField) {
  const auto target = Gaussian(0.0, {1.0, 1.0});
  struct Case {
    std::function<void(SamplerOptions&)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](SamplerOptions& o) { o.method = solver::MethodId::kEuler; }, "method: "},
      {[](SamplerOptions& o) { o.num_chains = kMaxNumChains + 1; }, "num_chains: "},
      {[](SamplerOptions& o) {
         o.x0 = {0.0, NAN};
       },
       "target.x0[1]: "},
      {[](SamplerOptions& o) { o.x0 = {0.0}; }, "target.x0: "},
      {[](SamplerOptions& o) { o.initial_positions = {1.0}; }, "initial_positions: "},
      {[](SamplerOptions& o) { o.initial_positions.assign(8, INFINITY); },
       "initial_positions[0]: "},
      {[](SamplerOptions& o) { o.gamma = -1.0; }, "target.gamma: "},
      {[](SamplerOptions& o) { o.u = NAN; }, "target.u: "},
      {[](SamplerOptions& o) { o.warmup_time = -1.0; }, "warmup_time: "},
      {[](SamplerOptions& o) { o.warmup_time = INFINITY; }, "warmup_time: "},
      {[](SamplerOptions& o) { o.num_draws = 3; }, "num_draws: "},
      {[](SamplerOptions& o) { o.num_draws = 1u << 31; }, "num_draws: "},
      {[](SamplerOptions& o) { o.thin_time = -1.0; }, "thin_time: "},
      {[](SamplerOptions& o) { o.thin_time = 1e308; }, "thin_time: "},
      {[](SamplerOptions& o) { o.step = control::ConstantStep{0.0}; }, "step.constant.dt: "},
      {[](SamplerOptions& o) { o.step = control::AdaptiveStep{}; }, "step.adaptive.rtol: "},
      {[](SamplerOptions& o) {
         control::AdaptiveStep a;
         a.rtol = 0.1;
         a.step_ts = {1.0};
         o.step = a;
       },
       "step.adaptive.step_ts: "},
      {[](SamplerOptions& o) {
         o.step = control::StepTo{{0.0, 1.0}};
       },
       "step.step_to: "},
      {[](SamplerOptions& o) { o.preconditioner = static_cast<Preconditioner>(7); },
       "preconditioner: "},
      {[](SamplerOptions& o) { o.preconditioner = Preconditioner::kDiagonalGiven; },
       "inverse_mass: "},
      {[](SamplerOptions& o) {
         o.preconditioner = Preconditioner::kDiagonalGiven;
         o.inverse_mass = {1.0};
       },
       "inverse_mass: "},
      {[](SamplerOptions& o) {
         o.preconditioner = Preconditioner::kDiagonalGiven;
         o.inverse_mass = {1.0, 0.0};
       },
       "inverse_mass[1]: "},
      {[](SamplerOptions& o) {
         o.inverse_mass = {1.0, 1.0};
       },
       "inverse_mass: "},
      {[](SamplerOptions& o) { o.threads = 0; }, "threads: "},
  };
  for (const Case& c : cases) {
    SamplerOptions options;
    options.num_draws = 10;
    c.change(options);
    absl::StatusOr<SamplerResult> result = Sample(target, options);
    ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(std::string(result.status().message()).rfind(c.field, 0), 0u)
        << result.status().message();
  }
  EXPECT_EQ(Sample(nullptr, SamplerOptions{}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pathwise::mcmc
