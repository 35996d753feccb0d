// An ensemble solve cut into blocks of kBlockPaths consecutive paths. Any
// thread may solve any block, in any order; per-block statistics and counts
// are combined in block order, so every bit of the result is independent of
// who solved which block and when. SolveEnsemble runs a job on its own
// threads; the server schedules blocks on its worker pool and streams each
// block's paths as soon as it is done.
#ifndef PATHWISE_CORE_INTEGRATE_ENSEMBLE_JOB_H_
#define PATHWISE_CORE_INTEGRATE_ENSEMBLE_JOB_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "core/brownian/brownian_path.h"
#include "core/integrate/lane_solver.h"
#include "core/integrate/options.h"
#include "core/integrate/path_solver.h"
#include "core/integrate/plan.h"
#include "core/integrate/solution.h"
#include "core/integrate/statistics.h"
#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::integrate {

inline constexpr int kBlockPaths = 64;

class EnsembleJob {
 public:
  // Validates (MakePlan). `sde` and `method` must outlive the job; the options
  // are copied (their cancel flag, when set, must outlive it too).
  static absl::StatusOr<std::unique_ptr<EnsembleJob>> Create(const model::Sde& sde,
                                                             const solver::Method& method,
                                                             SolveOptions opts);

  const SolveOptions& options() const { return opts_; }
  const SolvePlan& plan() const { return plan_; }
  uint32_t num_blocks() const { return static_cast<uint32_t>(blocks_.size()); }
  uint32_t BlockBegin(uint32_t b) const { return b * kBlockPaths; }  // offset of its first path
  uint32_t BlockSize(uint32_t b) const;

  // A worker's own state: Brownian cursor, controller, method buffers.
  std::unique_ptr<PathSolver> NewWorker() const;

  // Solves block b once (distinct blocks may run concurrently). When
  // options().keep_paths, writes BlockSize(b) solutions to `paths`. Returns
  // false when cancelled: the job can then no longer be finished.
  bool SolveBlock(uint32_t b, PathSolver& worker, PathSolution* paths);

  // Solves block b in time slices (the server's fairness between callers):
  // from where the previous slice stopped until the block is done, the job is
  // cancelled, or `until` has passed (checked every few steps, mid-path
  // included). A block that returned kPaused must be continued with the same
  // worker and `paths`, and that worker solves nothing else meanwhile; any
  // thread may continue it. The paths are solved and combined in the same
  // order either way, so the result is bit-identical to SolveBlock's.
  enum class Slice { kDone, kPaused, kCancelled };
  Slice SolveBlockUntil(uint32_t b, PathSolver& worker, PathSolution* paths,
                        PathSolver::Clock::time_point until);

  // Progress so far (safe from any thread while blocks run): the paths
  // finished, and the steps of all paths, those still being solved included
  // (counted at each pause of a slice).
  Progress Snapshot(double elapsed_seconds) const;

  // Once every block is solved: statistics and the summary (paths left empty;
  // wall_seconds 0 — the caller times the solve).
  EnsembleSolution Finish() const;

 private:
  // What one block contributes, combined in block order.
  struct BlockResult {
    RunningMoments moments;
    Summary counts;  // steps, evaluations and statuses only
    // While the block is being solved: the next path, and where a path
    // without its own output slot writes (kept across paused slices).
    uint32_t next = 0;
    bool started = false;
    std::vector<double> scratch;
    PathSolution local;
    std::vector<PathSolution> local_lanes;  // the lane's paths without output slots
    // Steps of the open path (or lane) already counted in the progress.
    uint64_t accepted_reported = 0, rejected_reported = 0;
  };
  // SolveBlockUntil for a job whose paths take the same steps: kLanes paths at a time.
  Slice SolveBlockInLanes(uint32_t b, LaneSolver& lanes, PathSolution* paths,
                          PathSolver::Clock::time_point until);
  void AddPath(BlockResult& out, uint32_t p, const PathSolution& sol, const double* fixed);
  // Progress counts the steps of paths still being solved too, so that a
  // long path (or a lane of 8) shows its steps at every pause instead of
  // only at its end: `accepted` and `rejected` are the open path's (or
  // lane's) counts so far; what was not yet reported is added. `closed`:
  // the path (or lane) ended, the next one starts from zero.
  void ReportSteps(BlockResult& out, uint64_t accepted, uint64_t rejected, bool closed);

  EnsembleJob(const model::Sde& sde, const solver::Method& method, SolveOptions opts,
              SolvePlan plan, brownian::BrownianPath base);
  Statistics MakeStatistics(const RunningMoments& moments) const;

  const model::Sde& sde_;
  const solver::Method& method_;
  const SolveOptions opts_;
  const SolvePlan plan_;
  const brownian::BrownianPath base_;
  const size_t fixed_size_;         // fixed save times × state_dim
  const bool keep_values_;          // every path's fixed values are kept (for quantiles)
  const bool lanes_;                // LaneSolver::Serves: blocks are solved in lanes
  std::vector<double> values_;      // [path][fixed_size_] when keep_values_
  std::vector<uint8_t> completed_;  // per path, when keep_values_
  std::vector<BlockResult> blocks_;
  std::atomic<uint64_t> paths_done_{0}, accepted_{0}, rejected_{0};
};

}  // namespace pathwise::integrate

#endif  // PATHWISE_CORE_INTEGRATE_ENSEMBLE_JOB_H_
