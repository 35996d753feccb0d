// Admission control of McmcService.Sample, at once and without a queue, as
// solves are (solve_admission.h). A run is admitted twice:
// - by McmcAdmission: at most max_runs runs at once and at most max_chains
//   chains admitted at once (over all runs);
// - as one solve of its caller (SolveAdmission, shared with SolverService):
//   its chains are its paths and its work and memory are estimated before it
//   runs (McmcDemand), so that it counts against max_concurrent_solves,
//   max_queued_path_steps, max_solve_memory_bytes and its caller's limits
//   (max_concurrent_solves_per_caller, ...) like any solve.
// Refusals are RESOURCE_EXHAUSTED naming the limit: with a RetryInfo when the
// server is busy, a QuotaFailure when the caller is at its own limit, neither
// when the run alone exceeds a budget (CheckMcmcDemandAlone).
#ifndef PATHWISE_SERVER_MCMC_ADMISSION_H_
#define PATHWISE_SERVER_MCMC_ADMISSION_H_

#include <cstdint>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "server/mcmc_request.h"
#include "server/metrics.h"
#include "server/solve_admission.h"

namespace pathwise::server {

struct McmcAdmissionLimits {
  uint32_t max_runs = 8;       // runs at once (--max_concurrent_mcmc)
  uint64_t max_chains = 1024;  // chains of the runs admitted and not finished
};

class McmcAdmission {
 public:
  McmcAdmission(const McmcAdmissionLimits& limits, Metrics& metrics)
      : limits_(limits), metrics_(metrics) {}

  // Admits a run of `chains` chains, or RESOURCE_EXHAUSTED naming the limit
  // with a RetryInfo (the server is busy).
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

// A validated run as one solve of `caller` (QuotaCaller(); empty: none):
// paths = its chains; steps per path from mcmc::EstimateSamplerCost; memory:
// the draws the sampler holds (statistics_bytes) and, when draws are
// returned, the encoded draws that may wait to be written (response_bytes,
// at most max_buffered_bytes, McmcRunOptions).
SolveDemand McmcDemand(std::string caller, const McmcInputs& inputs, uint64_t max_buffered_bytes);

// RESOURCE_EXHAUSTED naming the limit and what to change when the run alone
// exceeds max_queued_path_steps or max_solve_memory_bytes, so that even an
// idle server would refuse it (SolveAdmission would too, in a solve's words);
// counted in `metrics` (pathwise_rejections_total).
absl::Status CheckMcmcDemandAlone(const SolveDemand& demand, const AdmissionLimits& limits,
                                  Metrics& metrics);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_MCMC_ADMISSION_H_
