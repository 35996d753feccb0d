#include "core/mcmc/diagnostics.h"

#include <cmath>
#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/mcmc/effective_sample_size.h"
#include "core/mcmc/r_hat.h"

namespace pathwise::mcmc {
namespace {

absl::Status ValidateChains(const Chains& chains) {
  if (chains.empty()) return absl::InvalidArgumentError("chains: no chain given");
  const size_t n = chains.front().size();
  for (size_t m = 0; m < chains.size(); ++m) {
    if (chains[m].size() != n) {
      return absl::InvalidArgumentError(
          absl::StrCat("chains[", m, "]: has ", chains[m].size(), " draws, chains[0] has ", n));
    }
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(chains[m][i])) {
        return absl::InvalidArgumentError(
            absl::StrCat("chains[", m, "][", i, "]: draw is not finite (", chains[m][i], ")"));
      }
    }
  }
  if (n < static_cast<size_t>(kMinDrawsPerChain)) {
    return absl::InvalidArgumentError(absl::StrCat("chains: ", n, " draws per chain, at least ",
                                                   kMinDrawsPerChain, " are needed"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ParameterSummary> Summarize(const Chains& chains) {
  if (absl::Status status = ValidateChains(chains); !status.ok()) return status;
  double sum = 0.0;
  size_t count = 0;
  for (const std::vector<double>& chain : chains) {
    for (double x : chain) sum += x;
    count += chain.size();
  }
  ParameterSummary summary;
  summary.mean = sum / static_cast<double>(count);
  double squares = 0.0;
  for (const std::vector<double>& chain : chains) {
    for (double x : chain) squares += (x - summary.mean) * (x - summary.mean);
  }
  summary.sd = std::sqrt(squares / static_cast<double>(count - 1));
  // Draws that never move estimate their mean exactly (and have no ESS).
  summary.mcse_mean =
      summary.sd == 0.0 ? 0.0 : summary.sd / std::sqrt(MeanEffectiveSampleSize(chains));
  summary.ess_bulk = BulkEffectiveSampleSize(chains);
  summary.ess_tail = TailEffectiveSampleSize(chains);
  summary.r_hat = RankNormalizedSplitRHat(chains);
  return summary;
}

absl::StatusOr<std::vector<ParameterSummary>> SummarizeAll(
    const std::vector<std::vector<std::vector<double>>>& draws) {
  if (draws.empty() || draws.front().empty()) {
    return absl::InvalidArgumentError("draws: no chain or no draw given");
  }
  const size_t parameters = draws.front().front().size();
  std::vector<ParameterSummary> summaries;
  for (size_t p = 0; p < parameters; ++p) {
    Chains chains(draws.size());
    for (size_t m = 0; m < draws.size(); ++m) {
      for (size_t i = 0; i < draws[m].size(); ++i) {
        if (draws[m][i].size() != parameters) {
          return absl::InvalidArgumentError(
              absl::StrCat("draws[", m, "][", i, "]: has ", draws[m][i].size(),
                           " parameters, draws[0][0] has ", parameters));
        }
        chains[m].push_back(draws[m][i][p]);
      }
    }
    absl::StatusOr<ParameterSummary> summary = Summarize(chains);
    if (!summary.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("parameter ", p, ": ", summary.status().message()));
    }
    summaries.push_back(*summary);
  }
  return summaries;
}

}  // namespace pathwise::mcmc
