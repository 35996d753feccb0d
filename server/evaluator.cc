#include "server/evaluator.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

namespace pathwise::server {
namespace {

struct Job {
  brownian::BatchRequest request;
  std::vector<brownian::Interval> queries;
  brownian::BatchResult result;
  const std::atomic<bool>* cancelled = nullptr;
  Evaluator::Done done;
  std::atomic<uint32_t> pending{0};
  std::atomic<bool> skipped{false};
};

}  // namespace

void Evaluator::Run(brownian::BatchRequest request, const std::atomic<bool>* cancelled, Done done,
                    const std::string& lane) {
  auto job = std::make_shared<Job>();
  job->request = std::move(request);
  job->queries = brownian::QueriesOf(job->request);
  job->cancelled = cancelled;
  job->done = std::move(done);
  brownian::SizeResult(job->request, job->result);

  const uint32_t paths = job->request.path_count;
  const uint64_t values_per_path = uint64_t{job->queries.size()} * job->request.path.dim;
  const uint64_t values = values_per_path * paths;
  if (values <= kInlineValues) {
    brownian::CursorStats stats;
    brownian::EvaluatePaths(job->request, job->queries, 0, paths, job->result, &stats);
    metrics_.AddBrownian(stats);
    job->done(absl::OkStatus(), job->result);
    return;
  }

  // Enough chunks to keep every worker busy and balance uneven paths, but no
  // chunk smaller than kChunkValues unless a single path is already larger.
  const uint64_t by_size = std::max<uint64_t>(1, values / kChunkValues);
  const uint64_t by_threads = uint64_t{4} * static_cast<uint64_t>(pool_.size());
  const uint32_t chunks =
      static_cast<uint32_t>(std::min<uint64_t>({uint64_t{paths}, by_size, by_threads}));
  job->pending.store(chunks);
  for (uint32_t c = 0; c < chunks; ++c) {
    const uint32_t first = static_cast<uint32_t>(uint64_t{paths} * c / chunks);
    const uint32_t last = static_cast<uint32_t>(uint64_t{paths} * (c + 1) / chunks);
    pool_.Submit(lane, [this, job, first, last] {
      if (job->cancelled->load(std::memory_order_relaxed)) {
        job->skipped.store(true);
      } else {
        brownian::CursorStats stats;
        brownian::EvaluatePaths(job->request, job->queries, first, last - first, job->result,
                                &stats);
        metrics_.AddBrownian(stats);
      }
      if (job->pending.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        if (job->skipped.load()) {
          job->done(absl::CancelledError("the call was cancelled during its evaluation"),
                    job->result);
        } else {
          job->done(absl::OkStatus(), job->result);
        }
      }
    });
  }
}

}  // namespace pathwise::server
