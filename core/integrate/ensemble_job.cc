#include "core/integrate/ensemble_job.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "core/util/status_macros.h"

namespace pathwise::integrate {

absl::StatusOr<std::unique_ptr<EnsembleJob>> EnsembleJob::Create(const model::Sde& sde,
                                                                 const solver::Method& method,
                                                                 SolveOptions opts) {
  ASSIGN_OR_RETURN(SolvePlan plan, MakePlan(opts, sde, method));
  ASSIGN_OR_RETURN(brownian::BrownianPath base, brownian::BrownianPath::Create(plan.spec));
  return std::unique_ptr<EnsembleJob>(
      new EnsembleJob(sde, method, std::move(opts), std::move(plan), std::move(base)));
}

EnsembleJob::EnsembleJob(const model::Sde& sde, const solver::Method& method, SolveOptions opts,
                         SolvePlan plan, brownian::BrownianPath base)
    : sde_(sde),
      method_(method),
      opts_(std::move(opts)),
      plan_(std::move(plan)),
      base_(std::move(base)),
      fixed_size_(plan_.fixed_save.size() * sde.state_dim()),
      keep_values_(opts_.statistics.enabled && !opts_.statistics.quantile_levels.empty()),
      lanes_(LaneSolver::Serves(opts_, plan_)),
      blocks_((opts_.num_paths + kBlockPaths - 1) / kBlockPaths) {
  if (keep_values_) {
    values_.assign(static_cast<size_t>(opts_.num_paths) * fixed_size_, 0.0);
    completed_.assign(opts_.num_paths, 0);
  }
}

uint32_t EnsembleJob::BlockSize(uint32_t b) const {
  return std::min<uint32_t>(opts_.num_paths - BlockBegin(b), kBlockPaths);
}

std::unique_ptr<PathSolver> EnsembleJob::NewWorker() const {
  return std::make_unique<PathSolver>(sde_, method_, opts_, plan_);
}

bool EnsembleJob::SolveBlock(uint32_t b, PathSolver& worker, PathSolution* paths) {
  return SolveBlockUntil(b, worker, paths, PathSolver::Clock::time_point::max()) == Slice::kDone;
}

EnsembleJob::Slice EnsembleJob::SolveBlockUntil(uint32_t b, PathSolver& worker, PathSolution* paths,
                                                PathSolver::Clock::time_point until) {
  BlockResult& out = blocks_[b];
  if (!out.started) {
    out.started = true;
    out.next = 0;
    out.moments = RunningMoments(opts_.statistics.enabled ? fixed_size_ : 0);
    out.scratch.assign(keep_values_ ? 0 : (lanes_ ? LaneSolver::kLanes : 1) * fixed_size_, 0.0);
  }
  if (lanes_) return SolveBlockInLanes(b, worker.lanes(), paths, until);
  const uint32_t begin = BlockBegin(b), size = BlockSize(b);
  while (out.next < size) {
    const uint32_t p = begin + out.next;
    PathSolution& sol = paths != nullptr ? paths[out.next] : out.local;
    double* fixed = keep_values_ ? values_.data() + p * fixed_size_ : out.scratch.data();
    if (!worker.path_open()) {
      worker.Start(base_.WithPathIndex(opts_.first_path + p), opts_.keep_paths, &sol, fixed);
    }
    const PathSolver::Outcome outcome = worker.Continue(until);
    ReportSteps(out, sol.steps_accepted, sol.steps_rejected,
                outcome == PathSolver::Outcome::kFinished);
    switch (outcome) {
      case PathSolver::Outcome::kPaused:
        return Slice::kPaused;
      case PathSolver::Outcome::kCancelled:
        return Slice::kCancelled;
      case PathSolver::Outcome::kFinished:
        break;
    }
    AddPath(out, p, sol, fixed);
    ++out.next;
  }
  out.scratch = {};
  out.local = PathSolution{};
  return Slice::kDone;
}

EnsembleJob::Slice EnsembleJob::SolveBlockInLanes(uint32_t b, LaneSolver& lanes,
                                                  PathSolution* paths,
                                                  PathSolver::Clock::time_point until) {
  constexpr size_t kLanes = LaneSolver::kLanes;
  BlockResult& out = blocks_[b];
  if (out.local_lanes.empty() && paths == nullptr) out.local_lanes.resize(kLanes);
  const uint32_t begin = BlockBegin(b), size = BlockSize(b);
  while (out.next < size) {
    const uint32_t p = begin + out.next;
    const size_t count = std::min<size_t>(kLanes, size - out.next);
    std::array<PathSolution*, kLanes> sols{};
    std::array<double*, kLanes> fixed{};
    for (size_t i = 0; i < count; ++i) {
      sols[i] = paths != nullptr ? &paths[out.next + i] : &out.local_lanes[i];
      fixed[i] = keep_values_ ? values_.data() + (p + i) * fixed_size_
                              : out.scratch.data() + i * fixed_size_;
    }
    if (!lanes.open()) lanes.Start(opts_.first_path + p, count, opts_.keep_paths, sols, fixed);
    const LaneSolver::Outcome outcome = lanes.Continue(until);
    // A lane's steps are all accepted (constant steps, no error estimate).
    ReportSteps(out, lanes.StepsSoFar(), 0, outcome == LaneSolver::Outcome::kFinished);
    switch (outcome) {
      case LaneSolver::Outcome::kPaused:
        return Slice::kPaused;
      case LaneSolver::Outcome::kCancelled:
        return Slice::kCancelled;
      case LaneSolver::Outcome::kFinished:
        break;
    }
    // In path order, as one path at a time would add them.
    for (size_t i = 0; i < count; ++i) AddPath(out, p + uint32_t(i), *sols[i], fixed[i]);
    out.next += uint32_t(count);
  }
  out.scratch = {};
  out.local_lanes = {};
  return Slice::kDone;
}

void EnsembleJob::AddPath(BlockResult& out, uint32_t p, const PathSolution& sol,
                          const double* fixed) {
  out.counts.steps_accepted += sol.steps_accepted;
  out.counts.steps_rejected += sol.steps_rejected;
  out.counts.drift_evaluations += sol.evals.drift;
  out.counts.diffusion_evaluations += sol.evals.diffusion;
  ++out.counts.status_counts[static_cast<int>(sol.status)];
  const bool completed = Completed(sol.status);
  if (keep_values_) completed_[p] = completed;
  if (opts_.statistics.enabled && completed) out.moments.Add(fixed);
  paths_done_.fetch_add(1, std::memory_order_relaxed);
}

void EnsembleJob::ReportSteps(BlockResult& out, uint64_t accepted, uint64_t rejected, bool closed) {
  // A path's (and a lane's) counts only grow while it is open.
  accepted_.fetch_add(accepted - out.accepted_reported, std::memory_order_relaxed);
  rejected_.fetch_add(rejected - out.rejected_reported, std::memory_order_relaxed);
  out.accepted_reported = closed ? 0 : accepted;
  out.rejected_reported = closed ? 0 : rejected;
}

Progress EnsembleJob::Snapshot(double elapsed_seconds) const {
  return Progress{paths_done_.load(), opts_.num_paths, accepted_.load(), rejected_.load(),
                  elapsed_seconds};
}

Statistics EnsembleJob::MakeStatistics(const RunningMoments& moments) const {
  const int n = sde_.state_dim();
  Statistics st;
  st.ts = plan_.fixed_save;
  st.state_dim = n;
  st.count = moments.count();
  st.mean = moments.mean();
  st.variance = moments.Variance();
  st.std_error.resize(st.variance.size());
  for (size_t i = 0; i < st.variance.size(); ++i) {
    st.std_error[i] =
        st.count > 0 ? std::sqrt(st.variance[i] / static_cast<double>(st.count)) : 0.0;
  }
  const std::vector<double>& levels = opts_.statistics.quantile_levels;
  st.quantile_levels = levels;
  if (levels.empty()) return st;
  const size_t nt = st.ts.size();
  st.quantiles.assign(nt * levels.size() * n, NAN);
  std::vector<double> column;
  for (size_t k = 0; k < nt; ++k) {
    for (int j = 0; j < n; ++j) {
      column.clear();
      for (size_t p = 0; p < completed_.size(); ++p) {
        if (completed_[p]) column.push_back(values_[p * fixed_size_ + k * n + j]);
      }
      std::sort(column.begin(), column.end());
      for (size_t q = 0; q < levels.size(); ++q) {
        st.quantiles[(k * levels.size() + q) * n + j] = SortedQuantile(column, levels[q]);
      }
    }
  }
  return st;
}

EnsembleSolution EnsembleJob::Finish() const {
  EnsembleSolution result;
  Summary& sum = result.summary;
  RunningMoments moments(opts_.statistics.enabled ? fixed_size_ : 0);
  for (const BlockResult& b : blocks_) {
    sum.steps_accepted += b.counts.steps_accepted;
    sum.steps_rejected += b.counts.steps_rejected;
    sum.drift_evaluations += b.counts.drift_evaluations;
    sum.diffusion_evaluations += b.counts.diffusion_evaluations;
    for (int s = 0; s < kNumStatuses; ++s) sum.status_counts[s] += b.counts.status_counts[s];
    moments.Merge(b.moments);
  }
  sum.paths = opts_.num_paths;
  sum.brownian_tol = base_.tol();
  sum.levy_area = plan_.spec.levy_area;
  sum.algorithm = std::string(brownian::kAlgorithmVersion);
  sum.step_doubling = plan_.step_doubling;
  if (opts_.statistics.enabled) {
    result.has_statistics = true;
    result.statistics = MakeStatistics(moments);
    Statistics& st = result.statistics;
    for (const BlockResult& b : blocks_) {
      st.block_counts.push_back(b.moments.count());
      st.block_mean.insert(st.block_mean.end(), b.moments.mean().begin(), b.moments.mean().end());
      st.block_m2.insert(st.block_m2.end(), b.moments.m2().begin(), b.moments.m2().end());
    }
  }
  return result;
}

}  // namespace pathwise::integrate
