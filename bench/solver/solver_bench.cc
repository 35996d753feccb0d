// Solver benchmarks (Google Benchmark). Counters report ns per path-step
// (wall time / accepted steps). The headline case is OU with ShARK, d = 1,
// dt = 2^-10, 1000 paths over [0, 1] (target <= 100 ns per path-step on one thread).
#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>
#include <string>

#include "bench/solver/ensemble_options.h"
#include "core/integrate/ensemble.h"
#include "core/model/catalog.h"
#include "core/model/langevin.h"
#include "core/solver/method.h"
#include "core/solver/registry.h"

namespace pathwise {
namespace {

void RunEnsemble(benchmark::State& state, const model::Sde& sde, solver::MethodId id,
                 const integrate::SolveOptions& o) {
  const solver::Method& m = solver::GetMethod(id);
  uint64_t steps = 0;
  for (auto _ : state) {
    auto sol = integrate::SolveEnsemble(sde, m, o);
    if (!sol.ok()) {
      state.SkipWithError(std::string(sol.status().message()).c_str());
      return;
    }
    steps += sol->summary.steps_accepted;
  }
  // kIsRate | kInvert reports time / value: with value = steps / 1e9, ns per step.
  state.counters["ns_per_path_step"] = benchmark::Counter(
      static_cast<double>(steps) / 1e9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_OuShark(benchmark::State& state) {
  auto ou = model::MakeBuiltinModel("ou", {}, 1);
  const int threads = static_cast<int>(state.range(0));
  RunEnsemble(state, **ou, solver::MethodId::kShark,
              bench::EnsembleOptions({1.0}, 1.0, control::ConstantStep{0x1p-10}, threads));
}
BENCHMARK(BM_OuShark)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// The pair of issue 17: OU/ShARK on one thread with a dyadic step (2^-10, each
// step a union of tree nodes) and a non-dyadic one (0.001, steps straddle
// leaves and end inside them); target: non-dyadic <= 1.15x dyadic per
// path-step. Compare them in one run, e.g. with
// --benchmark_filter=OuSharkStep --benchmark_repetitions=9
// --benchmark_enable_random_interleaving=true.
void BM_OuSharkStep(benchmark::State& state, double dt) {
  auto ou = model::MakeBuiltinModel("ou", {}, 1);
  RunEnsemble(state, **ou, solver::MethodId::kShark,
              bench::EnsembleOptions({1.0}, 1.0, control::ConstantStep{dt}, 1));
}
BENCHMARK_CAPTURE(BM_OuSharkStep, dyadic, 0x1p-10)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_OuSharkStep, nondyadic, 0.001)->UseRealTime()->Unit(benchmark::kMillisecond);

// The same ensembles one path at a time (SolveOptions.lanes off): the
// baseline of the lanes (core/integrate/lane_solver.h), which give the same bits.
void BM_OuSharkPerPath(benchmark::State& state) {
  auto ou = model::MakeBuiltinModel("ou", {}, 1);
  auto o = bench::EnsembleOptions({1.0}, 1.0, control::ConstantStep{0x1p-10}, 1);
  o.lanes = false;
  RunEnsemble(state, **ou, solver::MethodId::kShark, o);
}
BENCHMARK(BM_OuSharkPerPath)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_OuEulerPerPath(benchmark::State& state) {
  auto ou = model::MakeBuiltinModel("ou", {}, 1);
  auto o = bench::EnsembleOptions({1.0}, 1.0, control::ConstantStep{0x1p-10}, 1);
  o.lanes = false;
  RunEnsemble(state, **ou, solver::MethodId::kEuler, o);
}
BENCHMARK(BM_OuEulerPerPath)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_OuEuler(benchmark::State& state) {
  auto ou = model::MakeBuiltinModel("ou", {}, 1);
  RunEnsemble(state, **ou, solver::MethodId::kEuler,
              bench::EnsembleOptions({1.0}, 1.0, control::ConstantStep{0x1p-10}, 1));
}
BENCHMARK(BM_OuEuler)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_CirAdaptive(benchmark::State& state) {
  auto cir = model::MakeBuiltinModel("cir", {{"sigma", 2.2}}, 1);
  RunEnsemble(
      state, **cir, solver::MethodId::kCirSplitting,
      bench::EnsembleOptions({1.0}, 4.0, control::StateDependentStep{0x1p-6, 0x1p-15, 1.0}, 1));
}
BENCHMARK(BM_CirAdaptive)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_SharkPid(benchmark::State& state) {
  auto dw = model::MakeBuiltinModel("double_well", {}, 1);
  control::AdaptiveStep a;
  a.rtol = a.atol = 1e-3;
  a.dtmin = 0x1p-14;
  RunEnsemble(state, **dw, solver::MethodId::kShark, bench::EnsembleOptions({0.5}, 1.0, a, 1));
}
BENCHMARK(BM_SharkPid)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_QuicsortLogistic(benchmark::State& state) {
  // Logistic regression, d = 10, 40 rows of deterministic synthetic data.
  const int d = 10, rows = 40;
  std::vector<double> data;
  for (int r = 0; r < rows; ++r) {
    double score = 0.0;
    for (int c = 0; c < d; ++c) {
      const double a = std::sin(1.3 * r + 0.7 * c + 0.1);
      data.push_back(a);
      score += a * ((c % 2 == 0) ? 1.0 : -1.0);
    }
    data.push_back(score > 0 ? 1.0 : 0.0);
  }
  auto pot = model::MakeBuiltinPotential("logistic_regression", {}, data, d + 1, d);
  auto lm = model::LangevinModel::Create(*pot, 1.0, 1.0);
  RunEnsemble(state, *lm, solver::MethodId::kQuicsort,
              bench::EnsembleOptions(std::vector<double>(2 * d, 0.0), 1.0,
                                     control::ConstantStep{0x1p-6}, 1));
}
BENCHMARK(BM_QuicsortLogistic)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pathwise

BENCHMARK_MAIN();
