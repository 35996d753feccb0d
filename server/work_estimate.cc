#include "server/work_estimate.h"

#include <algorithm>
#include <cmath>
#include <variant>

#include "core/integrate/ensemble_job.h"

namespace pathwise::server {
namespace {

constexpr uint64_t kDouble = sizeof(double);

// Steps over `span` of at most `dt` each, as a count that cannot overflow.
uint64_t StepsOver(double span, double dt, uint64_t cap) {
  if (!(dt > 0.0)) return cap;
  const double steps = std::ceil(span / dt);
  return steps >= static_cast<double>(cap) ? cap : static_cast<uint64_t>(steps);
}

uint64_t StepsPerPath(const integrate::SolveOptions& options, const integrate::SolvePlan& plan) {
  const double span = options.t1 - options.t0;
  const uint64_t cap = plan.max_steps;
  uint64_t steps = 0;
  if (const auto* constant = std::get_if<control::ConstantStep>(&options.step)) {
    steps = StepsOver(span, constant->dt, cap);
  } else if (const auto* to = std::get_if<control::StepTo>(&options.step)) {
    steps = to->ts.size() > 1 ? to->ts.size() - 1 : 1;
  } else if (const auto* adaptive = std::get_if<control::AdaptiveStep>(&options.step)) {
    const double dtmin = control::ResolvedDtmin(*adaptive, options.t0, options.t1);
    const double dt0 = adaptive->dt0 > 0.0 ? adaptive->dt0 : span / 64.0;
    steps = StepsOver(span, std::clamp(dt0, dtmin, std::max(dtmin, adaptive->dtmax)), cap);
  } else if (const auto* state = std::get_if<control::StateDependentStep>(&options.step)) {
    steps = StepsOver(span, state->hmax, cap);
  }
  // Every must-hit time can cut one step in two.
  return std::min(cap, steps + plan.must_hit.size());
}

uint64_t SaturatingProduct(uint64_t a, uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a) return UINT64_MAX;
  return a * b;
}

}  // namespace

SolveEstimate EstimateSolve(const integrate::SolveOptions& options,
                            const integrate::SolvePlan& plan, int state_dim, int threads,
                            uint64_t buffer_bytes) {
  SolveEstimate e;
  const uint64_t paths = options.num_paths;
  const uint64_t blocks = (paths + integrate::kBlockPaths - 1) / integrate::kBlockPaths;
  const uint64_t fixed_values = uint64_t{plan.fixed_save.size()} * static_cast<uint64_t>(state_dim);
  e.steps_per_path = StepsPerPath(options, plan);
  e.path_steps = SaturatingProduct(paths, e.steps_per_path);

  if (options.statistics.enabled) {
    // Each block's mean and M2, and their copies in the finished statistics
    // (block_mean, block_m2), and the merged mean, variance, stderr.
    e.statistics_bytes = kDouble * fixed_values * (4 * blocks + 3);
    // Exact quantiles keep every path's values at the fixed save times.
    if (!options.statistics.quantile_levels.empty()) {
      e.statistics_bytes += SaturatingProduct(paths, kDouble * fixed_values + 1);
    }
  }

  const uint64_t wanted_window = 2 * static_cast<uint64_t>(std::max(threads, 1)) + 2;
  if (!options.keep_paths) {
    e.window_blocks = static_cast<uint32_t>(wanted_window);
    return e;
  }
  // A saved point is its time and its state; saving steps saves every step
  // (and, with step doubling, every midpoint).
  uint64_t points = plan.fixed_save.size();
  if (plan.save_steps) {
    points += SaturatingProduct(e.steps_per_path, plan.step_doubling ? 2 : 1) + 1;
  }
  e.path_bytes = SaturatingProduct(points, kDouble * (1 + static_cast<uint64_t>(state_dim)));
  const uint64_t block_bytes =
      SaturatingProduct(e.path_bytes, std::min<uint64_t>(paths, integrate::kBlockPaths));
  const uint64_t fits = block_bytes == 0 ? wanted_window : buffer_bytes / block_bytes;
  e.window_blocks =
      static_cast<uint32_t>(std::clamp<uint64_t>(fits, 1, std::min(wanted_window, blocks)));
  e.response_bytes = SaturatingProduct(block_bytes, e.window_blocks);
  return e;
}

}  // namespace pathwise::server
