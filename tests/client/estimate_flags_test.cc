#include "client/cli/estimate_flags.h"

#include "gtest/gtest.h"

namespace pathwise::cli {
namespace {

v1::EstimateRequest Build(const std::vector<std::string>& words) {
  return BuildEstimateRequest(Args(words, EstimateRequestFlagSpecs()));
}

std::string UsageMessage(const std::vector<std::string>& words) {
  try {
    Build(words);
  } catch (const UsageError& e) {
    return e.message;
  }
  return "(no error)";
}

const std::vector<std::string> kCall = {"--model",       "gbm",
                                        "--param",       "mu=0.05",
                                        "--y0",          "1",
                                        "--method",      "milstein",
                                        "--functional",  "exp(-0.05) * max(y - 1, 0)",
                                        "--target-rmse", "1e-3"};

TEST(EstimateFlagsTest, EveryOptionFillsItsField) {
  std::vector<std::string> words = kCall;
  for (const char* w : {"--estimator", "monte-carlo", "--antithetic", "--coarsest-dt", "0.5",
                        "--max-level", "6", "--max-path-steps", "1000000", "--t0", "0.5", "--t1",
                        "2", "--seed", "9", "--tol", "1e-4", "--levy", "space-time"}) {
    words.push_back(w);
  }
  const v1::EstimateRequest r = Build(words);
  EXPECT_EQ(r.model().builtin().name(), "gbm");
  EXPECT_EQ(r.model().builtin().params().at("mu"), 0.05);
  EXPECT_EQ(r.method(), v1::MILSTEIN);
  EXPECT_EQ(r.functional(), "exp(-0.05) * max(y - 1, 0)");
  EXPECT_EQ(r.target_rmse(), 1e-3);
  EXPECT_EQ(r.estimator(), v1::ESTIMATOR_MONTE_CARLO);
  EXPECT_TRUE(r.antithetic());
  EXPECT_EQ(r.coarsest_dt(), 0.5);
  EXPECT_EQ(r.max_level(), 6u);
  EXPECT_EQ(r.max_path_steps(), 1000000u);
  EXPECT_EQ(r.t0(), 0.5);
  EXPECT_EQ(r.t1(), 2.0);
  EXPECT_EQ(r.seed(), 9u);
  EXPECT_EQ(r.brownian().tol(), 1e-4);
  EXPECT_EQ(r.brownian().levy_area(), v1::LEVY_AREA_SPACE_TIME);
  ASSERT_EQ(r.y0_size(), 1);
}

TEST(EstimateFlagsTest, DefaultsAreTheWireZerosAndT1One) {
  const v1::EstimateRequest r = Build(kCall);
  EXPECT_EQ(r.estimator(), v1::ESTIMATOR_MULTILEVEL);
  EXPECT_FALSE(r.antithetic());
  EXPECT_EQ(r.coarsest_dt(), 0.0);
  EXPECT_EQ(r.max_level(), 0u);
  EXPECT_EQ(r.max_path_steps(), 0u);
  EXPECT_EQ(r.t0(), 0.0);
  EXPECT_EQ(r.t1(), 1.0);
}

TEST(EstimateFlagsTest, MissingOrBadOptionsAreUsageErrors) {
  EXPECT_EQ(UsageMessage({"--method", "euler", "--functional", "y", "--target-rmse", "1"})
                .rfind("give a model", 0),
            0u);
  EXPECT_EQ(UsageMessage({"--model", "gbm", "--functional", "y", "--target-rmse", "1"})
                .rfind("--method is required", 0),
            0u);
  EXPECT_EQ(UsageMessage({"--model", "gbm", "--method", "euler", "--target-rmse", "1"})
                .rfind("--functional is required", 0),
            0u);
  EXPECT_EQ(UsageMessage({"--model", "gbm", "--method", "euler", "--functional", "y"})
                .rfind("--target-rmse is required", 0),
            0u);
  std::vector<std::string> words = kCall;
  words.insert(words.end(), {"--estimator", "quasi"});
  EXPECT_EQ(UsageMessage(words), "--estimator: 'quasi' is not one of multilevel, monte-carlo");
  words = kCall;
  words.insert(words.end(), {"--max-level", "-1"});
  EXPECT_NE(UsageMessage(words).find("--max-level"), std::string::npos);
}

TEST(EstimateFlagsTest, EstimatorNamesRoundTrip) {
  for (const v1::Estimator e : {v1::ESTIMATOR_MULTILEVEL, v1::ESTIMATOR_MONTE_CARLO}) {
    EXPECT_EQ(ParseEstimator(EstimatorName(e)), e);
  }
}

}  // namespace
}  // namespace pathwise::cli
