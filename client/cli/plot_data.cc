#include "client/cli/plot_data.h"

#include <algorithm>

namespace pathwise::cli {
namespace {

// Index of `level` among the statistics' quantile levels, or -1.
int LevelIndex(const v1::Statistics& st, double level) {
  for (int q = 0; q < st.quantile_levels_size(); ++q) {
    if (st.quantile_levels(q) == level) return q;
  }
  return -1;
}

// Quantile `q` of component j at every time (empty when q < 0).
std::vector<double> QuantileSeries(const v1::Statistics& st, int q, size_t j) {
  std::vector<double> out;
  if (q < 0) return out;
  const size_t n = st.state_dim(), nq = st.quantile_levels_size();
  for (int k = 0; k < st.ts_size(); ++k) {
    out.push_back(st.quantiles(static_cast<int>((k * nq + q) * n + j)));
  }
  return out;
}

void AddStatistics(const v1::Statistics& st, size_t j, PlotPanel* panel) {
  const size_t n = st.state_dim();
  panel->ts.assign(st.ts().begin(), st.ts().end());
  for (int k = 0; k < st.ts_size(); ++k)
    panel->mean.push_back(st.mean(static_cast<int>(k * n + j)));
  panel->lower = QuantileSeries(st, LevelIndex(st, 0.05), j);
  panel->median = QuantileSeries(st, LevelIndex(st, 0.5), j);
  panel->upper = QuantileSeries(st, LevelIndex(st, 0.95), j);
}

void AddPath(const v1::Path& path, size_t j, size_t n, PlotPanel* panel) {
  PlotLine line;
  line.ts.assign(path.ts().begin(), path.ts().end());
  for (int k = 0; k < path.ts_size(); ++k) line.ys.push_back(path.ys(static_cast<int>(k * n + j)));
  panel->paths.push_back(std::move(line));
}

}  // namespace

PlotSpec MakePlot(const std::string& title, const std::optional<v1::Statistics>& statistics,
                  const std::vector<v1::Path>& paths, size_t max_paths,
                  const std::vector<std::string>& names) {
  size_t n = statistics ? statistics->state_dim() : 0;
  for (size_t i = 0; n == 0 && i < paths.size(); ++i) {
    if (paths[i].ts_size() > 0) n = paths[i].ys_size() / paths[i].ts_size();
  }
  PlotSpec spec;
  spec.title = title;
  for (size_t j = 0; j < n; ++j) {
    PlotPanel& panel = spec.panels.emplace_back();
    panel.label = j < names.size() ? names[j] : "y[" + std::to_string(j) + "]";
    if (statistics) AddStatistics(*statistics, j, &panel);
    for (size_t i = 0; i < std::min(max_paths, paths.size()); ++i) {
      if (paths[i].ts_size() > 0 &&
          static_cast<size_t>(paths[i].ys_size()) == paths[i].ts_size() * n) {
        AddPath(paths[i], j, n, &panel);
      }
    }
  }
  return spec;
}

}  // namespace pathwise::cli
