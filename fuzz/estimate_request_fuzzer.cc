// libFuzzer target: any bytes, parsed as a pathwise.v1.EstimateRequest (the
// binary wire format, as SolverService.Estimate receives it), go through the
// service's validation and conversion (ValidateEstimateRequest with the
// server's default limits and a program cache, as the service calls it). A
// rejected request must get a client-error code. An accepted one is
// estimated, bounded: a budget of at most kMaxPathSteps path steps (the
// estimator scales its rounds down to fit and stops, unconverged). The
// estimate must end OK or INVALID_ARGUMENT (a sample that failed, named), and
// an OK result must keep the budget and the documented identities. Crashes,
// hangs, sanitizer reports and broken invariants (__builtin_trap) are
// findings.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/estimate/estimate.h"
#include "core/expr/program_cache.h"
#include "fuzz/fuzz_check.h"
#include "pathwise/v1/solver.pb.h"
#include "server/estimate_request.h"

namespace pathwise::fuzz {
namespace {

constexpr uint64_t kMaxPathSteps = 20000;

}  // namespace

void Run(const uint8_t* data, size_t size) {
  v1::EstimateRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  static expr::ProgramCache cache(64);
  absl::StatusOr<server::EstimateInputs> inputs = server::ValidateEstimateRequest(
      request, server::SolveLimits{}, server::EstimateLimits{}, &cache);
  if (!inputs.ok()) {
    CheckRejection(inputs.status());
    return;
  }
  if (inputs->sde == nullptr || inputs->method == nullptr) __builtin_trap();

  estimate::EstimateOptions options = inputs->options;
  options.max_path_steps = std::min(options.ResolvedMaxPathSteps(), kMaxPathSteps);
  absl::StatusOr<estimate::EstimateResult> result =
      estimate::Estimate(*inputs->sde, *inputs->method, inputs->scope, options);
  if (!result.ok()) {
    // A sample whose path or functional failed: the request's fault, named.
    if (result.status().code() != absl::StatusCode::kInvalidArgument) __builtin_trap();
    CheckRejection(result.status());
    return;
  }
  if (result->total_path_steps > options.max_path_steps) __builtin_trap();
  if (result->levels.empty()) __builtin_trap();
  if (result->levels.size() > static_cast<size_t>(options.ResolvedMaxLevel()) + 1) {
    __builtin_trap();
  }
  const double rmse = std::hypot(result->standard_error, result->bias_estimate);
  if (!(result->rmse_estimate == rmse) && !std::isnan(rmse)) __builtin_trap();
  if (result->converged && !(result->rmse_estimate <= options.target_rmse * (1.0 + 1e-9))) {
    __builtin_trap();
  }
}

}  // namespace pathwise::fuzz
