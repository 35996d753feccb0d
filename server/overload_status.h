// The two kinds of RESOURCE_EXHAUSTED a client can act on differently:
// - the server is busy (a server-wide limit is reached): retry after the
//   google.rpc.RetryInfo delay, here or on another replica;
// - the caller is at its own quota (a per-caller limit): other callers still
//   go through, so retrying soon does not help this one; the
//   google.rpc.QuotaFailure names the caller and the limit.
// RpcCall turns the payloads into google.rpc.Status details (grpc_status.h).
#ifndef PATHWISE_SERVER_OVERLOAD_STATUS_H_
#define PATHWISE_SERVER_OVERLOAD_STATUS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace pathwise::server {

inline constexpr char kRetryInfoTypeUrl[] = "type.googleapis.com/google.rpc.RetryInfo";
inline constexpr char kQuotaFailureTypeUrl[] = "type.googleapis.com/google.rpc.QuotaFailure";

// How long a client refused because the server is busy should wait: long
// enough for running work to move on (solves yield every slice, Sample
// answers take milliseconds), short enough not to idle a freed server.
inline constexpr absl::Duration kBusyRetryDelay = absl::Seconds(1);

// RESOURCE_EXHAUSTED "server busy: <message>" with a RetryInfo of `retry_delay`.
absl::Status ServerBusyError(absl::string_view message,
                             absl::Duration retry_delay = kBusyRetryDelay);

// RESOURCE_EXHAUSTED "caller <caller> is at its limit <limit> = <value>:
// <message>" with a QuotaFailure violation {subject "caller:<caller>",
// description "<limit> = <value>"}.
absl::Status CallerQuotaError(absl::string_view caller, absl::string_view limit, uint64_t value,
                              absl::string_view message);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_OVERLOAD_STATUS_H_
