// Admission control of McmcService.Sample: at most max_runs runs at once and
// at most max_chains chains admitted at once (over all runs). A run beyond
// either limit is refused at once with RESOURCE_EXHAUSTED naming the limit,
// as solves are (solve_admission.h), instead of waiting in a queue.
#ifndef PATHWISE_SERVER_MCMC_ADMISSION_H_
#define PATHWISE_SERVER_MCMC_ADMISSION_H_

#include <cstdint>
#include <mutex>

#include "absl/status/status.h"
#include "server/metrics.h"

namespace pathwise::server {

struct McmcAdmissionLimits {
  uint32_t max_runs = 8;       // runs at once (--max_concurrent_mcmc)
  uint64_t max_chains = 1024;  // chains of the runs admitted and not finished
};

class McmcAdmission {
 public:
  McmcAdmission(const McmcAdmissionLimits& limits, Metrics& metrics)
      : limits_(limits), metrics_(metrics) {}

  // Admits a run of `chains` chains, or RESOURCE_EXHAUSTED naming the limit.
  absl::Status Admit(uint64_t chains);
  // An admitted run of `chains` chains ended.
  void Done(uint64_t chains);

  uint32_t runs() const;

 private:
  const McmcAdmissionLimits limits_;
  Metrics& metrics_;
  mutable std::mutex mutex_;
  uint32_t runs_ = 0;
  uint64_t chains_ = 0;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_MCMC_ADMISSION_H_
