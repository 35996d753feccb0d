// Reading SolverService.Estimate's stream: LevelStatistics (the last of each
// level kept), Progress to a callback, EstimateResult last.
#ifndef PATHWISE_CLIENT_CLI_ESTIMATE_STREAM_H_
#define PATHWISE_CLIENT_CLI_ESTIMATE_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <map>

#include "pathwise/v1/solver.grpc.pb.h"

namespace pathwise::cli {

struct EstimateOutcome {
  std::map<uint32_t, v1::LevelStatistics> levels;  // by level: its last statistics
  v1::EstimateResult result;
};

// Reads the whole stream. A stream that breaks the contract (events after the
// result, no result) is INTERNAL naming what went wrong.
grpc::Status ReadEstimate(v1::SolverService::StubInterface* stub, grpc::ClientContext* context,
                          const v1::EstimateRequest& request,
                          const std::function<void(const v1::Progress&)>& on_progress,
                          EstimateOutcome* out);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_ESTIMATE_STREAM_H_
