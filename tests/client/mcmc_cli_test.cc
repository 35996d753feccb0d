// `pathwise mcmc`'s parts: the CSV data table, the request from the options,
// the diagnostics table and the plot's kernel density estimate and panels.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "client/cli/args.h"
#include "client/cli/csv_table.h"
#include "client/cli/mcmc_flags.h"
#include "client/cli/mcmc_output.h"
#include "client/cli/mcmc_plot.h"

namespace pathwise::cli {
namespace {

TEST(CsvTableTest, HeaderRowsAndErrors) {
  const CsvTable t = ParseCsvTable("age, dose ,y\n1,2.5,0\n\n3,-4e-1,1\n", "t.csv");
  EXPECT_EQ(t.header, (std::vector<std::string>{"age", "dose", "y"}));
  EXPECT_EQ(t.cols, 3u);
  EXPECT_EQ(t.values, (std::vector<double>{1, 2.5, 0, 3, -0.4, 1}));
  const CsvTable bare = ParseCsvTable("1,2\n3,4", "t.csv");
  EXPECT_TRUE(bare.header.empty());
  EXPECT_EQ(bare.values.size(), 4u);
  try {
    ParseCsvTable("a,b\n1,2\n3\n", "t.csv");
    FAIL() << "a short row was accepted";
  } catch (const UsageError& e) {
    EXPECT_EQ(e.message, "t.csv:3: 1 fields, expected 2");
  }
  try {
    ParseCsvTable("1,2\n3,x\n", "t.csv");
    FAIL() << "a word was accepted";
  } catch (const UsageError& e) {
    EXPECT_EQ(e.message, "t.csv:2: column 2: 'x' is not a number");
  }
  EXPECT_THROW(ParseCsvTable("a,b\n", "t.csv"), UsageError);
}

McmcInput Build(std::vector<std::string> words) {
  std::vector<FlagSpec> specs = McmcRequestFlagSpecs();
  return BuildMcmcRequest(Args(words, specs));
}

TEST(McmcFlagsTest, EveryOptionReachesTheRequest) {
  const McmcInput in = Build({"--potential",
                              "(x0 - a)^2",
                              "--param",
                              "a=2",
                              "--dim",
                              "1",
                              "--gamma",
                              "3",
                              "--u",
                              "0.5",
                              "--x0",
                              "1",
                              "--method",
                              "should",
                              "--seed",
                              "9",
                              "--chains",
                              "2",
                              "--initial-positions",
                              "0,1",
                              "--warmup",
                              "10",
                              "--draws",
                              "50",
                              "--thin",
                              "0.5",
                              "--dt",
                              "0.1",
                              "--preconditioner",
                              "given",
                              "--inverse-mass",
                              "4"});
  const v1::McmcRequest& r = in.request;
  EXPECT_EQ(r.target().expression(), "(x0 - a)^2");
  EXPECT_EQ(r.target().params().at("a"), 2.0);
  EXPECT_EQ(r.target().dim(), 1u);
  EXPECT_EQ(r.target().gamma(), 3.0);
  EXPECT_EQ(r.target().u(), 0.5);
  EXPECT_EQ(r.target().x0(0), 1.0);
  EXPECT_EQ(r.method(), v1::SHOULD);
  EXPECT_EQ(r.seed(), 9u);
  EXPECT_EQ(r.num_chains(), 2u);
  EXPECT_EQ(r.initial_positions_size(), 2);
  EXPECT_EQ(r.warmup_time(), 10.0);
  EXPECT_EQ(r.num_draws(), 50u);
  EXPECT_EQ(r.thin_time(), 0.5);
  EXPECT_EQ(r.step().constant().dt(), 0.1);
  EXPECT_EQ(r.preconditioner(), v1::PRECONDITIONER_DIAGONAL_GIVEN);
  EXPECT_EQ(r.inverse_mass(0), 4.0);
  // Defaults: 4 chains, 100 of warm-up, the server's method and adapted steps.
  const McmcInput d = Build({"--potential", "x0^2", "--dim", "1", "--draws", "10"});
  EXPECT_EQ(d.request.num_chains(), 4u);
  EXPECT_EQ(d.request.warmup_time(), 100.0);
  EXPECT_EQ(d.request.method(), v1::METHOD_UNSPECIFIED);
  EXPECT_FALSE(d.request.has_step());
  const McmcInput a =
      Build({"--potential", "x0^2", "--dim", "1", "--draws", "10", "--adaptive", "--rtol", "0.01"});
  EXPECT_EQ(a.request.step().adaptive().rtol(), 0.01);
}

TEST(McmcFlagsTest, ContradictionsAreUsageErrors) {
  EXPECT_THROW(Build({"--dim", "1", "--draws", "10"}), UsageError);  // no target
  EXPECT_THROW(Build({"--potential", "x0^2", "--builtin", "gaussian", "--draws", "10"}),
               UsageError);
  EXPECT_THROW(Build({"--potential", "x0^2", "--data", "1,2", "--draws", "10"}), UsageError);
  EXPECT_THROW(Build({"--potential", "x0^2", "--dim", "1"}), UsageError);  // no --draws
  EXPECT_THROW(Build({"--potential", "x0^2", "--draws", "10", "--dt", "1", "--adaptive"}),
               UsageError);
  EXPECT_THROW(Build({"--potential", "x0^2", "--draws", "10", "--rtol", "1"}), UsageError);
  EXPECT_THROW(Build({"--potential", "x0^2", "--draws", "10", "--preconditioner", "full"}),
               UsageError);
}

TEST(McmcFlagsTest, ParameterNamesFromTheHeaderWhenTheyFit) {
  EXPECT_EQ(ParameterNames({"a", "b"}, 2), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ParameterNames({"a", "b"}, 3), (std::vector<std::string>{"x0", "x1", "x2"}));
}

TEST(McmcOutputTest, DiagnosticsTableAndSummary) {
  v1::McmcDiagnostics d;
  d.set_dim(1);
  d.add_mean(0.5);
  d.add_sd(1);
  d.add_mcse_mean(0.01);
  d.add_ess_bulk(900);
  d.add_ess_tail(800);
  d.add_rhat(1.001);
  EXPECT_EQ(FormatDiagnostics(d, {"alpha"}, true),
            "param,mean,sd,mcse,ess_bulk,ess_tail,rhat\nalpha,0.5,1,0.01,900,800,1.001\n");
  v1::McmcSummary s;
  s.set_num_chains(4);
  s.set_draws(400);
  s.set_unstable_chains(1);
  EXPECT_NE(McmcSummaryLine(s).find("4 chains, 400 draws, 1 unstable"), std::string::npos);
}

TEST(McmcPlotTest, KernelDensityIntegratesToOneAndFindsTheMode) {
  // An even grid on [-4, 4]: the estimate integrates to 1 (up to the
  // trapezoid rule) and is the uniform density 1/8 in the middle, where the
  // kernel (h about 0.4) does not reach the ends.
  std::vector<double> values;
  const int n = 2000;
  for (int i = 0; i < n; ++i) values.push_back(-4.0 + 8.0 * (i + 0.5) / n);
  const Density kde = KernelDensity(values, 401);
  ASSERT_EQ(kde.x.size(), 401u);
  double integral = 0.0;
  for (size_t i = 1; i < kde.x.size(); ++i) {
    integral += 0.5 * (kde.density[i] + kde.density[i - 1]) * (kde.x[i] - kde.x[i - 1]);
  }
  EXPECT_NEAR(integral, 1.0, 1e-3);
  EXPECT_NEAR(kde.density[200], 0.125, 0.002);
  EXPECT_TRUE(KernelDensity({}, 10).x.empty());
  EXPECT_EQ(KernelDensity({2.0, 2.0}, 10).x.size(), 10u);  // constant draws: h = 1e-3
}

TEST(McmcPlotTest, TwoPanelsPerParameterOneLinePerChain) {
  ChainDraws draws;
  draws.dim = 2;
  draws.chains = {{0, 1, 2, 3, 4, 5}, {1, 1, 2, 2, 3, 3}, {0, 0, 1, 1, 2, 2}};
  const plot::Figure f = McmcFigure("t", draws, {1}, {"a", "b"});
  ASSERT_EQ(f.panels.size(), 2u);
  EXPECT_EQ(f.panels[0].y_label, "b");
  ASSERT_EQ(f.panels[0].lines.size(), 3u);
  EXPECT_EQ(f.panels[0].lines[0].y, (std::vector<double>{1, 3, 5}));
  EXPECT_EQ(f.panels[1].x_label, "b");
  EXPECT_EQ(f.panels[1].lines.size(), 1u);
}

}  // namespace
}  // namespace pathwise::cli
