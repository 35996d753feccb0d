// Options of an estimate of E[f(y(t1))] (the wire EstimateRequest minus the
// model and method), with documented defaults and validation.
#ifndef PATHWISE_CORE_ESTIMATE_OPTIONS_H_
#define PATHWISE_CORE_ESTIMATE_OPTIONS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/integrate/options.h"

namespace pathwise::estimate {

enum class Estimator {
  // Giles' multilevel Monte Carlo over levels dt_l = coarsest_dt 2^-l.
  kMultilevel = 0,
  // Plain Monte Carlo on one level, dt = coarsest_dt 2^-max_level, until the
  // standard error is at most target_rmse / sqrt(2) (the share of the
  // variance in the multilevel estimator, so their costs compare).
  kMonteCarlo = 1,
};

// The default of max_level: levels 0..10, the finest step coarsest_dt / 1024.
inline constexpr int kDefaultMaxLevel = 10;
inline constexpr int kMaxMaxLevel = 30;
// The default of max_path_steps: 2^34 (about 1.7e10) steps over all samples.
inline constexpr uint64_t kDefaultMaxPathSteps = uint64_t{1} << 34;
// Samples each level starts with (Giles' N0), a whole number of blocks.
inline constexpr uint64_t kInitialSamples = 256;

// One level's statistics: of the corrections Y_l = P_l - P_{l-1} (P_0 at
// level 0) for the multilevel estimator, of P for Monte Carlo.
struct LevelStatistics {
  int level = 0;
  double dt = 0.0;     // the fine step of the level
  uint64_t paths = 0;  // samples (an antithetic sample is a path and its mirror)
  double mean = 0.0;
  double variance = 0.0;               // unbiased (n - 1) variance of one sample
  double path_steps_per_sample = 0.0;  // fine and coarse steps, mirror included
};

// Runs task(0), ..., task(n - 1), each exactly once, on any threads, and
// returns when all are done (e.g. the server's worker pool).
using TaskRunner = std::function<void(size_t n, const std::function<void(size_t)>& task)>;

struct EstimateOptions {
  double t0 = 0.0;
  double t1 = 1.0;         // t0 < t1, both finite
  std::vector<double> y0;  // the model's initial state
  uint64_t seed = 0;
  // f of the state at t1: an expression of the state names and the model's
  // parameters (functional.h), e.g. "exp(-0.05) * max(S - 1, 0)".
  std::string functional;
  double target_rmse = 0.0;  // > 0, finite
  Estimator estimator = Estimator::kMultilevel;
  double coarsest_dt = 0.0;     // in (0, t1 - t0]; 0: (t1 - t0) / 4
  int max_level = 0;            // in [1, 30]; 0: kDefaultMaxLevel
  bool antithetic = false;      // each sample averages a path and its mirror
  uint64_t max_path_steps = 0;  // 0: kDefaultMaxPathSteps; reaching it is reported
  // levy_area as for a solve; tol in (0, finest dt) (one tree for the whole
  // estimate, so every level reads the same path); 0: half the finest dt.
  integrate::BrownianOptions brownian;
  int threads = 1;    // worker threads when no runner is given; results do not depend on it
  TaskRunner runner;  // when set, blocks run through it instead of own threads
  // When it becomes true the estimate stops: solves stop at their next step,
  // blocks not yet started are skipped, and Estimate returns CANCELLED.
  const std::atomic<bool>* cancel = nullptr;
  // Called from the calling thread each time a level's sample count grows.
  std::function<void(const LevelStatistics&)> on_level;

  // Checks every field on its own; the functional is checked when compiled
  // (it needs the model's names). Messages name the field as in the wire
  // contract, e.g. "target_rmse: must be > 0 and finite, got 0".
  absl::Status Validate() const;

  // Resolved defaults (of validated options).
  double ResolvedCoarsestDt() const;
  int ResolvedMaxLevel() const;
  uint64_t ResolvedMaxPathSteps() const;
  double LevelDt(int level) const;  // coarsest_dt 2^-level
  double ResolvedTol() const;       // tol, or half the finest level's dt
};

}  // namespace pathwise::estimate

#endif  // PATHWISE_CORE_ESTIMATE_OPTIONS_H_
