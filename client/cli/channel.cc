#include "client/cli/channel.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/cli/args.h"
#include "client/cli/exit_codes.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace pathwise::cli {
namespace {

struct HostPort {
  std::string host;  // without brackets
  std::string port;
  bool bracketed = false;
};

HostPort SplitHostPort(const std::string& item) {
  const auto bad = [&] { return UsageError{"--server: '" + item + "' is not HOST:PORT"}; };
  HostPort hp;
  size_t colon;
  if (!item.empty() && item[0] == '[') {
    const size_t close = item.find(']');
    if (close == std::string::npos || close + 1 >= item.size() || item[close + 1] != ':') {
      throw bad();
    }
    hp.host = item.substr(1, close - 1);
    hp.bracketed = true;
    colon = close + 1;
  } else {
    colon = item.rfind(':');
    if (colon == std::string::npos) throw bad();
    hp.host = item.substr(0, colon);
  }
  hp.port = item.substr(colon + 1);
  uint32_t port = 0;
  if (hp.host.empty() || !absl::SimpleAtoi(hp.port, &port) || port == 0 || port > 65535) {
    throw bad();
  }
  return hp;
}

bool IsIpv4(const std::string& host) {
  in_addr a;
  return inet_pton(AF_INET, host.c_str(), &a) == 1;
}

bool IsIpv6(const std::string& host) {
  in6_addr a;
  return inet_pton(AF_INET6, host.c_str(), &a) == 1;
}

// The IPv4 addresses of a host name, in resolver order, without repeats.
std::vector<std::string> ResolveIpv4(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    throw UsageError{"--server: cannot resolve '" + host + "' to an IPv4 address"};
  }
  std::vector<std::string> out;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    char text[INET_ADDRSTRLEN];
    const auto* in = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
    if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text)) == nullptr) continue;
    if (std::find(out.begin(), out.end(), text) == out.end()) out.emplace_back(text);
  }
  freeaddrinfo(found);
  return out;
}

}  // namespace

ServerTarget ParseServer(const std::string& text) {
  ServerTarget server{text, text, 1, {}, {}};
  if (text.find(',') == std::string::npos) {
    if (absl::StripAsciiWhitespace(text).empty()) throw UsageError{"--server: empty address"};
    return server;  // one address or a gRPC target such as dns:///host:port
  }
  std::vector<std::string> v4, v6;  // host:port of each address
  size_t listed = 0;
  for (absl::string_view piece : absl::StrSplit(text, ',')) {
    const std::string item(absl::StripAsciiWhitespace(piece));
    if (item.empty()) throw UsageError{"--server: '" + text + "' has an empty address"};
    const HostPort hp = SplitHostPort(item);
    ++listed;
    if (IsIpv6(hp.host)) {
      if (!hp.bracketed) throw UsageError{"--server: write IPv6 addresses as [addr]:port"};
      v6.push_back("[" + hp.host + "]:" + hp.port);
    } else if (IsIpv4(hp.host)) {
      v4.push_back(hp.host + ":" + hp.port);
    } else {
      for (const std::string& ip : ResolveIpv4(hp.host)) v4.push_back(ip + ":" + hp.port);
    }
  }
  if (!v4.empty() && !v6.empty()) {
    throw UsageError{"--server: a list cannot mix IPv4 and IPv6 addresses"};
  }
  const std::string scheme = v6.empty() ? "ipv4:" : "ipv6:";
  const std::vector<std::string>& all = v6.empty() ? v4 : v6;
  server.target = scheme + absl::StrJoin(all, ",");
  server.addresses = listed;
  for (const std::string& a : all) server.replica_targets.push_back(scheme + a);
  return server;
}

ServerTarget ParseServerArgs(const Args& args) {
  ServerTarget server = ParseServer(args.String("server", kDefaultServer));
  server.security = ParseChannelSecurity(args);
  return server;
}

std::shared_ptr<grpc::Channel> Connect(const ServerTarget& server) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);  // the server bounds responses (--max_response_bytes)
  args.SetMaxSendMessageSize(-1);
  args.SetLoadBalancingPolicyName("round_robin");
  // Keepalive (docs/server.md, "Transport limits"): while a call is in
  // flight, ping every kKeepaliveTime and drop the connection when a ping is
  // not answered within kKeepaliveTimeout, so a server that vanished without
  // closing (node lost, network torn down) fails the call with UNAVAILABLE in
  // at most 30 s instead of at --timeout. pathwised accepts pings every 10 s
  // or slower, and none without calls, so permit-without-calls stays off.
  // No cap on pings between the client's own data frames: during a solve the
  // client sends nothing after its request.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepaliveTimeMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kKeepaliveTimeoutMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  return CreateSecuredChannel(server.target, server.security, args);
}

Channels ConnectAll(const ServerTarget& server) {
  Channels channels{Connect(server), {}};
  for (const std::string& target : server.replica_targets) {
    ServerTarget one = server;
    one.target = target;
    channels.replicas.push_back(Connect(one));
  }
  return channels;
}

std::chrono::system_clock::time_point DeadlineAfter(double seconds) {
  return std::chrono::system_clock::now() +
         std::chrono::microseconds(static_cast<int64_t>(std::min(seconds, 1e9) * 1e6));
}

double ParseTimeout(const std::string& text) {
  const double seconds = ParseDouble("timeout", text);
  if (!(seconds > 0) || !std::isfinite(seconds)) throw UsageError{"--timeout: must be > 0"};
  return seconds;
}

std::string CodeName(grpc::StatusCode code) {
  // gRPC and Abseil share the canonical code numbers and names.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

int ReportRpcError(const grpc::Status& status, const std::string& server) {
  std::fprintf(stderr, "pathwise: error: %s: %s\n", CodeName(status.error_code()).c_str(),
               status.error_message().c_str());
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::BadRequest bad;
      if (!any.UnpackTo(&bad)) continue;
      for (const auto& v : bad.field_violations()) {
        std::fprintf(stderr, "  field %s: %s\n", v.field().c_str(), v.description().c_str());
      }
    }
  }
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    std::fprintf(stderr, "pathwise: the call to %s ran past its deadline (see --timeout)\n",
                 server.c_str());
    return kExitDeadline;
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::fprintf(stderr, "pathwise: is pathwised running at %s? (see --server)\n", server.c_str());
    return kExitUnreachable;
  }
  return kExitServerError;
}

}  // namespace pathwise::cli
