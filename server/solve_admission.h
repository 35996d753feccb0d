// Admission control of solves, at once and without a queue: a solve is
// admitted or refused with RESOURCE_EXHAUSTED, so that a client learns at
// once to retry later, go elsewhere or split the ensemble, instead of
// waiting in a queue of unknown length. Three kinds of refusal:
// - the solve alone exceeds a server-wide budget (its estimated path-steps or
//   memory): no retry helps, split it (first_path, num_paths);
// - its caller is at a per-caller limit (caller_quota.h): QuotaFailure;
// - the server is busy (solves running, paths or path-steps queued, memory
//   of admitted solves): RetryInfo.
// Work and memory are estimated before the solve runs (work_estimate.h).
#ifndef PATHWISE_SERVER_SOLVE_ADMISSION_H_
#define PATHWISE_SERVER_SOLVE_ADMISSION_H_

#include <cstdint>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "server/caller_quota.h"
#include "server/metrics.h"
#include "server/work_estimate.h"

namespace pathwise::server {

struct AdmissionLimits {
  uint32_t max_solves = 16;                       // solves running at once
  uint64_t max_queued_paths = uint64_t{1} << 22;  // paths admitted and not yet solved
  // Path-steps admitted and not yet solved: about what 16 threads solve in
  // ten minutes (--max_solve_seconds) at 10^8 path-steps a second.
  uint64_t max_queued_path_steps = uint64_t{1} << 36;
  // Estimated memory of the admitted solves: statistics and held paths.
  uint64_t max_solve_memory_bytes = uint64_t{2} << 30;
};

// One solve as admission sees it.
struct SolveDemand {
  std::string caller;  // QuotaCaller(); empty: no per-caller accounting
  uint64_t paths = 0;
  SolveEstimate estimate;
};

class SolveAdmission {
 public:
  // `callers` is shared with BrownianService (their response bytes count
  // against one per-caller budget); null: no per-caller limits.
  SolveAdmission(const AdmissionLimits& limits, Metrics& metrics, CallerQuota* callers = nullptr)
      : limits_(limits), metrics_(metrics), callers_(callers) {}

  // Admits a solve, or RESOURCE_EXHAUSTED naming the limit (see above).
  absl::Status Admit(const SolveDemand& demand);
  // `paths` of an admitted solve were solved (or will not be).
  void PathsDone(const SolveDemand& demand, uint64_t paths);
  // An admitted solve ended; `paths_left` of it were never solved.
  void SolveDone(const SolveDemand& demand, uint64_t paths_left);

  // The same for a solve counted by its paths only, without a caller.
  absl::Status Admit(uint64_t paths) { return Admit(SolveDemand{"", paths, {}}); }
  void PathsDone(uint64_t paths) { PathsDone(SolveDemand{"", 0, {}}, paths); }
  void SolveDone(uint64_t paths_left) { SolveDone(SolveDemand{"", 0, {}}, paths_left); }

  const AdmissionLimits& limits() const { return limits_; }
  uint32_t solves() const;
  uint64_t queued_paths() const;
  uint64_t queued_path_steps() const;
  uint64_t memory_bytes() const;

 private:
  absl::Status CheckAloneLocked(const SolveDemand& demand) const;
  absl::Status CheckBusyLocked(const SolveDemand& demand) const;

  const AdmissionLimits limits_;
  Metrics& metrics_;
  CallerQuota* const callers_;
  mutable std::mutex mutex_;
  uint32_t solves_ = 0;
  uint64_t queued_paths_ = 0;
  uint64_t queued_path_steps_ = 0;
  uint64_t memory_bytes_ = 0;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_SOLVE_ADMISSION_H_
