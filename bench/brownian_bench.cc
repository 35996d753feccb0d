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
