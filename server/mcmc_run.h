// One McmcService.Sample call in progress. A driver task on the worker pool
// runs mcmc::Sample, whose chains run on the pool too (ForkJoinOnPool, the
// driver taking part), every task in its caller's lane (worker_pool.h). Events are written to the
// stream one at a time, in order: Draws per chain as the sampler produces them (when return_draws),
// McmcDiagnostics once, McmcSummary last, with Progress interleaved at a
// fixed interval (driven by the ticker, so it comes even while a round of
// the chains runs).
//
// Flow control: the driver waits while more than max_buffered_bytes of
// encoded draws wait to be written, so a slow client bounds the memory held.
//
// Cancellation (client, deadline or a failed write) sets the sampler's cancel
// flag; chains stop within one step and the call finishes once the driver
// has returned.
#ifndef PATHWISE_SERVER_MCMC_RUN_H_
#define PATHWISE_SERVER_MCMC_RUN_H_

#include <grpcpp/support/byte_buffer.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "core/integrate/options.h"
#include "core/mcmc/sampler.h"
#include "pathwise/v1/mcmc.pb.h"
#include "server/mcmc_admission.h"
#include "server/mcmc_request.h"
#include "server/metrics.h"
#include "server/solve_admission.h"
#include "server/ticker.h"
#include "server/worker_pool.h"

namespace pathwise::server {

// Where a run's events go: the call's reactor. At most one Write is
// outstanding; the writer reports its completion with McmcRun::OnWriteDone.
// FinishRun is called once, last.
class McmcWriter {
 public:
  virtual ~McmcWriter() = default;
  virtual void WriteEvent(const grpc::ByteBuffer* message) = 0;
  virtual void FinishRun(const absl::Status& status) = 0;
};

struct McmcRunOptions {
  std::chrono::milliseconds progress_interval{500};
  size_t max_message_bytes = size_t{64} << 20;   // the gRPC send limit
  size_t max_buffered_bytes = size_t{16} << 20;  // encoded draws waiting to be written
};

struct McmcServices {
  WorkerPool& pool;
  Metrics& metrics;
  McmcAdmission& admission;  // the run was admitted for its chains; it reports its end
  SolveAdmission& solves;    // ... and as one solve (mcmc_admission.h); likewise
  Ticker& ticker;
};

class McmcRun final : public Tickable, public std::enable_shared_from_this<McmcRun> {
 public:
  // `inputs` validated and admitted, as `demand` among the solves (its
  // caller's lane of the pool runs the run). Nothing runs before Begin().
  static std::shared_ptr<McmcRun> Create(McmcServices services, McmcInputs inputs,
                                         SolveDemand demand, const McmcRunOptions& options,
                                         McmcWriter* writer);
  ~McmcRun() override;

  void Begin();  // submits the driver

  void OnWriteDone(bool ok);
  void Cancel();  // the client cancelled or the deadline passed
  void Detach();  // the writer is gone: no more calls to it
  void Tick() override;

 private:
  using Clock = std::chrono::steady_clock;

  McmcRun(McmcServices services, McmcInputs inputs, SolveDemand demand,
          const McmcRunOptions& options, McmcWriter* writer);

  struct Action {
    bool write = false;
    bool finish = false;
    absl::Status status;
  };

  void Drive();  // on the pool: the whole sampling
  void OnDraws(uint32_t chain, uint32_t first_draw, const std::vector<double>& positions);
  void OnProgress(const integrate::Progress& progress);

  void Pump();
  Action DecideLocked();
  void SetMessageLocked(const v1::McmcResponse& event, Action& action);
  void ReleaseAdmissionLocked();  // once: the run's chains and its solve

  McmcServices services_;
  const SolveDemand demand_;
  McmcInputs inputs_;
  const McmcRunOptions options_;
  const Clock::time_point start_;
  const uint32_t num_chains_;
  std::atomic<bool> cancel_{false};  // the sampler's cancel flag

  std::mutex mutex_;
  std::condition_variable drained_;  // buffered draws were written (or the run cancelled)
  McmcWriter* writer_;               // null once detached
  bool write_in_flight_ = false;
  bool finished_ = false;
  bool driver_done_ = false;
  absl::Status failure_;  // the sampler's error, or draws that cannot be sent
  grpc::ByteBuffer message_;
  Clock::time_point last_progress_;
  integrate::Progress progress_;                // the sampler's latest
  std::deque<grpc::ByteBuffer> pending_draws_;  // encoded, in order
  size_t pending_bytes_ = 0;
  std::optional<mcmc::SamplerResult> result_;
  bool diagnostics_written_ = false;
  bool summary_written_ = false;
  bool admission_released_ = false;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_MCMC_RUN_H_
