// Small pieces every service's calls share: the draining error, the code a
// cancelled call ends with, and logging of failed calls.
#ifndef PATHWISE_SERVER_RPC_UTIL_H_
#define PATHWISE_SERVER_RPC_UTIL_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"

namespace pathwise::server {

// UNAVAILABLE, for calls that arrive while the server drains.
absl::Status DrainingError();

// The code a cancelled call ends with, as the client sees it:
// DEADLINE_EXCEEDED when its deadline has passed, else CANCELLED.
grpc::StatusCode CancelledCode(const grpc::CallbackServerContext* context);

// Logs a failed call: server-side failures (INTERNAL, UNKNOWN) at error level,
// client errors at debug level only.
void LogError(const char* method, const absl::Status& status);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_RPC_UTIL_H_
