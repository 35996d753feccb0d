#include "core/brownian/batch.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "core/brownian/brownian_path.h"
#include "core/brownian/lane_cursor.h"

namespace pathwise::brownian {

std::vector<Interval> QueriesOf(const BatchRequest& request) {
  std::vector<Interval> queries;
  queries.reserve(request.times.size() + request.intervals.size());
  for (double time : request.times) queries.push_back({request.path.t0, time});
  queries.insert(queries.end(), request.intervals.begin(), request.intervals.end());
  return queries;
}

absl::Status ValidateBatch(const BatchRequest& request, const PathLimits& limits) {
  if (absl::Status status = ValidatePathSpec(request.path, limits); !status.ok()) return status;
  if (request.path_count == 0) return absl::InvalidArgumentError("path_count: must be >= 1");
  if (request.path.path_index > UINT64_MAX - (request.path_count - 1)) {
    return absl::InvalidArgumentError("path_count: path_index + path_count overflows 2^64");
  }
  for (size_t i = 0; i < request.times.size(); ++i) {
    const absl::Status status = ValidateInterval(request.path, request.path.t0, request.times[i],
                                                 absl::StrCat("times[", i, "]"));
    if (!status.ok()) return status;
  }
  for (size_t i = 0; i < request.intervals.size(); ++i) {
    const Interval& q = request.intervals[i];
    const absl::Status status =
        ValidateInterval(request.path, q.s, q.t, absl::StrCat("intervals[", i, "]"));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

void SizeResult(const BatchRequest& request, BatchResult& result) {
  const LevyArea kind = request.path.levy_area;
  result.dim = request.path.dim;
  result.path_count = request.path_count;
  result.query_count = static_cast<uint32_t>(request.times.size() + request.intervals.size());
  const size_t n = size_t{result.path_count} * result.query_count * result.dim;
  result.w.assign(n, 0.0);
  result.h.assign(HasSpaceTime(kind) ? n : 0, 0.0);
  result.k.assign(HasSpaceTimeTime(kind) ? n : 0, 0.0);
}

namespace {

// Lanes pay where one path's draws are too few to fill the vector registers;
// wide paths vectorise across their components already.
constexpr size_t kLaneMaxDim = 16;

// The queries in time order, so that the cursor's cache is used well.
std::vector<size_t> TimeOrder(absl::Span<const Interval> queries) {
  std::vector<size_t> order(queries.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return queries[a].s < queries[b].s ||
           (queries[a].s == queries[b].s && queries[a].t < queries[b].t);
  });
  return order;
}

// EvaluatePaths for kLanes paths at a time (lane_cursor.h): the same answers,
// bit for bit, with one walk of the tree per lane of paths.
void EvaluatePathLanes(const BatchRequest& request, absl::Span<const Interval> queries,
                       const std::vector<size_t>& order, uint32_t first, uint32_t count,
                       BatchResult& result, CursorStats* stats) {
  constexpr size_t kLanes = LaneCursor::kLanes;
  const size_t dim = request.path.dim;
  const LevyArea kind = request.path.levy_area;
  const BrownianPath base = *BrownianPath::Create(request.path);  // validated by the caller
  LaneCursor cursor(base);
  std::vector<double> w(dim * kLanes), h(dim * kLanes), k(dim * kLanes);
  for (uint32_t p0 = first; p0 < first + count; p0 += kLanes) {
    const size_t lanes = std::min<size_t>(kLanes, first + count - p0);
    cursor.Reset(request.path.path_index + p0, lanes);
    for (size_t q : order) {
      cursor.Increment(queries[q].s, queries[q].t, w.data(), h.data(), k.data());
      for (size_t i = 0; i < lanes; ++i) {
        const size_t offset = ((p0 + i) * queries.size() + q) * dim;
        for (size_t j = 0; j < dim; ++j) {
          result.w[offset + j] = w[j * kLanes + i];
          if (HasSpaceTime(kind)) result.h[offset + j] = h[j * kLanes + i];
          if (HasSpaceTimeTime(kind)) result.k[offset + j] = k[j * kLanes + i];
        }
      }
    }
  }
  if (stats != nullptr) *stats = cursor.stats();
}

}  // namespace

void EvaluatePaths(const BatchRequest& request, absl::Span<const Interval> queries, uint32_t first,
                   uint32_t count, BatchResult& result, CursorStats* stats) {
  if (count == 0 || queries.empty()) return;
  const std::vector<size_t> order = TimeOrder(queries);
  if (count > 1 && request.path.dim <= kLaneMaxDim) {
    return EvaluatePathLanes(request, queries, order, first, count, result, stats);
  }
  const size_t dim = request.path.dim;
  const LevyArea kind = request.path.levy_area;
  PathSpec spec = request.path;
  spec.path_index += first;
  const BrownianPath base = *BrownianPath::Create(spec);  // validated by the caller
  BrownianPath path = base;
  BrownianCursor cursor(path);
  for (uint32_t p = first; p < first + count; ++p) {
    if (p != first) {
      path = base.WithPathIndex(request.path.path_index + p);
      cursor.Reset(path);
    }
    for (size_t q : order) {
      const size_t offset = (size_t{p} * queries.size() + q) * dim;
      cursor.Increment(queries[q].s, queries[q].t, result.w.data() + offset,
                       HasSpaceTime(kind) ? result.h.data() + offset : nullptr,
                       HasSpaceTimeTime(kind) ? result.k.data() + offset : nullptr);
    }
  }
  if (stats != nullptr) *stats = cursor.stats();
}

absl::StatusOr<BatchResult> SampleBatch(const BatchRequest& request, const PathLimits& limits) {
  if (absl::Status status = ValidateBatch(request, limits); !status.ok()) return status;
  BatchResult result;
  SizeResult(request, result);
  const std::vector<Interval> queries = QueriesOf(request);
  EvaluatePaths(request, queries, 0, request.path_count, result);
  return result;
}

}  // namespace pathwise::brownian
