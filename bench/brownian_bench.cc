// Benchmarks of the generator and the virtual Brownian tree. Results and
// their ratios are recorded in docs/benchmarks.md §2.
//
// Counters: "normals_per_query" is the number of standard normals a query drew
// (2 per Philox block, as the cursor counts them); "ns_per_normal" lets a
// query's time be compared with the bare cost of drawing its normals.
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/brownian/batch.h"
#include "core/brownian/cursor.h"
#include "core/random/normal.h"

namespace pathwise {
namespace {

using brownian::BrownianCursor;
using brownian::BrownianPath;
using brownian::LevyArea;
using brownian::PathSpec;

BrownianPath MakePath(LevyArea kind, uint32_t dim, double tol) {
  PathSpec spec;
  spec.seed = 2024;
  spec.dim = dim;
  spec.tol = tol;
  spec.levy_area = kind;
  return *BrownianPath::Create(spec);
}

void BM_NormalPairs(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<double> first(n), second(n);
  uint32_t stream = 0;
  for (auto _ : state) {
    random::FillNormalPairsAlongComponent({1u, 2u}, ++stream, 0u, 0u, 0u, n, first.data(),
                                          second.data());
    benchmark::DoNotOptimize(first.data());
    benchmark::DoNotOptimize(second.data());
  }
  state.SetItemsProcessed(state.iterations() * 2 * static_cast<int64_t>(n));
  state.counters["ns_per_normal"] =
      benchmark::Counter(static_cast<double>(state.iterations() * 2 * static_cast<int64_t>(n)),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_NormalPairs)->Arg(1)->Arg(256)->Arg(4096);

// 4096 random queries on [0, 1]: intervals, or point values [0, t].
std::vector<std::pair<double, double>> RandomQueries(uint64_t seed, bool interval) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<std::pair<double, double>> queries(4096);
  for (auto& q : queries) {
    double a = uniform(rng), b = uniform(rng);
    if (a > b) std::swap(a, b);
    q = interval ? std::make_pair(a, b) : std::make_pair(0.0, b);
  }
  return queries;
}

// Random-order queries: args = kind, dim, log2(1/tol), interval (1) or point (0).
void BM_RandomQuery(benchmark::State& state) {
  const auto kind = static_cast<LevyArea>(state.range(0));
  const auto dim = static_cast<uint32_t>(state.range(1));
  const double tol = std::ldexp(1.0, -static_cast<int>(state.range(2)));
  const bool interval = state.range(3) != 0;
  const BrownianPath path = MakePath(kind, dim, tol);
  BrownianCursor cursor(path);
  const std::vector<std::pair<double, double>> queries = RandomQueries(7, interval);
  std::vector<double> w(dim), h(dim), k(dim);
  size_t i = 0;
  for (auto _ : state) {
    const auto& q = queries[i++ & 4095];
    cursor.Increment(q.first, q.second, w.data(), h.data(), k.data());
    benchmark::DoNotOptimize(w.data());
  }
  const auto& stats = cursor.stats();
  state.counters["normals_per_query"] =
      2.0 * static_cast<double>(stats.blocks_drawn) / static_cast<double>(stats.queries);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RandomQuery)
    ->ArgsProduct({{0, 1, 2}, {1, 16, 256}, {10, 20, 40}, {1}})
    ->ArgNames({"kind", "dim", "log2tol", "interval"});
BENCHMARK(BM_RandomQuery)
    ->ArgsProduct({{0, 1, 2}, {1, 16, 256}, {10, 20, 40}, {0}})
    ->ArgNames({"kind", "dim", "log2tol", "interval"});

// A multi-path Sample: 64 paths x 16 random intervals, tol 2^-20; args = kind,
// dim, lanes (1: the request's paths in lanes of 8, as Sample evaluates them;
// 0: one path at a time). Both give the same bits; ns per path-query.
void BM_MultiPathSample(benchmark::State& state) {
  brownian::BatchRequest request;
  request.path.seed = 2024;
  request.path.levy_area = static_cast<LevyArea>(state.range(0));
  request.path.dim = static_cast<uint32_t>(state.range(1));
  request.path.tol = 0x1p-20;
  request.path_count = 64;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int q = 0; q < 16; ++q) {
    double a = uniform(rng), b = uniform(rng);
    if (a > b) std::swap(a, b);
    request.intervals.push_back({a, b});
  }
  const std::vector<brownian::Interval> queries = brownian::QueriesOf(request);
  brownian::BatchResult result;
  brownian::SizeResult(request, result);
  const bool lanes = state.range(2) != 0;
  for (auto _ : state) {
    if (lanes) {
      brownian::EvaluatePaths(request, queries, 0, request.path_count, result);
    } else {
      for (uint32_t p = 0; p < request.path_count; ++p) {
        brownian::EvaluatePaths(request, queries, p, 1, result);
      }
    }
    benchmark::DoNotOptimize(result.w.data());
  }
  state.counters["ns_per_path_query"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * request.path_count * queries.size() / 1e9,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_MultiPathSample)
    ->ArgsProduct({{0, 1, 2}, {1, 16}, {0, 1}})
    ->ArgNames({"kind", "dim", "lanes"});

// CPU time of the calling thread: both halves of a round below are timed on
// this clock, so time the scheduler gives to other processes counts for neither.
double ThreadCpuNs() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return 1e9 * static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec);
}

// A random-order interval query against the time the batched generator takes
// to draw the normals that query consumed, measured in the same run: each
// round answers 256 queries, then draws as many Philox blocks as they did in
// batches of up to 4096 pairs. Interleaving the two keeps a noisy, shared
// machine from favouring either side. args = kind, dim, log2(1/tol).
// Counters: ns per query, ns to draw its normals, and their ratio.
void BM_QueryOverNormals(benchmark::State& state) {
  const auto kind = static_cast<LevyArea>(state.range(0));
  const auto dim = static_cast<uint32_t>(state.range(1));
  const double tol = std::ldexp(1.0, -static_cast<int>(state.range(2)));
  const BrownianPath path = MakePath(kind, dim, tol);
  BrownianCursor cursor(path);
  const std::vector<std::pair<double, double>> queries = RandomQueries(11, true);
  constexpr size_t kQueriesPerRound = 256, kMaxPairs = 4096;
  std::vector<double> w(dim), h(dim), k(dim), first(kMaxPairs), second(kMaxPairs);
  double query_ns = 0.0, normals_ns = 0.0;
  size_t i = 0;
  uint32_t stream = 0;
  for (auto _ : state) {
    const uint64_t blocks_before = cursor.stats().blocks_drawn;
    const double start = ThreadCpuNs();
    for (size_t q = 0; q < kQueriesPerRound; ++q, ++i) {
      const auto& query = queries[i & 4095];
      cursor.Increment(query.first, query.second, w.data(), h.data(), k.data());
      benchmark::DoNotOptimize(w.data());
    }
    const double queried = ThreadCpuNs();
    for (size_t left = cursor.stats().blocks_drawn - blocks_before; left > 0;) {
      const size_t pairs = std::min(left, kMaxPairs);
      random::FillNormalPairsAlongComponent({5u, 6u}, ++stream, 0u, 0u, 0u, pairs, first.data(),
                                            second.data());
      benchmark::DoNotOptimize(first.data());
      left -= pairs;
    }
    const double drawn = ThreadCpuNs();
    query_ns += queried - start;
    normals_ns += drawn - queried;
  }
  const double count = static_cast<double>(state.iterations() * kQueriesPerRound);
  state.counters["query_ns"] = query_ns / count;
  state.counters["normals_ns"] = normals_ns / count;
  state.counters["ratio"] = query_ns / normals_ns;
  state.counters["normals_per_query"] = 2.0 * static_cast<double>(cursor.stats().blocks_drawn) /
                                        static_cast<double>(cursor.stats().queries);
}
BENCHMARK(BM_QueryOverNormals)
    ->ArgsProduct({{0, 1, 2}, {1, 16}, {10, 20, 40}})
    ->ArgNames({"kind", "dim", "log2tol"});

// The solver pattern: adjacent steps of h = 2^-10 with tol = h/2.
void BM_SolverPattern(benchmark::State& state) {
  const auto kind = static_cast<LevyArea>(state.range(0));
  const auto dim = static_cast<uint32_t>(state.range(1));
  const double h = std::ldexp(1.0, -10);
  const BrownianPath path = MakePath(kind, dim, h / 2);
  BrownianCursor cursor(path);
  std::vector<double> w(dim), hh(dim), k(dim);
  int step = 0;
  for (auto _ : state) {
    const double s = step * h;
    cursor.Increment(s, s + h, w.data(), hh.data(), k.data());
    benchmark::DoNotOptimize(w.data());
    step = (step + 1) & 1023;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SolverPattern)->ArgsProduct({{0, 1, 2}, {1, 16, 256}})->ArgNames({"kind", "dim"});

// A constant-step ensemble's queries, as a solver makes them: paths in turn
// (the cursor Reset to each), each stepping over [0, 1] with h = 2^-10
// (dyadic: every step a tree node) or h = 0.001 (non-dyadic: steps start and
// end inside leaves), tol = h/2 as a solve sets it. args = kind, dim, dyadic.
// Target (issue 17): non-dyadic <= 1.15x dyadic per step.
void BM_EnsembleSteps(benchmark::State& state) {
  const auto kind = static_cast<LevyArea>(state.range(0));
  const auto dim = static_cast<uint32_t>(state.range(1));
  const bool dyadic = state.range(2) != 0;
  const double h = dyadic ? 0x1p-10 : 0.001;
  const int steps = dyadic ? 1024 : 1000;
  std::vector<BrownianPath> paths;
  for (uint64_t i = 0; i < 16; ++i) {
    PathSpec spec;
    spec.seed = 2024;
    spec.path_index = i;
    spec.dim = dim;
    spec.tol = h / 2;
    spec.levy_area = kind;
    paths.push_back(*BrownianPath::Create(spec));
  }
  BrownianCursor cursor(paths[0]);
  std::vector<double> w(dim), hh(dim), k(dim);
  int step = 0;
  size_t path = 0;
  for (auto _ : state) {
    // The solver's grid: t0 + n h, the last step ending at t1.
    const double t = step + 1 == steps ? 1.0 : (step + 1) * h;
    cursor.Increment(step * h, t, w.data(), hh.data(), k.data());
    benchmark::DoNotOptimize(w.data());
    if (++step == steps) {
      step = 0;
      path = (path + 1) % paths.size();
      cursor.Reset(paths[path]);
    }
  }
  state.SetItemsProcessed(state.iterations());
  const auto& stats = cursor.stats();
  state.counters["normals_per_step"] =
      2.0 * static_cast<double>(stats.blocks_drawn) / static_cast<double>(stats.queries);
}
BENCHMARK(BM_EnsembleSteps)
    ->ArgsProduct({{0, 1, 2}, {1, 16}, {1, 0}})
    ->ArgNames({"kind", "dim", "dyadic"});

// The plain-generator baseline: the same (W, H[, K]) increments of a step drawn
// directly on a fixed grid, no tree: one node's worth of normals per step.
void BM_PlainGenerator(benchmark::State& state) {
  const auto kind = static_cast<LevyArea>(state.range(0));
  const auto dim = static_cast<uint32_t>(state.range(1));
  const int blocks = brownian::BlocksPerNode(kind);
  const double h = std::ldexp(1.0, -10);
  const double sd_w = std::sqrt(h), sd_h = std::sqrt(h / 12), sd_k = std::sqrt(h / 720);
  std::vector<double> draws(4 * dim), w(dim), hh(dim), k(dim);
  uint32_t step = 0;
  for (auto _ : state) {
    for (int b = 0; b < blocks; ++b) {
      random::FillNormalPairsAlongComponent({3u, 4u}, step, 0u, 0u, static_cast<uint32_t>(b), dim,
                                            draws.data() + 2 * b * dim,
                                            draws.data() + (2 * b + 1) * dim);
    }
    for (uint32_t j = 0; j < dim; ++j) w[j] = sd_w * draws[j];
    if (kind != LevyArea::kNone) {
      for (uint32_t j = 0; j < dim; ++j) hh[j] = sd_h * draws[dim + j];
    }
    if (kind == LevyArea::kSpaceTimeTime) {
      for (uint32_t j = 0; j < dim; ++j) k[j] = sd_k * draws[2 * dim + j];
    }
    benchmark::DoNotOptimize(w.data());
    benchmark::DoNotOptimize(hh.data());
    benchmark::DoNotOptimize(k.data());
    ++step;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PlainGenerator)->ArgsProduct({{0, 1, 2}, {1, 16, 256}})->ArgNames({"kind", "dim"});

}  // namespace
}  // namespace pathwise

BENCHMARK_MAIN();
