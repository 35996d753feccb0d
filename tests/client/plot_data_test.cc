#include "client/cli/plot_data.h"

#include <cmath>

#include "gtest/gtest.h"

namespace pathwise::cli {
namespace {

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

const plot::Line* FindLine(const plot::Panel& panel, const std::string& label) {
  for (const plot::Line& line : panel.lines) {
    if (line.label == label) return &line;
  }
  return nullptr;
}

TEST(PlotDataTest, PanelsBandPathsMeanAndMedianOnTop) {
  const plot::Figure figure = MakePlot("title", TwoComponentStatistics(), Paths(7), 3, {"x"});
  ASSERT_EQ(figure.panels.size(), 2u);
  EXPECT_EQ(figure.title, "title");
  EXPECT_EQ(figure.panels[0].y_label, "x");
  EXPECT_EQ(figure.panels[1].y_label, "y[1]");
  for (const plot::Panel& panel : figure.panels) {
    EXPECT_EQ(panel.x_label, "t");
    ASSERT_EQ(panel.bands.size(), 1u);
    EXPECT_EQ(panel.bands[0].label, kBandLabel);
    ASSERT_EQ(panel.lines.size(), 3u + 2);  // the first 3 of 7 paths, mean, median
    EXPECT_EQ(panel.lines[0].label, "3 sample paths");
    EXPECT_EQ(panel.lines[3].label, "mean");
    EXPECT_EQ(panel.lines[4].label, "median");  // drawn last: visible over the band
    EXPECT_NE(panel.lines[4].style.color, panel.lines[3].style.color);
  }
  // Component 1: mean 2k, quantiles 2k - 1, 2k, 2k + 1 at t = k / 4.
  const plot::Panel& p1 = figure.panels[1];
  EXPECT_EQ(FindLine(p1, "mean")->y, (std::vector<double>{0, 2, 4, 6, 8}));
  EXPECT_EQ(FindLine(p1, "median")->y, (std::vector<double>{0, 2, 4, 6, 8}));
  EXPECT_EQ(p1.bands[0].lower, (std::vector<double>{-1, 1, 3, 5, 7}));
  EXPECT_EQ(p1.bands[0].upper, (std::vector<double>{1, 3, 5, 7, 9}));
  EXPECT_EQ(p1.lines[0].y.size(), 5u);
  EXPECT_TRUE(std::isnan(p1.lines[0].y[2]));  // passed on; the writer skips it
}

TEST(PlotDataTest, StatisticsWithoutQuantilesAndPathsWithoutStatistics) {
  v1::Statistics st;
  st.set_state_dim(1);
  st.add_ts(1.0);
  st.add_mean(0.5);
  const plot::Figure one = MakePlot("one time", st, {}, 5, {});
  ASSERT_EQ(one.panels.size(), 1u);
  EXPECT_TRUE(one.panels[0].bands.empty());
  ASSERT_EQ(one.panels[0].lines.size(), 1u);
  EXPECT_EQ(one.panels[0].lines[0].label, "mean");
  const plot::Figure paths = MakePlot("paths", std::nullopt, Paths(2), 5, {});
  ASSERT_EQ(paths.panels.size(), 2u);
  EXPECT_EQ(paths.panels[0].lines.size(), 2u);
  EXPECT_EQ(FindLine(paths.panels[0], "mean"), nullptr);
}

TEST(PlotDataTest, ComponentNamesComeFromTheModel) {
  v1::SolveRequest heston;
  heston.mutable_model()->mutable_builtin()->set_name("heston");
  EXPECT_EQ(ComponentNames(heston, 2, {"S", "v"}), (std::vector<std::string>{"S", "v"}));
  v1::SolveRequest cir;
  cir.mutable_model()->mutable_builtin()->set_name("cir");
  EXPECT_EQ(ComponentNames(cir, 1, {"y"}), (std::vector<std::string>{"y"}));
  EXPECT_EQ(ComponentNames(cir, 2, {"y"}), (std::vector<std::string>{"y[0]", "y[1]"}));
  EXPECT_TRUE(ComponentNames(cir, 2, {}).empty());  // catalog unknown: y[j]
  v1::SolveRequest expression;
  expression.mutable_model()->mutable_expression()->add_state("x");
  expression.mutable_model()->mutable_expression()->add_state("p");
  EXPECT_EQ(ComponentNames(expression, 2, {}), (std::vector<std::string>{"x", "p"}));
  v1::SolveRequest langevin;
  langevin.mutable_model()->mutable_langevin()->set_expression("x0^2");
  EXPECT_EQ(ComponentNames(langevin, 2, {}), (std::vector<std::string>{"x", "v"}));
  EXPECT_EQ(ComponentNames(langevin, 4, {"x", "v"}),
            (std::vector<std::string>{"x[0]", "x[1]", "v[0]", "v[1]"}));
}

TEST(PlotDataTest, TitleNamesModelMethodStepsPathsAndSeed) {
  v1::SolveRequest request;
  request.mutable_model()->mutable_builtin()->set_name("heston");
  request.set_method(v1::MILSTEIN);
  request.set_seed(7);
  request.mutable_step()->mutable_adaptive()->set_rtol(1e-3);
  request.mutable_step()->mutable_adaptive()->set_atol(1e-6);
  v1::Summary summary;
  summary.set_paths(1000);
  EXPECT_EQ(PlotTitle(request, summary),
            "pathwise solve: heston, milstein, adaptive (rtol 0.001, atol 1e-06), 1000 paths, "
            "seed 7");
  request.mutable_step()->mutable_constant()->set_dt(0.01);
  EXPECT_EQ(PlotTitle(request, summary),
            "pathwise solve: heston, milstein, dt 0.01, 1000 paths, seed 7");
}

}  // namespace
}  // namespace pathwise::cli
