// Timing one ensemble solve in ns per path-step, for the lab's benchmarks.
#ifndef PATHWISE_TOOLS_LAB_TIMING_H_
#define PATHWISE_TOOLS_LAB_TIMING_H_

#include <cmath>

#include "absl/status/statusor.h"
#include "core/integrate/options.h"
#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::lab {

struct Timing {
  double wall_ns = INFINITY;  // wall time per path-step
  double cpu_ns = INFINITY;   // process CPU time (all threads) per path-step
};

// One solve of `opts`, timed. CPU time is reported too because this machine
// is shared: on one thread it is the cost without waiting for a core.
absl::StatusOr<Timing> TimeSolve(const model::Sde& sde, const solver::Method& method,
                                 const integrate::SolveOptions& opts);

}  // namespace pathwise::lab

#endif  // PATHWISE_TOOLS_LAB_TIMING_H_
