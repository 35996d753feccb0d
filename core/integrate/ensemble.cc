#include "core/integrate/ensemble.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/brownian/brownian_path.h"
#include "core/integrate/path_solver.h"
#include "core/integrate/plan.h"
#include "core/integrate/statistics.h"
#include "core/util/status_macros.h"

namespace pathwise::integrate {
namespace {

using Clock = std::chrono::steady_clock;

// What one block of paths contributes, combined in block order at the end.
struct BlockResult {
  RunningMoments moments;
  Summary counts;  // steps, evaluations and statuses only
};

struct Shared {
  Shared(const model::Sde& sde_in, const solver::Method& method_in, const SolveOptions& opts_in,
         const SolvePlan& plan_in, const brownian::BrownianPath& base_in, size_t fixed_size_in,
         bool keep_values_in, std::vector<PathSolution>* paths_in, std::vector<double>* values_in,
         std::vector<BlockResult>* blocks_in)
      : sde(sde_in),
        method(method_in),
        opts(opts_in),
        plan(plan_in),
        base(base_in),
        fixed_size(fixed_size_in),
        keep_values(keep_values_in),
        paths(paths_in),
        values(values_in),
        blocks(blocks_in) {}

  const model::Sde& sde;
  const solver::Method& method;
  const SolveOptions& opts;
  const SolvePlan& plan;
  const brownian::BrownianPath& base;
  size_t fixed_size;  // fixed save times × state_dim
  bool keep_values;   // keep every path's fixed values (for quantiles)
  std::vector<PathSolution>* paths;
  std::vector<double>* values;
  std::vector<BlockResult>* blocks;
  std::atomic<uint32_t> next_block{0};
  std::atomic<uint64_t> paths_done{0}, accepted{0}, rejected{0};
  std::atomic<bool> cancelled{false};
  std::mutex mu;
  std::condition_variable cv;
  int workers_done = 0;
};

void SolveBlock(Shared& sh, PathSolver& solver, uint32_t b, std::vector<double>& scratch) {
  const uint32_t n = sh.opts.num_paths;
  const uint32_t begin = b * kBlockPaths;
  const uint32_t end = std::min<uint32_t>(n, begin + kBlockPaths);
  BlockResult& out = (*sh.blocks)[b];
  out.moments = RunningMoments(sh.opts.statistics.enabled ? sh.fixed_size : 0);
  PathSolution local;
  for (uint32_t p = begin; p < end; ++p) {
    const brownian::BrownianPath path = sh.base.WithPathIndex(sh.opts.first_path + p);
    PathSolution& sol = sh.paths->empty() ? local : (*sh.paths)[p];
    double* fixed = sh.keep_values ? sh.values->data() + p * sh.fixed_size : scratch.data();
    if (!solver.Solve(path, sh.opts.keep_paths, &sol, fixed)) {
      sh.cancelled.store(true);
      return;
    }
    out.counts.steps_accepted += sol.steps_accepted;
    out.counts.steps_rejected += sol.steps_rejected;
    out.counts.drift_evaluations += sol.evals.drift;
    out.counts.diffusion_evaluations += sol.evals.diffusion;
    ++out.counts.status_counts[static_cast<int>(sol.status)];
    if (sh.opts.statistics.enabled && Completed(sol.status)) out.moments.Add(fixed);
    sh.accepted.fetch_add(sol.steps_accepted, std::memory_order_relaxed);
    sh.rejected.fetch_add(sol.steps_rejected, std::memory_order_relaxed);
    sh.paths_done.fetch_add(1, std::memory_order_relaxed);
  }
}

void Worker(Shared& sh) {
  PathSolver solver(sh.sde, sh.method, sh.opts, sh.plan);
  std::vector<double> scratch(sh.fixed_size);
  const uint32_t num_blocks = static_cast<uint32_t>(sh.blocks->size());
  while (!sh.cancelled.load()) {
    const uint32_t b = sh.next_block.fetch_add(1);
    if (b >= num_blocks) break;
    SolveBlock(sh, solver, b, scratch);
  }
  std::lock_guard<std::mutex> lock(sh.mu);
  ++sh.workers_done;
  sh.cv.notify_all();
}

Progress Snapshot(const Shared& sh, Clock::time_point start) {
  return Progress{sh.paths_done.load(), sh.opts.num_paths, sh.accepted.load(), sh.rejected.load(),
                  std::chrono::duration<double>(Clock::now() - start).count()};
}

// Runs the workers and reports progress from the calling thread.
void RunPool(Shared& sh, Clock::time_point start) {
  const int threads = std::min<int>(sh.opts.threads, static_cast<int>(sh.blocks->size()));
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) pool.emplace_back(Worker, std::ref(sh));
  const auto interval = std::chrono::duration<double>(sh.opts.progress_interval_s);
  {
    std::unique_lock<std::mutex> lock(sh.mu);
    while (sh.workers_done < threads) {
      sh.cv.wait_for(lock, interval, [&] { return sh.workers_done >= threads; });
      if (sh.opts.progress) {
        lock.unlock();
        sh.opts.progress(Snapshot(sh, start));
        lock.lock();
      }
    }
  }
  for (std::thread& t : pool) t.join();
}

Statistics MakeStatistics(const SolvePlan& plan, int n, const RunningMoments& moments,
                          const std::vector<double>& quantile_levels,
                          const std::vector<double>& values,
                          const std::vector<uint8_t>& completed) {
  Statistics st;
  st.ts = plan.fixed_save;
  st.state_dim = n;
  st.count = moments.count();
  st.mean = moments.mean();
  st.variance = moments.Variance();
  st.std_error.resize(st.variance.size());
  for (size_t i = 0; i < st.variance.size(); ++i) {
    st.std_error[i] =
        st.count > 0 ? std::sqrt(st.variance[i] / static_cast<double>(st.count)) : 0.0;
  }
  st.quantile_levels = quantile_levels;
  if (quantile_levels.empty()) return st;
  const size_t nt = st.ts.size(), fixed_size = nt * n;
  st.quantiles.assign(nt * quantile_levels.size() * n, NAN);
  std::vector<double> column;
  for (size_t k = 0; k < nt; ++k) {
    for (int j = 0; j < n; ++j) {
      column.clear();
      for (size_t p = 0; p < completed.size(); ++p) {
        if (completed[p]) column.push_back(values[p * fixed_size + k * n + j]);
      }
      std::sort(column.begin(), column.end());
      for (size_t q = 0; q < quantile_levels.size(); ++q) {
        st.quantiles[(k * quantile_levels.size() + q) * n + j] =
            SortedQuantile(column, quantile_levels[q]);
      }
    }
  }
  return st;
}

}  // namespace

absl::StatusOr<EnsembleSolution> SolveEnsemble(const model::Sde& sde, const solver::Method& method,
                                               const SolveOptions& opts) {
  const Clock::time_point start = Clock::now();
  ASSIGN_OR_RETURN(const SolvePlan plan, MakePlan(opts, sde, method));
  ASSIGN_OR_RETURN(const brownian::BrownianPath base, brownian::BrownianPath::Create(plan.spec));
  const int n = sde.state_dim();
  const uint32_t num_blocks = (opts.num_paths + kBlockPaths - 1) / kBlockPaths;
  EnsembleSolution result;
  std::vector<BlockResult> blocks(num_blocks);
  std::vector<double> values;
  const bool keep_values = opts.statistics.enabled && !opts.statistics.quantile_levels.empty();
  const size_t fixed_size = plan.fixed_save.size() * n;
  if (keep_values) values.assign(static_cast<size_t>(opts.num_paths) * fixed_size, 0.0);
  if (opts.keep_paths || keep_values) result.paths.resize(opts.num_paths);
  Shared sh(sde, method, opts, plan, base, fixed_size, keep_values, &result.paths, &values,
            &blocks);
  RunPool(sh, start);
  if (sh.cancelled.load()) return absl::CancelledError("solve cancelled");

  Summary& sum = result.summary;
  RunningMoments moments(opts.statistics.enabled ? fixed_size : 0);
  for (const BlockResult& b : blocks) {
    sum.steps_accepted += b.counts.steps_accepted;
    sum.steps_rejected += b.counts.steps_rejected;
    sum.drift_evaluations += b.counts.drift_evaluations;
    sum.diffusion_evaluations += b.counts.diffusion_evaluations;
    for (int s = 0; s < kNumStatuses; ++s) sum.status_counts[s] += b.counts.status_counts[s];
    moments.Merge(b.moments);
  }
  sum.paths = opts.num_paths;
  sum.brownian_tol = base.tol();
  sum.levy_area = plan.spec.levy_area;
  sum.algorithm = std::string(brownian::kAlgorithmVersion);
  sum.step_doubling = plan.step_doubling;
  if (opts.statistics.enabled) {
    std::vector<uint8_t> completed(keep_values ? opts.num_paths : 0);
    for (size_t p = 0; p < completed.size(); ++p) completed[p] = Completed(result.paths[p].status);
    result.has_statistics = true;
    result.statistics =
        MakeStatistics(plan, n, moments, opts.statistics.quantile_levels, values, completed);
  }
  if (!opts.keep_paths) result.paths.clear();
  sum.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (opts.progress) opts.progress(Snapshot(sh, start));
  return result;
}

}  // namespace pathwise::integrate
