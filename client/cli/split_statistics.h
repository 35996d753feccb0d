// The statistics of a solve split into ranges of whole statistics blocks, by
// the protocol's rules (proto/pathwise/v1/solver.proto, Statistics): mean,
// variance and stderr are the left fold, in block order, of every range's
// block moments (SolveRequest.block_moments); quantiles need every value, so
// they are type 7 over the completed paths' values at the save times. Both are
// bit-identical to one server's statistics of the whole ensemble.
#ifndef PATHWISE_CLIENT_CLI_SPLIT_STATISTICS_H_
#define PATHWISE_CLIENT_CLI_SPLIT_STATISTICS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

// Whether a path counts in the statistics (SUCCESS or DTMIN_REACHED).
bool Completed(v1::SolveStatus status);

// Merges `ranges`, each range's Statistics with block moments, in path order
// (ts, state_dim and quantile_levels are the first's), with `paths`, every
// range's paths in path order (for the quantiles; their values at the save
// times are looked up by time). INVALID_ARGUMENT when the ranges disagree on
// their shape or a completed path has no state at a save time.
absl::StatusOr<v1::Statistics> SplitStatistics(const std::vector<v1::Statistics>& ranges,
                                               const std::vector<v1::Path>& paths);

// Statistics of `paths` alone at save times `ts` (e.g. to plot a solve that
// asked for paths only): SplitStatistics with every completed path a block of
// its own, so the moments equal the server's to rounding, not in every bit.
absl::StatusOr<v1::Statistics> PathStatistics(const std::vector<v1::Path>& paths,
                                              const std::vector<double>& ts, uint32_t state_dim,
                                              const std::vector<double>& quantile_levels);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_SPLIT_STATISTICS_H_
