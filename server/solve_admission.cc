#include "server/solve_admission.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/overload_status.h"

namespace pathwise::server {
namespace {

// a + b > limit, without overflow.
bool Exceeds(uint64_t a, uint64_t b, uint64_t limit) { return b > limit - std::min(a, limit); }

uint64_t PathStepsOf(const SolveDemand& demand, uint64_t paths) {
  const uint64_t steps = demand.estimate.steps_per_path;
  return steps != 0 && paths > UINT64_MAX / steps ? UINT64_MAX : paths * steps;
}

}  // namespace

absl::Status SolveAdmission::CheckAloneLocked(const SolveDemand& d) const {
  if (d.estimate.path_steps > limits_.max_queued_path_steps) {
    metrics_.Rejected("max_queued_path_steps");
    return absl::ResourceExhaustedError(absl::StrCat(
        "num_paths ", d.paths, " x about ", d.estimate.steps_per_path,
        " steps per path exceeds the limit max_queued_path_steps = ", limits_.max_queued_path_steps,
        " even on an idle server; split the ensemble (first_path, num_paths) or take larger "
        "steps"));
  }
  if (d.estimate.memory_bytes() > limits_.max_solve_memory_bytes) {
    metrics_.Rejected("max_solve_memory_bytes");
    return absl::ResourceExhaustedError(absl::StrCat(
        "the solve would hold about ", d.estimate.memory_bytes(), " bytes (statistics ",
        d.estimate.statistics_bytes, ", unread paths ", d.estimate.response_bytes,
        "), more than the limit max_solve_memory_bytes = ", limits_.max_solve_memory_bytes,
        " even on an idle server; split the ensemble (first_path, num_paths) or save fewer "
        "times"));
  }
  if (callers_ != nullptr && !d.caller.empty() &&
      d.estimate.response_bytes > callers_->limits().max_inflight_bytes) {
    metrics_.Rejected("max_inflight_bytes_per_caller");
    return absl::ResourceExhaustedError(absl::StrCat(
        "the solve's unread paths (at least one block of 64) would hold about ",
        d.estimate.response_bytes, " bytes, more than the limit max_inflight_bytes_per_caller = ",
        callers_->limits().max_inflight_bytes,
        " even with nothing else in flight; save fewer times or ask for statistics only"));
  }
  return absl::OkStatus();
}

absl::Status SolveAdmission::CheckBusyLocked(const SolveDemand& d) const {
  const char* limit = nullptr;
  std::string message;
  if (solves_ >= limits_.max_solves) {
    limit = "max_concurrent_solves";
    message = absl::StrCat(solves_, " solves running, the limit max_concurrent_solves = ",
                           limits_.max_solves, "; retry later or on another replica");
  } else if (Exceeds(queued_paths_, d.paths, limits_.max_queued_paths)) {
    limit = "max_queued_paths";
    message = absl::StrCat(
        queued_paths_, " paths queued + num_paths ", d.paths,
        " would exceed the limit max_queued_paths = ", limits_.max_queued_paths,
        "; retry later, on another replica, or split the ensemble (first_path, num_paths)");
  } else if (Exceeds(queued_path_steps_, d.estimate.path_steps, limits_.max_queued_path_steps)) {
    limit = "max_queued_path_steps";
    message = absl::StrCat(queued_path_steps_, " path-steps queued + about ", d.estimate.path_steps,
                           " would exceed the limit max_queued_path_steps = ",
                           limits_.max_queued_path_steps, "; retry later or on another replica");
  } else if (Exceeds(memory_bytes_, d.estimate.memory_bytes(), limits_.max_solve_memory_bytes)) {
    limit = "max_solve_memory_bytes";
    message = absl::StrCat(
        memory_bytes_, " bytes held by running solves + about ", d.estimate.memory_bytes(),
        " would exceed the limit max_solve_memory_bytes = ", limits_.max_solve_memory_bytes,
        "; retry later or on another replica");
  }
  if (limit == nullptr) return absl::OkStatus();
  metrics_.Rejected(limit);
  return ServerBusyError(message);
}

absl::Status SolveAdmission::Admit(const SolveDemand& d) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (absl::Status status = CheckAloneLocked(d); !status.ok()) return status;
  const bool per_caller = callers_ != nullptr && !d.caller.empty();
  if (per_caller) {
    if (absl::Status status = callers_->AdmitSolve(d.caller, d.paths, d.estimate.response_bytes);
        !status.ok()) {
      return status;
    }
  }
  if (absl::Status status = CheckBusyLocked(d); !status.ok()) {
    if (per_caller) callers_->SolveDone(d.caller, d.paths, d.estimate.response_bytes);
    return status;
  }
  ++solves_;
  queued_paths_ += d.paths;
  queued_path_steps_ += d.estimate.path_steps;
  memory_bytes_ += d.estimate.memory_bytes();
  metrics_.AddActiveSolves(1);
  metrics_.AddQueuedPaths(static_cast<double>(d.paths));
  return absl::OkStatus();
}

void SolveAdmission::PathsDone(const SolveDemand& d, uint64_t paths) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queued_paths_ -= std::min(paths, queued_paths_);
    queued_path_steps_ -= std::min(PathStepsOf(d, paths), queued_path_steps_);
  }
  if (callers_ != nullptr && !d.caller.empty()) callers_->PathsDone(d.caller, paths);
  metrics_.AddQueuedPaths(-static_cast<double>(paths));
}

void SolveAdmission::SolveDone(const SolveDemand& d, uint64_t paths_left) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --solves_;
    queued_paths_ -= std::min(paths_left, queued_paths_);
    queued_path_steps_ -= std::min(PathStepsOf(d, paths_left), queued_path_steps_);
    memory_bytes_ -= std::min(d.estimate.memory_bytes(), memory_bytes_);
  }
  if (callers_ != nullptr && !d.caller.empty()) {
    callers_->SolveDone(d.caller, paths_left, d.estimate.response_bytes);
  }
  metrics_.AddActiveSolves(-1);
  metrics_.AddQueuedPaths(-static_cast<double>(paths_left));
}

uint32_t SolveAdmission::solves() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return solves_;
}

uint64_t SolveAdmission::queued_paths() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queued_paths_;
}

uint64_t SolveAdmission::queued_path_steps() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queued_path_steps_;
}

uint64_t SolveAdmission::memory_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return memory_bytes_;
}

}  // namespace pathwise::server
