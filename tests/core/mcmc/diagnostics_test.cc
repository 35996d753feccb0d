#include "core/mcmc/diagnostics.h"

#include <cmath>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/core/mcmc/chain_generators.h"

namespace pathwise::mcmc {
namespace {

TEST(Summarize, MeanSdAndMcseOfIidDraws) {
  const Chains chains = testing::IidNormalChains(/*seed=*/31, /*chains=*/4, /*draws=*/1000);
  const absl::StatusOr<ParameterSummary> summary = Summarize(chains);
  ASSERT_TRUE(summary.ok()) << summary.status();
  // N(0, 1) from 4000 draws: the mean within 5 MCSE of 0, the sd within
  // 5 sd(s) = 5 / sqrt(2 S) of 1.
  EXPECT_NEAR(summary->mean, 0.0, 5.0 * summary->mcse_mean);
  EXPECT_NEAR(summary->sd, 1.0, 5.0 / std::sqrt(2.0 * 4000));
  // mcse = sd / sqrt(ESS) with ESS ~ S for iid draws.
  EXPECT_NEAR(summary->mcse_mean, 1.0 / std::sqrt(4000.0), 0.2 / std::sqrt(4000.0));
  EXPECT_LT(summary->r_hat, 1.01);
}

// An AR(1) mean has variance tau / S: the MCSE must carry the factor
// sqrt(tau) = sqrt((1 + rho) / (1 - rho)) = sqrt(19) for rho = 0.9.
TEST(Summarize, McseOfTheMeanCarriesTheAutocorrelationTime) {
  const Chains chains = testing::Ar1Chains(/*seed=*/32, /*chains=*/4, /*draws=*/50000, 0.9);
  const absl::StatusOr<ParameterSummary> summary = Summarize(chains);
  ASSERT_TRUE(summary.ok()) << summary.status();
  const double expected = std::sqrt(19.0 / 200000.0);
  EXPECT_NEAR(summary->mcse_mean, expected, 0.15 * expected);  // ~ half the ESS tolerance
}

TEST(Summarize, ConstantDrawsHaveZeroSpreadAndNoRHat) {
  const absl::StatusOr<ParameterSummary> summary = Summarize({{2, 2, 2, 2}, {2, 2, 2, 2}});
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->mean, 2.0);
  EXPECT_EQ(summary->sd, 0.0);
  EXPECT_EQ(summary->mcse_mean, 0.0);
  EXPECT_TRUE(std::isnan(summary->r_hat));
  EXPECT_TRUE(std::isnan(summary->ess_bulk));
}

TEST(Summarize, RejectsBadDrawsNamingThem) {
  EXPECT_EQ(Summarize({}).status().message(), "chains: no chain given");
  EXPECT_EQ(Summarize({{1, 2, 3, 4}, {1, 2, 3}}).status().message(),
            "chains[1]: has 3 draws, chains[0] has 4");
  EXPECT_EQ(Summarize({{1, 2, 3}, {1, 2, 3}}).status().message(),
            "chains: 3 draws per chain, at least 4 are needed");
  EXPECT_EQ(Summarize({{1, 2, 3, 4}, {1, NAN, 3, 4}}).status().message(),
            "chains[1][1]: draw is not finite (nan)");
  EXPECT_EQ(Summarize({{1, 2, 3, 4}}).status().code(), absl::StatusCode::kOk);
}

TEST(SummarizeAll, SummarisesEachParameterAsItsOwnChains) {
  // Two parameters: p0 = i, p1 = -2 i in both chains.
  std::vector<std::vector<std::vector<double>>> draws(2);
  for (auto& chain : draws) {
    for (int i = 0; i < 6; ++i) chain.push_back({double(i), -2.0 * i});
  }
  const auto summaries = SummarizeAll(draws);
  ASSERT_TRUE(summaries.ok()) << summaries.status();
  ASSERT_EQ(summaries->size(), 2u);
  EXPECT_DOUBLE_EQ((*summaries)[0].mean, 2.5);
  EXPECT_DOUBLE_EQ((*summaries)[1].mean, -5.0);
  EXPECT_DOUBLE_EQ((*summaries)[1].sd, 2.0 * (*summaries)[0].sd);
  // R-hat is rank based: the same for a parameter and a decreasing map of it.
  EXPECT_NEAR((*summaries)[1].r_hat, (*summaries)[0].r_hat, 1e-12);

  draws[1][3] = {1.0};
  EXPECT_EQ(SummarizeAll(draws).status().message(),
            "draws[1][3]: has 1 parameters, draws[0][0] has 2");
}

}  // namespace
}  // namespace pathwise::mcmc
