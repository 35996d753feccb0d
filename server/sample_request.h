// SampleRequest <-> core: validation against the wire contract and the
// server's limits, conversion to brownian::BatchRequest, and the response.
#ifndef PATHWISE_SERVER_SAMPLE_REQUEST_H_
#define PATHWISE_SERVER_SAMPLE_REQUEST_H_

#include "absl/status/statusor.h"
#include "core/brownian/batch.h"
#include "pathwise/v1/brownian.pb.h"
#include "server/brownian_limits.h"

namespace pathwise::server {

// The core's view of a request (path_count 0 read as 1), unvalidated.
brownian::BatchRequest ToBatchRequest(const v1::SampleRequest& request);

// Converts and checks a request:
// - RESOURCE_EXHAUSTED naming the limit and its value when dim, path_count,
//   the number of queries or the response size is over a limit;
// - INVALID_ARGUMENT with one google.rpc.BadRequest field violation per
//   problem ("path.<field>", "path_count", "times[i]", "intervals[i]"; at most
//   kMaxViolations of them, the last one counting the rest).
absl::StatusOr<brownian::BatchRequest> ValidateSampleRequest(const v1::SampleRequest& request,
                                                             const BrownianLimits& limits);

inline constexpr int kMaxViolations = 20;

// Bytes of doubles the response to a request holds (w, h and k): what
// max_response_bytes bounds. Saturates instead of overflowing.
uint64_t SampleResponseBytes(uint64_t path_count, uint64_t query_count, uint64_t dim,
                             brownian::LevyArea kind);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_SAMPLE_REQUEST_H_
