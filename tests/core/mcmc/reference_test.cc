// The summary of a small fixed data set against values computed independently
// by tests/core/mcmc/reference_diagnostics.py (numpy 1.24.2, Python 3.11.2: FFT
// autocovariances and statistics.NormalDist's quantile, where core/mcmc sums
// lags directly and evaluates its own AS 241). Odd chains (21 draws) exercise
// the dropped middle draw, one-decimal values the average ranks of ties.
#include "core/mcmc/diagnostics.h"
#include "core/mcmc/effective_sample_size.h"
#include "gtest/gtest.h"

namespace pathwise::mcmc {
namespace {

const Chains kChains = {
    {0.0, 1.6, 0.6, 0.8, 2.4, -0.1, 1.5, 3.1, 0.6, 2.3, 2.3,
     1.4, 3.1, 3.1, 2.1, 2.3, 3.8,  2.8, 3.1, 4.6, 2.1},
    {-0.5, 1.3, 2.1, 0.6, 0.0, 2.2, 2.2, 0.6, 0.8, 2.9, 2.2,
     0.8,  1.7, 3.4, 2.1, 1.3, 2.6, 3.6, 2.0, 2.0, 3.3},
    {0.9,  1.1,  0.2, -1.0, -1.7, -1.2, 0.1,  1.2,  1.4,  0.5, -0.7,
     -1.3, -0.8, 0.4, 1.6,  1.8,  0.9,  -0.4, -1.0, -0.5, 0.8},
};

// Both sides sum the same terms in different orders (and FFT against direct
// sums): agreement to 1e-12 relative, far above rounding, far below any slip.
constexpr double kRelative = 1e-12;

TEST(ReferenceValues, MatchAnIndependentNumpyComputation) {
  const absl::StatusOr<ParameterSummary> summary = Summarize(kChains);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_NEAR(summary->mean, 1.3174603174603174, kRelative);
  EXPECT_NEAR(summary->sd, 1.415642984259721, kRelative);
  EXPECT_NEAR(MeanEffectiveSampleSize(kChains), 9.917242877451066, 10 * kRelative);
  EXPECT_NEAR(summary->mcse_mean, 0.4495295714782941, kRelative);
  EXPECT_NEAR(summary->ess_bulk, 10.246258931791525, 10 * kRelative);
  EXPECT_NEAR(summary->ess_tail, 36.21301775147929, 40 * kRelative);
  EXPECT_NEAR(summary->r_hat, 1.3933106331241827, kRelative);
}

}  // namespace
}  // namespace pathwise::mcmc
