// The gRPC channels to one or several pathwised replicas.
//
// --server takes one address ("host:port", or any gRPC target such as
// "dns:///host:port"), or several "a:1,b:2,..." spread over by gRPC's
// round_robin policy (one static ipv4:/ipv6: target). round_robin is used for
// every channel, so a DNS name with many A records is spread over as well.
//
// A split call also gets one channel per listed address: round_robin picks
// among the replicas that are READY when a call starts, and at start-up the
// first replica to connect would take every range. So the first attempt of
// range i goes to address i mod N, and retries go to the round_robin channel
// (with wait_for_ready), which skips replicas that are down.
#ifndef PATHWISE_CLIENT_CLI_CHANNEL_H_
#define PATHWISE_CLIENT_CLI_CHANNEL_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "client/cli/args.h"
#include "client/cli/channel_security.h"

namespace pathwise::cli {

inline constexpr char kDefaultServer[] = "127.0.0.1:50051";

// Keepalive pings while a call is in flight: every 20 s, the connection
// dropped (the call UNAVAILABLE) when one is not answered in 10 s. pathwised
// allows a ping every 10 s (--keepalive_min_ping_interval).
inline constexpr int kKeepaliveTimeMs = 20000;
inline constexpr int kKeepaliveTimeoutMs = 10000;

struct ServerTarget {
  std::string text;      // as given, for messages
  std::string target;    // the gRPC target string
  size_t addresses = 1;  // addresses listed (1 for a single name, however many it resolves to)
  // One static target per address of a list ("ipv4:127.0.0.1:5001"); empty
  // for a single address.
  std::vector<std::string> replica_targets;
  ChannelSecurity security;  // TLS and token (channel_security.h)
};

// The round_robin channel and, for a list, one channel per address.
struct Channels {
  std::shared_ptr<grpc::Channel> balanced;
  std::vector<std::shared_ptr<grpc::Channel>> replicas;

  // Where the first attempt of call `i` of a split goes.
  const std::shared_ptr<grpc::Channel>& ForCall(size_t i) const {
    return replicas.empty() ? balanced : replicas[i % replicas.size()];
  }
};

// Parses --server. A list "a:1,b:2" becomes "ipv4:a:1,b:2" (or ipv6:); host
// names in a list are resolved here to their IPv4 addresses (getaddrinfo), as
// gRPC's static targets take literals only. Throws UsageError.
ServerTarget ParseServer(const std::string& text);

// ParseServer(--server) with the security options (channel_security.h).
ServerTarget ParseServerArgs(const Args& args);

// A channel with unlimited message sizes (the server bounds its responses),
// the round_robin load-balancing policy and keepalive pings (kKeepalive*).
std::shared_ptr<grpc::Channel> Connect(const ServerTarget& server);

// Connect(server) and a channel per listed address.
Channels ConnectAll(const ServerTarget& server);

// The deadline `seconds` from now; `seconds` must be > 0 (checked by ParseTimeout).
std::chrono::system_clock::time_point DeadlineAfter(double seconds);

// --timeout: > 0 and finite. Throws UsageError.
double ParseTimeout(const std::string& text);

// "UNAVAILABLE", "INVALID_ARGUMENT", ...
std::string CodeName(grpc::StatusCode code);

// Prints a failed call (code, message, field violations) on stderr; returns
// the exit code for it: kExitUnreachable for UNAVAILABLE (with a hint to check
// --server), kExitDeadline for DEADLINE_EXCEEDED, else kExitServerError.
int ReportRpcError(const grpc::Status& status, const std::string& server);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_CHANNEL_H_
