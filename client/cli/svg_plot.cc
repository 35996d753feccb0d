#include "client/cli/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "absl/strings/str_cat.h"

namespace pathwise::cli {
namespace {

constexpr int kMarginLeft = 80, kMarginRight = 190, kMarginTop = 50, kMarginBottom = 50;
constexpr char kMeanColor[] = "#1f5fa8", kBandColor[] = "#6fa8dc", kPathColor[] = "#7f7f7f";

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void Add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  // Made non-empty and non-degenerate, with a little room above and below.
  Range Padded(double fraction) const {
    if (!(lo <= hi)) return Range{0.0, 1.0};
    const double span = hi - lo;
    const double pad = span > 0 ? span * fraction : std::max(std::abs(lo) * 0.1, 0.5);
    return Range{lo - pad, hi + pad};
  }
};

// Maps data coordinates to the pixels of one panel's plot area.
struct Frame {
  double x0, y0, width, height;  // plot area (pixels)
  Range xs, ys;                  // data ranges
  double X(double t) const { return x0 + (t - xs.lo) / (xs.hi - xs.lo) * width; }
  double Y(double v) const { return y0 + height - (v - ys.lo) / (ys.hi - ys.lo) * height; }
};

std::string Fmt(const char* format, double a, double b = 0, double c = 0, double d = 0) {
  char buf[128];
  std::snprintf(buf, sizeof(buf), format, a, b, c, d);
  return buf;
}

std::string TickLabel(double v) {
  if (std::abs(v) < 1e-12) v = 0;  // -0 and rounding dust
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

std::string Points(const Frame& f, const std::vector<double>& ts, const std::vector<double>& ys) {
  std::string out;
  for (size_t i = 0; i < ts.size() && i < ys.size(); ++i) {
    if (!std::isfinite(ts[i]) || !std::isfinite(ys[i])) continue;
    absl::StrAppend(&out, out.empty() ? "" : " ", Fmt("%.2f,%.2f", f.X(ts[i]), f.Y(ys[i])));
  }
  return out;
}

// A polyline, or a dot when there is one point (a polyline of one point is invisible).
std::string Series(const Frame& f, const std::vector<double>& ts, const std::vector<double>& ys,
                   const std::string& cls, const std::string& style) {
  const std::string points = Points(f, ts, ys);
  if (points.empty()) return "";
  if (points.find(' ') == std::string::npos) {
    const size_t comma = points.find(',');
    return "<circle class=\"" + cls + "\" cx=\"" + points.substr(0, comma) + "\" cy=\"" +
           points.substr(comma + 1) + "\" r=\"3\" " + style + "/>\n";
  }
  return "<polyline class=\"" + cls + "\" fill=\"none\" " + style + " points=\"" + points +
         "\"/>\n";
}

std::string Band(const Frame& f, const PlotPanel& p) {
  std::string points = Points(f, p.ts, p.upper);
  std::vector<double> ts(p.ts.rbegin(), p.ts.rend()), lower(p.lower.rbegin(), p.lower.rend());
  const std::string back = Points(f, ts, lower);
  if (points.empty() || back.empty() || p.ts.size() < 2) return "";
  return "<polygon class=\"band\" fill=\"" + std::string(kBandColor) +
         "\" fill-opacity=\"0.35\" stroke=\"none\" points=\"" + points + " " + back + "\"/>\n";
}

std::string Axes(const Frame& f, const std::string& y_label) {
  std::string out = "<g class=\"axes\" font-size=\"12\" fill=\"#000\">\n";
  out +=
      Fmt("<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" "
          "stroke=\"#000\"/>\n",
          f.x0, f.y0, f.width, f.height);
  for (const double t : NiceTicks(f.xs.lo, f.xs.hi, 8)) {
    const double x = f.X(t), bottom = f.y0 + f.height;
    out += Fmt("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\"/>\n", x,
               bottom, x, bottom + 5);
    out += Fmt("<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">", x, bottom + 18) +
           TickLabel(t) + "</text>\n";
  }
  for (const double v : NiceTicks(f.ys.lo, f.ys.hi, 6)) {
    const double y = f.Y(v);
    out += Fmt("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#ddd\"/>\n", f.x0, y,
               f.x0 + f.width, y);
    out += Fmt("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\"/>\n",
               f.x0 - 5, y, f.x0, y);
    out += Fmt("<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">", f.x0 - 8, y + 4) + TickLabel(v) +
           "</text>\n";
  }
  out += Fmt("<text class=\"xlabel\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">t</text>\n",
             f.x0 + f.width / 2, f.y0 + f.height + 38);
  out += Fmt("<text class=\"ylabel\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" "
             "transform=\"rotate(-90 %.2f %.2f)\">",
             f.x0 - 58, f.y0 + f.height / 2, f.x0 - 58, f.y0 + f.height / 2) +
         XmlEscape(y_label) + "</text>\n";
  return out + "</g>\n";
}

std::string LegendEntry(double x, double y, const std::string& swatch, const std::string& text) {
  return "<g transform=\"translate(" + Fmt("%.2f,%.2f", x, y) + ")\">" + swatch +
         "<text x=\"30\" y=\"4\" font-size=\"12\">" + XmlEscape(text) + "</text></g>\n";
}

std::string Legend(const PlotSpec& spec, const PlotPanel& p, double x, double y) {
  std::string out = "<g class=\"legend\">\n";
  const auto line = [](const std::string& style) {
    return "<line x1=\"0\" y1=\"0\" x2=\"24\" y2=\"0\" " + style + "/>";
  };
  if (!p.ts.empty()) {
    out += LegendEntry(x, y, line("stroke=\"" + std::string(kMeanColor) + "\" stroke-width=\"2\""),
                       "mean");
    out += LegendEntry(x, y + 20,
                       line("stroke=\"" + std::string(kMeanColor) +
                            "\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\""),
                       "median");
    out += LegendEntry(x, y + 40,
                       "<rect x=\"0\" y=\"-6\" width=\"24\" height=\"12\" fill=\"" +
                           std::string(kBandColor) + "\" fill-opacity=\"0.35\"/>",
                       spec.band_label);
  }
  if (!p.paths.empty()) {
    out += LegendEntry(
        x, y + 60, line("stroke=\"" + std::string(kPathColor) + "\" stroke-width=\"0.8\""),
        std::to_string(p.paths.size()) + " sample path" + (p.paths.size() == 1 ? "" : "s"));
  }
  return out + "</g>\n";
}

Frame PanelFrame(const PlotPanel& p, int index) {
  Range xs, ys;
  for (const double t : p.ts) xs.Add(t);
  for (const auto* series : {&p.mean, &p.lower, &p.median, &p.upper}) {
    for (const double v : *series) ys.Add(v);
  }
  for (const PlotLine& line : p.paths) {
    for (const double t : line.ts) xs.Add(t);
    for (const double v : line.ys) ys.Add(v);
  }
  const double top = kMarginTop + index * kPanelHeight;
  const Range x_range = xs.lo < xs.hi ? xs : xs.Padded(0.0);
  return Frame{kMarginLeft,
               top,
               kPlotWidth - kMarginLeft - kMarginRight,
               kPanelHeight - kMarginBottom - 20.0,
               x_range,
               ys.Padded(0.05)};
}

std::string Panel(const PlotSpec& spec, const PlotPanel& p, int index) {
  const Frame f = PanelFrame(p, index);
  std::string out = "<g class=\"panel\">\n" + Band(f, p);
  for (const PlotLine& line : p.paths) {
    out +=
        Series(f, line.ts, line.ys, "path",
               "stroke=\"" + std::string(kPathColor) + "\" stroke-width=\"0.8\" opacity=\"0.8\"");
  }
  out += Series(
      f, p.ts, p.median, "median",
      "stroke=\"" + std::string(kMeanColor) + "\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"");
  out += Series(f, p.ts, p.mean, "mean",
                "stroke=\"" + std::string(kMeanColor) + "\" stroke-width=\"2\"");
  out += Axes(f, p.label);
  out += Legend(spec, p, f.x0 + f.width + 20, f.y0 + 10);
  return out + "</g>\n";
}

}  // namespace

std::vector<double> NiceTicks(double lo, double hi, int target) {
  const double raw = (hi - lo) / std::max(target, 1);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * power;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (double k = std::ceil(lo / step); k * step <= hi * (1 + 1e-12) + 1e-300; k += 1) {
    ticks.push_back(k * step);
    if (ticks.size() > 100) break;  // a guard against degenerate input
  }
  return ticks;
}

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderSvg(const PlotSpec& spec) {
  const int height = kMarginTop + static_cast<int>(spec.panels.size()) * kPanelHeight;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
         std::to_string(kPlotWidth) + "\" height=\"" + std::to_string(height) +
         "\" viewBox=\"0 0 " + std::to_string(kPlotWidth) + " " + std::to_string(height) +
         "\" font-family=\"sans-serif\">\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
  out += "<text class=\"title\" x=\"" + std::to_string(kPlotWidth / 2) +
         "\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">" + XmlEscape(spec.title) +
         "</text>\n";
  for (size_t i = 0; i < spec.panels.size(); ++i) {
    out += Panel(spec, spec.panels[i], static_cast<int>(i));
  }
  return out + "</svg>\n";
}

}  // namespace pathwise::cli
