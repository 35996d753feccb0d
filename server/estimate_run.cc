#include "server/estimate_run.h"

#include <algorithm>
#include <condition_variable>
#include <utility>

#include "core/estimate/sample_layout.h"
#include "server/raw_message.h"

namespace pathwise::server {

// One call of the runner: `n` blocks claimed in index order by pool tasks.
// Shared with the tasks, which may outlive the call by a claim that finds
// nothing left.
struct EstimateRun::BlockRound {
  const std::function<void(size_t)>* task = nullptr;  // valid while blocks remain
  size_t n = 0;
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::condition_variable all_done;
  size_t done = 0;
};

std::shared_ptr<EstimateRun> EstimateRun::Create(EstimateServices services, EstimateInputs inputs,
                                                 SolveDemand demand,
                                                 std::chrono::milliseconds progress_interval,
                                                 EstimateWriter* writer) {
  return std::shared_ptr<EstimateRun>(
      new EstimateRun(services, std::move(inputs), std::move(demand), progress_interval, writer));
}

EstimateRun::EstimateRun(EstimateServices services, EstimateInputs inputs, SolveDemand demand,
                         std::chrono::milliseconds progress_interval, EstimateWriter* writer)
    : services_(services),
      demand_(std::move(demand)),
      inputs_(std::move(inputs)),
      progress_interval_(progress_interval),
      start_(Clock::now()),
      writer_(writer),
      last_progress_(start_) {}

void EstimateRun::Begin() {
  services_.ticker.Add(shared_from_this());
  // The driver waits for its blocks, so it must not hold a pool thread (the
  // pool could fill with waiting drivers). Detached: after it finishes the
  // call it touches nothing but the run, which its reference keeps alive.
  std::thread([self = shared_from_this()] { self->Drive(); }).detach();
}

void EstimateRun::Drive() {
  estimate::EstimateOptions& opts = inputs_.options;
  opts.cancel = &cancel_;
  opts.runner = [this](size_t n, const std::function<void(size_t)>& task) { RunBlocks(n, task); };
  opts.on_level = [this](const estimate::LevelStatistics& level) { LevelGrew(level); };
  absl::StatusOr<estimate::EstimateResult> result =
      estimate::Estimate(*inputs_.sde, *inputs_.method, inputs_.scope, opts);
  services_.admission.SolveDone(demand_, 0);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (result.ok()) {
      v1::EstimateResponse event;
      v1::EstimateResult* out = event.mutable_result();
      out->set_value(result->value);
      out->set_standard_error(result->standard_error);
      out->set_bias_estimate(result->bias_estimate);
      out->set_rmse_estimate(result->rmse_estimate);
      out->set_levels(static_cast<uint32_t>(result->levels.size()));
      out->set_total_path_steps(result->total_path_steps);
      out->set_converged(result->converged);
      out->set_algorithm(result->algorithm);
      out->set_wall_seconds(std::chrono::duration<double>(Clock::now() - start_).count());
      pending_.push_back(std::move(event));
    }
    outcome_ = result.status();
  }
  Pump();
}

void EstimateRun::RunBlocks(size_t n, const std::function<void(size_t)>& task) {
  if (n == 0) return;
  auto round = std::make_shared<BlockRound>();
  round->task = &task;
  round->n = n;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    round_samples_ += n * estimate::kBlockSamples;
  }
  const size_t tasks = std::min(n, static_cast<size_t>(services_.pool.size()));
  for (size_t i = 0; i < tasks; ++i) {
    services_.pool.Submit(demand_.caller,
                          [self = shared_from_this(), round] { self->RunBlockTask(round); });
  }
  std::unique_lock<std::mutex> lock(round->mutex);
  round->all_done.wait(lock, [&] { return round->done == round->n; });
}

void EstimateRun::RunBlockTask(const std::shared_ptr<BlockRound>& round) {
  const size_t i = round->next.fetch_add(1);
  if (i >= round->n) return;
  (*round->task)(i);  // skips the block at once when cancelled
  samples_done_.fetch_add(estimate::kBlockSamples);
  {
    std::lock_guard<std::mutex> lock(round->mutex);
    if (++round->done == round->n) round->all_done.notify_one();
  }
  // Back to the pool's queue after every block, as a solve's tasks do
  // (fairness between calls).
  if (i + 1 < round->n) {
    services_.pool.Submit(demand_.caller,
                          [self = shared_from_this(), round] { self->RunBlockTask(round); });
  }
}

void EstimateRun::LevelGrew(const estimate::LevelStatistics& level) {
  v1::EstimateResponse event;
  v1::LevelStatistics* out = event.mutable_level();
  out->set_level(static_cast<uint32_t>(level.level));
  out->set_dt(level.dt);
  out->set_paths(level.paths);
  out->set_mean(level.mean);
  out->set_variance(level.variance);
  out->set_path_steps_per_sample(level.path_steps_per_sample);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    level_steps_[level.level] = static_cast<double>(level.paths) * level.path_steps_per_sample;
    pending_.push_back(std::move(event));
  }
  Pump();
}

// --- Events -----------------------------------------------------------------

void EstimateRun::OnWriteDone(bool ok) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    write_in_flight_ = false;
    if (!ok) cancel_.store(true);  // the stream is broken: stop
  }
  Pump();
}

void EstimateRun::Cancel() {
  cancel_.store(true);
  Pump();
}

void EstimateRun::Detach() {
  std::lock_guard<std::mutex> lock(mutex_);
  writer_ = nullptr;
}

void EstimateRun::Tick() { Pump(); }

void EstimateRun::Pump() {
  Action action;
  EstimateWriter* writer;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    action = DecideLocked();
    writer = writer_;
  }
  if (writer == nullptr) return;
  // Safe outside the lock: the writer cannot be detached before
  // FinishEstimate, and no other thread writes or finishes meanwhile.
  if (action.write) writer->WriteEvent(&message_);
  if (action.finish) {
    services_.ticker.Remove(this);
    writer->FinishEstimate(action.status);
  }
}

EstimateRun::Action EstimateRun::DecideLocked() {
  Action action;
  if (finished_ || writer_ == nullptr || write_in_flight_) return action;
  if (cancel_.load()) {
    if (!outcome_.has_value()) return action;  // the driver stops soon
    finished_ = true;
    action.finish = true;
    action.status = outcome_->ok() ? absl::CancelledError("estimate cancelled") : *outcome_;
    return action;
  }
  v1::EstimateResponse event;
  if (!outcome_.has_value() && Clock::now() - last_progress_ >= progress_interval_) {
    last_progress_ = Clock::now();
    event = ProgressLocked();
  } else if (!pending_.empty()) {
    event = std::move(pending_.front());
    pending_.pop_front();
  } else if (outcome_.has_value()) {
    finished_ = true;
    action.finish = true;
    action.status = *outcome_;
    return action;
  } else {
    return action;
  }
  message_ = SerializeMessage(event);
  write_in_flight_ = true;
  action.write = true;
  return action;
}

v1::EstimateResponse EstimateRun::ProgressLocked() const {
  v1::EstimateResponse event;
  v1::Progress* progress = event.mutable_progress();
  const uint64_t done = std::min(samples_done_.load(), round_samples_);
  progress->set_paths_done(done);
  progress->set_num_paths(round_samples_);
  double steps = 0.0;
  for (const auto& [level, level_steps] : level_steps_) steps += level_steps;
  progress->set_steps_accepted(static_cast<uint64_t>(steps));
  progress->set_elapsed_seconds(std::chrono::duration<double>(last_progress_ - start_).count());
  return event;
}

}  // namespace pathwise::server
