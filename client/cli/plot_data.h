// What `pathwise solve --plot` draws, taken from a solve's statistics and
// paths (svg_plot.h draws it).
#ifndef PATHWISE_CLIENT_CLI_PLOT_DATA_H_
#define PATHWISE_CLIENT_CLI_PLOT_DATA_H_

#include <optional>
#include <string>
#include <vector>

#include "client/cli/svg_plot.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

// One panel per component of `statistics` (or of the paths when there are no
// statistics): mean, median and the 0.05-0.95 band from the statistics (the
// band and median only when those quantile levels are there), and the first
// `max_paths` of `paths`. `names` label the components (else "y[j]").
PlotSpec MakePlot(const std::string& title, const std::optional<v1::Statistics>& statistics,
                  const std::vector<v1::Path>& paths, size_t max_paths,
                  const std::vector<std::string>& names);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_PLOT_DATA_H_
