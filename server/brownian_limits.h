// BrownianService's configured limits on one Sample request and on the
// responses in flight (flags --max_*). SolverService's are SolveLimits
// (solve_request.h) and AdmissionLimits (solve_admission.h).
#ifndef PATHWISE_SERVER_BROWNIAN_LIMITS_H_
#define PATHWISE_SERVER_BROWNIAN_LIMITS_H_

#include <cstdint>

namespace pathwise::server {

struct BrownianLimits {
  uint32_t max_dim = 4096;         // largest PathSpec.dim
  uint64_t max_queries = 1 << 20;  // largest len(times) + len(intervals) per request
  uint64_t max_paths = 1 << 16;    // largest path_count per request
  // Largest response, counted as 8 bytes per returned double (w, h and k).
  uint64_t max_response_bytes = uint64_t{64} << 20;
  // Largest sum of the response bytes of all calls being answered at once
  // (bounds the server's memory); a call that would exceed it gets
  // RESOURCE_EXHAUSTED. At least max_response_bytes.
  uint64_t max_inflight_bytes = uint64_t{1} << 30;

  // Bytes a request may take on the wire: enough for max_queries intervals.
  int MaxRequestBytes() const;
  // Bytes a response may take on the wire: max_response_bytes plus framing.
  int MaxSendBytes() const;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_BROWNIAN_LIMITS_H_
