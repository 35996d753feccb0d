// A minimal log-log line plot as SVG (for docs/cir.svg).
#ifndef PATHWISE_TOOLS_LAB_SVG_H_
#define PATHWISE_TOOLS_LAB_SVG_H_

#include <string>
#include <vector>

namespace pathwise::lab {

struct Series {
  std::string label;
  std::string color;  // e.g. "#1f77b4"
  bool dashed = false;
  std::vector<double> x, y;  // > 0
};

// Both axes logarithmic (base 2 on x, base 10 on y), with a legend.
std::string LogLogPlotSvg(const std::string& title, const std::string& x_label,
                          const std::string& y_label, const std::vector<Series>& series);

}  // namespace pathwise::lab

#endif  // PATHWISE_TOOLS_LAB_SVG_H_
