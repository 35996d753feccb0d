// libFuzzer target: any bytes, parsed as a pathwise.v1.SolveRequest (the
// binary wire format, as the SolverService receives it), go through the
// service's validation and conversion (ValidateSolveRequest with the
// server's default limits and a program cache, as the service calls it). A
// rejected request must get a client-error code. An accepted one is solved,
// bounded: at most kMaxPaths paths of at most kMaxSteps attempted steps each,
// only when the values it keeps are few (kMaxValues); the solve must succeed
// and account for every path. Crashes, hangs, sanitizer reports and broken
// invariants (__builtin_trap) are findings.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>

#include "core/expr/program_cache.h"
#include "core/integrate/ensemble.h"
#include "fuzz/fuzz_check.h"
#include "pathwise/v1/solver.pb.h"
#include "server/solve_request.h"

namespace pathwise::fuzz {
namespace {

constexpr uint32_t kMaxPaths = 2;
constexpr uint64_t kMaxSteps = 2000;      // per path, accepted + rejected
constexpr uint64_t kMaxValues = 1 << 16;  // doubles a path may keep (save times * state)

}  // namespace

void Run(const uint8_t* data, size_t size) {
  v1::SolveRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  static expr::ProgramCache cache(64);
  const server::SolveLimits limits;
  absl::StatusOr<server::SolveInputs> inputs =
      server::ValidateSolveRequest(request, limits, &cache);
  if (!inputs.ok()) {
    CheckRejection(inputs.status());
    return;
  }
  if (inputs->sde == nullptr || inputs->method == nullptr) __builtin_trap();

  // The bounded run: fewer paths and steps than asked (validation has seen
  // the request as sent); the solve may end with max_steps_reached.
  integrate::SolveOptions options = inputs->options;
  const uint64_t state_dim = static_cast<uint64_t>(inputs->sde->state_dim());
  const uint64_t save_times =
      inputs->plan.fixed_save.size() + (inputs->plan.save_steps ? kMaxSteps : 0);
  if (save_times * state_dim > kMaxValues) return;
  options.num_paths = std::min(options.num_paths, kMaxPaths);
  options.max_steps = std::min(inputs->plan.max_steps, kMaxSteps);
  absl::StatusOr<integrate::EnsembleSolution> solution =
      integrate::SolveEnsemble(*inputs->sde, *inputs->method, options);
  if (!solution.ok()) __builtin_trap();
  const integrate::Summary& summary = solution->summary;
  const uint64_t counted =
      std::accumulate(summary.status_counts.begin(), summary.status_counts.end(), uint64_t{0});
  if (summary.paths != options.num_paths || counted != options.num_paths) __builtin_trap();
  if (options.keep_paths && solution->paths.size() != options.num_paths) __builtin_trap();
  if (summary.steps_accepted + summary.steps_rejected > options.num_paths * options.max_steps) {
    __builtin_trap();
  }
}

}  // namespace pathwise::fuzz
