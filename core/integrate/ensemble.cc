#include "core/integrate/ensemble.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/util/status_macros.h"

namespace pathwise::integrate {
namespace {

using Clock = std::chrono::steady_clock;

struct Pool {
  Pool(EnsembleJob& job_in, std::vector<PathSolution>* paths_in) : job(job_in), paths(paths_in) {}

  EnsembleJob& job;
  std::vector<PathSolution>* paths;  // num_paths entries when keep_paths, else empty
  std::atomic<uint32_t> next_block{0};
  std::atomic<bool> cancelled{false};
  std::mutex mu;
  std::condition_variable cv;
  int workers_done = 0;
};

void Worker(Pool& pool) {
  std::unique_ptr<PathSolver> solver = pool.job.NewWorker();
  while (!pool.cancelled.load()) {
    const uint32_t b = pool.next_block.fetch_add(1);
    if (b >= pool.job.num_blocks()) break;
    PathSolution* out = pool.paths->empty() ? nullptr : pool.paths->data() + pool.job.BlockBegin(b);
    if (!pool.job.SolveBlock(b, *solver, out)) pool.cancelled.store(true);
  }
  std::lock_guard<std::mutex> lock(pool.mu);
  ++pool.workers_done;
  pool.cv.notify_all();
}

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs the workers and reports progress from the calling thread.
void Run(Pool& pool, Clock::time_point start) {
  const SolveOptions& opts = pool.job.options();
  const int threads = std::min<int>(opts.threads, static_cast<int>(pool.job.num_blocks()));
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) workers.emplace_back(Worker, std::ref(pool));
  const auto interval = std::chrono::duration<double>(opts.progress_interval_s);
  {
    std::unique_lock<std::mutex> lock(pool.mu);
    while (pool.workers_done < threads) {
      pool.cv.wait_for(lock, interval, [&] { return pool.workers_done >= threads; });
      if (opts.progress) {
        lock.unlock();
        opts.progress(pool.job.Snapshot(Seconds(start)));
        lock.lock();
      }
    }
  }
  for (std::thread& t : workers) t.join();
}

}  // namespace

absl::StatusOr<EnsembleSolution> SolveEnsemble(const model::Sde& sde, const solver::Method& method,
                                               const SolveOptions& opts) {
  const Clock::time_point start = Clock::now();
  ASSIGN_OR_RETURN(std::unique_ptr<EnsembleJob> job, EnsembleJob::Create(sde, method, opts));
  std::vector<PathSolution> paths(opts.keep_paths ? opts.num_paths : 0);
  Pool pool(*job, &paths);
  Run(pool, start);
  if (pool.cancelled.load()) return absl::CancelledError("solve cancelled");
  EnsembleSolution result = job->Finish();
  result.paths = std::move(paths);
  result.summary.wall_seconds = Seconds(start);
  if (opts.progress) opts.progress(job->Snapshot(result.summary.wall_seconds));
  return result;
}

}  // namespace pathwise::integrate
