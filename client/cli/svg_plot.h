// A hand-written SVG chart of a solve: one panel per state component, with the
// ensemble mean (line), the median (dashed line), the band between two
// quantiles (shaded) and a few sample paths (thin lines); axes with ticks and
// labels, a title and a legend. Self-contained (no scripts, no external CSS).
#ifndef PATHWISE_CLIENT_CLI_SVG_PLOT_H_
#define PATHWISE_CLIENT_CLI_SVG_PLOT_H_

#include <string>
#include <vector>

namespace pathwise::cli {

struct PlotLine {
  std::vector<double> ts;
  std::vector<double> ys;  // same length as ts; non-finite points are skipped
};

struct PlotPanel {
  std::string label;  // the y axis, e.g. "y[0]"
  // Statistics at the times ts (all empty when there are none).
  std::vector<double> ts, mean, lower, median, upper;
  std::vector<PlotLine> paths;
};

struct PlotSpec {
  std::string title;
  std::string band_label = "5%-95% quantiles";
  std::vector<PlotPanel> panels;
};

// Geometry (pixels).
inline constexpr int kPlotWidth = 900;
inline constexpr int kPanelHeight = 320;

// The SVG document.
std::string RenderSvg(const PlotSpec& spec);

// Round tick values (1, 2 or 5 times a power of ten apart, about `target`
// of them) from lo to hi; lo < hi, both finite.
std::vector<double> NiceTicks(double lo, double hi, int target);

// Text with &, <, >, " escaped for XML.
std::string XmlEscape(const std::string& text);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_SVG_PLOT_H_
