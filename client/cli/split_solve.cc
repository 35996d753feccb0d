#include "client/cli/split_solve.h"

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "client/cli/save_grid.h"
#include "client/cli/split_statistics.h"
#include "pathwise/v1/solver.grpc.pb.h"

namespace pathwise::cli {
namespace {

bool WantsPaths(v1::Output output) { return output != v1::OUTPUT_STATISTICS; }
bool WantsStatistics(v1::Output output) { return output != v1::OUTPUT_PATHS; }

// The latest progress of every range, summed for the bar.
class ProgressTotals {
 public:
  ProgressTotals(size_t ranges, uint64_t num_paths, ProgressBar* bar)
      : latest_(ranges), num_paths_(num_paths), bar_(bar) {}

  // A range starts over (a retry): its progress so far no longer counts.
  void Reset(size_t range) {
    std::lock_guard<std::mutex> lock(mu_);
    latest_[range] = v1::Progress();
  }

  void Set(size_t range, const v1::Progress& progress) {
    if (bar_ == nullptr) return;
    std::lock_guard<std::mutex> lock(mu_);
    latest_[range] = progress;
    uint64_t done = 0, steps = 0;
    for (const v1::Progress& p : latest_) {
      done += p.paths_done();
      steps += p.steps_accepted() + p.steps_rejected();
    }
    bar_->Update(done, num_paths_, steps);
  }

 private:
  std::mutex mu_;
  std::vector<v1::Progress> latest_;
  uint64_t num_paths_;
  ProgressBar* bar_;
};

struct RangeCall {
  v1::SolveRequest request;
  SolveResult result;
  grpc::Status status;
};

std::string RangeName(const v1::SolveRequest& r) {
  const uint64_t n = r.num_paths() == 0 ? 1 : r.num_paths();
  return "paths " + std::to_string(r.first_path()) + ".." + std::to_string(r.first_path() + n - 1);
}

grpc::Status RunRanges(const Channels& channels, const RetryPolicy& policy, ProgressTotals& totals,
                       std::vector<RangeCall>& calls) {
  RunConcurrently(calls.size(), [&](size_t i) {
    RangeCall& call = calls[i];
    const auto on_progress = [&](const v1::Progress& p) { totals.Set(i, p); };
    call.status = CallWithRetries(
        channels, i, policy, RangeName(call.request),
        [&](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* context) {
          totals.Reset(i);
          auto stub = v1::SolverService::NewStub(channel);
          return ReadSolve(stub.get(), context, call.request, on_progress, &call.result);
        });
  });
  for (const RangeCall& call : calls) {
    if (!call.status.ok()) return call.status;
  }
  return grpc::Status::OK;
}

// Capabilities.statistics.block_paths: split ranges start at its multiples,
// so that their statistics blocks are those of the whole ensemble.
grpc::Status BlockPaths(const Channels& channels, const RetryPolicy& policy, uint64_t* out) {
  v1::Capabilities caps;
  const grpc::Status status = CallWithRetries(
      channels, 0, policy, "ListCapabilities",
      [&](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* context) {
        return v1::SolverService::NewStub(channel)->ListCapabilities(
            context, v1::ListCapabilitiesRequest(), &caps);
      });
  if (!status.ok()) return status;
  if (caps.statistics().block_paths() == 0) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "the server publishes no statistics.block_paths in ListCapabilities "
                        "(too old to split a solve); use --split 1");
  }
  *out = caps.statistics().block_paths();
  return grpc::Status::OK;
}

// Concatenates the ranges' paths; merges their statistics when asked.
grpc::Status Merge(const v1::SolveRequest& request, std::vector<RangeCall>& calls, double wall_s,
                   SolveResult* out) {
  std::vector<v1::Summary> summaries;
  std::vector<v1::Statistics> statistics;
  for (RangeCall& call : calls) {
    if (call.result.statistics) statistics.push_back(*std::move(call.result.statistics));
    for (v1::Path& path : call.result.paths) out->paths.push_back(std::move(path));
    summaries.push_back(call.result.summary);
  }
  out->summary = MergeSummaries(summaries, wall_s);
  if (WantsStatistics(request.output())) {
    if (statistics.size() != calls.size()) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "a range of the split solve sent no statistics");
    }
    absl::StatusOr<v1::Statistics> st = SplitStatistics(statistics, out->paths);
    if (!st.ok()) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "statistics of the split solve: " + std::string(st.status().message()));
    }
    out->statistics = *std::move(st);
  }
  if (!WantsPaths(request.output())) out->paths.clear();
  return grpc::Status::OK;
}

}  // namespace

v1::SolveRequest RangeRequest(const v1::SolveRequest& request, const PathRange& range,
                              bool client_statistics) {
  v1::SolveRequest r = request;
  r.set_first_path(request.first_path() + range.offset);
  r.set_num_paths(static_cast<uint32_t>(range.count));
  if (client_statistics) {
    // Block moments merge the means and variances; the quantiles need the paths.
    r.set_output(v1::OUTPUT_PATHS_AND_STATISTICS);
    r.set_block_moments(true);
    // Without paths wanted, the step times are of no use. Dropping saveat.steps
    // keeps the fixed save times (and so the steps taken) when there are any.
    const bool has_fixed = !FixedSaveTimes(request.saveat(), request.t0(), request.t1()).empty();
    if (!WantsPaths(request.output()) && has_fixed) r.mutable_saveat()->set_steps(false);
  }
  return r;
}

v1::Summary MergeSummaries(const std::vector<v1::Summary>& parts, double wall_s) {
  v1::Summary sum;
  if (!parts.empty()) {
    sum.set_brownian_tol(parts.front().brownian_tol());
    sum.set_levy_area(parts.front().levy_area());
    sum.set_algorithm(parts.front().algorithm());
  }
  std::map<std::string, uint64_t> counts;  // sorted, so the output order is fixed
  for (const v1::Summary& p : parts) {
    sum.set_paths(sum.paths() + p.paths());
    sum.set_steps_accepted(sum.steps_accepted() + p.steps_accepted());
    sum.set_steps_rejected(sum.steps_rejected() + p.steps_rejected());
    sum.set_drift_evaluations(sum.drift_evaluations() + p.drift_evaluations());
    sum.set_diffusion_evaluations(sum.diffusion_evaluations() + p.diffusion_evaluations());
    for (const auto& [name, n] : p.status_counts()) counts[name] += n;
  }
  for (const auto& [name, n] : counts) (*sum.mutable_status_counts())[name] = n;
  sum.set_wall_seconds(wall_s);
  return sum;
}

uint32_t StateDim(const v1::SolveRequest& request, const std::vector<v1::Path>& paths) {
  for (const v1::Path& p : paths) {
    if (p.ts_size() > 0) return static_cast<uint32_t>(p.ys_size() / p.ts_size());
  }
  if (request.y0_size() > 0) return static_cast<uint32_t>(request.y0_size());
  if (request.model().has_langevin()) {
    const v1::LangevinModel& l = request.model().langevin();
    return 2 * (l.dim() > 0 ? l.dim() : static_cast<uint32_t>(l.x0_size()));
  }
  return 0;
}

grpc::Status SplitSolve(const Channels& channels, const v1::SolveRequest& request, uint64_t parts,
                        const RetryPolicy& policy, ProgressBar* bar, SolveResult* out) {
  const auto start = std::chrono::steady_clock::now();
  const uint64_t num_paths = request.num_paths() == 0 ? 1 : request.num_paths();
  uint64_t block_paths = 1;
  if (parts > 1) {
    if (grpc::Status s = BlockPaths(channels, policy, &block_paths); !s.ok()) return s;
  }
  const std::vector<PathRange> ranges = SplitRanges(num_paths, parts, block_paths);
  const bool split = ranges.size() > 1;
  std::vector<RangeCall> calls(ranges.size());
  for (size_t i = 0; i < ranges.size(); ++i) {
    calls[i].request =
        split ? RangeRequest(request, ranges[i], WantsStatistics(request.output())) : request;
  }
  ProgressTotals totals(calls.size(), num_paths, bar);
  if (grpc::Status s = RunRanges(channels, policy, totals, calls); !s.ok()) return s;
  if (!split) {
    *out = std::move(calls.front().result);
    return grpc::Status::OK;
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Merge(request, calls, wall_s, out);
}

}  // namespace pathwise::cli
