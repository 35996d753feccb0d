#include "client/cli/mcmc_plot.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "absl/strings/str_cat.h"

namespace pathwise::cli {
namespace {

// Matplotlib's default colour cycle: chains by colour.
const char* const kChainColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

// Type-7 quantile of sorted values.
double Quantile(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

Density KernelDensity(std::vector<double> values, int points) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
      values.end());
  Density out;
  if (values.empty() || points < 2) return out;
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  double mean = 0.0;
  for (double v : values) mean += v;
  mean /= n;
  double ss = 0.0;
  for (double v : values) ss += (v - mean) * (v - mean);
  const double sd = values.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  const double iqr = Quantile(values, 0.75) - Quantile(values, 0.25);
  double spread = iqr > 0 ? std::min(sd, iqr / 1.34) : sd;
  double h = 0.9 * spread * std::pow(n, -0.2);
  if (!(h > 0)) h = 1e-3;
  const double lo = values.front() - 3 * h, hi = values.back() + 3 * h;
  const double norm = 1.0 / (n * h * std::sqrt(2 * std::numbers::pi));
  for (int i = 0; i < points; ++i) {
    const double x = lo + (hi - lo) * i / (points - 1);
    // Only values within 8 h contribute more than exp(-32) each.
    const auto first = std::lower_bound(values.begin(), values.end(), x - 8 * h);
    const auto last = std::upper_bound(values.begin(), values.end(), x + 8 * h);
    double sum = 0.0;
    for (auto it = first; it != last; ++it) {
      const double z = (x - *it) / h;
      sum += std::exp(-0.5 * z * z);
    }
    out.x.push_back(x);
    out.density.push_back(norm * sum);
  }
  return out;
}

plot::Figure McmcFigure(const std::string& title, const ChainDraws& draws,
                        const std::vector<uint32_t>& params,
                        const std::vector<std::string>& names) {
  plot::Figure figure;
  figure.title = title;
  figure.plot_height = 180;
  const size_t d = draws.dim;
  for (uint32_t p : params) {
    const std::string name = p < names.size() ? names[p] : absl::StrCat("x", p);
    plot::Panel trace;
    trace.x_label = "draw";
    trace.y_label = name;
    std::vector<double> all;
    for (size_t c = 0; c < draws.chains.size(); ++c) {
      plot::Line line;
      line.label = absl::StrCat("chain ", c);
      line.style.color = kChainColors[c % std::size(kChainColors)];
      line.style.width = 0.8;
      line.style.opacity = 0.8;
      const std::vector<double>& chain = draws.chains[c];
      for (size_t n = 0; d > 0 && (n + 1) * d <= chain.size(); ++n) {
        line.x.push_back(static_cast<double>(n));
        line.y.push_back(chain[n * d + p]);
        all.push_back(chain[n * d + p]);
      }
      trace.lines.push_back(std::move(line));
    }
    plot::Panel density;
    density.x_label = name;
    density.y_label = "density";
    const Density kde = KernelDensity(std::move(all), 200);
    plot::Line line;
    line.label = "all chains (KDE)";
    line.style.color = "#000000";
    line.x = kde.x;
    line.y = kde.density;
    density.lines.push_back(std::move(line));
    figure.panels.push_back(std::move(trace));
    figure.panels.push_back(std::move(density));
  }
  return figure;
}

}  // namespace pathwise::cli
