#include "client/cli/estimate_output.h"

#include "gtest/gtest.h"

namespace pathwise::cli {
namespace {

EstimateOutcome Outcome(bool converged) {
  EstimateOutcome o;
  for (uint32_t l = 0; l < 2; ++l) {
    v1::LevelStatistics& s = o.levels[l];
    s.set_level(l);
    s.set_dt(0.25 / (1 << l));
    s.set_paths(256 >> l);
    s.set_mean(l == 0 ? 0.1 : 0.001);
    s.set_variance(l == 0 ? 0.02 : 1e-6);
    s.set_path_steps_per_sample(l == 0 ? 4 : 12);
  }
  v1::EstimateResult& r = o.result;
  r.set_value(0.101);
  r.set_standard_error(0.0006);
  r.set_bias_estimate(0.0002);
  r.set_rmse_estimate(0.00063);
  r.set_levels(2);
  r.set_total_path_steps(256 * 4 + 128 * 12);
  r.set_converged(converged);
  r.set_algorithm("giles-mlmc-1/vbt-philox-1");
  r.set_wall_seconds(0.5);
  return o;
}

TEST(EstimateOutputTest, TableHasOneRowPerLevelThenTheResult) {
  const std::string table = FormatEstimate(Outcome(true), v1::EstimateRequest(), "table");
  EXPECT_EQ(table.rfind("level  dt     paths  mean   variance  steps_per_sample\n", 0), 0u)
      << table;
  EXPECT_NE(table.find("\n0      0.25   256    0.1    0.02      4\n"), std::string::npos) << table;
  EXPECT_NE(table.find("\n1      0.125  128    0.001  1e-06     12\n"), std::string::npos);
  EXPECT_NE(table.find("\nvalue             0.101\n"), std::string::npos) << table;
  EXPECT_NE(table.find("\nconverged         true\n"), std::string::npos);
  EXPECT_NE(table.find("\ntotal_path_steps  2560\n"), std::string::npos);
}

TEST(EstimateOutputTest, JsonHoldsTheRequestTheLevelsAndTheResult) {
  v1::EstimateRequest request;
  request.set_functional("y");
  request.set_target_rmse(1e-3);
  const std::string json = FormatEstimate(Outcome(false), request, "json");
  EXPECT_EQ(json.rfind("{\"request\": {\"functional\":\"y\",\"target_rmse\":0.001}", 0), 0u)
      << json;
  EXPECT_NE(json.find("{\"level\": 1, \"dt\": 0.125, \"paths\": 128, \"mean\": 0.001, "
                      "\"variance\": 1e-06, \"path_steps_per_sample\": 12}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"converged\": false"), std::string::npos);
  EXPECT_NE(json.find("\"algorithm\": \"giles-mlmc-1/vbt-philox-1\""), std::string::npos);
}

TEST(EstimateOutputTest, NotConvergedSaysWhatToChange) {
  v1::EstimateRequest request;
  request.set_target_rmse(1e-4);
  EXPECT_EQ(NotConvergedLine(Outcome(true).result, request), "");
  const std::string line = NotConvergedLine(Outcome(false).result, request);
  EXPECT_NE(line.find("--max-level or --max-path-steps"), std::string::npos) << line;
  EXPECT_NE(EstimateLine(Outcome(false).result, 1e-4).find("NOT converged"), std::string::npos);
}

}  // namespace
}  // namespace pathwise::cli
