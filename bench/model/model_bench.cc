// Path-steps per second through the real solve loop (SolveEnsemble, Euler,
// 1 000 paths, one worker thread; wall time, since the solve runs on a
// worker): models compiled from expressions against the
// same built-in models, on the same Brownian paths.
//
//   bench_model_expr --benchmark_counters_tabular=true
//
// The ratio expression/built-in of the "path_steps/s" counters is the number
// reported in docs/benchmarks.md §5.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <vector>

#include "core/integrate/ensemble.h"
#include "core/model/catalog.h"
#include "core/model/expression_potential.h"
#include "core/model/expression_sde.h"
#include "core/model/langevin.h"
#include "core/solver/registry.h"
#include "tests/util/builtin_expressions.h"

namespace pathwise {
namespace {

constexpr uint32_t kPaths = 1000;
constexpr double kDt = 0x1p-8;  // 256 steps over [0, 1]
constexpr int kSteps = 256;

// The 25-dimensional logistic-regression problem: 20 rows of N(0, 0.3²)
// features and 0/1 labels, as in bench_expr.
constexpr int kLangevinDim = 25;
constexpr int kLangevinRows = 20;

std::vector<double> LogisticData() {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal(0.0, 0.3);
  std::vector<double> data;
  for (int r = 0; r < kLangevinRows; ++r) {
    for (int c = 0; c < kLangevinDim; ++c) data.push_back(normal(rng));
    data.push_back(r % 3 == 0 ? 0.0 : 1.0);
  }
  return data;
}

void Solve(benchmark::State& state, const model::Sde& sde, std::vector<double> y0) {
  integrate::SolveOptions o;
  o.y0 = std::move(y0);
  o.step = control::ConstantStep{kDt};
  o.num_paths = kPaths;
  o.keep_paths = false;
  o.seed = 1;
  const solver::Method& euler = solver::GetMethod(solver::MethodId::kEuler);
  for (auto _ : state) {
    auto sol = integrate::SolveEnsemble(sde, euler, o);
    if (!sol.ok()) {
      state.SkipWithError("solve failed");
      return;
    }
    benchmark::DoNotOptimize(sol->summary);
  }
  state.counters["path_steps/s"] = benchmark::Counter(
      static_cast<double>(kPaths) * kSteps, benchmark::Counter::kIsIterationInvariantRate);
}

std::unique_ptr<model::Sde> Builtin(const char* name, int n) {
  return std::move(model::MakeBuiltinModel(name, {}, n).value());
}

std::unique_ptr<model::Sde> Expression(const model::ExpressionModelSpec& spec) {
  return std::move(model::ExpressionSde::Create(spec, nullptr).value());
}

void BM_OuBuiltin(benchmark::State& s) { Solve(s, *Builtin("ou", 1), {0.5}); }
void BM_OuExpression(benchmark::State& s) {
  Solve(s, *Expression(testing::OuExpression(1)), {0.5});
}
void BM_CirBuiltin(benchmark::State& s) { Solve(s, *Builtin("cir", 1), {0.8}); }
void BM_CirExpression(benchmark::State& s) {
  Solve(s, *Expression(testing::CirExpression(1)), {0.8});
}
void BM_HestonBuiltin(benchmark::State& s) { Solve(s, *Builtin("heston", 2), {1.0, 0.04}); }
void BM_HestonExpression(benchmark::State& s) {
  Solve(s, *Expression(testing::HestonExpression()), {1.0, 0.04});
}

void SolveLangevin(benchmark::State& s, std::shared_ptr<const model::Potential> potential) {
  const model::LangevinModel sde = model::LangevinModel::Create(potential, 1.0, 1.0).value();
  Solve(s, sde, std::vector<double>(2 * kLangevinDim, 0.1));
}

void BM_Langevin25Builtin(benchmark::State& s) {
  SolveLangevin(
      s, model::MakeBuiltinPotential("logistic_regression", {}, LogisticData(), kLangevinDim + 1, 0)
             .value());
}

void BM_Langevin25Expression(benchmark::State& s) {
  const std::string u = testing::LogisticPotentialExpression(LogisticData(), kLangevinDim + 1);
  SolveLangevin(
      s, model::ExpressionPotential::Create(u, kLangevinDim, {{"prior_variance", 1.0}}, nullptr)
             .value());
}

BENCHMARK(BM_OuBuiltin)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_OuExpression)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CirBuiltin)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CirExpression)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_HestonBuiltin)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_HestonExpression)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Langevin25Builtin)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Langevin25Expression)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace pathwise

BENCHMARK_MAIN();
