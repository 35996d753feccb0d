#include "server/sample_request.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/brownian/levy_area.h"
#include "core/brownian/path_spec.h"
#include "server/bad_request.h"

namespace pathwise::server {
namespace {

// Collects violations, keeping at most kMaxViolations (the last one counts the rest).
class Violations {
 public:
  void Add(FieldViolation violation) {
    ++total_;
    if (list_.size() < kMaxViolations - 1) list_.push_back(std::move(violation));
  }
  void AddCore(const absl::Status& status, absl::string_view prefix) {
    Add(ViolationFromCoreMessage(status.message(), prefix));
  }
  bool empty() const { return total_ == 0; }
  absl::Status ToStatus() const {
    std::vector<FieldViolation> out = list_;
    if (total_ > list_.size()) {
      out.push_back({"", absl::StrCat("... and ", total_ - list_.size(), " more violations")});
    }
    return InvalidArgumentWithViolations(out);
  }

 private:
  std::vector<FieldViolation> list_;
  size_t total_ = 0;
};

}  // namespace

brownian::BatchRequest ToBatchRequest(const v1::SampleRequest& request) {
  brownian::BatchRequest out;
  const v1::PathSpec& path = request.path();
  out.path.seed = path.seed();
  out.path.path_index = path.path_index();
  out.path.dim = path.dim();
  out.path.t0 = path.t0();
  out.path.t1 = path.t1();
  out.path.tol = path.tol();
  // Open proto3 enum: unknown values pass through and the core rejects them.
  out.path.levy_area = static_cast<brownian::LevyArea>(static_cast<int>(path.levy_area()));
  out.path_count = request.path_count() == 0 ? 1 : request.path_count();
  out.times.assign(request.times().begin(), request.times().end());
  out.intervals.reserve(request.intervals_size());
  for (const v1::Interval& q : request.intervals()) out.intervals.push_back({q.s(), q.t()});
  return out;
}

uint64_t SampleResponseBytes(uint64_t path_count, uint64_t query_count, uint64_t dim,
                             brownian::LevyArea kind) {
  const uint64_t arrays =
      1 + (brownian::HasSpaceTime(kind) ? 1 : 0) + (brownian::HasSpaceTimeTime(kind) ? 1 : 0);
  uint64_t bytes = arrays * sizeof(double);
  for (uint64_t factor : {path_count, query_count, dim}) {
    if (factor != 0 && bytes > UINT64_MAX / factor) return UINT64_MAX;
    bytes *= factor;
  }
  return bytes;
}

absl::StatusOr<brownian::BatchRequest> ValidateSampleRequest(const v1::SampleRequest& request,
                                                             const BrownianLimits& limits) {
  // Limits first: they are cheap and bound the work of everything after.
  const v1::PathSpec& path = request.path();
  if (path.dim() > limits.max_dim) {
    return absl::ResourceExhaustedError(
        absl::StrCat("path.dim: ", path.dim(), " exceeds the limit max_dim = ", limits.max_dim));
  }
  if (request.path_count() > limits.max_paths) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "path_count: ", request.path_count(), " exceeds the limit max_paths = ", limits.max_paths));
  }
  const uint64_t query_count =
      static_cast<uint64_t>(request.times_size()) + static_cast<uint64_t>(request.intervals_size());
  if (query_count > limits.max_queries) {
    return absl::ResourceExhaustedError(
        absl::StrCat("times, intervals: ", query_count,
                     " queries exceed the limit max_queries = ", limits.max_queries));
  }

  brownian::BatchRequest batch = ToBatchRequest(request);
  Violations violations;
  const brownian::PathLimits path_limits{.max_dim = limits.max_dim};
  if (absl::Status s = brownian::ValidatePathSpec(batch.path, path_limits); !s.ok()) {
    // The queries cannot be checked against an invalid [t0, t1].
    violations.AddCore(s, "path.");
    return violations.ToStatus();
  }
  if (batch.path.path_index > UINT64_MAX - (batch.path_count - 1)) {
    violations.Add(
        {"path_count", absl::StrCat("path.path_index + path_count overflows 2^64 (",
                                    batch.path.path_index, " + ", batch.path_count, ")")});
  }
  // Field names are built only for bad queries (the checks run per query).
  for (size_t i = 0; i < batch.times.size(); ++i) {
    // A point query is [t0, time]; [time, time] when time < t0, for the
    // message a point query should get ("must lie within [t0, t1]", not
    // "needs s <= t").
    const double t = batch.times[i];
    const double s = std::min(batch.path.t0, t);
    if (brownian::ValidateInterval(batch.path, s, t, "").ok()) continue;
    violations.AddCore(brownian::ValidateInterval(batch.path, s, t, absl::StrCat("times[", i, "]")),
                       "");
  }
  for (size_t i = 0; i < batch.intervals.size(); ++i) {
    const brownian::Interval& q = batch.intervals[i];
    if (brownian::ValidateInterval(batch.path, q.s, q.t, "").ok()) continue;
    violations.AddCore(
        brownian::ValidateInterval(batch.path, q.s, q.t, absl::StrCat("intervals[", i, "]")), "");
  }
  if (!violations.empty()) return violations.ToStatus();

  const uint64_t bytes =
      SampleResponseBytes(batch.path_count, query_count, batch.path.dim, batch.path.levy_area);
  if (bytes > limits.max_response_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("response: ", bytes, " bytes (path_count * queries * dim * 8 per array)",
                     " exceed the limit max_response_bytes = ", limits.max_response_bytes));
  }
  return batch;
}

}  // namespace pathwise::server
