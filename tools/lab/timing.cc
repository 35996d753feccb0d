#include "tools/lab/timing.h"

#include <ctime>

#include "core/integrate/ensemble.h"
#include "core/util/status_macros.h"

namespace pathwise::lab {

absl::StatusOr<Timing> TimeSolve(const model::Sde& sde, const solver::Method& method,
                                 const integrate::SolveOptions& opts) {
  const std::clock_t cpu0 = std::clock();
  ASSIGN_OR_RETURN(const integrate::EnsembleSolution sol,
                   integrate::SolveEnsemble(sde, method, opts));
  const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  const double steps = static_cast<double>(sol.summary.steps_accepted);
  return Timing{1e9 * sol.summary.wall_seconds / steps, 1e9 * cpu / steps};
}

}  // namespace pathwise::lab
