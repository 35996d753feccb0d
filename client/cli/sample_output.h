// Printing a SampleResponse: table, csv or json (formats of `pathwise sample`).
#ifndef PATHWISE_CLIENT_CLI_SAMPLE_OUTPUT_H_
#define PATHWISE_CLIENT_CLI_SAMPLE_OUTPUT_H_

#include <string>
#include <utility>
#include <vector>

#include "pathwise/v1/brownian.pb.h"

namespace pathwise::cli {

// `queries` holds [s, t] of each query in response order; `request` gives the
// seed and first path index. `format` is table, csv or json.
std::string FormatSample(const v1::SampleRequest& request,
                         const std::vector<std::pair<double, double>>& queries,
                         const v1::SampleResponse& response, const std::string& format);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_SAMPLE_OUTPUT_H_
