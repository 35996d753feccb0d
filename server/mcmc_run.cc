#include "server/mcmc_run.h"

#include <utility>

#include "server/bad_request.h"
#include "server/mcmc_encoding.h"
#include "server/pool_fork_join.h"
#include "server/raw_message.h"

namespace pathwise::server {

std::shared_ptr<McmcRun> McmcRun::Create(McmcServices services, McmcInputs inputs,
                                         SolveDemand demand, const McmcRunOptions& options,
                                         McmcWriter* writer) {
  return std::shared_ptr<McmcRun>(
      new McmcRun(services, std::move(inputs), std::move(demand), options, writer));
}

McmcRun::McmcRun(McmcServices services, McmcInputs inputs, SolveDemand demand,
                 const McmcRunOptions& options, McmcWriter* writer)
    : services_(services),
      demand_(std::move(demand)),
      inputs_(std::move(inputs)),
      options_(options),
      start_(Clock::now()),
      num_chains_(inputs_.options.ResolvedNumChains()),
      writer_(writer),
      last_progress_(start_) {
  progress_.num_paths = num_chains_;
}

McmcRun::~McmcRun() {
  ReleaseAdmissionLocked();  // no other reference is left: no lock needed
}

// Before the call's status is sent (see SolveRun::ReleaseAdmissionLocked).
void McmcRun::ReleaseAdmissionLocked() {
  if (admission_released_) return;
  admission_released_ = true;
  services_.admission.Done(num_chains_);
  // Its chains count as paths left until the end (none is given back early).
  services_.solves.SolveDone(demand_, demand_.paths);
}

void McmcRun::Begin() {
  services_.ticker.Add(shared_from_this());
  services_.pool.Submit(demand_.caller, [self = shared_from_this()] { self->Drive(); });
}

// --- The driver ---------------------------------------------------------------

void McmcRun::Drive() {
  mcmc::SamplerOptions options = inputs_.options;
  WorkerPool& pool = services_.pool;
  const std::string& lane = demand_.caller;
  options.runner = [&pool, &lane](size_t n, const std::function<void(size_t)>& task) {
    ForkJoinOnPool(pool, lane, n, task);
  };
  options.cancel = &cancel_;
  options.on_progress = [this](const integrate::Progress& p) { OnProgress(p); };
  if (inputs_.return_draws) {
    options.on_draws = [this](uint32_t chain, uint32_t first, const std::vector<double>& x) {
      OnDraws(chain, first, x);
    };
  }
  absl::StatusOr<mcmc::SamplerResult> result = mcmc::Sample(inputs_.potential, options);
  if (result.ok()) {
    services_.metrics.AddMcmcWork(result->kept_draws, result->gradient_evaluations_warmup,
                                  result->gradient_evaluations_sampling,
                                  result->unstable_chains.size());
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    driver_done_ = true;
    if (result.ok()) {
      result_ = *std::move(result);
      result_->wall_seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    } else if (failure_.ok() && !cancel_.load()) {
      // Some requests are found invalid only once sampling starts (a step
      // grid the Brownian tree cannot resolve): INVALID_ARGUMENT naming the
      // field, with its BadRequest violation, like every validation error.
      failure_ = FromCoreStatus(result.status(), "");
    }
  }
  Pump();
}

void McmcRun::OnDraws(uint32_t chain, uint32_t first_draw, const std::vector<double>& positions) {
  absl::StatusOr<std::vector<grpc::ByteBuffer>> messages = EncodeDraws(
      chain, first_draw, inputs_.potential->dim(), positions, options_.max_message_bytes);
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!messages.ok()) {
      if (failure_.ok()) failure_ = messages.status();
      cancel_.store(true);  // a draw too large to send: stop the sampler
      return;
    }
    for (grpc::ByteBuffer& message : *messages) {
      pending_bytes_ += message.Length();
      pending_draws_.push_back(std::move(message));
    }
  }
  Pump();
  std::unique_lock<std::mutex> lock(mutex_);
  drained_.wait(lock, [this] {
    return pending_bytes_ <= options_.max_buffered_bytes || cancel_.load() || writer_ == nullptr;
  });
}

void McmcRun::OnProgress(const integrate::Progress& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  progress_ = progress;
  progress_.num_paths = num_chains_;
}

// --- Events -------------------------------------------------------------------

void McmcRun::OnWriteDone(bool ok) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    write_in_flight_ = false;
    if (!ok) cancel_.store(true);  // the stream is broken: stop
  }
  drained_.notify_all();
  Pump();
}

void McmcRun::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cancel_.store(true);
  }
  drained_.notify_all();
  Pump();
}

void McmcRun::Detach() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    writer_ = nullptr;
  }
  drained_.notify_all();
}

void McmcRun::Tick() { Pump(); }

void McmcRun::Pump() {
  Action action;
  McmcWriter* writer;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    action = DecideLocked();
    writer = writer_;
    if (action.finish) ReleaseAdmissionLocked();
  }
  if (action.write) drained_.notify_all();  // a buffered message left the queue
  if (writer == nullptr) return;
  // Outside the lock: the writer cannot be detached before FinishRun, and no
  // other thread writes or finishes while this write or finish is ours.
  if (action.write) writer->WriteEvent(&message_);
  if (action.finish) {
    services_.ticker.Remove(this);
    writer->FinishRun(action.status);
  }
}

McmcRun::Action McmcRun::DecideLocked() {
  Action action;
  if (finished_ || writer_ == nullptr || write_in_flight_) return action;
  if (cancel_.load() || !failure_.ok()) {
    if (!driver_done_) return action;  // finish once the driver has returned its thread
    finished_ = true;
    action.finish = true;
    action.status = failure_.ok() ? absl::CancelledError("MCMC run cancelled") : failure_;
    return action;
  }
  if (!driver_done_ && Clock::now() - last_progress_ >= options_.progress_interval) {
    last_progress_ = Clock::now();
    integrate::Progress progress = progress_;
    progress.elapsed_seconds = std::chrono::duration<double>(last_progress_ - start_).count();
    SetMessageLocked(McmcProgressEvent(progress), action);
    return action;
  }
  if (!pending_draws_.empty()) {
    message_.Swap(&pending_draws_.front());
    pending_draws_.pop_front();
    pending_bytes_ -= message_.Length();
    write_in_flight_ = true;
    action.write = true;
    return action;
  }
  if (!result_.has_value()) return action;
  if (!diagnostics_written_) {
    diagnostics_written_ = true;
    SetMessageLocked(McmcDiagnosticsEvent(*result_), action);
    return action;
  }
  if (!summary_written_) {
    summary_written_ = true;
    SetMessageLocked(McmcSummaryEvent(*result_), action);
    return action;
  }
  finished_ = true;
  action.finish = true;
  return action;
}

void McmcRun::SetMessageLocked(const v1::McmcResponse& event, Action& action) {
  message_ = SerializeMessage(event);
  write_in_flight_ = true;
  action.write = true;
}

}  // namespace pathwise::server
