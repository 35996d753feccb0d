// One Solve call in progress: its ensemble's blocks run as tasks on the
// server's worker pool, and its events are written to the stream one at a
// time, in order (PathBatch in path order, Statistics, Summary last), with
// Progress interleaved at a fixed interval.
//
// Flow control: with path output, a task claims a block only while fewer than
// `window` blocks are solved or being solved but not yet written (the window
// of the solve's estimate, work_estimate.h), so a slow client bounds the
// memory held (and frees the pool for other calls) instead of queuing paths
// without bound.
//
// Fairness: a task solves its block in time slices of options.slice
// (EnsembleJob::SolveBlockUntil pauses between two steps, mid-path if need
// be) and goes back to its caller's lane of the pool after each slice, so a
// long solve holds a worker for one slice at a time and other callers' work
// runs in between. Pausing changes no bit of the result.
//
// Time limit: a solve still running options.max_solve_time after it started
// ends with DEADLINE_EXCEEDED, saying it was the server's limit (the service
// sets no limit for a call whose own deadline comes first).
//
// Cancellation (client, deadline or a failed write) sets the job's cancel
// flag; workers stop within one step, and the call finishes once every task
// has returned its thread.
#ifndef PATHWISE_SERVER_SOLVE_RUN_H_
#define PATHWISE_SERVER_SOLVE_RUN_H_

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/status.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "core/integrate/ensemble_job.h"
#include "server/metrics.h"
#include "server/solve_admission.h"
#include "server/solve_request.h"
#include "server/ticker.h"
#include "server/worker_pool.h"

namespace pathwise::server {

// Where a run's events go: the call's reactor (or a test's fake). At most one
// Write is outstanding; the writer reports its completion with
// SolveRun::OnWriteDone. FinishSolve is called once, last.
class SolveWriter {
 public:
  virtual ~SolveWriter() = default;
  virtual void WriteEvent(const grpc::ByteBuffer* message) = 0;
  virtual void FinishSolve(const absl::Status& status) = 0;
};

struct SolveRunOptions {
  std::chrono::milliseconds progress_interval{500};
  size_t max_message_bytes = size_t{64} << 20;  // one path must fit (the gRPC send limit)
  // How long a task solves before it gives its worker back (--solve_slice).
  std::chrono::milliseconds slice{50};
  // Longest a solve may run (--max_solve_seconds); zero: no limit.
  std::chrono::milliseconds max_solve_time{std::chrono::minutes(10)};
};

struct SolveServices {
  WorkerPool& pool;
  Metrics& metrics;
  SolveAdmission& admission;  // the run was admitted; it reports its paths and its end
  Ticker& ticker;
};

class SolveRun final : public Tickable, public std::enable_shared_from_this<SolveRun> {
 public:
  // `inputs` validated; the solve must have been admitted as `demand`, which
  // the run gives back as it goes. Nothing runs before Begin().
  static std::shared_ptr<SolveRun> Create(SolveServices services, SolveInputs inputs,
                                          const SolveRunOptions& options, SolveWriter* writer,
                                          SolveDemand demand);
  ~SolveRun() override;

  // Starts the tasks (or finishes at once when the job cannot be created).
  void Begin();

  void OnWriteDone(bool ok);
  void Cancel();  // the client cancelled or the deadline passed
  void Detach();  // the writer is gone: no more calls to it
  void Tick() override;

  bool cancelled() const { return cancel_.load(); }

 private:
  using Clock = std::chrono::steady_clock;

  SolveRun(SolveServices services, SolveInputs inputs, const SolveRunOptions& options,
           SolveWriter* writer, SolveDemand demand);

  // A task's block in hand, kept across its slices.
  struct Slot {
    std::shared_ptr<integrate::PathSolver> worker;
    bool has_block = false;
    uint32_t block = 0;
    std::vector<integrate::PathSolution> paths;  // the block's paths, with path output
  };
  // What Pump does once the lock is released: writer calls and pool
  // submissions happen outside it (they may call back into the run).
  struct Action {
    bool write = false;
    bool finish = false;
    absl::Status status;
    int start_tasks = 0;
  };

  absl::Status CreateJob();

  void RunTask(std::shared_ptr<Slot> slot);
  void Resubmit(std::shared_ptr<Slot> slot);  // the task's next slice, in the caller's lane
  void StartTasks(int count);
  void CheckTimeLimit();
  bool CanClaimLocked() const;
  int ClaimTaskSlotsLocked();  // tasks to start now (counted in tasks_)
  void BlockSolvedLocked(uint32_t b, std::vector<grpc::ByteBuffer> messages);
  void ReportWorkLocked(uint64_t paths);  // paths finished now, and the steps since last time
  void FinishJob();                       // on the task that solved the last block
  void ReleaseAdmissionLocked();          // once: the run's solve and its unsolved paths

  void Pump();
  Action DecideLocked();
  bool ProgressDueLocked() const;
  void NextPathsLocked(Action& action);
  void SetMessageLocked(const v1::SolveResponse& event, Action& action);

  SolveServices services_;
  SolveInputs inputs_;
  const SolveDemand demand_;
  const SolveRunOptions options_;
  const Clock::time_point start_;
  std::unique_ptr<integrate::EnsembleJob> job_;
  std::atomic<bool> cancel_{false};  // the job's cancel flag
  uint32_t window_ = 0;              // most blocks claimed and not yet written (path output)

  std::mutex mutex_;
  SolveWriter* writer_;  // null once detached
  bool write_in_flight_ = false;
  bool finished_ = false;
  absl::Status failure_;  // set when a block cannot be encoded: the status to finish with
  grpc::ByteBuffer message_;
  Clock::time_point last_progress_;
  int tasks_ = 0;                 // tasks submitted or running
  uint32_t next_claim_ = 0;       // next block to solve
  uint32_t next_send_ = 0;        // next block to write
  size_t next_send_message_ = 0;  // first unwritten message of block next_send_
  uint32_t blocks_solved_ = 0;
  uint64_t paths_reported_ = 0;  // to admission
  bool admission_released_ = false;
  // Blocks solved and not yet written: their PathBatch events, encoded by the
  // worker that solved them (in parallel, off the lock).
  std::map<uint32_t, std::vector<grpc::ByteBuffer>> ready_;
  bool finishing_job_ = false;
  std::optional<integrate::EnsembleSolution> solution_;
  size_t next_statistics_time_ = 0;
  bool summary_written_ = false;
  uint64_t accepted_reported_ = 0, rejected_reported_ = 0;  // to metrics
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_SOLVE_RUN_H_
