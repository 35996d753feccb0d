#include "server/solve_admission.h"

#include "absl/strings/str_cat.h"

namespace pathwise::server {

absl::Status SolveAdmission::Admit(uint64_t paths) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (solves_ >= limits_.max_solves) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "server busy: ", solves_, " solves running, the limit max_concurrent_solves = ",
        limits_.max_solves, "; retry later or on another replica"));
  }
  if (paths > limits_.max_queued_paths - queued_paths_) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "server busy: ", queued_paths_, " paths queued + num_paths ", paths,
        " would exceed the limit max_queued_paths = ", limits_.max_queued_paths,
        "; retry later, on another replica, or split the ensemble (first_path, num_paths)"));
  }
  ++solves_;
  queued_paths_ += paths;
  metrics_.AddActiveSolves(1);
  metrics_.AddQueuedPaths(static_cast<double>(paths));
  return absl::OkStatus();
}

void SolveAdmission::PathsDone(uint64_t paths) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queued_paths_ -= paths;
  }
  metrics_.AddQueuedPaths(-static_cast<double>(paths));
}

void SolveAdmission::SolveDone(uint64_t paths_left) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --solves_;
    queued_paths_ -= paths_left;
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

}  // namespace pathwise::server
