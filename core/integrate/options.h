// Options of a solve (the wire SolveRequest minus the model and method), with
// documented defaults and validation.
#ifndef PATHWISE_CORE_INTEGRATE_OPTIONS_H_
#define PATHWISE_CORE_INTEGRATE_OPTIONS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "core/brownian/levy_area.h"
#include "core/control/step_control.h"

namespace pathwise::integrate {

// Where to record the solution. When nothing is set: t1 only.
struct SaveAt {
  std::vector<double> ts;  // sorted strictly increasing, within [t0, t1]; stepped to exactly
  bool t0 = false;         // save the initial state
  bool t1 = false;         // save the final state
  bool steps = false;      // save after every accepted step
};

struct BrownianOptions {
  // Tree tolerance in time units; 0: half the smallest step the control can take
  // (dt, dtmin, hmin or the smallest gap of step_to.ts).
  double tol = 0.0;
  // The Lévy kind of the path. Unset: kDefaultLevyArea for every method, so
  // one seed drives every method with the same Brownian path. Set: exactly
  // that kind (the kind is part of the path's address, so another kind is
  // another path); kNone (W only) stays expressible here, and a kind poorer
  // than the method needs is an error.
  std::optional<brownian::LevyArea> levy_area;
};

// The Lévy kind of a solve that names none: the richest, which every method
// can use, so that comparing methods on one seed compares them on one path.
inline constexpr brownian::LevyArea kDefaultLevyArea = brownian::LevyArea::kSpaceTimeTime;

struct StatisticsOptions {
  bool enabled = false;  // compute ensemble statistics at the fixed save times
  // Quantile levels in [0, 1], e.g. {0.05, 0.5, 0.95}. Quantiles are exact
  // sample quantiles (linear interpolation between order statistics, Hyndman &
  // Fan type 7, NumPy's default) and need every path's values in memory.
  std::vector<double> quantile_levels;
};

struct Progress {
  uint64_t paths_done = 0;
  uint64_t num_paths = 0;
  uint64_t steps_accepted = 0;
  uint64_t steps_rejected = 0;
  double elapsed_seconds = 0.0;
};

// The default of max_steps (per path, accepted plus rejected steps).
inline constexpr uint64_t kDefaultMaxSteps = 16 * 1024 * 1024;

struct SolveOptions {
  double t0 = 0.0;
  double t1 = 1.0;         // t0 < t1, both finite
  std::vector<double> y0;  // initial state, length = the model's state_dim
  control::StepControl step = control::ConstantStep{};  // required: dt has no default
  SaveAt saveat;
  uint64_t seed = 0;
  uint64_t first_path = 0;  // path_index of the first ensemble member
  uint32_t num_paths = 1;   // >= 1
  BrownianOptions brownian;
  uint64_t max_steps = 0;  // per path; 0: kDefaultMaxSteps
  bool keep_paths = true;  // return each path's trajectory
  StatisticsOptions statistics;
  int threads = 1;  // worker threads, >= 1; results do not depend on it
  // Ensembles whose paths all take the same steps (constant step, step-to)
  // advance 8 paths together (core/integrate/lane_solver.h); false: one path
  // at a time. The results are the same bit for bit either way.
  bool lanes = true;
  const std::atomic<bool>* cancel = nullptr;  // when it becomes true, workers stop at the next step
  // Called from the calling thread at least every progress_interval_s while paths run.
  std::function<void(const Progress&)> progress;
  double progress_interval_s = 0.5;  // in (0, 1]

  // Checks every field on its own, y0's values included; how many values y0
  // holds depends on the model and is checked with it (ModelForMethod,
  // MakePlan), so options can be checked before the model is built.
  // Messages name the field as in the wire contract, e.g. "step.adaptive.rtol: must be >= 0".
  absl::Status Validate() const;
};

}  // namespace pathwise::integrate

#endif  // PATHWISE_CORE_INTEGRATE_OPTIONS_H_
