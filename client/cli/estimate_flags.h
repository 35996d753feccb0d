// The EstimateRequest of `pathwise estimate` from its command-line options:
// the model options and --method as `pathwise solve` takes them
// (model_flags.h), the times, y0, seed and Brownian options, and the
// estimator's own (--functional, --target-rmse, --estimator, ...).
#ifndef PATHWISE_CLIENT_CLI_ESTIMATE_FLAGS_H_
#define PATHWISE_CLIENT_CLI_ESTIMATE_FLAGS_H_

#include <vector>

#include "client/cli/args.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

// The options that fill the request (model options included).
std::vector<FlagSpec> EstimateRequestFlagSpecs();

// Builds the request; throws UsageError for a missing model, method,
// functional or target, a model file holding a whole SolveRequest, or a
// value that does not parse. Range checks are the server's (it names the
// wire field).
v1::EstimateRequest BuildEstimateRequest(const Args& args);

// "multilevel" | "monte-carlo" (UsageError otherwise), and back.
v1::Estimator ParseEstimator(const std::string& text);
std::string EstimatorName(v1::Estimator estimator);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_ESTIMATE_FLAGS_H_
