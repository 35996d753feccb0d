#include "client/cli/svg_plot.h"

#include <cctype>
#include <cmath>

#include "client/cli/plot_data.h"
#include "gtest/gtest.h"

namespace pathwise::cli {
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

v1::Statistics TwoComponentStatistics() {
  v1::Statistics st;
  st.set_state_dim(2);
  for (double level : {0.05, 0.5, 0.95}) st.add_quantile_levels(level);
  for (int k = 0; k < 5; ++k) {
    st.add_ts(0.25 * k);
    for (int j = 0; j < 2; ++j) st.add_mean(k * (j + 1.0));
    for (double q : {-1.0, 0.0, 1.0}) {
      for (int j = 0; j < 2; ++j) st.add_quantiles(k * (j + 1.0) + q);
    }
  }
  return st;
}

std::vector<v1::Path> Paths(int count) {
  std::vector<v1::Path> paths;
  for (int p = 0; p < count; ++p) {
    v1::Path& path = paths.emplace_back();
    for (int k = 0; k < 5; ++k) {
      path.add_ts(0.25 * k);
      path.add_ys(k + 0.1 * p);
      path.add_ys(p == 0 && k == 2 ? NAN : -k);  // non-finite points are skipped
    }
  }
  return paths;
}

TEST(SvgPlotTest, TheCheckerCatchesMalformedXml) {
  std::string why;
  EXPECT_TRUE(WellFormed("<?xml?><a><b x=\"1\"/></a>", &why)) << why;
  for (const char* bad : {"<?xml?><a><b></a></b>", "<?xml?><a>", "<?xml?><a x=1></a>",
                          "<?xml?><a></a><a></a>", "<?xml?><a x=\"1></a>"}) {
    EXPECT_FALSE(WellFormed(bad, &why)) << bad;
  }
}

TEST(SvgPlotTest, PanelsLinesBandAndLegend) {
  const PlotSpec spec = MakePlot("ou & <shark>", TwoComponentStatistics(), Paths(7), 3, {"x"});
  ASSERT_EQ(spec.panels.size(), 2u);
  EXPECT_EQ(spec.panels[0].label, "x");
  EXPECT_EQ(spec.panels[1].label, "y[1]");
  const std::string svg = RenderSvg(spec);
  std::string why;
  EXPECT_TRUE(WellFormed(svg, &why)) << why;
  EXPECT_NE(svg.find("ou &amp; &lt;shark&gt;"), std::string::npos);
  EXPECT_EQ(Count(svg, "<polyline class=\"mean\""), 2u);
  EXPECT_EQ(Count(svg, "<polyline class=\"median\""), 2u);
  EXPECT_EQ(Count(svg, "<polygon class=\"band\""), 2u);
  EXPECT_EQ(Count(svg, "<polyline class=\"path\""), 2u * 3);  // the first 3 of 7
  EXPECT_EQ(Count(svg, "3 sample paths"), 2u);
  EXPECT_EQ(Count(svg, ">t</text>"), 2u);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  // The mean of component 0 runs 0, 1, 2, 3, 4 left to right: its points' x grow.
  const size_t mean = svg.find("<polyline class=\"mean\"");
  const std::string points = svg.substr(svg.find("points=\"", mean) + 8);
  EXPECT_EQ(Count(points.substr(0, points.find('"')), ","), 5u);
}

TEST(SvgPlotTest, StatisticsOnlyAndSingleTimes) {
  v1::Statistics st;
  st.set_state_dim(1);
  st.add_ts(1.0);
  st.add_mean(0.5);
  const std::string svg = RenderSvg(MakePlot("one time", st, {}, 5, {}));
  std::string why;
  EXPECT_TRUE(WellFormed(svg, &why)) << why;
  EXPECT_EQ(Count(svg, "<circle class=\"mean\""), 1u);  // a lone point is drawn as a dot
  EXPECT_EQ(Count(svg, "class=\"band\""), 0u);          // no quantiles, no band
  EXPECT_EQ(Count(svg, "sample path"), 0u);
}

TEST(SvgPlotTest, PathsWithoutStatistics) {
  const std::string svg = RenderSvg(MakePlot("paths", std::nullopt, Paths(2), 5, {}));
  std::string why;
  EXPECT_TRUE(WellFormed(svg, &why)) << why;
  EXPECT_EQ(Count(svg, "<polyline class=\"path\""), 4u);
  EXPECT_EQ(Count(svg, "class=\"mean\""), 0u);
}

TEST(SvgPlotTest, NiceTicks) {
  EXPECT_EQ(NiceTicks(-3.7, 12.2, 6), (std::vector<double>{0.0, 5.0, 10.0}));
  for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{
           {0.0, 1.0}, {-3.7, 12.2}, {1e-9, 3e-9}, {-5e6, -4e6}, {0.04, 0.0401}}) {
    SCOPED_TRACE(testing::Message() << lo << " " << hi);
    const std::vector<double> t = NiceTicks(lo, hi, 6);
    ASSERT_GE(t.size(), 2u);
    EXPECT_LE(t.size(), 13u);
    const double step = t[1] - t[0];
    // 1, 2 or 5 times a power of ten.
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 ||
                std::abs(mantissa - 5) < 1e-6)
        << mantissa;
    EXPECT_GE(t.front(), lo - 1e-9 * std::abs(step));
    EXPECT_LE(t.back(), hi + 1e-9 * std::abs(hi));
  }
}

}  // namespace
}  // namespace pathwise::cli
