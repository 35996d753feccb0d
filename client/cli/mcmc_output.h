// What `pathwise mcmc` prints: the diagnostics per parameter (table or CSV)
// and the run's summary.
#ifndef PATHWISE_CLIENT_CLI_MCMC_OUTPUT_H_
#define PATHWISE_CLIENT_CLI_MCMC_OUTPUT_H_

#include <string>
#include <vector>

#include "pathwise/v1/mcmc.pb.h"

namespace pathwise::cli {

// One row per parameter: param, mean, sd, mcse, ess_bulk, ess_tail, rhat
// (header first); `names` has diagnostics.dim() entries. Numbers in their
// shortest round-trip form. Without stable chains the diagnostics are empty
// and so is the table (header only).
std::string FormatDiagnostics(const v1::McmcDiagnostics& diagnostics,
                              const std::vector<std::string>& names, bool csv);

// "mcmc: 4 chains, 4000 draws, 0 unstable; gradient evaluations 12000 warm-up
// + 40000 sampling; steps 52000 accepted, 0 rejected; step size 0.42; inverse
// mass 0.25, 4; <algorithm>; 0.31 s" and a newline.
std::string McmcSummaryLine(const v1::McmcSummary& summary);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_MCMC_OUTPUT_H_
