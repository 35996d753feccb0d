// The client's statistics of a split solve against the core's own, bit for bit.
#include "client/cli/ensemble_statistics.h"

#include <cstring>

#include "client/cli/save_grid.h"
#include "core/integrate/ensemble.h"
#include "core/model/catalog.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"

namespace pathwise::cli {
namespace {

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

v1::SaveAt ToWire(const integrate::SaveAt& s) {
  v1::SaveAt out;
  out.mutable_ts()->Add(s.ts.begin(), s.ts.end());
  out.set_t0(s.t0);
  out.set_t1(s.t1);
  out.set_steps(s.steps);
  return out;
}

// Solves with the core (paths and statistics) and recomputes the statistics
// from the paths as the CLI does; they must agree in every bit.
void ExpectSameStatistics(const model::Sde& sde, solver::MethodId method,
                          const integrate::SolveOptions& opts, bool expect_incomplete) {
  auto sol = integrate::SolveEnsemble(sde, solver::GetMethod(method), opts);
  ASSERT_TRUE(sol.ok()) << sol.status();
  ASSERT_TRUE(sol->has_statistics);
  std::vector<v1::Path> paths;
  for (const auto& p : sol->paths) paths.push_back(ToWire(p));
  const std::vector<double> fixed = FixedSaveTimes(ToWire(opts.saveat), opts.t0, opts.t1);
  auto st = EnsembleStatistics(paths, fixed, sde.state_dim(), kQuantileLevels);
  ASSERT_TRUE(st.ok()) << st.status();
  const integrate::Statistics& core = sol->statistics;
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
  auto st = EnsembleStatistics({failed}, {1.0}, 2, kQuantileLevels);
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
  auto st = EnsembleStatistics({p}, {1.0}, 1, kQuantileLevels);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().message(), "path 4 has no state at save time 1");
  p.add_ys(2.0);
  EXPECT_FALSE(EnsembleStatistics({p}, {0.5}, 1, kQuantileLevels).ok());  // 2 values, 1 time
}

}  // namespace
}  // namespace pathwise::cli
