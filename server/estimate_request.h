// EstimateRequest -> core: validation against the wire contract and the
// server's limits, and conversion to the estimator's inputs (model, method,
// the functional's names, EstimateOptions).
//
// An estimate's model, method, times, y0 and Brownian options mean what they
// mean in a solve, so they are checked by the solve's own code: the request's
// finest level as a SolveRequest (constant step coarsest_dt 2^-max_level,
// the resolved tree tolerance) goes through ValidateSolveRequest, and its
// errors name the same wire fields (a step error names coarsest_dt, the field
// the step comes from).
#ifndef PATHWISE_SERVER_ESTIMATE_REQUEST_H_
#define PATHWISE_SERVER_ESTIMATE_REQUEST_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "core/estimate/functional.h"
#include "core/estimate/options.h"
#include "core/expr/program_cache.h"
#include "core/model/sde.h"
#include "core/solver/method.h"
#include "pathwise/v1/solver.pb.h"
#include "server/solve_request.h"

namespace pathwise::server {

// The server's limits on one EstimateRequest (besides the SolveLimits on its
// model and y0).
struct EstimateLimits {
  // Largest max_path_steps; a request's 0 (the core's default, 2^34) is
  // lowered to it.
  uint64_t max_path_steps = estimate::kDefaultMaxPathSteps;
};

// A validated request, ready for estimate::Estimate(*sde, *method, scope, options).
struct EstimateInputs {
  std::shared_ptr<const model::Sde> sde;
  const solver::Method* method = nullptr;
  // The names the functional may use: the model's state names (a
  // one-component builtin: "y"; a per-component builtin of n > 1 components:
  // y0 .. y{n-1}; Langevin: x, v for dim 1, else x0 .., v0 ..) and its
  // parameters (a builtin's resolved with their defaults).
  estimate::FunctionalScope scope;
  // Everything but runner, on_level and cancel, which belong to the run.
  estimate::EstimateOptions options;
};

// Validates and converts a request. Errors:
// - RESOURCE_EXHAUSTED naming the limit ("max_path_steps: ... exceeds the
//   limit max_estimate_path_steps = ...", and the SolveLimits on y0 and the
//   model's state dimension);
// - INVALID_ARGUMENT naming the wire field with a google.rpc.BadRequest:
//   "target_rmse: must be > 0 and finite, got 0", "estimator: unknown value 7
//   (...)", "functional:1:5: unknown identifier ..." (field "functional", the
//   position and caret in the description), "coarsest_dt: ...",
//   "max_level: ...", "t1: ...", "y0[0]: ...", "brownian.tol: ...",
//   "brownian.levy_area: ...", "method: ...", "model.builtin.name: ...".
absl::StatusOr<EstimateInputs> ValidateEstimateRequest(const v1::EstimateRequest& request,
                                                       const SolveLimits& solve_limits,
                                                       const EstimateLimits& limits,
                                                       expr::ProgramCache* cache = nullptr);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_ESTIMATE_REQUEST_H_
