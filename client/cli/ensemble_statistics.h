// Ensemble statistics computed by the client from the paths of a split solve,
// exactly as the core computes them (integrate::SolveEnsemble), so that they
// are bit-identical to one server's: Welford moments per block of
// integrate::kBlockPaths consecutive members, blocks merged in block order
// (integrate::RunningMoments), type-7 quantiles of the sorted values
// (integrate::SortedQuantile), over the paths that completed (status SUCCESS
// or DTMIN_REACHED), at the fixed save times.
#ifndef PATHWISE_CLIENT_CLI_ENSEMBLE_STATISTICS_H_
#define PATHWISE_CLIENT_CLI_ENSEMBLE_STATISTICS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

// The server's quantile levels (the wire has no field to choose them).
inline const std::vector<double> kQuantileLevels = {0.05, 0.5, 0.95};

// Whether a path counts in the statistics.
bool Completed(v1::SolveStatus status);

// Statistics of `paths`, ensemble members 0, 1, ... in order (all of them:
// the blocks are counted from the first), at `fixed_ts` (FixedSaveTimes).
// `state_dim` is the state dimension n. INVALID_ARGUMENT when a completed
// path has no state at one of the fixed times or its ys do not hold n values
// per time.
absl::StatusOr<v1::Statistics> EnsembleStatistics(const std::vector<v1::Path>& paths,
                                                  const std::vector<double>& fixed_ts,
                                                  uint32_t state_dim,
                                                  const std::vector<double>& levels);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_ENSEMBLE_STATISTICS_H_
