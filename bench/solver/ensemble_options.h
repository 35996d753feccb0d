// The ensemble both solver benchmarks run (Google Benchmark in bench/solver and
// `pathwise-lab bench`): 1 000 paths, statistics on, trajectories off.
#ifndef PATHWISE_BENCH_SOLVER_ENSEMBLE_OPTIONS_H_
#define PATHWISE_BENCH_SOLVER_ENSEMBLE_OPTIONS_H_

#include <utility>
#include <vector>

#include "core/control/step_control.h"
#include "core/integrate/options.h"

namespace pathwise::bench {

inline integrate::SolveOptions EnsembleOptions(std::vector<double> y0, double t1,
                                               control::StepControl step, int threads) {
  integrate::SolveOptions o;
  o.y0 = std::move(y0);
  o.t1 = t1;
  o.step = step;
  o.num_paths = 1000;
  o.threads = threads;
  o.keep_paths = false;
  o.statistics.enabled = true;
  return o;
}

}  // namespace pathwise::bench

#endif  // PATHWISE_BENCH_SOLVER_ENSEMBLE_OPTIONS_H_
