#include "server/mcmc_admission.h"

#include "absl/strings/str_cat.h"

namespace pathwise::server {

absl::Status McmcAdmission::Admit(uint64_t chains) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (runs_ >= limits_.max_runs) {
    return absl::ResourceExhaustedError(
        absl::StrCat("server busy: ", runs_, " MCMC runs running, the limit max_concurrent_mcmc = ",
                     limits_.max_runs, "; retry later or on another replica"));
  }
  if (chains > limits_.max_chains - chains_) {
    return absl::ResourceExhaustedError(
        absl::StrCat("server busy: ", chains_, " chains running + num_chains ", chains,
                     " would exceed the limit max_running_chains = ", limits_.max_chains,
                     "; retry later or on another replica"));
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

}  // namespace pathwise::server
