#include "server/solve_encoding.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/wire_format.h"

namespace pathwise::server {
namespace {

void AppendRange(const std::vector<double>& from, size_t begin, size_t end,
                 google::protobuf::RepeatedField<double>* to) {
  to->Add(from.begin() + static_cast<std::ptrdiff_t>(begin),
          from.begin() + static_cast<std::ptrdiff_t>(end));
}

v1::SolveStatus WireStatus(integrate::SolveStatus status) {
  return static_cast<v1::SolveStatus>(static_cast<int>(status));
}

// Field numbers of SolveResponse.paths, PathBatch.paths and Path (solver.proto).
constexpr int kResponsePaths = 2, kBatchPaths = 1;
constexpr int kPathIndex = 1, kPathTs = 2, kPathYs = 3, kPathStatus = 4, kPathAccepted = 5,
              kPathRejected = 6;

size_t PathBodySize(const integrate::PathSolution& p) {
  using namespace wire_format;
  return UintFieldSize(p.path_index) + BytesFieldSize(8 * p.ts.size()) +
         BytesFieldSize(8 * p.ys.size()) + UintFieldSize(static_cast<uint64_t>(p.status)) +
         UintFieldSize(p.steps_accepted) + UintFieldSize(p.steps_rejected);
}

// SolveResponse{paths: PathBatch{paths[0 .. count)}} in the wire format,
// byte for byte what serialising PathBatchEvent(paths, count) gives.
grpc::ByteBuffer EncodePathBatch(const integrate::PathSolution* paths, size_t count) {
  using namespace wire_format;
  size_t batch = 0;
  for (size_t i = 0; i < count; ++i)
    batch += 1 + VarintSize(PathBodySize(paths[i])) + PathBodySize(paths[i]);
  const size_t total = 1 + VarintSize(batch) + batch;
  grpc::Slice slice(total);
  char* out = reinterpret_cast<char*>(const_cast<uint8_t*>(slice.begin()));
  out = PutLengthPrefix(out, kResponsePaths, batch);
  for (size_t i = 0; i < count; ++i) {
    const integrate::PathSolution& p = paths[i];
    out = PutLengthPrefix(out, kBatchPaths, PathBodySize(p));
    out = PutUint(out, kPathIndex, p.path_index);
    out = PutBytes(out, kPathTs, p.ts.data(), 8 * p.ts.size());
    out = PutBytes(out, kPathYs, p.ys.data(), 8 * p.ys.size());
    out = PutUint(out, kPathStatus, static_cast<uint64_t>(p.status));
    out = PutUint(out, kPathAccepted, p.steps_accepted);
    out = PutUint(out, kPathRejected, p.steps_rejected);
  }
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace

v1::SolveResponse ProgressEvent(const integrate::Progress& progress) {
  v1::SolveResponse response;
  v1::Progress* out = response.mutable_progress();
  out->set_paths_done(progress.paths_done);
  out->set_num_paths(progress.num_paths);
  out->set_steps_accepted(progress.steps_accepted);
  out->set_steps_rejected(progress.steps_rejected);
  out->set_elapsed_seconds(progress.elapsed_seconds);
  return response;
}

size_t PathBytes(const integrate::PathSolution& path) {
  return 8 * (path.ts.size() + path.ys.size()) + 32;
}

v1::SolveResponse PathBatchEvent(const integrate::PathSolution* paths, size_t count) {
  v1::SolveResponse response;
  v1::PathBatch* batch = response.mutable_paths();
  for (size_t i = 0; i < count; ++i) {
    const integrate::PathSolution& path = paths[i];
    v1::Path* out = batch->add_paths();
    out->set_path_index(path.path_index);
    out->mutable_ts()->Add(path.ts.begin(), path.ts.end());
    out->mutable_ys()->Add(path.ys.begin(), path.ys.end());
    out->set_status(WireStatus(path.status));
    out->set_steps_accepted(path.steps_accepted);
    out->set_steps_rejected(path.steps_rejected);
  }
  return response;
}

absl::StatusOr<std::vector<grpc::ByteBuffer>> EncodePathBatches(
    const std::vector<integrate::PathSolution>& paths, size_t max_message_bytes) {
  std::vector<grpc::ByteBuffer> messages;
  size_t begin = 0;
  while (begin < paths.size()) {
    size_t end = begin, bytes = 0;
    while (end < paths.size() &&
           (end == begin || bytes + PathBytes(paths[end]) <= kMessageBudgetBytes)) {
      bytes += PathBytes(paths[end]);
      ++end;
    }
    if (bytes > max_message_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("saveat: path ", paths[begin].path_index, " has ", paths[begin].ts.size(),
                       " save points, ", bytes, " bytes, above the largest message of ",
                       max_message_bytes, " bytes (max_response_bytes); save at fewer times"));
    }
    messages.push_back(EncodePathBatch(paths.data() + begin, end - begin));
    begin = end;
  }
  return messages;
}

namespace {

// The core keeps block moments [block][ts][n]; the wire has [ts][block][n],
// so that Statistics messages of consecutive save times concatenate.
void AppendBlockRange(const std::vector<double>& blocks, size_t num_blocks, size_t per_block,
                      size_t n, size_t begin, size_t end,
                      google::protobuf::RepeatedField<double>* out) {
  for (size_t k = begin; k < end; ++k) {
    for (size_t b = 0; b < num_blocks; ++b) {
      const double* first = blocks.data() + b * per_block + k * n;
      out->Add(first, first + n);
    }
  }
}

}  // namespace

v1::SolveResponse StatisticsEvent(const integrate::Statistics& stats, size_t begin, size_t end,
                                  bool block_moments) {
  v1::SolveResponse response;
  v1::Statistics* out = response.mutable_statistics();
  const size_t n = static_cast<size_t>(stats.state_dim);
  const size_t levels = stats.quantile_levels.size();
  AppendRange(stats.ts, begin, end, out->mutable_ts());
  out->set_state_dim(static_cast<uint32_t>(stats.state_dim));
  out->set_count(stats.count);
  AppendRange(stats.mean, begin * n, end * n, out->mutable_mean());
  AppendRange(stats.variance, begin * n, end * n, out->mutable_variance());
  AppendRange(stats.std_error, begin * n, end * n, out->mutable_stderr());
  out->mutable_quantile_levels()->Add(stats.quantile_levels.begin(), stats.quantile_levels.end());
  if (!stats.quantiles.empty()) {
    AppendRange(stats.quantiles, begin * levels * n, end * levels * n, out->mutable_quantiles());
  }
  if (block_moments) {
    const size_t num_blocks = stats.block_counts.size(), per_block = stats.ts.size() * n;
    out->mutable_block_counts()->Add(stats.block_counts.begin(), stats.block_counts.end());
    AppendBlockRange(stats.block_mean, num_blocks, per_block, n, begin, end,
                     out->mutable_block_mean());
    AppendBlockRange(stats.block_m2, num_blocks, per_block, n, begin, end, out->mutable_block_m2());
  }
  return response;
}

size_t TimesPerStatisticsMessage(const integrate::Statistics& stats, bool one_per_time,
                                 bool block_moments) {
  if (one_per_time) return 1;
  const size_t blocks = block_moments ? stats.block_counts.size() : 0;
  const size_t per_time = 8 * (1 + static_cast<size_t>(stats.state_dim) *
                                       (3 + stats.quantile_levels.size() + 2 * blocks));
  return std::max<size_t>(1, kMessageBudgetBytes / per_time);
}

v1::SolveResponse SummaryEvent(const integrate::Summary& summary) {
  v1::SolveResponse response;
  v1::Summary* out = response.mutable_summary();
  out->set_paths(summary.paths);
  out->set_steps_accepted(summary.steps_accepted);
  out->set_steps_rejected(summary.steps_rejected);
  out->set_drift_evaluations(summary.drift_evaluations);
  out->set_diffusion_evaluations(summary.diffusion_evaluations);
  out->set_brownian_tol(summary.brownian_tol);
  out->set_levy_area(static_cast<v1::LevyArea>(static_cast<int>(summary.levy_area)));
  out->set_algorithm(summary.algorithm);
  out->set_wall_seconds(summary.wall_seconds);
  for (int s = 0; s < integrate::kNumStatuses; ++s) {
    const auto status = static_cast<integrate::SolveStatus>(s);
    (*out->mutable_status_counts())[v1::SolveStatus_Name(WireStatus(status))] =
        summary.status_counts[s];
  }
  return response;
}

}  // namespace pathwise::server
