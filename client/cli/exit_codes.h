// Exit codes of the `pathwise` CLI (documented in `pathwise help`, the
// commands' --help and docs/server.md).
#ifndef PATHWISE_CLIENT_CLI_EXIT_CODES_H_
#define PATHWISE_CLIENT_CLI_EXIT_CODES_H_

namespace pathwise::cli {

inline constexpr int kExitOk = 0;
// The server answered with an error (or is not serving).
inline constexpr int kExitServerError = 1;
// Bad command line.
inline constexpr int kExitUsage = 2;
// The server could not be reached (UNAVAILABLE).
inline constexpr int kExitUnreachable = 3;
// `pathwise solve` finished, but some paths ended other than
// SOLVE_STATUS_SUCCESS (what came back is printed; --allow-failures exits 0).
inline constexpr int kExitPathsFailed = 4;
// `pathwise estimate` finished, but the estimate did not meet --target-rmse
// (max_level or the path-step budget came first): the same code as failed
// paths, "ran, but not to what was asked" (what came back is printed;
// --allow-unconverged exits 0).
inline constexpr int kExitNotConverged = kExitPathsFailed;
// A call ran past its deadline (--timeout): DEADLINE_EXCEEDED.
inline constexpr int kExitDeadline = 5;
// `pathwise mcmc` finished, but some chains were unstable (diverged or reached
// the server's step limit; what came back is printed; --allow-unstable exits 0).
inline constexpr int kExitUnstableChains = 6;

// The paragraph of every --help text.
inline constexpr char kExitCodesHelp[] =
    "Exit codes: 0 success; 1 the server answered with an error or is not serving;\n"
    "2 bad command line; 3 the server could not be reached (UNAVAILABLE); 4 solve:\n"
    "some paths ended other than SOLVE_STATUS_SUCCESS (see --allow-failures), estimate:\n"
    "the target RMSE was not met (see --allow-unconverged);\n"
    "5 a call ran past --timeout (DEADLINE_EXCEEDED); 6 mcmc: some chains were\n"
    "unstable (see --allow-unstable).\n";

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_EXIT_CODES_H_
