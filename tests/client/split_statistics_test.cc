// The CLI's merge of a split solve's statistics (the protocol's block-moment
// fold and type-7 quantiles) against the core's statistics of the whole
// ensemble, bit for bit; the ranges' statistics are encoded by the server's
// own encoder.
#include "client/cli/split_statistics.h"

#include <cmath>
#include <cstring>

#include "core/integrate/ensemble.h"
#include "core/model/catalog.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "server/solve_encoding.h"

namespace pathwise::cli {
namespace {

const std::vector<double> kQuantileLevels = {0.05, 0.5, 0.95};

bool SameBits(const std::vector<double>& a, const google::protobuf::RepeatedField<double>& b) {
  return a.size() == static_cast<size_t>(b.size()) &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

v1::Path ToWire(const integrate::PathSolution& p) {
  v1::Path out;
  out.set_path_index(p.path_index);
  out.mutable_ts()->Add(p.ts.begin(), p.ts.end());
  out.mutable_ys()->Add(p.ys.begin(), p.ys.end());
  out.set_status(static_cast<v1::SolveStatus>(static_cast<int>(p.status)));
  return out;
}

integrate::EnsembleSolution Solve(const model::Sde& sde, solver::MethodId method,
                                  const integrate::SolveOptions& opts) {
  auto sol = integrate::SolveEnsemble(sde, solver::GetMethod(method), opts);
  EXPECT_TRUE(sol.ok()) << sol.status();
  EXPECT_TRUE(sol->has_statistics);
  return *std::move(sol);
}

// Solves the whole ensemble with the core, and again in two ranges split at
// member 128 (a multiple of the 64-path block), whose statistics with block
// moments and paths the CLI merges; the merge must equal the whole in every bit.
void ExpectSameStatistics(const model::Sde& sde, solver::MethodId method,
                          const integrate::SolveOptions& opts, bool expect_incomplete) {
  const integrate::EnsembleSolution whole = Solve(sde, method, opts);
  integrate::SolveOptions head = opts, tail = opts;
  head.num_paths = 128;
  tail.first_path = opts.first_path + 128;
  tail.num_paths = opts.num_paths - 128;
  std::vector<v1::Statistics> ranges;
  std::vector<v1::Path> paths;
  for (const integrate::SolveOptions& range : {head, tail}) {
    const integrate::EnsembleSolution part = Solve(sde, method, range);
    const size_t nt = part.statistics.ts.size();
    ranges.push_back(server::StatisticsEvent(part.statistics, 0, nt, true).statistics());
    for (const auto& p : part.paths) paths.push_back(ToWire(p));
  }
  auto st = SplitStatistics(ranges, paths);
  ASSERT_TRUE(st.ok()) << st.status();
  const integrate::Statistics& core = whole.statistics;
  if (expect_incomplete) {
    // The case must exercise the exclusion of incomplete paths.
    ASSERT_GT(core.count, 0u);
    ASSERT_LT(core.count, paths.size());
  }
  EXPECT_EQ(st->count(), core.count);
  EXPECT_EQ(st->state_dim(), static_cast<uint32_t>(core.state_dim));
  EXPECT_TRUE(SameBits(core.ts, st->ts()));
  EXPECT_TRUE(SameBits(core.mean, st->mean()));
  EXPECT_TRUE(SameBits(core.variance, st->variance()));
  EXPECT_TRUE(SameBits(core.std_error, st->stderr()));
  EXPECT_TRUE(SameBits(core.quantile_levels, st->quantile_levels()));
  EXPECT_TRUE(SameBits(core.quantiles, st->quantiles()));

  // From the paths alone (a plot of a paths-only solve): equal to rounding.
  std::vector<v1::Path> all;
  for (const auto& p : whole.paths) all.push_back(ToWire(p));
  auto alone = PathStatistics(all, core.ts, static_cast<uint32_t>(core.state_dim), kQuantileLevels);
  ASSERT_TRUE(alone.ok()) << alone.status();
  EXPECT_EQ(alone->count(), core.count);
  EXPECT_TRUE(SameBits(core.quantiles, alone->quantiles()));
  for (size_t i = 0; i < core.mean.size(); ++i) {
    const int w = static_cast<int>(i);
    if (!std::isfinite(core.variance[i])) {  // overflowed alike (the double well)
      EXPECT_EQ(alone->variance(w), core.variance[i]);
      continue;
    }
    EXPECT_NEAR(alone->mean(w), core.mean[i], 1e-12 * (1.0 + std::abs(core.mean[i])));
    EXPECT_NEAR(alone->variance(w), core.variance[i], 1e-10 * (1.0 + core.variance[i]));
  }
}

integrate::SolveOptions Options(uint32_t paths) {
  integrate::SolveOptions o;
  o.step = control::ConstantStep{0x1p-6};
  o.seed = 5;
  o.num_paths = paths;  // not a multiple of the 64-path block
  o.threads = 2;
  o.statistics.enabled = true;
  o.statistics.quantile_levels = kQuantileLevels;
  return o;
}

TEST(EnsembleStatisticsTest, HestonAtFixedTimes) {
  auto heston = model::MakeBuiltinModel("heston", {}, 2, model::Calculus::kIto);
  ASSERT_TRUE(heston.ok());
  integrate::SolveOptions o = Options(200);
  o.y0 = {1.0, 0.04};
  o.saveat.ts = {0.25, 0.5};
  o.saveat.t1 = true;
  ExpectSameStatistics(**heston, solver::MethodId::kEuler, o, false);
}

TEST(EnsembleStatisticsTest, FixedTimesAmongStepTimes) {
  auto ou = model::MakeBuiltinModel("ou", {}, 3, model::Calculus::kIto);
  ASSERT_TRUE(ou.ok());
  integrate::SolveOptions o = Options(130);
  o.y0 = {1.0, -1.0, 0.5};
  o.saveat.ts = {0.5};
  o.saveat.t0 = true;
  o.saveat.steps = true;  // paths hold every step; statistics only t0, 0.5
  ExpectSameStatistics(**ou, solver::MethodId::kShark, o, false);
}

TEST(EnsembleStatisticsTest, IncompletePathsAreLeftOut) {
  // Euler on the double well with a step of 0.5: y - y^3 dt overshoots once
  // |y| > ~2.5 and the path overflows (NONFINITE); sigma = 1.5 sends some
  // paths there and not others (checked in ExpectSameStatistics).
  auto well = model::MakeBuiltinModel("double_well", {{"sigma", 1.5}}, 1, model::Calculus::kIto);
  ASSERT_TRUE(well.ok());
  integrate::SolveOptions o = Options(300);
  o.y0 = {0.0};
  o.t1 = 20.0;
  o.step = control::ConstantStep{0.5};
  o.saveat.ts = {1.0, 10.0};
  o.saveat.t1 = true;
  ExpectSameStatistics(**well, solver::MethodId::kEuler, o, true);
}

TEST(EnsembleStatisticsTest, NoCompletedPaths) {
  v1::Path failed;
  failed.set_status(v1::NONFINITE);
  auto st = PathStatistics({failed}, {1.0}, 2, kQuantileLevels);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->count(), 0u);
  EXPECT_EQ(st->mean_size(), 2);
  EXPECT_EQ(st->stderr(0), 0.0);
  EXPECT_TRUE(std::isnan(st->quantiles(0)));
}

TEST(EnsembleStatisticsTest, ACompletedPathWithoutAFixedTimeIsAnError) {
  v1::Path p;
  p.set_path_index(4);
  p.add_ts(0.5);
  p.add_ys(1.0);
  auto st = PathStatistics({p}, {1.0}, 1, kQuantileLevels);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().message(), "path 4 has no state at save time 1");
  p.add_ys(2.0);
  EXPECT_FALSE(PathStatistics({p}, {0.5}, 1, kQuantileLevels).ok());  // 2 values, 1 time
}

TEST(EnsembleStatisticsTest, RangesOfAnotherShapeAreAnError) {
  v1::Statistics range;
  range.add_ts(1.0);
  range.set_state_dim(1);
  range.add_block_counts(3);
  range.add_block_mean(0.5);  // no block_m2
  auto st = SplitStatistics({range}, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().message(), "range 0: block moments do not fit 1 save times of dimension 1");
}

}  // namespace
}  // namespace pathwise::cli
