// The McmcRequest of `pathwise mcmc` from its command-line options: the target
// (an expression potential, or a builtin potential with data from a CSV
// file), the chains, times, method, steps and preconditioning.
#ifndef PATHWISE_CLIENT_CLI_MCMC_FLAGS_H_
#define PATHWISE_CLIENT_CLI_MCMC_FLAGS_H_

#include <string>
#include <vector>

#include "client/cli/args.h"
#include "pathwise/v1/mcmc.pb.h"

namespace pathwise::cli {

// The options read here (for Args).
std::vector<FlagSpec> McmcRequestFlagSpecs();

struct McmcInput {
  v1::McmcRequest request;
  // Names of the target's coordinates: the CSV header's feature columns for
  // a builtin potential whose dim is data_cols - 1 (logistic_regression),
  // else x0 .. x{dim-1} (filled once dim is known; empty here when it is not).
  std::vector<std::string> parameter_names;
};

// Throws UsageError for a missing or contradictory option (the server checks
// the values and names the wire field of a bad one).
McmcInput BuildMcmcRequest(const Args& args);

// x0 .. x{dim-1}, or `names` when it holds dim of them.
std::vector<std::string> ParameterNames(const std::vector<std::string>& names, uint32_t dim);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_MCMC_FLAGS_H_
