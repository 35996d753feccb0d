#include "server/transport_options.h"

#include <algorithm>
#include <climits>
#include <string>

#include "absl/strings/str_cat.h"

namespace pathwise::server {
namespace {

// gRPC takes these durations as int milliseconds.
absl::Status CheckDuration(const char* field, absl::Duration value) {
  if (value < absl::Milliseconds(1) || value > absl::Milliseconds(INT_MAX)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be in [1ms, ", absl::FormatDuration(absl::Milliseconds(INT_MAX)), "], got ",
        absl::FormatDuration(value)));
  }
  return absl::OkStatus();
}

int Milliseconds(absl::Duration value) {
  return static_cast<int>(absl::ToInt64Milliseconds(value));
}

}  // namespace

uint64_t LargestRequestBytes(const BrownianLimits& brownian, const SolveLimits& solve) {
  const uint64_t solve_bytes = 2 * 8 * solve.max_times + 2 * 8 * uint64_t{solve.max_state_dim} +
                               kPotentialDataBytes + kModelTextBytes + kFramingBytes;
  return std::max<uint64_t>(static_cast<uint64_t>(brownian.MaxRequestBytes()), solve_bytes);
}

absl::Status TransportOptions::Validate() const {
  if (max_request_bytes > static_cast<uint64_t>(INT_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_request_bytes: must be <= ", INT_MAX, " (a gRPC message)"));
  }
  if (max_concurrent_streams < 1) {
    return absl::InvalidArgumentError("max_concurrent_streams: must be >= 1");
  }
  if (max_ping_strikes < 1) {
    return absl::InvalidArgumentError("max_ping_strikes: must be >= 1");
  }
  for (const auto& [field, value] :
       {std::pair{"min_ping_interval", min_ping_interval},
        std::pair{"keepalive_time", keepalive_time},
        std::pair{"keepalive_timeout", keepalive_timeout},
        std::pair{"max_connection_idle", max_connection_idle},
        std::pair{"max_connection_age", max_connection_age},
        std::pair{"max_connection_age_grace", max_connection_age_grace}}) {
    if (absl::Status s = CheckDuration(field, value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

int ReceiveLimitBytes(const TransportOptions& options, const BrownianLimits& brownian,
                      const SolveLimits& solve) {
  const uint64_t bytes = options.max_request_bytes != 0 ? options.max_request_bytes
                                                        : LargestRequestBytes(brownian, solve);
  return static_cast<int>(std::min<uint64_t>(bytes, INT_MAX));
}

void ApplyTransportOptions(const TransportOptions& options, int receive_limit_bytes,
                           int send_limit_bytes, grpc::ServerBuilder& builder) {
  builder.SetMaxReceiveMessageSize(receive_limit_bytes);
  builder.SetMaxSendMessageSize(send_limit_bytes);
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONCURRENT_STREAMS,
      static_cast<int>(std::min<uint32_t>(options.max_concurrent_streams, INT_MAX)));
  // What the server tolerates from clients' pings.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             Milliseconds(options.min_ping_interval));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, options.max_ping_strikes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  // The server's own pings, sent only while calls are in flight (permit
  // without calls is off); no cap on pings between the server's data frames,
  // since a stalled stream (a client that stopped reading) sends none.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Milliseconds(options.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             Milliseconds(options.keepalive_timeout));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  // Connection lifetime.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             Milliseconds(options.max_connection_idle));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             Milliseconds(options.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             Milliseconds(options.max_connection_age_grace));
}

}  // namespace pathwise::server
