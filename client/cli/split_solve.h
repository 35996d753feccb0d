// A solve split into contiguous ranges of multiples of the server's statistics
// block (Capabilities.statistics.block_paths), run concurrently over a (round_robin) channel and
// merged in path order. Each range is retried on another replica when its call fails with
// UNAVAILABLE, CANCELLED or DEADLINE_EXCEEDED (retry.h). Paths are functions of
// (seed, path_index), so merged paths are those of one unsplit solve; the
// statistics of a split solve are merged from the ranges' block moments and
// paths by the protocol's rules (split_statistics.h), to one solve's bits.
#ifndef PATHWISE_CLIENT_CLI_SPLIT_SOLVE_H_
#define PATHWISE_CLIENT_CLI_SPLIT_SOLVE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <vector>

#include "client/cli/channel.h"
#include "client/cli/progress_bar.h"
#include "client/cli/retry.h"
#include "client/cli/solve_stream.h"
#include "client/cli/split.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

// The request for one range. With `client_statistics` the range asks for
// paths and statistics with block moments (merged by SplitStatistics), the
// paths only at the fixed save times when the caller wants no paths (the step
// times would be dropped anyway).
v1::SolveRequest RangeRequest(const v1::SolveRequest& request, const PathRange& range,
                              bool client_statistics);

// Sums the ranges' counts; brownian_tol, levy_area and algorithm are the
// first range's (every range resolves them alike); wall_seconds is `wall_s`.
v1::Summary MergeSummaries(const std::vector<v1::Summary>& parts, double wall_s);

// The state dimension of a solve: from the first path holding states, else
// from the request (y0, or 2 * dim of a Langevin model).
uint32_t StateDim(const v1::SolveRequest& request, const std::vector<v1::Path>& paths);

// Runs the solve in `parts` ranges (fewer when there are fewer blocks of
// paths). One range is a plain call whose statistics are the server's. On
// success `out` holds what `request.output` asks for. `bar` may be null.
grpc::Status SplitSolve(const Channels& channels, const v1::SolveRequest& request, uint64_t parts,
                        const RetryPolicy& policy, ProgressBar* bar, SolveResult* out);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_SPLIT_SOLVE_H_
