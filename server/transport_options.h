// The gRPC transport limits of pathwised (docs/server.md, "Transport
// limits"): the largest request it reads, HTTP/2 streams per connection,
// keepalive pings it sends and tolerates, and how long a connection may stay
// idle or open. They keep slow, idle and vanished clients from holding the
// server's memory and threads; the request limits (BrownianLimits,
// SolveLimits) then bound the work of each call.
#ifndef PATHWISE_SERVER_TRANSPORT_OPTIONS_H_
#define PATHWISE_SERVER_TRANSPORT_OPTIONS_H_

#include <grpcpp/server_builder.h>

#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/brownian_limits.h"
#include "server/solve_request.h"

namespace pathwise::server {

// Wire budgets of the request parts that no count limit bounds.
// Potential data (BuiltinPotential.data): 2^21 doubles, 16 MiB, about 120
// times the breast-cancer data set (569 rows x 31 columns, 146 kB).
inline constexpr uint64_t kPotentialDataBytes = uint64_t{16} << 20;
// Model text: state names, expressions, parameter names (4 MiB: 40
// expressions at the 100 000-character limit, or thousands of typical ones).
inline constexpr uint64_t kModelTextBytes = uint64_t{4} << 20;
// Scalar fields, tags and length prefixes of every message (generous).
inline constexpr uint64_t kFramingBytes = uint64_t{64} << 10;

// The largest legal request on the wire, from the request limits: the larger
// of the largest SampleRequest (BrownianLimits::MaxRequestBytes) and the
// largest SolveRequest, which is
//   2 x 8 x max_times          saveat.ts and one step time list (step_to.ts
//                              or adaptive.step_ts: StepControl is a oneof)
// + 2 x 8 x max_state_dim      y0, or a Langevin model's x0 and v0
// + kPotentialDataBytes + kModelTextBytes + kFramingBytes.
// Defaults: 16 MiB + 64 KiB + 16 MiB + 4 MiB + 64 KiB = 37 879 808 bytes.
uint64_t LargestRequestBytes(const BrownianLimits& brownian, const SolveLimits& solve);

struct TransportOptions {
  // Largest request message read; 0: LargestRequestBytes(limits). Larger
  // messages are refused by gRPC with RESOURCE_EXHAUSTED before they are
  // parsed.
  uint64_t max_request_bytes = 0;
  // HTTP/2 streams (calls) open at once on one connection; a client's extra
  // calls wait in its own queue.
  uint32_t max_concurrent_streams = 100;
  // Shortest interval between a client's pings while the server sends it
  // nothing (GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS); each
  // faster ping is a strike, and more than max_ping_strikes strikes close the
  // connection with GOAWAY ENHANCE_YOUR_CALM "too_many_pings". Clients
  // without calls in flight may not ping at all (once in 2 hours): the
  // server keeps GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS off.
  absl::Duration min_ping_interval = absl::Seconds(10);
  int max_ping_strikes = 2;
  // The server's own keepalive pings, on connections with calls in flight: a
  // client that vanished without closing (node lost) is found within
  // keepalive_time + keepalive_timeout and its calls are cancelled.
  absl::Duration keepalive_time = absl::Seconds(60);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // A connection without calls for this long is closed (GOAWAY; clients
  // reconnect on their next call). GRPC_ARG_MAX_CONNECTION_IDLE_MS.
  absl::Duration max_connection_idle = absl::Minutes(5);
  // A connection is sent GOAWAY at this age (gRPC adds +-10 % jitter), so
  // clients reconnect and spread over replicas added since; its calls in
  // flight then get max_connection_age_grace to finish before it is closed.
  absl::Duration max_connection_age = absl::Minutes(30);
  absl::Duration max_connection_age_grace = absl::Hours(1);

  // INVALID_ARGUMENT naming the field for a value out of range: every
  // duration in [1ms, 24 days] (gRPC takes milliseconds as an int),
  // max_concurrent_streams and max_ping_strikes >= 1, max_request_bytes <= 2 GiB - 1.
  absl::Status Validate() const;
};

// The receive limit in force: options.max_request_bytes, or
// LargestRequestBytes(brownian, solve) when it is 0; at most INT_MAX.
int ReceiveLimitBytes(const TransportOptions& options, const BrownianLimits& brownian,
                      const SolveLimits& solve);

// Sets the receive limit, the send limit (the largest response message,
// BrownianLimits::MaxSendBytes) and every option above on `builder`.
void ApplyTransportOptions(const TransportOptions& options, int receive_limit_bytes,
                           int send_limit_bytes, grpc::ServerBuilder& builder);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_TRANSPORT_OPTIONS_H_
