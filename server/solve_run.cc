#include "server/solve_run.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/solver/regime_warning.h"
#include "server/raw_message.h"
#include "server/solve_encoding.h"
#include "spdlog/spdlog.h"

namespace pathwise::server {

std::shared_ptr<SolveRun> SolveRun::Create(SolveServices services, SolveInputs inputs,
                                           const SolveRunOptions& options, SolveWriter* writer,
                                           SolveDemand demand) {
  return std::shared_ptr<SolveRun>(
      new SolveRun(services, std::move(inputs), options, writer, std::move(demand)));
}

SolveRun::SolveRun(SolveServices services, SolveInputs inputs, const SolveRunOptions& options,
                   SolveWriter* writer, SolveDemand demand)
    : services_(services),
      inputs_(std::move(inputs)),
      demand_(std::move(demand)),
      options_(options),
      start_(Clock::now()),
      writer_(writer),
      last_progress_(start_) {}

SolveRun::~SolveRun() {
  // No other reference is left: no lock needed.
  ReportWorkLocked(0);
  ReleaseAdmissionLocked();  // a run that never finished its call (detached first)
}

// Before the call's status is sent, not when the last reference goes (after
// gRPC's OnDone): a client that starts its next solve on seeing the status
// must find this one's slot free, or a caller at
// max_concurrent_solves_per_caller is refused for a solve that has ended.
void SolveRun::ReleaseAdmissionLocked() {
  if (admission_released_) return;
  admission_released_ = true;
  services_.admission.SolveDone(demand_, inputs_.options.num_paths - paths_reported_);
}

absl::Status SolveRun::CreateJob() {
  inputs_.options.cancel = &cancel_;
  absl::StatusOr<std::unique_ptr<integrate::EnsembleJob>> job =
      integrate::EnsembleJob::Create(*inputs_.sde, *inputs_.method, inputs_.options);
  if (!job.ok()) return job.status();
  job_ = *std::move(job);
  if (std::string warning = solver::RegimeWarning(*inputs_.method, *inputs_.sde);
      !warning.empty()) {
    spdlog::warn("event=solve_warning method={} msg=\"{}\"",
                 std::string(inputs_.method->info().name), warning);
  }
  // Enough blocks in hand to keep every worker busy while one is written,
  // as far as the bytes admitted for them allow.
  window_ = inputs_.options.keep_paths ? std::max<uint32_t>(1, demand_.estimate.window_blocks)
                                       : std::numeric_limits<uint32_t>::max();
  return absl::OkStatus();
}

void SolveRun::Begin() {
  if (absl::Status status = CreateJob(); !status.ok()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      finished_ = true;
      ReleaseAdmissionLocked();
    }
    writer_->FinishSolve(status);
    return;
  }
  services_.ticker.Add(shared_from_this());
  int tasks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks = ClaimTaskSlotsLocked();
  }
  StartTasks(tasks);
}

// --- Tasks ------------------------------------------------------------------

bool SolveRun::CanClaimLocked() const {
  return !cancel_.load() && failure_.ok() && next_claim_ < job_->num_blocks() &&
         uint64_t{next_claim_} < uint64_t{next_send_} + window_;
}

int SolveRun::ClaimTaskSlotsLocked() {
  if (!CanClaimLocked()) return 0;
  const uint64_t limit = std::min<uint64_t>(job_->num_blocks(), uint64_t{next_send_} + window_);
  const uint64_t claimable = limit - next_claim_;
  const int wanted = static_cast<int>(std::min<uint64_t>(services_.pool.size(), claimable));
  const int start = std::max(0, wanted - tasks_);
  tasks_ += start;
  return start;
}

void SolveRun::StartTasks(int count) {
  for (int i = 0; i < count; ++i) Resubmit(std::make_shared<Slot>());
}

void SolveRun::Resubmit(std::shared_ptr<Slot> slot) {
  services_.pool.Submit(
      demand_.caller, [self = shared_from_this(), slot = std::move(slot)] { self->RunTask(slot); });
}

void SolveRun::RunTask(std::shared_ptr<Slot> slot) {
  if (!slot->has_block) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (CanClaimLocked()) {
      slot->block = next_claim_++;
      slot->has_block = true;
    } else {
      --tasks_;
    }
  }
  if (!slot->has_block) {
    Pump();
    return;
  }
  const uint32_t block = slot->block;
  if (slot->worker == nullptr) slot->worker = job_->NewWorker();
  if (inputs_.options.keep_paths && slot->paths.empty()) slot->paths.resize(job_->BlockSize(block));
  const Clock::time_point until = options_.slice > std::chrono::milliseconds::zero()
                                      ? Clock::now() + options_.slice
                                      : Clock::time_point::max();
  const integrate::EnsembleJob::Slice slice = job_->SolveBlockUntil(
      block, *slot->worker, slot->paths.empty() ? nullptr : slot->paths.data(), until);
  if (slice == integrate::EnsembleJob::Slice::kPaused) {
    Resubmit(std::move(slot));  // behind the work queued meanwhile, other callers' first
    return;
  }
  const bool solved = slice == integrate::EnsembleJob::Slice::kDone;
  slot->has_block = false;
  absl::StatusOr<std::vector<grpc::ByteBuffer>> messages = std::vector<grpc::ByteBuffer>();
  if (solved && !slot->paths.empty()) {
    messages = EncodePathBatches(slot->paths, options_.max_message_bytes);
  }
  slot->paths.clear();
  bool last = false;
  bool again = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!messages.ok() && failure_.ok()) {
      failure_ = messages.status();  // a path too large to send: stop the solve
      cancel_.store(true);
    }
    if (solved && messages.ok()) {
      BlockSolvedLocked(block, *std::move(messages));
      last = blocks_solved_ == job_->num_blocks();
      finishing_job_ = last;
    }
    // Back to the pool's queue after every block (fairness), or done.
    again = solved && CanClaimLocked();
    if (!again && !last) --tasks_;
  }
  if (last) {
    FinishJob();
    std::lock_guard<std::mutex> lock(mutex_);
    --tasks_;
  }
  if (again) Resubmit(std::move(slot));
  Pump();
}

void SolveRun::BlockSolvedLocked(uint32_t b, std::vector<grpc::ByteBuffer> messages) {
  ++blocks_solved_;
  const uint32_t size = job_->BlockSize(b);
  services_.admission.PathsDone(demand_, size);
  paths_reported_ += size;
  if (inputs_.options.keep_paths) ready_.emplace(b, std::move(messages));
  ReportWorkLocked(size);
}

void SolveRun::ReportWorkLocked(uint64_t paths) {
  if (job_ == nullptr) return;
  // Steps of blocks still running count too: the counters move while they solve.
  const integrate::Progress now = job_->Snapshot(0.0);
  services_.metrics.AddSolveWork(paths, now.steps_accepted - accepted_reported_,
                                 now.steps_rejected - rejected_reported_);
  accepted_reported_ = now.steps_accepted;
  rejected_reported_ = now.steps_rejected;
}

void SolveRun::FinishJob() {
  integrate::EnsembleSolution solution = job_->Finish();
  std::lock_guard<std::mutex> lock(mutex_);
  solution_ = std::move(solution);
}

// --- Events -----------------------------------------------------------------

void SolveRun::OnWriteDone(bool ok) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    write_in_flight_ = false;
    if (!ok) cancel_.store(true);  // the stream is broken: stop
  }
  Pump();
}

void SolveRun::Cancel() {
  cancel_.store(true);
  Pump();
}

void SolveRun::Detach() {
  std::lock_guard<std::mutex> lock(mutex_);
  writer_ = nullptr;
}

void SolveRun::Tick() {
  CheckTimeLimit();
  Pump();
}

void SolveRun::CheckTimeLimit() {
  if (options_.max_solve_time <= std::chrono::milliseconds::zero() ||
      Clock::now() - start_ < options_.max_solve_time) {
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_ || !failure_.ok()) return;
  failure_ = absl::DeadlineExceededError(absl::StrCat(
      "the solve ran past the server's limit max_solve_seconds = ",
      std::chrono::duration<double>(options_.max_solve_time).count(),
      " (the call had no earlier deadline of its own); split the ensemble (first_path, "
      "num_paths) into shorter solves"));
  cancel_.store(true);
  services_.metrics.Rejected("max_solve_seconds");
}

void SolveRun::Pump() {
  Action action;
  SolveWriter* writer;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    action = DecideLocked();
    writer = writer_;
    if (action.finish) ReleaseAdmissionLocked();
  }
  StartTasks(action.start_tasks);
  if (writer == nullptr) return;
  // Safe outside the lock: the writer cannot be detached before FinishSolve,
  // and no other thread writes or finishes while this write or finish is ours.
  if (action.write) writer->WriteEvent(&message_);
  if (action.finish) {
    services_.ticker.Remove(this);
    writer->FinishSolve(action.status);
  }
}

SolveRun::Action SolveRun::DecideLocked() {
  Action action;
  if (finished_ || writer_ == nullptr || write_in_flight_) return action;
  if (cancel_.load() || !failure_.ok()) {
    // Finish once every task has given its thread back.
    if (tasks_ > 0) return action;
    finished_ = true;
    action.finish = true;
    action.status = failure_.ok() ? absl::CancelledError("solve cancelled") : failure_;
    return action;
  }
  if (ProgressDueLocked()) {
    last_progress_ = Clock::now();
    SetMessageLocked(ProgressEvent(job_->Snapshot(
                         std::chrono::duration<double>(last_progress_ - start_).count())),
                     action);
    return action;
  }
  if (inputs_.options.keep_paths && next_send_ < job_->num_blocks()) {
    NextPathsLocked(action);
    return action;
  }
  if (!solution_.has_value()) return action;
  const integrate::Statistics& stats = solution_->statistics;
  if (solution_->has_statistics && next_statistics_time_ < stats.ts.size()) {
    const size_t per_message = TimesPerStatisticsMessage(
        stats, inputs_.output == v1::OUTPUT_STATISTICS, inputs_.block_moments);
    const size_t end = std::min(stats.ts.size(), next_statistics_time_ + per_message);
    SetMessageLocked(StatisticsEvent(stats, next_statistics_time_, end, inputs_.block_moments),
                     action);
    next_statistics_time_ = end;
    return action;
  }
  if (!summary_written_) {
    summary_written_ = true;
    solution_->summary.wall_seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    SetMessageLocked(SummaryEvent(solution_->summary), action);
    return action;
  }
  finished_ = true;
  action.finish = true;
  return action;
}

bool SolveRun::ProgressDueLocked() const {
  return !solution_.has_value() && Clock::now() - last_progress_ >= options_.progress_interval;
}

void SolveRun::NextPathsLocked(Action& action) {
  auto it = ready_.find(next_send_);
  if (it == ready_.end()) return;  // not solved yet
  std::vector<grpc::ByteBuffer>& messages = it->second;
  message_.Swap(&messages[next_send_message_++]);
  write_in_flight_ = true;
  action.write = true;
  if (next_send_message_ == messages.size()) {
    ready_.erase(it);
    ++next_send_;
    next_send_message_ = 0;
    action.start_tasks = ClaimTaskSlotsLocked();  // the window moved on
  }
}

void SolveRun::SetMessageLocked(const v1::SolveResponse& event, Action& action) {
  message_ = SerializeMessage(event);
  write_in_flight_ = true;
  action.write = true;
}

}  // namespace pathwise::server
