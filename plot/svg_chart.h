// The one SVG chart writer of pathwise, shared by `pathwise solve --plot`
// (client/cli) and `pathwise-lab cir --plot` (tools/lab). It depends on
// neither the core nor gRPC: a figure is a title, panels stacked vertically
// (each with its own axes, bands and lines) and one legend for the whole
// figure, to the right of the panels, sized to its longest label so that it
// is never clipped. Self-contained SVG 1.1 (no scripts, no external CSS).
//
// Drawing order within a panel is bands, then lines in the given order, so
// the last line is drawn on top. Every axis has at least five ticks.
#ifndef PATHWISE_PLOT_SVG_CHART_H_
#define PATHWISE_PLOT_SVG_CHART_H_

#include <string>
#include <vector>

namespace pathwise::plot {

enum class Scale {
  kLinear,
  kLog2,   // ticks labelled 2^k
  kLog10,  // ticks labelled 1e-3, 2e-3, ...
};

struct LineStyle {
  std::string color = "#1f77b4";
  double width = 1.5;
  std::string dash;      // SVG stroke-dasharray, e.g. "6 3"; empty: solid
  double opacity = 1.0;  // stroke opacity
  bool markers = false;  // a dot at every point
};

// A polyline; points with a non-finite coordinate (or <= 0 on a log axis)
// are skipped. A line with one point is drawn as a dot.
struct Line {
  std::string label;  // the legend entry; empty: not in the legend
  LineStyle style;
  std::vector<double> x, y;  // same length
};

// The shaded area between lower and upper.
struct Band {
  std::string label;
  std::string color = "#6fa8dc";
  double opacity = 0.35;
  std::vector<double> x, lower, upper;  // same length
};

struct Panel {
  std::string x_label, y_label;
  Scale x_scale = Scale::kLinear, y_scale = Scale::kLinear;
  std::vector<Band> bands;
  std::vector<Line> lines;
};

struct Figure {
  std::string title;
  std::vector<Panel> panels;
  int plot_width = 640;  // pixels of each panel's plot area
  int plot_height = 250;
};

// The SVG document. Legend entries are the labelled bands and lines of all
// panels, once per distinct label, in order of first appearance.
std::string RenderSvg(const Figure& figure);

// Round tick values from lo to hi (lo < hi, both finite), 1, 2 or 5 times a
// power of ten apart: the widest such spacing that gives at least
// `min_count` ticks.
std::vector<double> NiceTicks(double lo, double hi, int min_count);

// Text with &, <, >, " escaped for XML.
std::string XmlEscape(const std::string& text);

}  // namespace pathwise::plot

#endif  // PATHWISE_PLOT_SVG_CHART_H_
