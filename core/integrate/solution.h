// Results of a solve: values, never exceptions.
#ifndef PATHWISE_CORE_INTEGRATE_SOLUTION_H_
#define PATHWISE_CORE_INTEGRATE_SOLUTION_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/brownian/levy_area.h"
#include "core/solver/method.h"

namespace pathwise::integrate {

// Numbering follows the wire SolveStatus.
enum class SolveStatus {
  kSuccess = 0,
  kMaxStepsReached = 1,  // stopped after max_steps attempted steps; the path is incomplete
  kDtminReached = 2,     // reached t1, but some step was accepted at dtmin with too large an error
  kNonfinite = 3,        // the state became NaN or infinite; the path stops there
};
inline constexpr int kNumStatuses = 4;

absl::string_view SolveStatusName(SolveStatus status);  // "success", "max_steps_reached", ...

// True when the path reached t1 with a finite state (it contributes to statistics).
inline bool Completed(SolveStatus s) {
  return s == SolveStatus::kSuccess || s == SolveStatus::kDtminReached;
}

struct PathSolution {
  uint64_t path_index = 0;
  std::vector<double> ts;  // save times reached
  std::vector<double> ys;  // row-major [ts.size()][state_dim]
  SolveStatus status = SolveStatus::kSuccess;
  uint64_t steps_accepted = 0;
  uint64_t steps_rejected = 0;
  solver::EvalCounts evals;
};

// Ensemble statistics at the fixed save times (saveat.ts, t0, t1 — not the
// per-path step times), over the paths that completed.
struct Statistics {
  std::vector<double> ts;
  int state_dim = 0;
  uint64_t count = 0;
  std::vector<double> mean;       // [ts][state_dim]
  std::vector<double> variance;   // unbiased (n − 1); 0 when count < 2
  std::vector<double> std_error;  // sqrt(variance / count)
  std::vector<double> quantile_levels;
  std::vector<double> quantiles;  // [ts][levels][state_dim]
  // Each block's moments (kBlockPaths consecutive paths), in block order:
  // count, mean and m2 = Σ (x − mean)², [block][ts][state_dim]. mean and
  // variance above are their left fold by RunningMoments::Merge.
  std::vector<uint64_t> block_counts;
  std::vector<double> block_mean;
  std::vector<double> block_m2;
};

struct Summary {
  uint64_t paths = 0;
  uint64_t steps_accepted = 0;
  uint64_t steps_rejected = 0;
  uint64_t drift_evaluations = 0;
  uint64_t diffusion_evaluations = 0;
  double brownian_tol = 0.0;                                 // the tree tolerance used
  brownian::LevyArea levy_area = brownian::LevyArea::kNone;  // the kind used
  std::string algorithm;                                     // path-algorithm version
  bool step_doubling = false;  // error estimates came from step doubling
  double wall_seconds = 0.0;
  std::array<uint64_t, kNumStatuses> status_counts = {};  // paths per SolveStatus
};

struct EnsembleSolution {
  std::vector<PathSolution> paths;  // in path order; empty unless keep_paths
  bool has_statistics = false;
  Statistics statistics;
  Summary summary;
};

}  // namespace pathwise::integrate

#endif  // PATHWISE_CORE_INTEGRATE_SOLUTION_H_
