// Many queries over many paths in one call, laid out as SampleResponse in
// docs/design/wire_contract.md: values of path p, query q, component j at ((p * Q) + q) * dim + j,
// point queries first (increments over [t0, time]), then intervals.
#ifndef PATHWISE_CORE_BROWNIAN_BATCH_H_
#define PATHWISE_CORE_BROWNIAN_BATCH_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "core/brownian/cursor.h"
#include "core/brownian/path_spec.h"

namespace pathwise::brownian {

struct Interval {
  double s = 0.0;
  double t = 0.0;
};

struct BatchRequest {
  PathSpec path;              // path.path_index is the first path
  uint32_t path_count = 1;    // paths path_index .. path_index + path_count - 1
  std::vector<double> times;  // point queries
  std::vector<Interval> intervals;
};

struct BatchResult {
  uint32_t dim = 0;
  uint32_t path_count = 0;
  uint32_t query_count = 0;
  std::vector<double> w;  // path_count * query_count * dim
  std::vector<double> h;  // same layout; empty unless the kind carries H
  std::vector<double> k;  // same layout; empty unless the kind carries K
};

// The queries of a request as [s, t] pairs in response order (times first).
std::vector<Interval> QueriesOf(const BatchRequest& request);

// Checks the path, path_count >= 1 (0 is read as 1 by callers), and every
// query; errors name the field, e.g. "times[3]: must lie within [t0, t1] = [0, 1]".
absl::Status ValidateBatch(const BatchRequest& request, const PathLimits& limits = {});

// Evaluates paths [first, first + count) of a validated request into `result`
// (already sized). Queries are visited in time order so that the cursor's cache
// is used well; the answers do not depend on that order. Thread-safe for
// disjoint path ranges of the same result.
void EvaluatePaths(const BatchRequest& request, absl::Span<const Interval> queries, uint32_t first,
                   uint32_t count, BatchResult& result, CursorStats* stats = nullptr);

// Validates, sizes and evaluates a whole request on the calling thread.
absl::StatusOr<BatchResult> SampleBatch(const BatchRequest& request, const PathLimits& limits = {});

// Allocates `result` for a validated request.
void SizeResult(const BatchRequest& request, BatchResult& result);

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_BATCH_H_
