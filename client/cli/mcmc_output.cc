#include "client/cli/mcmc_output.h"

#include "absl/strings/str_cat.h"
#include "client/cli/text_format.h"

namespace pathwise::cli {

std::string FormatDiagnostics(const v1::McmcDiagnostics& d, const std::vector<std::string>& names,
                              bool csv) {
  std::vector<Row> rows = {{"param", "mean", "sd", "mcse", "ess_bulk", "ess_tail", "rhat"}};
  for (int j = 0; j < d.mean_size(); ++j) {
    const std::string name =
        static_cast<size_t>(j) < names.size() ? names[j] : absl::StrCat("x", j);
    rows.push_back({name, Num(d.mean(j)), Num(d.sd(j)), Num(d.mcse_mean(j)), Num(d.ess_bulk(j)),
                    Num(d.ess_tail(j)), Num(d.rhat(j))});
  }
  return RenderRows(rows, csv);
}

std::string McmcSummaryLine(const v1::McmcSummary& s) {
  std::string mass;
  for (int j = 0; j < s.inverse_mass_size(); ++j) {
    if (j == 8) {
      mass += ", ...";
      break;
    }
    absl::StrAppend(&mass, j == 0 ? "" : ", ", Num(s.inverse_mass(j)));
  }
  return "mcmc: " + std::to_string(s.num_chains()) + " chains, " + std::to_string(s.draws()) +
         " draws, " + std::to_string(s.unstable_chains()) + " unstable; gradient evaluations " +
         std::to_string(s.gradient_evaluations_warmup()) + " warm-up + " +
         std::to_string(s.gradient_evaluations_sampling()) + " sampling; steps " +
         std::to_string(s.steps_accepted()) + " accepted, " + std::to_string(s.steps_rejected()) +
         " rejected; step size " + Num(s.step_size()) + "; inverse mass " + mass + "; " +
         s.algorithm() + "; " + Num(s.wall_seconds()) + " s\n";
}

}  // namespace pathwise::cli
