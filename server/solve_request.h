// SolveRequest -> core: validation against the wire contract and the
// server's limits, and conversion to the core's solve inputs (model, method,
// SolveOptions and the resolved plan).
#ifndef PATHWISE_SERVER_SOLVE_REQUEST_H_
#define PATHWISE_SERVER_SOLVE_REQUEST_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "core/expr/program_cache.h"
#include "core/integrate/options.h"
#include "core/integrate/plan.h"
#include "core/model/sde.h"
#include "core/solver/method.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::server {

// The server's limits on one SolveRequest.
struct SolveLimits {
  uint32_t max_paths = 1 << 20;      // largest num_paths
  uint32_t max_state_dim = 4096;     // largest state dimension (y0 length)
  uint64_t max_steps = 1ull << 30;   // largest max_steps per path
  uint64_t max_times = 1 << 20;      // largest len(saveat.ts), step_to.ts, adaptive.step_ts
  uint64_t max_points = 1ull << 27;  // largest num_paths * fixed save times * state_dim
};

// Quantile levels of the statistics output (the wire has no field for them).
inline constexpr double kQuantileLevels[] = {0.05, 0.5, 0.95};

// A validated request, ready for integrate::SolveEnsemble(*sde, *method, options).
struct SolveInputs {
  std::shared_ptr<const model::Sde> sde;
  const solver::Method* method = nullptr;
  // num_paths 0 read as 1; keep_paths and statistics from the output mode;
  // max_steps 0 left 0 (the core's kDefaultMaxSteps).
  integrate::SolveOptions options;
  // What the core resolved: Brownian tol and Lévy kind, save times, max_steps.
  integrate::SolvePlan plan;
  v1::Output output = v1::OUTPUT_PATHS;
  bool block_moments = false;  // Statistics carry per-block moments
};

// Validates and converts a request. Errors:
// - RESOURCE_EXHAUSTED naming the limit and its value (e.g. "num_paths: 2000000
//   exceeds the limit max_paths = 1048576");
// - INVALID_ARGUMENT naming the wire field ("model.builtin.name: unknown model
//   'x' (known: ...)", "step.adaptive.rtol: ...", "saveat.ts[3]: ...",
//   "method: shark needs additive noise ...; methods that fit: ...") with a
//   google.rpc.BadRequest field violation.
// Expression programs are compiled through `cache` when not null.
absl::StatusOr<SolveInputs> ValidateSolveRequest(const v1::SolveRequest& request,
                                                 const SolveLimits& limits,
                                                 expr::ProgramCache* cache = nullptr);

// The core's method for a wire method (null for METHOD_UNSPECIFIED or an unknown value).
const solver::Method* MethodFromWire(v1::Method method);

// The core's step control for a wire StepControl (defaults applied); unvalidated.
control::StepControl ToStepControl(const v1::StepControl& step);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_SOLVE_REQUEST_H_
