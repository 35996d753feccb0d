// Posterior sampling with underdamped Langevin dynamics (docs/mcmc.md): the
// core of McmcService.Sample (proto/pathwise/v1/mcmc.proto), field for field.
//
// Chain c is the Langevin path driven by the Brownian path (seed, c) of the
// single-seed tree, so the same options give the same draws bit for bit on any
// number of threads. Each chain runs warmup_time of discarded warm-up (where
// the diagonal inverse mass and the step size are adapted), then num_draws
// kept positions, one every thin_time: the step grid is aligned to thin_time,
// so every draw is the state at an exact multiple of thin_time.
#ifndef PATHWISE_CORE_MCMC_SAMPLER_H_
#define PATHWISE_CORE_MCMC_SAMPLER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/control/step_control.h"
#include "core/integrate/options.h"
#include "core/mcmc/diagnostics.h"
#include "core/model/potential.h"
#include "core/solver/method.h"

namespace pathwise::mcmc {

// The wire enum Preconditioner, same numbering.
enum class Preconditioner {
  // A diagonal inverse mass adapted during warm-up from the chains' windowed
  // variances (variance_adaptation.h).
  kDiagonalAdapted = 0,
  // The identity inverse mass.
  kNone = 1,
  // SamplerOptions::inverse_mass, as given.
  kDiagonalGiven = 2,
};

// Defaults of the options that say "0: the sampler chooses" (docs/mcmc.md).
inline constexpr uint32_t kDefaultNumChains = 4;
inline constexpr solver::MethodId kDefaultMethod = solver::MethodId::kAlign;
inline constexpr double kDefaultThinTime = 1.0;
// Upper bounds that keep one request bounded.
inline constexpr uint32_t kMaxNumChains = 4096;
inline constexpr uint64_t kMaxDrawValues = uint64_t{1} << 25;  // num_chains * num_draws * dim
// Steps per chain (accepted plus rejected) before the sampler gives up.
inline constexpr uint64_t kDefaultMaxStepsPerChain = uint64_t{1} << 26;

// The version of the sampler's algorithm (warm-up schedule, step and
// friction choice, initial spread, velocity draws); part of `algorithm`.
inline constexpr const char* kSamplerVersion = "langevin-mcmc-2";

// Runs task(0), ..., task(n - 1), each exactly once, on any threads, and
// returns when all are done (as estimate::TaskRunner).
using TaskRunner = std::function<void(size_t n, const std::function<void(size_t)>& task)>;

struct SamplerOptions {
  // ALIGN, SHOULD or QUICSORT; unset: kDefaultMethod.
  std::optional<solver::MethodId> method;
  uint64_t seed = 0;
  uint32_t num_chains = 0;  // <= kMaxNumChains; 0: kDefaultNumChains
  // The target's x0 (LangevinModel.x0): the common start, dim values or empty (0).
  std::vector<double> x0;
  // Optional, [num_chains][dim] row-major, finite; else x0 spread by the
  // documented rule (docs/mcmc.md, "Initial state").
  std::vector<double> initial_positions;
  // Friction and inverse mass of the dynamics (LangevinModel.gamma, .u), in the
  // preconditioned variables; 0: chosen (docs/mcmc.md), else > 0 and finite.
  double gamma = 0.0;
  double u = 0.0;
  double warmup_time = 0.0;  // >= 0, finite; discarded, adaptation happens here
  uint32_t num_draws = 0;    // kept draws per chain, >= kMinDrawsPerChain
  double thin_time = 0.0;    // > 0, finite; 0: kDefaultThinTime
  // Unset: constant steps adapted during warm-up. ConstantStep: dt, shortened
  // to divide each interval (a warm-up iteration, thin_time) evenly.
  // AdaptiveStep: PID steps (dt0 0: the probed step; dtmin 0: total time
  // 2^-20; dtmax capped at thin_time; step_ts must be empty). StepTo and
  // StateDependentStep are rejected. See docs/mcmc.md, "Step size".
  std::optional<control::StepControl> step;
  Preconditioner preconditioner = Preconditioner::kDiagonalAdapted;
  // kDiagonalGiven only (else must be empty): dim values > 0, finite.
  std::vector<double> inverse_mass;
  // Keep every draw in SamplerResult::draws (on_draws sees them either way).
  bool keep_draws = true;
  // Per chain; 0: kDefaultMaxStepsPerChain. A chain reaching it is unstable.
  uint64_t max_steps_per_chain = 0;

  int threads = 1;    // worker threads when no runner is given; results do not depend on it
  TaskRunner runner;  // when set, chains run through it instead of own threads
  // Kept draws as they are produced: chain, index of the first one among the
  // chain's kept draws, and positions [draws][dim] row-major, in the original
  // variables. Called from the calling thread, for each chain in draw order.
  std::function<void(uint32_t chain, uint32_t first_draw, const std::vector<double>& positions)>
      on_draws;
  // Progress (paths_done = chains finished), from the calling thread between
  // rounds of the chains (at least every few seconds of work).
  std::function<void(const integrate::Progress&)> on_progress;
  // When it becomes true, chains stop at their next step and Sample returns
  // Cancelled.
  const std::atomic<bool>* cancel = nullptr;

  // Checks every field on its own. Messages name the field as in the wire
  // contract, e.g. "num_draws: must be >= 4, got 0".
  absl::Status Validate() const;
  // The checks that need the target's dimension: x0, initial_positions,
  // inverse_mass sizes and the draw-count bound.
  absl::Status ValidateForDim(int dim) const;

  // Resolved defaults (of validated options).
  uint32_t ResolvedNumChains() const;
  solver::MethodId ResolvedMethod() const;
  double ResolvedThinTime() const;
  uint64_t ResolvedMaxStepsPerChain() const;
};

struct SamplerResult {
  uint32_t num_chains = 0;
  int dim = 0;
  // draws[chain][draw][coordinate], in the original variables, when
  // keep_draws. An unstable chain holds the draws it made before it failed.
  std::vector<std::vector<std::vector<double>>> draws;
  uint64_t kept_draws = 0;  // all chains (McmcSummary.draws)
  // SummarizeAll over the stable chains' draws, one entry per coordinate;
  // empty when no chain is stable.
  std::vector<ParameterSummary> diagnostics;
  uint64_t gradient_evaluations_warmup = 0;  // adaptation probes included
  uint64_t gradient_evaluations_sampling = 0;
  uint64_t steps_accepted = 0;
  uint64_t steps_rejected = 0;
  // Chains flagged unstable (non-finite state, kinetic energy beyond the
  // documented bound, or max_steps_per_chain reached), increasing.
  std::vector<uint32_t> unstable_chains;
  // Constant steps: the step after warm-up; PID: the mean accepted step while sampling.
  double step_size = 0.0;
  std::vector<double> inverse_mass;  // after warm-up, dim values
  double gamma = 0.0;                // as used (resolved)
  double u = 0.0;                    // as used (resolved)
  // e.g. "langevin-mcmc-2/align/vbt-philox-1".
  std::string algorithm;
  double wall_seconds = 0.0;
};

// What a run of validated `options` on a target of dimension `dim` will cost,
// estimated before it runs (for a server's admission by work and memory).
struct SamplerCost {
  // Steps per chain: exact but for one step per interval for constant steps
  // (warmup_time + num_draws thin_time over dt, plus one per warm-up
  // iteration and kept draw, since every interval is cut evenly); for steps
  // adapted during warm-up and PID steps without dt0, a first guess with the
  // largest step the sampler picks on a preconditioned target (0.5 / sqrt(u),
  // docs/mcmc.md "Step size"): stiffer targets take more. Capped at the
  // resolved max_steps_per_chain.
  uint64_t steps_per_chain = 0;
  // Bytes of the kept draws the sampler holds: every chain's num_draws
  // positions, once as produced and once more for the diagnostics.
  uint64_t draw_bytes = 0;
};
SamplerCost EstimateSamplerCost(const SamplerOptions& options, int dim);

// Samples the density proportional to exp(-U) of `target`. InvalidArgument
// (naming the field) for invalid options, Cancelled when cancelled.
absl::StatusOr<SamplerResult> Sample(std::shared_ptr<const model::Potential> target,
                                     const SamplerOptions& options);

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_SAMPLER_H_
