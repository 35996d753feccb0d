#include "tools/lab/svg.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace pathwise::lab {
namespace {

constexpr double kWidth = 720, kHeight = 480;
constexpr double kLeft = 80, kRight = 200, kTop = 40, kBottom = 60;

struct Range {
  double lo, hi;  // in log units
  double Map(double v, double a, double b) const { return a + (v - lo) / (hi - lo) * (b - a); }
};

}  // namespace

std::string LogLogPlotSvg(const std::string& title, const std::string& x_label,
                          const std::string& y_label, const std::vector<Series>& series) {
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  for (const Series& s : series) {
    for (double v : s.x) xlo = std::min(xlo, std::log2(v)), xhi = std::max(xhi, std::log2(v));
    for (double v : s.y) ylo = std::min(ylo, std::log10(v)), yhi = std::max(yhi, std::log10(v));
  }
  const Range xr{std::floor(xlo), std::ceil(xhi)};
  const Range yr{std::floor(ylo), std::ceil(yhi)};
  const double x0 = kLeft, x1 = kWidth - kRight, y0 = kHeight - kBottom, y1 = kTop;
  std::string out = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" "
      "fill=\"white\"/>\n",
      kWidth, kHeight);
  out += absl::StrFormat("<text x=\"%g\" y=\"24\" font-size=\"15\">%s</text>\n", kLeft, title);
  out += absl::StrFormat(
      "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" "
      "stroke=\"black\"/>\n",
      x0, y1, x1 - x0, y0 - y1);
  for (double e = xr.lo; e <= xr.hi; e += 1) {
    const double x = xr.Map(e, x0, x1);
    out += absl::StrFormat("<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"#ddd\"/>\n", x,
                           y1, x, y0);
    out += absl::StrFormat("<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">2^%g</text>\n", x,
                           y0 + 18, e);
  }
  for (double e = yr.lo; e <= yr.hi; e += 1) {
    const double y = yr.Map(e, y0, y1);
    out += absl::StrFormat("<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"#ddd\"/>\n", x0,
                           y, x1, y);
    out += absl::StrFormat("<text x=\"%g\" y=\"%g\" text-anchor=\"end\">1e%g</text>\n", x0 - 6,
                           y + 4, e);
  }
  out += absl::StrFormat("<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">%s</text>\n",
                         (x0 + x1) / 2, kHeight - 20, x_label);
  out += absl::StrFormat(
      "<text x=\"20\" y=\"%g\" text-anchor=\"middle\" transform=\"rotate(-90 20 %g)\">%s</text>\n",
      (y0 + y1) / 2, (y0 + y1) / 2, y_label);
  for (size_t i = 0; i < series.size(); ++i) {
    const Series& s = series[i];
    std::string points;
    for (size_t j = 0; j < s.x.size(); ++j) {
      const double x = xr.Map(std::log2(s.x[j]), x0, x1);
      const double y = yr.Map(std::log10(s.y[j]), y0, y1);
      absl::StrAppend(&points, absl::StrFormat("%.1f,%.1f ", x, y));
      out +=
          absl::StrFormat("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", x, y, s.color);
    }
    out += absl::StrFormat(
        "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", points,
        s.color, s.dashed ? " stroke-dasharray=\"6,4\"" : "");
    const double ly = y1 + 20 + 22 * i;
    out += absl::StrFormat(
        "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"%s\" "
        "stroke-width=\"2\"%s/>\n",
        x1 + 12, ly, x1 + 40, ly, s.color, s.dashed ? " stroke-dasharray=\"6,4\"" : "");
    out += absl::StrFormat("<text x=\"%g\" y=\"%g\">%s</text>\n", x1 + 46, ly + 4, s.label);
  }
  return out + "</svg>\n";
}

}  // namespace pathwise::lab
