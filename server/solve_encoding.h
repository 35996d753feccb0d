// Core solve results -> SolveResponse events (docs/design/wire_contract.md, "SolverService"), and
// their bytes. Large results are cut into several messages so that none
// exceeds a size budget: PathBatch by whole paths, Statistics by whole save
// times.
#ifndef PATHWISE_SERVER_SOLVE_ENCODING_H_
#define PATHWISE_SERVER_SOLVE_ENCODING_H_

#include <grpcpp/support/byte_buffer.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "core/integrate/options.h"
#include "core/integrate/solution.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::server {

// Bytes one message aims to stay under (a path or save time bigger than this
// still goes whole, in a message of its own).
inline constexpr size_t kMessageBudgetBytes = size_t{4} << 20;

v1::SolveResponse ProgressEvent(const integrate::Progress& progress);

// Wire bytes of a path's ts and ys (8 per double), an estimate of its message size.
size_t PathBytes(const integrate::PathSolution& path);

// A PathBatch of paths[0 .. count) as a message: the reference that
// EncodePathBatches' hand-written bytes are tested against.
v1::SolveResponse PathBatchEvent(const integrate::PathSolution* paths, size_t count);

// The PathBatch events of a block of paths, serialized: consecutive paths
// grouped up to kMessageBudgetBytes (at least one path each).
// RESOURCE_EXHAUSTED naming saveat when a single path exceeds max_message_bytes.
absl::StatusOr<std::vector<grpc::ByteBuffer>> EncodePathBatches(
    const std::vector<integrate::PathSolution>& paths, size_t max_message_bytes);

// Statistics restricted to save times [begin, end); with `block_moments`
// also the per-block moments (Statistics.block_counts, block_mean, block_m2).
v1::SolveResponse StatisticsEvent(const integrate::Statistics& stats, size_t begin, size_t end,
                                  bool block_moments = false);

// Save times per Statistics message: one when `one_per_time`, else as many as
// fit the budget (at least one).
size_t TimesPerStatisticsMessage(const integrate::Statistics& stats, bool one_per_time,
                                 bool block_moments = false);

v1::SolveResponse SummaryEvent(const integrate::Summary& summary);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_SOLVE_ENCODING_H_
