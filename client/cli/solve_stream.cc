#include "client/cli/solve_stream.h"

#include <string>

namespace pathwise::cli {
namespace {

grpc::Status Broken(const std::string& what) {
  return grpc::Status(grpc::StatusCode::INTERNAL, "the server's Solve stream " + what);
}

// Adds one event to `out`; false (with *error set) when it breaks the contract.
bool Consume(const v1::SolveResponse& event, bool* has_summary, SolveResult* out,
             const ProgressCallback& on_progress, grpc::Status* error) {
  if (*has_summary) {
    *error = Broken("sent events after its summary");
    return false;
  }
  switch (event.event_case()) {
    case v1::SolveResponse::kProgress:
      if (on_progress) on_progress(event.progress());
      return true;
    case v1::SolveResponse::kPaths:
      for (const v1::Path& path : event.paths().paths()) {
        if (!out->paths.empty() && path.path_index() <= out->paths.back().path_index()) {
          *error = Broken("sent path " + std::to_string(path.path_index()) + " out of order");
          return false;
        }
        out->paths.push_back(path);
      }
      return true;
    case v1::SolveResponse::kStatistics:
      if (!out->statistics) out->statistics.emplace();
      AppendStatistics(event.statistics(), &*out->statistics);
      return true;
    case v1::SolveResponse::kSummary:
      out->summary = event.summary();
      *has_summary = true;
      return true;
    default:
      return true;  // an event kind newer than this client: ignored
  }
}

}  // namespace

void AppendStatistics(const v1::Statistics& part, v1::Statistics* merged) {
  if (merged->ts_size() == 0 && merged->mean_size() == 0) {
    *merged = part;
    return;
  }
  merged->mutable_ts()->Add(part.ts().begin(), part.ts().end());
  merged->mutable_mean()->Add(part.mean().begin(), part.mean().end());
  merged->mutable_variance()->Add(part.variance().begin(), part.variance().end());
  merged->mutable_stderr()->Add(part.stderr().begin(), part.stderr().end());
  merged->mutable_quantiles()->Add(part.quantiles().begin(), part.quantiles().end());
  // block_counts are the same in every message; the moments are [time][block][component].
  merged->mutable_block_mean()->Add(part.block_mean().begin(), part.block_mean().end());
  merged->mutable_block_m2()->Add(part.block_m2().begin(), part.block_m2().end());
}

grpc::Status ReadSolve(v1::SolverService::StubInterface* stub, grpc::ClientContext* context,
                       const v1::SolveRequest& request, const ProgressCallback& on_progress,
                       SolveResult* out) {
  *out = SolveResult{};
  std::unique_ptr<grpc::ClientReaderInterface<v1::SolveResponse>> reader =
      stub->Solve(context, request);
  v1::SolveResponse event;
  bool has_summary = false;
  grpc::Status broken;
  while (reader->Read(&event)) {
    if (!Consume(event, &has_summary, out, on_progress, &broken)) {
      context->TryCancel();
      reader->Finish();  // the cancelled status says nothing more
      return broken;
    }
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return status;
  if (!has_summary) return Broken("ended without a summary");
  return grpc::Status::OK;
}

}  // namespace pathwise::cli
