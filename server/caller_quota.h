// Per-caller limits, so that one caller cannot take the whole server: solves
// running, paths queued, and response bytes held in flight (Sample and
// SampleStream answers, a Solve's buffered paths). Beyond one of them the
// caller gets RESOURCE_EXHAUSTED with a google.rpc.QuotaFailure naming the
// limit (overload_status.h), while other callers go through.
//
// The caller is the authenticated name (--auth_tokens_file) or, without
// tokens, the client's IP address without its port: one client that opens
// many connections is still one caller (and clients behind one NAT or proxy
// share one quota).
#ifndef PATHWISE_SERVER_CALLER_QUOTA_H_
#define PATHWISE_SERVER_CALLER_QUOTA_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/metrics.h"

namespace pathwise::server {

struct CallerLimits {
  // Defaults: a quarter of the server-wide limits, so that a single caller
  // always leaves at least three quarters of the server to the others.
  uint32_t max_solves = 4;                            // --max_concurrent_solves_per_caller
  uint64_t max_queued_paths = uint64_t{1} << 20;      // --max_queued_paths_per_caller
  uint64_t max_inflight_bytes = uint64_t{256} << 20;  // --max_inflight_bytes_per_caller
};

// The caller a quota is kept for: `authenticated` when not empty, else the
// address in `peer` (gRPC's "ipv4:10.0.0.7:51234", "ipv6:[::1]:51234",
// "unix:/path") without the port.
std::string QuotaCaller(absl::string_view authenticated, absl::string_view peer);

class CallerQuota {
 public:
  struct Usage {
    uint32_t solves = 0;
    uint64_t queued_paths = 0;
    uint64_t inflight_bytes = 0;
  };

  CallerQuota(const CallerLimits& limits, Metrics& metrics) : limits_(limits), metrics_(metrics) {}

  const CallerLimits& limits() const { return limits_; }

  // One more solve of `paths` paths that holds up to `bytes` of responses,
  // or RESOURCE_EXHAUSTED with a QuotaFailure (nothing taken).
  absl::Status AdmitSolve(const std::string& caller, uint64_t paths, uint64_t bytes);
  void PathsDone(const std::string& caller, uint64_t paths);
  // An admitted solve ended: its `paths_left` and `bytes` are given back.
  void SolveDone(const std::string& caller, uint64_t paths_left, uint64_t bytes);

  // Response bytes of a Sample answer, or RESOURCE_EXHAUSTED with a QuotaFailure.
  absl::Status ReserveBytes(const std::string& caller, uint64_t bytes);
  void ReleaseBytes(const std::string& caller, uint64_t bytes);

  Usage usage(const std::string& caller) const;  // zeros for an unknown caller
  size_t callers() const;                        // callers holding anything now

 private:
  absl::Status CheckBytesLocked(const std::string& caller, const Usage& usage,
                                uint64_t bytes) const;
  void ForgetIfIdleLocked(std::unordered_map<std::string, Usage>::iterator it);

  const CallerLimits limits_;
  Metrics& metrics_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Usage> usage_;  // callers holding something
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_CALLER_QUOTA_H_
