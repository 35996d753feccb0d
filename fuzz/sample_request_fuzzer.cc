// libFuzzer target: any bytes, parsed as a pathwise.v1.SampleRequest (the
// binary wire format, as the BrownianService receives it), go through the
// service's validation and conversion (ValidateSampleRequest with the
// server's default limits). A rejected request must get a client-error code;
// an accepted one must pass the core's own batch validation, and when its
// response is small (at most kMaxValues doubles) it is evaluated and every
// value must be finite. Crashes, hangs, sanitizer reports and broken
// invariants (__builtin_trap) are findings.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/brownian/batch.h"
#include "fuzz/fuzz_check.h"
#include "pathwise/v1/brownian.pb.h"
#include "server/brownian_limits.h"
#include "server/sample_request.h"

namespace pathwise::fuzz {
namespace {

constexpr uint64_t kMaxValues = 4096;  // the bounded run: doubles per response

void CheckFinite(const std::vector<double>& values) {
  for (double v : values) {
    if (!std::isfinite(v)) __builtin_trap();
  }
}

}  // namespace

void Run(const uint8_t* data, size_t size) {
  v1::SampleRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  const server::BrownianLimits limits;
  absl::StatusOr<brownian::BatchRequest> batch = server::ValidateSampleRequest(request, limits);
  if (!batch.ok()) {
    CheckRejection(batch.status());
    return;
  }
  const brownian::PathLimits path_limits{.max_dim = limits.max_dim};
  // The server's checks include the core's: what it accepts, the core accepts.
  if (!brownian::ValidateBatch(*batch, path_limits).ok()) __builtin_trap();
  const uint64_t queries = batch->times.size() + batch->intervals.size();
  const uint64_t values = server::SampleResponseBytes(batch->path_count, queries, batch->path.dim,
                                                      brownian::LevyArea::kNone) /
                          sizeof(double);
  if (values > kMaxValues) return;
  absl::StatusOr<brownian::BatchResult> result = brownian::SampleBatch(*batch, path_limits);
  if (!result.ok()) __builtin_trap();
  if (result->w.size() != values) __builtin_trap();
  CheckFinite(result->w);
  CheckFinite(result->h);
  CheckFinite(result->k);
}

}  // namespace pathwise::fuzz
