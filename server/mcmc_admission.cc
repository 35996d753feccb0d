#include "server/mcmc_admission.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/overload_status.h"

namespace pathwise::server {

absl::Status McmcAdmission::Admit(uint64_t chains) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (runs_ >= limits_.max_runs) {
    metrics_.Rejected("max_concurrent_mcmc");
    return ServerBusyError(absl::StrCat(
        runs_, " MCMC runs running, the limit max_concurrent_mcmc = ", limits_.max_runs,
        "; retry later or on another replica"));
  }
  if (chains > limits_.max_chains - chains_) {
    metrics_.Rejected("max_running_chains");
    return ServerBusyError(absl::StrCat(chains_, " chains running + num_chains ", chains,
                                        " would exceed the limit max_running_chains = ",
                                        limits_.max_chains, "; retry later or on another replica"));
  }
  ++runs_;
  chains_ += chains;
  metrics_.AddActiveMcmcRuns(1);
  return absl::OkStatus();
}

void McmcAdmission::Done(uint64_t chains) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --runs_;
    chains_ -= chains;
  }
  metrics_.AddActiveMcmcRuns(-1);
}

uint32_t McmcAdmission::runs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return runs_;
}

SolveDemand McmcDemand(std::string caller, const McmcInputs& inputs, uint64_t max_buffered_bytes) {
  const mcmc::SamplerOptions& options = inputs.options;
  const mcmc::SamplerCost cost = mcmc::EstimateSamplerCost(options, inputs.potential->dim());
  SolveDemand demand{std::move(caller), options.ResolvedNumChains(), {}};
  SolveEstimate& e = demand.estimate;
  e.steps_per_path = cost.steps_per_chain;
  e.path_steps = demand.paths * cost.steps_per_chain;  // <= max_mcmc_chains x max_steps_per_chain
  e.statistics_bytes = cost.draw_bytes;
  if (inputs.return_draws) {
    // Encoded, a draw is its dim doubles (and a few bytes of framing).
    const uint64_t draws = demand.paths * options.num_draws;
    e.response_bytes =
        std::min(max_buffered_bytes, draws * sizeof(double) * inputs.potential->dim());
  }
  return demand;
}

absl::Status CheckMcmcDemandAlone(const SolveDemand& d, const AdmissionLimits& limits,
                                  Metrics& metrics) {
  if (d.estimate.path_steps > limits.max_queued_path_steps) {
    metrics.Rejected("max_queued_path_steps");
    return absl::ResourceExhaustedError(absl::StrCat(
        "num_chains ", d.paths, " x about ", d.estimate.steps_per_path,
        " steps per chain exceeds the limit max_queued_path_steps = ", limits.max_queued_path_steps,
        " even on an idle server; run fewer chains, draws or warm-up, or take larger steps"));
  }
  if (d.estimate.memory_bytes() > limits.max_solve_memory_bytes) {
    metrics.Rejected("max_solve_memory_bytes");
    return absl::ResourceExhaustedError(absl::StrCat(
        "the run would hold about ", d.estimate.memory_bytes(), " bytes (draws ",
        d.estimate.statistics_bytes, ", unread draws ", d.estimate.response_bytes,
        "), more than the limit max_solve_memory_bytes = ", limits.max_solve_memory_bytes,
        " even on an idle server; run fewer chains or draws"));
  }
  return absl::OkStatus();
}

}  // namespace pathwise::server
