// Checks of the options that bound load (docs/server.md, "Per-caller limits
// and overload"): per-caller limits, admission by work and memory, the time
// slice and time limit of solves, the transport's memory.
#ifndef PATHWISE_SERVER_OVERLOAD_OPTIONS_H_
#define PATHWISE_SERVER_OVERLOAD_OPTIONS_H_

#include "absl/status/status.h"

namespace pathwise::server {

struct ServerOptions;

// INVALID_ARGUMENT naming the option: every per-caller and work/memory limit
// >= 1; max_inflight_bytes_per_caller >= max_response_bytes (one answer must
// fit); solve slice in [0, 10 s] (0: blocks never yield); max solve time >= 0
// (0: none).
absl::Status ValidateOverloadOptions(const ServerOptions& options);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_OVERLOAD_OPTIONS_H_
