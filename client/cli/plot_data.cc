#include "client/cli/plot_data.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "client/cli/names.h"

namespace pathwise::cli {
namespace {

constexpr char kMeanColor[] = "#1f5fa8", kMedianColor[] = "#e07b00", kBandColor[] = "#6fa8dc",
               kPathColor[] = "#7f7f7f";

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

plot::Line StatisticLine(const std::string& label, const std::vector<double>& ts,
                         std::vector<double> ys, plot::LineStyle style) {
  return plot::Line{label, std::move(style), ts, std::move(ys)};
}

// The band, then the sample paths, the mean and the median on top.
void AddPanelContent(const std::optional<v1::Statistics>& statistics,
                     const std::vector<v1::Path>& paths, size_t max_paths, size_t n, size_t j,
                     plot::Panel* panel) {
  std::vector<double> ts, mean, median;
  if (statistics) {
    const v1::Statistics& st = *statistics;
    ts.assign(st.ts().begin(), st.ts().end());
    for (int k = 0; k < st.ts_size(); ++k) mean.push_back(st.mean(static_cast<int>(k * n + j)));
    median = QuantileSeries(st, LevelIndex(st, 0.5), j);
    const std::vector<double> lower = QuantileSeries(st, LevelIndex(st, 0.05), j);
    const std::vector<double> upper = QuantileSeries(st, LevelIndex(st, 0.95), j);
    if (!lower.empty() && !upper.empty()) {
      panel->bands.push_back({kBandLabel, kBandColor, 0.35, ts, lower, upper});
    }
  }
  std::vector<const v1::Path*> drawn;
  for (size_t i = 0; i < std::min(max_paths, paths.size()); ++i) {
    if (paths[i].ts_size() > 0 &&
        static_cast<size_t>(paths[i].ys_size()) == paths[i].ts_size() * n) {
      drawn.push_back(&paths[i]);
    }
  }
  const std::string paths_label =
      absl::StrCat(drawn.size(), " sample path", drawn.size() == 1 ? "" : "s");
  for (const v1::Path* path : drawn) {
    plot::Line& line = panel->lines.emplace_back();
    line.label = paths_label;
    line.style = {kPathColor, 0.8, "", 0.8, false};
    line.x.assign(path->ts().begin(), path->ts().end());
    for (int k = 0; k < path->ts_size(); ++k) {
      line.y.push_back(path->ys(static_cast<int>(k * n + j)));
    }
  }
  if (!mean.empty()) {
    panel->lines.push_back(StatisticLine("mean", ts, mean, {kMeanColor, 2, "", 1, false}));
  }
  if (!median.empty()) {
    panel->lines.push_back(
        StatisticLine("median", ts, median, {kMedianColor, 1.8, "6 3", 1, false}));
  }
}

std::string Shortest(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

std::string StepControlText(const v1::StepControl& step) {
  if (step.has_constant()) return "dt " + Shortest(step.constant().dt());
  if (step.has_adaptive()) {
    const v1::AdaptiveStep& a = step.adaptive();
    return "adaptive (rtol " + Shortest(a.rtol()) + ", atol " + Shortest(a.atol()) + ")";
  }
  if (step.has_step_to()) return absl::StrCat("step to ", step.step_to().ts_size(), " times");
  return "default steps";
}

}  // namespace

plot::Figure MakePlot(const std::string& title, const std::optional<v1::Statistics>& statistics,
                      const std::vector<v1::Path>& paths, size_t max_paths,
                      const std::vector<std::string>& names) {
  size_t n = statistics ? statistics->state_dim() : 0;
  for (size_t i = 0; n == 0 && i < paths.size(); ++i) {
    if (paths[i].ts_size() > 0) n = paths[i].ys_size() / paths[i].ts_size();
  }
  plot::Figure figure;
  figure.title = title;
  for (size_t j = 0; j < n; ++j) {
    plot::Panel panel;
    panel.x_label = std::string(1, 't');
    panel.y_label = j < names.size() ? names[j] : absl::StrCat("y[", j, "]");
    AddPanelContent(statistics, paths, max_paths, n, j, &panel);
    figure.panels.push_back(std::move(panel));
  }
  return figure;
}

std::vector<std::string> ComponentNames(const v1::SolveRequest& request, size_t n,
                                        const std::vector<std::string>& catalog_names) {
  const v1::Model& model = request.model();
  if (model.has_expression()) {
    return {model.expression().state().begin(), model.expression().state().end()};
  }
  std::vector<std::string> names;
  if (model.has_langevin()) {
    if (n % 2 != 0) return names;
    const std::string x = catalog_names.size() == 2 ? catalog_names[0] : "x";
    const std::string v = catalog_names.size() == 2 ? catalog_names[1] : "v";
    for (size_t i = 0; i < n; ++i) {
      const std::string& part = i < n / 2 ? x : v;
      names.push_back(n == 2 ? part : absl::StrCat(part, "[", i % (n / 2), "]"));
    }
    return names;
  }
  if (catalog_names.size() == n) return catalog_names;
  if (catalog_names.size() == 1) {
    for (size_t i = 0; i < n; ++i) {
      names.push_back(n == 1 ? catalog_names[0] : absl::StrCat(catalog_names[0], "[", i, "]"));
    }
  }
  return names;
}

std::string PlotTitle(const v1::SolveRequest& request, const v1::Summary& summary) {
  const v1::Model& m = request.model();
  const std::string model = m.has_builtin()      ? m.builtin().name()
                            : m.has_expression() ? "expression model"
                                                 : "Langevin model";
  return absl::StrCat("pathwise solve: ", model, ", ", MethodName(request.method()), ", ",
                      StepControlText(request.step()), ", ", summary.paths(), " paths, seed ",
                      request.seed());
}

}  // namespace pathwise::cli
