#include "plot/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

namespace pathwise::plot {
namespace {

constexpr int kMinTicks = 5;
constexpr double kMarginLeft = 80, kMarginTop = 50, kMarginRight = 12;
constexpr double kPanelGap = 62;  // below each plot area: tick labels and the x label
constexpr double kLegendGap = 24, kLegendRow = 20, kLegendSwatch = 24;
// Average advance of a sans-serif glyph per pixel of font size, rounded up
// (DejaVu Sans, the widest common default, averages about 0.55 em for
// lower-case text and digits), so that estimated text widths are upper bounds.
constexpr double kGlyphEm = 0.6;
constexpr double kTickFont = 12, kTitleFont = 15;

double TextWidth(const std::string& text, double font) {
  return static_cast<double>(text.size()) * font * kGlyphEm;
}

std::string Fmt(const char* format, double a, double b = 0, double c = 0, double d = 0) {
  char buf[320];
  std::snprintf(buf, sizeof(buf), format, a, b, c, d);
  return buf;
}

// Data value -> axis units (log units on log axes); NaN when not drawable.
double ToAxis(Scale s, double v) {
  if (!std::isfinite(v)) return std::numeric_limits<double>::quiet_NaN();
  if (s == Scale::kLinear) return v;
  if (v <= 0) return std::numeric_limits<double>::quiet_NaN();
  return s == Scale::kLog2 ? std::log2(v) : std::log10(v);
}

struct Tick {
  double at;  // axis units
  std::string label;
};

struct Axis {
  Scale scale = Scale::kLinear;
  double lo = 0, hi = 1;  // axis units
  std::vector<Tick> ticks;
};

std::string LinearLabel(double v, double step) {
  if (std::abs(v) < step * 1e-9) v = 0;  // -0 and rounding dust
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

// Log ticks: every power of the base; on log10 axes spanning few decades
// also 2 and 5 times each power; the range is widened (by whole powers)
// until there are kMinTicks of them.
std::vector<Tick> LogTicks(Scale s, double* lo, double* hi) {
  for (int widen = 0;; ++widen) {
    std::vector<Tick> ticks;
    const bool mantissas = s == Scale::kLog10 && *hi - *lo < kMinTicks - 1;
    for (double k = std::floor(*lo); k <= *hi; k += 1) {
      for (const double m : {1.0, 2.0, 5.0}) {
        if (m > 1 && !mantissas) break;
        const double at = k + std::log10(m);
        if (at < *lo - 1e-9 || at > *hi + 1e-9) continue;
        ticks.push_back({at, s == Scale::kLog2 ? Fmt("2^%g", k) : Fmt("%ge%g", m, k)});
      }
    }
    if (static_cast<int>(ticks.size()) >= kMinTicks || widen > 2 * kMinTicks) return ticks;
    (widen % 2 == 0 ? *hi : *lo) += widen % 2 == 0 ? 1 : -1;
  }
}

// The axis over `values` (axis units; NaN skipped). Linear y axes get 5%
// room above and below; log axes run over whole powers.
Axis MakeAxis(Scale scale, const std::vector<double>& values, bool pad) {
  Axis axis{
      scale, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), {}};
  for (const double v : values) {
    if (std::isnan(v)) continue;
    axis.lo = std::min(axis.lo, v);
    axis.hi = std::max(axis.hi, v);
  }
  if (!(axis.lo <= axis.hi)) axis.lo = 0, axis.hi = 1;
  if (scale != Scale::kLinear) {
    axis.lo = std::floor(axis.lo);
    axis.hi = std::max(std::ceil(axis.hi), axis.lo + 1);
    axis.ticks = LogTicks(scale, &axis.lo, &axis.hi);
    return axis;
  }
  const double span = axis.hi - axis.lo;
  if (span <= 0) {
    const double half = std::max(std::abs(axis.lo) * 0.1, 0.5);
    axis.lo -= half, axis.hi += half;
  } else if (pad) {
    axis.lo -= 0.05 * span, axis.hi += 0.05 * span;
  }
  const std::vector<double> values_at = NiceTicks(axis.lo, axis.hi, kMinTicks);
  const double step = values_at.size() > 1 ? values_at[1] - values_at[0] : 1;
  for (const double v : values_at) axis.ticks.push_back({v, LinearLabel(v, step)});
  return axis;
}

// Maps axis units to the pixels of one panel's plot area.
struct Frame {
  double x0, y0, width, height;
  Axis xs, ys;
  double X(double a) const { return x0 + (a - xs.lo) / (xs.hi - xs.lo) * width; }
  double Y(double a) const { return y0 + height - (a - ys.lo) / (ys.hi - ys.lo) * height; }
};

// "x,y x,y ..." of the drawable points.
std::string Points(const Frame& f, const std::vector<double>& xs, const std::vector<double>& ys,
                   int* count) {
  std::string out;
  *count = 0;
  for (size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    const double x = ToAxis(f.xs.scale, xs[i]), y = ToAxis(f.ys.scale, ys[i]);
    if (std::isnan(x) || std::isnan(y)) continue;
    if (!out.empty()) out += ' ';
    out += Fmt("%.2f,%.2f", f.X(x), f.Y(y));
    ++*count;
  }
  return out;
}

std::string StrokeAttributes(const LineStyle& s) {
  std::string out =
      "stroke=\"" + XmlEscape(s.color) + "\" stroke-width=\"" + Fmt("%g", s.width) + "\"";
  if (!s.dash.empty()) out += " stroke-dasharray=\"" + XmlEscape(s.dash) + "\"";
  if (s.opacity < 1) out += Fmt(" stroke-opacity=\"%g\"", s.opacity);
  return out;
}

std::string Dots(const std::string& points, const LineStyle& s, double r) {
  std::string out;
  size_t begin = 0;
  while (begin < points.size()) {
    size_t end = points.find(' ', begin);
    if (end == std::string::npos) end = points.size();
    const std::string xy = points.substr(begin, end - begin);
    const size_t comma = xy.find(',');
    out += "<circle cx=\"" + xy.substr(0, comma) + "\" cy=\"" + xy.substr(comma + 1) + "\" r=\"" +
           Fmt("%g", r) + "\" fill=\"" + XmlEscape(s.color) + "\"" +
           (s.opacity < 1 ? Fmt(" fill-opacity=\"%g\"", s.opacity) : "") + "/>\n";
    begin = end + 1;
  }
  return out;
}

std::string DrawLine(const Frame& f, const Line& line) {
  int count = 0;
  const std::string points = Points(f, line.x, line.y, &count);
  if (count == 0) return "";
  std::string out = "<g class=\"line\">";
  if (!line.label.empty()) out += "<title>" + XmlEscape(line.label) + "</title>";
  out += "\n";
  if (count == 1) return out + Dots(points, line.style, 3) + "</g>\n";
  out +=
      "<polyline fill=\"none\" " + StrokeAttributes(line.style) + " points=\"" + points + "\"/>\n";
  if (line.style.markers) out += Dots(points, line.style, 3);
  return out + "</g>\n";
}

std::string DrawBand(const Frame& f, const Band& band) {
  int up = 0, down = 0;
  const std::string upper = Points(f, band.x, band.upper, &up);
  const std::vector<double> xs(band.x.rbegin(), band.x.rend());
  const std::vector<double> lower(band.lower.rbegin(), band.lower.rend());
  const std::string back = Points(f, xs, lower, &down);
  if (up < 2 || down < 2) return "";
  return "<g class=\"band\">" +
         (band.label.empty() ? "" : "<title>" + XmlEscape(band.label) + "</title>") +
         "<polygon fill=\"" + XmlEscape(band.color) + "\" fill-opacity=\"" +
         Fmt("%g", band.opacity) + "\" stroke=\"none\" points=\"" + upper + " " + back +
         "\"/></g>\n";
}

std::string DrawAxes(const Frame& f, const Panel& p) {
  const double bottom = f.y0 + f.height;
  std::string out = "<g class=\"axes\" font-size=\"12\" fill=\"#000\">\n";
  std::string x_ticks = "<g class=\"xticks\">\n", y_ticks = "<g class=\"yticks\">\n";
  for (const Tick& t : f.xs.ticks) {
    const double x = f.X(t.at);
    out += Fmt("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#e4e4e4\"/>\n", x,
               f.y0, x, bottom);
    x_ticks += Fmt("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\"/>", x,
                   bottom, x, bottom + 5) +
               Fmt("<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">", x, bottom + 18) +
               XmlEscape(t.label) + "</text>\n";
  }
  for (const Tick& t : f.ys.ticks) {
    const double y = f.Y(t.at);
    out += Fmt("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#e4e4e4\"/>\n", f.x0,
               y, f.x0 + f.width, y);
    y_ticks += Fmt("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\"/>",
                   f.x0 - 5, y, f.x0, y) +
               Fmt("<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">", f.x0 - 8, y + 4) +
               XmlEscape(t.label) + "</text>\n";
  }
  out += x_ticks + "</g>\n" + y_ticks + "</g>\n";
  out += Fmt("<text class=\"xlabel\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">",
             f.x0 + f.width / 2, bottom + 40) +
         XmlEscape(p.x_label) + "</text>\n";
  out += Fmt("<text class=\"ylabel\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" "
             "transform=\"rotate(-90 %.2f %.2f)\">",
             f.x0 - 60, f.y0 + f.height / 2, f.x0 - 60, f.y0 + f.height / 2) +
         XmlEscape(p.y_label) + "</text>\n";
  return out + "</g>\n";
}

Frame PanelFrame(const Figure& figure, const Panel& p, double top) {
  std::vector<double> xs, ys;
  for (const Band& b : p.bands) {
    for (const double v : b.x) xs.push_back(ToAxis(p.x_scale, v));
    for (const double v : b.lower) ys.push_back(ToAxis(p.y_scale, v));
    for (const double v : b.upper) ys.push_back(ToAxis(p.y_scale, v));
  }
  for (const Line& l : p.lines) {
    for (const double v : l.x) xs.push_back(ToAxis(p.x_scale, v));
    for (const double v : l.y) ys.push_back(ToAxis(p.y_scale, v));
  }
  return Frame{kMarginLeft,
               top,
               static_cast<double>(figure.plot_width),
               static_cast<double>(figure.plot_height),
               MakeAxis(p.x_scale, xs, /*pad=*/false),
               MakeAxis(p.y_scale, ys, /*pad=*/true)};
}

struct LegendEntry {
  std::string label;
  std::string swatch;  // SVG drawn around (0, 0), kLegendSwatch wide
};

std::vector<LegendEntry> LegendEntries(const Figure& figure) {
  std::vector<LegendEntry> entries;
  std::set<std::string> seen;
  for (const Panel& p : figure.panels) {
    for (const Band& b : p.bands) {
      if (b.label.empty() || !seen.insert(b.label).second) continue;
      entries.push_back({b.label, "<rect x=\"0\" y=\"-6\" width=\"24\" height=\"12\" fill=\"" +
                                      XmlEscape(b.color) + "\" fill-opacity=\"" +
                                      Fmt("%g", b.opacity) + "\"/>"});
    }
    for (const Line& l : p.lines) {
      if (l.label.empty() || !seen.insert(l.label).second) continue;
      std::string swatch =
          "<line x1=\"0\" y1=\"0\" x2=\"24\" y2=\"0\" " + StrokeAttributes(l.style) + "/>";
      if (l.style.markers) swatch += Dots("12,0", l.style, 3);
      entries.push_back({l.label, swatch});
    }
  }
  return entries;
}

double LegendWidth(const std::vector<LegendEntry>& entries) {
  double text = 0;
  for (const LegendEntry& e : entries) text = std::max(text, TextWidth(e.label, kTickFont));
  return entries.empty() ? 0 : 8 + kLegendSwatch + 6 + text + 8;
}

std::string DrawLegend(const std::vector<LegendEntry>& entries, double x, double y, double width) {
  if (entries.empty()) return "";
  std::string out = "<g class=\"legend\" font-size=\"12\">\n";
  out +=
      Fmt("<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#fff\" "
          "stroke=\"#bbb\"/>\n",
          x, y, width, 8 + kLegendRow * static_cast<double>(entries.size()));
  for (size_t i = 0; i < entries.size(); ++i) {
    const double row = y + 4 + kLegendRow * (static_cast<double>(i) + 0.5);
    out += "<g transform=\"translate(" + Fmt("%.2f,%.2f", x + 8, row) + ")\">" + entries[i].swatch +
           Fmt("<text x=\"%g\" y=\"4\">", kLegendSwatch + 6) + XmlEscape(entries[i].label) +
           "</text></g>\n";
  }
  return out + "</g>\n";
}

}  // namespace

std::vector<double> NiceTicks(double lo, double hi, int min_count) {
  std::vector<double> ticks;
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  // From a spacing of at least the whole range down by 10 -> 5 -> 2 -> 1.
  double step = std::pow(10.0, std::ceil(std::log10(hi - lo)));
  const double factors[] = {0.5, 0.4, 0.5};
  for (int i = 0; i < 60; ++i) {
    const double first = std::ceil(lo / step - 1e-9), last = std::floor(hi / step + 1e-9);
    if (last - first + 1 >= min_count) {
      for (double k = first; k <= last; k += 1) ticks.push_back(k * step);
      return ticks;
    }
    step *= factors[i % 3];
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

std::string RenderSvg(const Figure& figure) {
  const std::vector<LegendEntry> legend = LegendEntries(figure);
  const double legend_x = kMarginLeft + figure.plot_width + kLegendGap;
  const double legend_width = LegendWidth(legend);
  const double legend_height = 8 + kLegendRow * static_cast<double>(legend.size());
  const double panel_step = figure.plot_height + kPanelGap;
  const double width = std::ceil(std::max(legend_x + legend_width + kMarginRight,
                                          TextWidth(figure.title, kTitleFont) + 2 * kMarginRight));
  const double height =
      std::ceil(std::max(kMarginTop + panel_step * static_cast<double>(figure.panels.size()),
                         kMarginTop + legend_height + kMarginRight));
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out +=
      Fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%g\" "
          "height=\"%g\" viewBox=\"0 0 %g %g\" font-family=\"sans-serif\">\n",
          width, height, width, height);
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
  out += Fmt("<text class=\"title\" x=\"%g\" y=\"28\" text-anchor=\"middle\" font-size=\"%g\">",
             width / 2, kTitleFont) +
         XmlEscape(figure.title) + "</text>\n";
  for (size_t i = 0; i < figure.panels.size(); ++i) {
    const Panel& p = figure.panels[i];
    const Frame f = PanelFrame(figure, p, kMarginTop + panel_step * static_cast<double>(i));
    out += "<g class=\"panel\">\n" + DrawAxes(f, p);
    for (const Band& b : p.bands) out += DrawBand(f, b);
    for (const Line& l : p.lines) out += DrawLine(f, l);
    out +=
        Fmt("<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" "
            "stroke=\"#000\"/>\n",
            f.x0, f.y0, f.width, f.height);
    out += "</g>\n";
  }
  out += DrawLegend(legend, legend_x, kMarginTop, legend_width);
  return out + "</svg>\n";
}

}  // namespace pathwise::plot
