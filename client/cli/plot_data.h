// What `pathwise solve --plot` draws, taken from a solve's statistics and
// paths (plot/svg_chart.h draws it).
#ifndef PATHWISE_CLIENT_CLI_PLOT_DATA_H_
#define PATHWISE_CLIENT_CLI_PLOT_DATA_H_

#include <optional>
#include <string>
#include <vector>

#include "pathwise/v1/solver.pb.h"
#include "plot/svg_chart.h"

namespace pathwise::cli {

inline constexpr char kBandLabel[] = "5%-95% quantiles";

// One panel per component of `statistics` (or of the paths when there are no
// statistics), its x axis t and its y axis names[j] (else "y[j]"): the
// 0.05-0.95 band, the first `max_paths` of `paths`, the mean and, on top,
// the median (the band and median only when those quantile levels are there).
plot::Figure MakePlot(const std::string& title, const std::optional<v1::Statistics>& statistics,
                      const std::vector<v1::Path>& paths, size_t max_paths,
                      const std::vector<std::string>& names);

// The names of the n state components of `request`'s model: an expression
// model's state; a builtin model's or potential's `catalog_names` (from
// ListCapabilities: one per component, or one name for every component of a
// per-component model, then "x[0]", "x[1]", ...); for Langevin models x then
// v, each indexed when d > 1. Empty when unknown.
std::vector<std::string> ComponentNames(const v1::SolveRequest& request, size_t n,
                                        const std::vector<std::string>& catalog_names);

// "pathwise solve: heston, milstein, adaptive (rtol 0.001, atol 1e-06),
// 1000 paths, seed 7": the model, method, step control, paths and seed.
std::string PlotTitle(const v1::SolveRequest& request, const v1::Summary& summary);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_PLOT_DATA_H_
