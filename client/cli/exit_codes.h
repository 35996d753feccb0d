// Exit codes of the `pathwise` CLI (documented in `pathwise help`).
#ifndef PATHWISE_CLIENT_CLI_EXIT_CODES_H_
#define PATHWISE_CLIENT_CLI_EXIT_CODES_H_

namespace pathwise::cli {

inline constexpr int kExitOk = 0;
// The server answered with an error (or is not serving).
inline constexpr int kExitServerError = 1;
// Bad command line.
inline constexpr int kExitUsage = 2;
// The server could not be reached before the deadline.
inline constexpr int kExitUnreachable = 3;

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_EXIT_CODES_H_
