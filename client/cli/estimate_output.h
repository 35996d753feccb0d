// The output of `pathwise estimate`: the per-level table and the result, as
// an aligned table or JSON, and the one-line verdict on stderr.
#ifndef PATHWISE_CLIENT_CLI_ESTIMATE_OUTPUT_H_
#define PATHWISE_CLIENT_CLI_ESTIMATE_OUTPUT_H_

#include <string>

#include "client/cli/estimate_stream.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

// format "table": one row per level (level, dt, paths, mean, variance,
// steps_per_sample), a blank line, then the result's fields one per line
// ("value  0.1044..."). "json": {"request": {...}, "levels": [{...}, ...],
// "result": {...}}, field names as in solver.proto, numbers that read back as
// the same doubles (non-finite ones as null).
std::string FormatEstimate(const EstimateOutcome& outcome, const v1::EstimateRequest& request,
                           const std::string& format);

// "estimate: 0.10446 ± 0.00066 (rmse estimate; target 0.001), converged, 3
// levels, 221440 path steps, 0.41 s\n".
std::string EstimateLine(const v1::EstimateResult& result, double target_rmse);

// Empty when converged; else why the target was not met and what to change.
std::string NotConvergedLine(const v1::EstimateResult& result, const v1::EstimateRequest& request);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_ESTIMATE_OUTPUT_H_
