// What a validated solve will cost before it runs, for admission by work and
// memory instead of by counts alone (solve_admission.h): path-steps (paths ×
// the steps one path takes), the bytes its statistics hold, and the bytes of
// solved paths it may hold before the client reads them. The step count is
// exact for constant steps and step-to, and a rough first guess for adaptive
// and state-dependent steps ((t1 − t0) / dt0 and (t1 − t0) / hmax); it is
// capped at the path's max_steps.
#ifndef PATHWISE_SERVER_WORK_ESTIMATE_H_
#define PATHWISE_SERVER_WORK_ESTIMATE_H_

#include <cstdint>

#include "core/integrate/options.h"
#include "core/integrate/plan.h"

namespace pathwise::server {

struct SolveEstimate {
  uint64_t steps_per_path = 0;
  uint64_t path_steps = 0;        // num_paths × steps_per_path
  uint64_t statistics_bytes = 0;  // block moments, and every path's values for quantiles
  uint64_t path_bytes = 0;        // one solved path as held in memory (0 without path output)
  // Blocks of paths a solve may hold solved but not yet written: at least
  // one, at most `max_window_blocks`, fewer when blocks are large.
  uint32_t window_blocks = 0;
  uint64_t response_bytes = 0;  // window_blocks full blocks of paths
  uint64_t memory_bytes() const { return statistics_bytes + response_bytes; }
};

// `threads`: the worker pool's size (the window wants 2 × threads + 2
// blocks); `buffer_bytes`: the response bytes one solve should hold at most
// (a window of at least one block is always allowed).
SolveEstimate EstimateSolve(const integrate::SolveOptions& options,
                            const integrate::SolvePlan& plan, int state_dim, int threads,
                            uint64_t buffer_bytes);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_WORK_ESTIMATE_H_
