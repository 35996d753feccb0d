// The SolveRequest of `pathwise solve` from its command-line options (every
// field a user sets; see the command's --help). With --model-file holding a
// whole SolveRequest, options given on the command line replace the file's
// fields and the rest are the file's.
#ifndef PATHWISE_CLIENT_CLI_SOLVE_FLAGS_H_
#define PATHWISE_CLIENT_CLI_SOLVE_FLAGS_H_

#include <vector>

#include "client/cli/args.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

// The options that fill the request (model options included).
std::vector<FlagSpec> SolveRequestFlagSpecs();

// Builds the request; throws UsageError for a missing model, method or step
// control, conflicting options, or a value that does not parse. Range checks
// are the server's (it names the wire field).
v1::SolveRequest BuildSolveRequest(const Args& args);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_SOLVE_FLAGS_H_
