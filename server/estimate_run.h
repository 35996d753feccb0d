// One Estimate call in progress. The estimator's driver (core/estimate) runs
// on a thread of its own, which only decides and waits: every block of
// samples runs as a task on the server's worker pool (EstimateOptions.runner),
// queued with the Solve calls' blocks, back to the pool after each block. Its
// events are written to the stream one at a time, in order:
// LevelStatistics each time a level's sample count grows, Progress every
// progress interval (the ticker wakes the run), EstimateResult last.
//
// Progress of an estimate: paths_done is the samples finished so far over all
// levels (an antithetic pair counts once), counted as blocks finish;
// num_paths is the samples handed to the pool so far, finished or not (the
// estimator decides each round from the last one, so there is no total in
// advance, and it runs a round in chunks of 1024 blocks); steps_accepted is the path steps of the
// samples in the level statistics sent so far (all levels, fine and coarse solves); steps_rejected
// is 0 (constant steps); elapsed_seconds since the call started.
//
// Cancellation (client, deadline or a failed write) sets the estimate's
// cancel flag: solves stop at their next step, no block starts after it, and
// the call finishes once the driver has returned.
#ifndef PATHWISE_SERVER_ESTIMATE_RUN_H_
#define PATHWISE_SERVER_ESTIMATE_RUN_H_

#include <grpcpp/support/byte_buffer.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/estimate/estimate.h"
#include "pathwise/v1/solver.pb.h"
#include "server/estimate_request.h"
#include "server/solve_admission.h"
#include "server/ticker.h"
#include "server/worker_pool.h"

namespace pathwise::server {

// Where a run's events go: the call's reactor. At most one Write is
// outstanding; the writer reports its completion with EstimateRun::OnWriteDone.
// FinishEstimate is called once, last.
class EstimateWriter {
 public:
  virtual ~EstimateWriter() = default;
  virtual void WriteEvent(const grpc::ByteBuffer* message) = 0;
  virtual void FinishEstimate(const absl::Status& status) = 0;
};

struct EstimateServices {
  WorkerPool& pool;
  SolveAdmission& admission;  // the run was admitted as one solve of no paths
  Ticker& ticker;
};

class EstimateRun final : public Tickable, public std::enable_shared_from_this<EstimateRun> {
 public:
  // `inputs` validated; the run must have been admitted as `demand` (its
  // caller's lane of the pool runs the blocks). Nothing runs before Begin().
  static std::shared_ptr<EstimateRun> Create(EstimateServices services, EstimateInputs inputs,
                                             SolveDemand demand,
                                             std::chrono::milliseconds progress_interval,
                                             EstimateWriter* writer);

  // Starts the driver's thread.
  void Begin();

  void OnWriteDone(bool ok);
  void Cancel();  // the client cancelled or the deadline passed
  void Detach();  // the writer is gone: no more calls to it
  void Tick() override;

 private:
  using Clock = std::chrono::steady_clock;

  EstimateRun(EstimateServices services, EstimateInputs inputs, SolveDemand demand,
              std::chrono::milliseconds progress_interval, EstimateWriter* writer);

  // The driver's thread: the estimate, then its result or error.
  void Drive();
  // EstimateOptions.runner: the blocks as pool tasks; returns when all are done.
  void RunBlocks(size_t n, const std::function<void(size_t)>& task);
  struct BlockRound;
  void RunBlockTask(const std::shared_ptr<BlockRound>& round);
  // EstimateOptions.on_level, on the driver's thread.
  void LevelGrew(const estimate::LevelStatistics& level);

  void Pump();
  // The next write or the finish, decided under the lock.
  struct Action {
    bool write = false;
    bool finish = false;
    absl::Status status;
  };
  Action DecideLocked();
  v1::EstimateResponse ProgressLocked() const;

  EstimateServices services_;
  const SolveDemand demand_;
  EstimateInputs inputs_;
  const std::chrono::milliseconds progress_interval_;
  const Clock::time_point start_;
  std::atomic<bool> cancel_{false};
  std::atomic<uint64_t> samples_done_{0};

  std::mutex mutex_;
  EstimateWriter* writer_;  // null once detached
  bool write_in_flight_ = false;
  bool finished_ = false;
  grpc::ByteBuffer message_;
  Clock::time_point last_progress_;
  uint64_t round_samples_ = 0;                // samples of the rounds started so far
  std::map<int, double> level_steps_;         // per level sent: paths * path_steps_per_sample
  std::deque<v1::EstimateResponse> pending_;  // LevelStatistics, then the result
  std::optional<absl::Status> outcome_;       // set when the driver is done
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_ESTIMATE_RUN_H_
