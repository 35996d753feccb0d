#include "server/overload_options.h"

#include <chrono>

#include "server/server.h"

namespace pathwise::server {

absl::Status ValidateOverloadOptions(const ServerOptions& options) {
  const CallerLimits& callers = options.callers;
  if (callers.max_solves == 0 || callers.max_queued_paths == 0 || callers.max_inflight_bytes == 0) {
    return absl::InvalidArgumentError("per-caller limits: every max_*_per_caller must be >= 1");
  }
  if (callers.max_inflight_bytes < options.limits.max_response_bytes) {
    return absl::InvalidArgumentError(
        "max_inflight_bytes_per_caller: must be >= max_response_bytes (one answer must fit)");
  }
  const AdmissionLimits& admission = options.solver.admission;
  if (admission.max_queued_path_steps == 0 || admission.max_solve_memory_bytes == 0) {
    return absl::InvalidArgumentError(
        "max_queued_path_steps, max_solve_memory_bytes: must be >= 1");
  }
  const SolveRunOptions& run = options.solver.run;
  if (run.slice < std::chrono::milliseconds::zero() || run.slice > std::chrono::seconds(10)) {
    return absl::InvalidArgumentError("solve_slice: must be in [0, 10s]");
  }
  if (run.max_solve_time < std::chrono::milliseconds::zero()) {
    return absl::InvalidArgumentError("max_solve_seconds: must be >= 0 (0: no limit)");
  }
  return absl::OkStatus();
}

}  // namespace pathwise::server
