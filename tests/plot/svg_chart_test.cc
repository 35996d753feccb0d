#include "plot/svg_chart.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace pathwise::plot {
namespace {

// One tag of `xml` starting at `at` (a '<'): its name, whether it closes or
// is self-closing; false when malformed (a bad name or an unquoted attribute).
struct Tag {
  std::string name;
  bool closing = false, self_closing = false;
  size_t end = 0;  // just past '>'
};

size_t SkipName(const std::string& xml, size_t i) {
  while (i < xml.size() &&
         (std::isalnum(static_cast<unsigned char>(xml[i])) || xml[i] == '-' || xml[i] == ':')) {
    ++i;
  }
  return i;
}

bool ReadTag(const std::string& xml, size_t at, Tag* tag) {
  size_t i = at + 1;
  tag->closing = i < xml.size() && xml[i] == '/';
  if (tag->closing) ++i;
  const size_t name_end = SkipName(xml, i);
  tag->name = xml.substr(i, name_end - i);
  if (tag->name.empty()) return false;
  i = name_end;
  // Attributes: (space+ name="value")*, values without '"' or '<'.
  while (i < xml.size() && xml[i] == ' ') {
    while (i < xml.size() && xml[i] == ' ') ++i;
    if (xml[i] == '/' || xml[i] == '>') break;
    const size_t attr_end = SkipName(xml, i);
    if (attr_end == i || xml.compare(attr_end, 2, "=\"") != 0) return false;
    const size_t close = xml.find('"', attr_end + 2);
    if (close == std::string::npos || xml.find('<', attr_end) < close) return false;
    i = close + 1;
  }
  tag->self_closing = xml.compare(i, 2, "/>") == 0;
  if (tag->self_closing) ++i;
  if (i >= xml.size() || xml[i] != '>') return false;
  tag->end = i + 1;
  return true;
}

// Whether `xml` is well formed as far as tags go: one root, every start tag
// closed in order, attribute values quoted, no stray '<'. (The binary test
// also parses the files with Python's XML parser.)
bool WellFormed(const std::string& xml, std::string* why) {
  std::vector<std::string> open;
  int roots = 0;
  size_t at = xml.find("?>") + 2;  // after the XML declaration
  while ((at = xml.find('<', at)) != std::string::npos) {
    Tag tag;
    if (!ReadTag(xml, at, &tag)) {
      *why = "bad tag at " + std::to_string(at);
      return false;
    }
    if (tag.closing) {
      if (open.empty() || open.back() != tag.name) {
        *why = "unbalanced </" + tag.name + ">";
        return false;
      }
      open.pop_back();
    } else if (!tag.self_closing) {
      if (open.empty()) ++roots;
      open.push_back(tag.name);
    }
    at = tag.end;
  }
  if (!open.empty() || roots != 1) {
    *why = "unclosed or several roots";
    return false;
  }
  return true;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The text between the first `begin` at or after `from` and the next `end`.
std::string Between(const std::string& text, const std::string& begin, const std::string& end,
                    size_t from = 0) {
  const size_t a = text.find(begin, from);
  if (a == std::string::npos) return "";
  const size_t b = text.find(end, a + begin.size());
  return text.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

// The value of attribute `name` in the first tag at or after `from` that has it.
double Attribute(const std::string& text, const std::string& name, size_t from = 0) {
  const std::string key = " " + name + "=\"";
  const size_t at = text.find(key, from);
  return at == std::string::npos ? NAN : std::atof(text.c_str() + at + key.size());
}

Line MakeLine(const std::string& label, std::vector<double> x, std::vector<double> y) {
  Line line;
  line.label = label;
  line.x = std::move(x);
  line.y = std::move(y);
  return line;
}

Figure ThreePanels() {
  Figure figure;
  figure.title = "ou & <shark>, 100 paths, seed 7";
  for (int j = 0; j < 3; ++j) {
    Panel& p = figure.panels.emplace_back();
    p.x_label = "t";
    p.y_label = "y[" + std::to_string(j) + "]";
    p.bands.push_back({"5%-95% quantiles", "#6fa8dc", 0.35, {0, 0.5, 1}, {-1, -2, -3}, {1, 2, 3}});
    p.lines.push_back(MakeLine("2 sample paths", {0, 0.5, 1}, {0, 1, NAN}));
    p.lines.push_back(MakeLine("2 sample paths", {0, 0.5, 1}, {0, -1, -2}));
    p.lines.push_back(MakeLine("mean", {0, 0.5, 1}, {0, 0, 0}));
    p.lines.push_back(MakeLine("median", {0, 0.5, 1}, {0, 0.1, 0.2}));
  }
  return figure;
}

TEST(SvgChartTest, TheCheckerCatchesMalformedXml) {
  std::string why;
  EXPECT_TRUE(WellFormed("<?xml?><a><b x=\"1\"/></a>", &why)) << why;
  for (const char* bad : {"<?xml?><a><b></a></b>", "<?xml?><a>", "<?xml?><a x=1></a>",
                          "<?xml?><a></a><a></a>", "<?xml?><a x=\"1></a>"}) {
    EXPECT_FALSE(WellFormed(bad, &why)) << bad;
  }
}

TEST(SvgChartTest, PanelsTitleAndOneLegendPerFigure) {
  const std::string svg = RenderSvg(ThreePanels());
  std::string why;
  EXPECT_TRUE(WellFormed(svg, &why)) << why;
  EXPECT_EQ(Count(svg, "<g class=\"panel\">"), 3u);
  EXPECT_NE(svg.find(">ou &amp; &lt;shark&gt;, 100 paths, seed 7</text>"), std::string::npos);
  EXPECT_EQ(Count(svg, "class=\"legend\""), 1u);
  const std::string legend = Between(svg, "<g class=\"legend\"", "</g>\n</svg>");
  for (const char* label : {"5%-95% quantiles", "2 sample paths", "mean", "median"}) {
    EXPECT_EQ(Count(legend, std::string(">") + label + "</text>"), 1u) << label;
  }
  EXPECT_EQ(Count(svg, "class=\"ylabel\""), 3u);
  EXPECT_NE(svg.find(">y[2]</text>"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);  // NaN points are skipped
}

TEST(SvgChartTest, LinesAreDrawnAfterBandsInOrder) {
  const std::string svg = RenderSvg(ThreePanels());
  const size_t panel = svg.find("<g class=\"panel\">");
  const size_t band = svg.find("<g class=\"band\">", panel);
  const size_t mean = svg.find("<title>mean</title>", panel);
  const size_t median = svg.find("<title>median</title>", panel);
  ASSERT_NE(band, std::string::npos);
  ASSERT_NE(median, std::string::npos);
  EXPECT_LT(band, mean);
  EXPECT_LT(mean, median);  // the median is on top of the band and the mean
  EXPECT_LT(median, svg.find("<g class=\"panel\">", panel + 1));
}

TEST(SvgChartTest, EveryAxisHasAtLeastFiveTicks) {
  for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{
           {0.0, 1.0}, {-3.7, 12.2}, {1e-9, 3e-9}, {-5e6, -4e6}, {0.04, 0.0401}, {2, 2}}) {
    SCOPED_TRACE(testing::Message() << lo << " " << hi);
    Figure figure;
    figure.panels.emplace_back().lines.push_back(MakeLine("", {lo, hi}, {hi, lo}));
    const std::string svg = RenderSvg(figure);
    EXPECT_GE(Count(Between(svg, "<g class=\"xticks\">", "</g>"), "<text"), 5u);
    EXPECT_GE(Count(Between(svg, "<g class=\"yticks\">", "</g>"), "<text"), 5u);
  }
}

TEST(SvgChartTest, LogAxes) {
  Figure figure;
  Panel& p = figure.panels.emplace_back();
  p.x_scale = Scale::kLog2;
  p.y_scale = Scale::kLog10;
  // Two octaves and one decade of data; a non-positive point is skipped.
  p.lines.push_back(MakeLine("error", {2, 4, 8, 16}, {0.01, 0.02, 0.05, -1}));
  p.lines.back().style.markers = true;
  const std::string svg = RenderSvg(figure);
  std::string why;
  EXPECT_TRUE(WellFormed(svg, &why)) << why;
  const std::string x_ticks = Between(svg, "<g class=\"xticks\">", "</g>");
  const std::string y_ticks = Between(svg, "<g class=\"yticks\">", "</g>");
  EXPECT_GE(Count(x_ticks, "<text"), 5u);
  EXPECT_GE(Count(y_ticks, "<text"), 5u);
  EXPECT_NE(x_ticks.find(">2^3</text>"), std::string::npos) << x_ticks;
  EXPECT_NE(y_ticks.find(">2e-2</text>"), std::string::npos) << y_ticks;
  EXPECT_NE(y_ticks.find(">1e-2</text>"), std::string::npos) << y_ticks;
  EXPECT_EQ(Count(Between(svg, "<g class=\"line\">", "</g>"), "<circle"), 3u);
}

TEST(SvgChartTest, TheLegendFitsInTheViewBox) {
  Figure figure;
  figure.plot_width = 400;
  Panel& p = figure.panels.emplace_back();
  const std::string long_label(60, 'W');
  p.lines.push_back(MakeLine("cir_implicit_euler constant steps", {1, 2}, {1, 2}));
  p.lines.push_back(MakeLine(long_label, {1, 2}, {2, 1}));
  const std::string svg = RenderSvg(figure);
  const double width = Attribute(svg, "width", svg.find("<svg"));
  const size_t legend = svg.find("<g class=\"legend\"");
  const double x = Attribute(svg, "x", legend), box = Attribute(svg, "width", legend);
  // The box holds the swatch (32 px) and the text at 0.58 em per glyph at least
  // (12 px sans-serif: about 0.55 em on average, capitals and W wider).
  EXPECT_GE(box, 32 + 0.58 * 12 * static_cast<double>(long_label.size()));
  EXPECT_LE(x + box, width);
  // Also a title wider than the panels fits.
  figure.title = std::string(150, 'T');
  const std::string titled = RenderSvg(figure);
  EXPECT_GE(Attribute(titled, "width", titled.find("<svg")), 0.58 * 15 * 150);
}

TEST(SvgChartTest, OnePointIsADot) {
  Figure figure;
  figure.panels.emplace_back().lines.push_back(MakeLine("mean", {1}, {0.5}));
  const std::string svg = RenderSvg(figure);
  EXPECT_EQ(Count(Between(svg, "<g class=\"line\">", "</g>"), "<circle"), 1u);
  EXPECT_EQ(Count(svg, "<polyline"), 0u);
}

TEST(SvgChartTest, NiceTicks) {
  EXPECT_EQ(NiceTicks(0, 1, 5), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}));
  for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{
           {0.0, 1.0}, {-3.7, 12.2}, {1e-9, 3e-9}, {-5e6, -4e6}, {0.04, 0.0401}}) {
    SCOPED_TRACE(testing::Message() << lo << " " << hi);
    const std::vector<double> t = NiceTicks(lo, hi, 5);
    ASSERT_GE(t.size(), 5u);
    // The widest 1-2-5 spacing with 5 ticks gives at most 5 * 2.5 + 1 of them.
    EXPECT_LE(t.size(), 13u);
    const double step = t[1] - t[0];
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 ||
                std::abs(mantissa - 5) < 1e-6)
        << mantissa;
    EXPECT_GE(t.front(), lo - 1e-9 * std::abs(step));
    EXPECT_LE(t.back(), hi + 1e-9 * std::abs(hi));
  }
}

}  // namespace
}  // namespace pathwise::plot
