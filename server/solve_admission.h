// Admission control of solves: at most max_solves solves at once and at most
// max_queued_paths paths admitted but not yet solved. A solve beyond either
// limit is refused at once with RESOURCE_EXHAUSTED (the client can retry
// later or elsewhere) instead of waiting in a queue of unknown length.
#ifndef PATHWISE_SERVER_SOLVE_ADMISSION_H_
#define PATHWISE_SERVER_SOLVE_ADMISSION_H_

#include <cstdint>
#include <mutex>

#include "absl/status/status.h"
#include "server/metrics.h"

namespace pathwise::server {

struct AdmissionLimits {
  uint32_t max_solves = 16;                       // solves running at once
  uint64_t max_queued_paths = uint64_t{1} << 22;  // paths admitted and not yet solved
};

class SolveAdmission {
 public:
  SolveAdmission(const AdmissionLimits& limits, Metrics& metrics)
      : limits_(limits), metrics_(metrics) {}

  // Admits a solve of `paths` paths, or RESOURCE_EXHAUSTED naming the limit.
  absl::Status Admit(uint64_t paths);
  // `paths` of an admitted solve were solved (or will not be).
  void PathsDone(uint64_t paths);
  // An admitted solve ended; `paths_left` of it were never solved.
  void SolveDone(uint64_t paths_left);

  const AdmissionLimits& limits() const { return limits_; }
  uint32_t solves() const;
  uint64_t queued_paths() const;

 private:
  const AdmissionLimits limits_;
  Metrics& metrics_;
  mutable std::mutex mutex_;
  uint32_t solves_ = 0;
  uint64_t queued_paths_ = 0;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_SOLVE_ADMISSION_H_
