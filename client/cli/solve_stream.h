// Reading one SolverService.Solve stream: progress events go to a callback,
// path batches and statistics events are collected in order, the summary
// must come last.
#ifndef PATHWISE_CLIENT_CLI_SOLVE_STREAM_H_
#define PATHWISE_CLIENT_CLI_SOLVE_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <optional>
#include <vector>

#include "pathwise/v1/solver.grpc.pb.h"

namespace pathwise::cli {

// What a solve returned (or what the ranges of a split solve returned, merged).
struct SolveResult {
  std::vector<v1::Path> paths;               // increasing path_index
  std::optional<v1::Statistics> statistics;  // the events' arrays concatenated
  v1::Summary summary;
};

using ProgressCallback = std::function<void(const v1::Progress&)>;

// Appends a statistics event that covers the next save times.
void AppendStatistics(const v1::Statistics& part, v1::Statistics* merged);

// Runs one Solve call to its end. On OK, `out` holds everything streamed; a
// stream that breaks the contract (no summary, events after it, paths out of
// order) gives INTERNAL naming the problem. `out` is cleared first.
grpc::Status ReadSolve(v1::SolverService::StubInterface* stub, grpc::ClientContext* context,
                       const v1::SolveRequest& request, const ProgressCallback& on_progress,
                       SolveResult* out);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_SOLVE_STREAM_H_
