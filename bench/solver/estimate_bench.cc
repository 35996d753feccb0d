// The multilevel estimator's cost against plain Monte Carlo (Google
// Benchmark): a European call on GBM (r = 0.05, sigma = 0.2, S0 = K = 1,
// T = 1) with Milstein to RMSE 1e-3, seed 1, one thread; Monte Carlo on the
// finest step the multilevel estimate used, with the same tree. Counters:
// path_steps per estimate (deterministic) and ns per path-step.
// `pathwise-lab mlmc` runs the full study (docs/mlmc.md).
#include <benchmark/benchmark.h>

#include <string>

#include "core/estimate/estimate.h"
#include "core/model/catalog.h"
#include "core/solver/registry.h"

namespace pathwise {
namespace {

estimate::EstimateOptions CallOptions() {
  estimate::EstimateOptions o;
  o.y0 = {1.0};
  o.seed = 1;
  o.functional = "exp(-0.05) * max(y - 1, 0)";
  o.target_rmse = 1e-3;
  return o;
}

void RunEstimate(benchmark::State& state, const estimate::EstimateOptions& o) {
  auto gbm = model::MakeBuiltinModel("gbm", {{"mu", 0.05}, {"sigma", 0.2}}, 1);
  const solver::Method& milstein = **solver::FindMethod("milstein");
  const estimate::FunctionalScope scope{{"y"}, {}};
  uint64_t steps = 0, per_estimate = 0;
  for (auto _ : state) {
    auto r = estimate::Estimate(**gbm, milstein, scope, o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    per_estimate = r->total_path_steps;
    steps += per_estimate;
  }
  state.counters["path_steps"] = static_cast<double>(per_estimate);
  // kIsRate | kInvert reports time / value: with value = steps / 1e9, ns per step.
  state.counters["ns_per_path_step"] = benchmark::Counter(
      static_cast<double>(steps) / 1e9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_GbmCallMultilevel(benchmark::State& state) { RunEstimate(state, CallOptions()); }
BENCHMARK(BM_GbmCallMultilevel)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_GbmCallMonteCarlo(benchmark::State& state) {
  estimate::EstimateOptions o = CallOptions();
  // The multilevel estimate's finest level (deterministic for this seed)
  // and tree.
  auto gbm = model::MakeBuiltinModel("gbm", {{"mu", 0.05}, {"sigma", 0.2}}, 1);
  auto ml = estimate::Estimate(**gbm, **solver::FindMethod("milstein"), {{"y"}, {}}, o);
  if (!ml.ok()) {
    state.SkipWithError(std::string(ml.status().message()).c_str());
    return;
  }
  o.brownian.tol = o.ResolvedTol();
  o.estimator = estimate::Estimator::kMonteCarlo;
  o.max_level = ml->levels.back().level;
  RunEstimate(state, o);
}
BENCHMARK(BM_GbmCallMonteCarlo)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pathwise

BENCHMARK_MAIN();
