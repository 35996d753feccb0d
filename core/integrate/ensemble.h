// Solving an ensemble: paths first_path .. first_path + num_paths − 1 of one
// seed, on opts.threads threads of its own. Each thread owns its Brownian
// cursor, controller and method buffers and takes fixed blocks of kBlockPaths
// consecutive paths (EnsembleJob), so results are identical, bit for bit, for
// any number of threads.
#ifndef PATHWISE_CORE_INTEGRATE_ENSEMBLE_H_
#define PATHWISE_CORE_INTEGRATE_ENSEMBLE_H_

#include "absl/status/statusor.h"
#include "core/integrate/ensemble_job.h"
#include "core/integrate/options.h"
#include "core/integrate/solution.h"
#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::integrate {

// Validates (MakePlan) and solves. Errors: INVALID_ARGUMENT for bad options or
// a model/method mismatch; CANCELLED when opts.cancel was set during the solve.
absl::StatusOr<EnsembleSolution> SolveEnsemble(const model::Sde& sde, const solver::Method& method,
                                               const SolveOptions& opts);

}  // namespace pathwise::integrate

#endif  // PATHWISE_CORE_INTEGRATE_ENSEMBLE_H_
