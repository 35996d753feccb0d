// Ensembles: thread-count invariance, statistics against direct computation,
// splitting an ensemble, save times, the Brownian path identity (one path per
// seed for every method), cancellation
// and progress.
#include "core/integrate/ensemble.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

#include "core/brownian/brownian_path.h"
#include "core/brownian/cursor.h"
#include "core/integrate/statistics.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using solver::MethodId;

bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

integrate::SolveOptions StatsOptions() {
  integrate::SolveOptions o;
  o.y0 = {1.0, 0.04};
  o.step = control::ConstantStep{0x1p-7};
  o.saveat.ts = {0.25, 0.5};
  o.saveat.t1 = true;
  o.seed = 11;
  o.num_paths = 200;  // not a multiple of the block size
  o.statistics.enabled = true;
  o.statistics.quantile_levels = {0.05, 0.5, 0.95};
  return o;
}

TEST(EnsembleTest, IdenticalForAnyThreadCount) {
  auto heston = testing::Builtin("heston", {}, 2);
  const solver::Method& euler = solver::GetMethod(MethodId::kEuler);
  integrate::SolveOptions o = StatsOptions();
  o.threads = 1;
  auto one = integrate::SolveEnsemble(*heston, euler, o);
  o.threads = 2;
  auto two = integrate::SolveEnsemble(*heston, euler, o);
  o.threads = 3;
  auto three = integrate::SolveEnsemble(*heston, euler, o);
  ASSERT_TRUE(one.ok() && two.ok() && three.ok());
  for (const auto* other : {&*two, &*three}) {
    ASSERT_EQ(one->paths.size(), other->paths.size());
    for (size_t p = 0; p < one->paths.size(); ++p) {
      EXPECT_TRUE(SameBits(one->paths[p].ys, other->paths[p].ys)) << p;
    }
    EXPECT_TRUE(SameBits(one->statistics.mean, other->statistics.mean));
    EXPECT_TRUE(SameBits(one->statistics.variance, other->statistics.variance));
    EXPECT_TRUE(SameBits(one->statistics.quantiles, other->statistics.quantiles));
    EXPECT_EQ(one->summary.drift_evaluations, other->summary.drift_evaluations);
  }
}

TEST(EnsembleTest, StatisticsMatchDirectComputation) {
  auto heston = testing::Builtin("heston", {}, 2);
  integrate::SolveOptions o = StatsOptions();
  o.threads = 2;
  auto sol = integrate::SolveEnsemble(*heston, solver::GetMethod(MethodId::kEuler), o);
  ASSERT_TRUE(sol.ok()) << sol.status();
  const auto& st = sol->statistics;
  ASSERT_EQ(st.ts, (std::vector<double>{0.25, 0.5, 1.0}));
  ASSERT_EQ(st.count, 200u);
  for (size_t k = 0; k < st.ts.size(); ++k) {
    for (int j = 0; j < 2; ++j) {
      std::vector<double> x;
      for (const auto& p : sol->paths) x.push_back(p.ys[k * 2 + j]);
      double mean = 0.0;
      for (double v : x) mean += v;
      mean /= x.size();
      double ss = 0.0;
      for (double v : x) ss += (v - mean) * (v - mean);
      const double var = ss / (x.size() - 1);
      const size_t i = k * 2 + j;
      EXPECT_NEAR(st.mean[i], mean, 1e-12 * (1 + std::abs(mean)));
      EXPECT_NEAR(st.variance[i], var, 1e-10 * var);
      EXPECT_NEAR(st.std_error[i], std::sqrt(var / x.size()), 1e-10 * std::sqrt(var));
      std::sort(x.begin(), x.end());
      // Type-7 quantile at 0.5 of 200 values: the average of the 100th and 101st.
      EXPECT_DOUBLE_EQ(st.quantiles[(k * 3 + 1) * 2 + j], x[99] + 0.5 * (x[100] - x[99]));
      EXPECT_DOUBLE_EQ(st.quantiles[(k * 3 + 0) * 2 + j], integrate::SortedQuantile(x, 0.05));
    }
  }
}

TEST(EnsembleTest, SplittingTheEnsembleGivesTheSamePaths) {
  auto ou = testing::Builtin("ou", {}, 1);
  const solver::Method& shark = solver::GetMethod(MethodId::kShark);
  integrate::SolveOptions o;
  o.y0 = {0.3};
  o.step = control::ConstantStep{0.01};
  o.seed = 3;
  o.num_paths = 100;
  auto all = integrate::SolveEnsemble(*ou, shark, o);
  o.first_path = 60;
  o.num_paths = 40;
  auto tail = integrate::SolveEnsemble(*ou, shark, o);
  ASSERT_TRUE(all.ok() && tail.ok());
  for (int p = 0; p < 40; ++p) {
    EXPECT_EQ(tail->paths[p].path_index, 60u + p);
    EXPECT_TRUE(SameBits(tail->paths[p].ys, all->paths[60 + p].ys));
  }
}

// W over [s, t] of PathSpec{seed, path_index, dim 1, t0, t1, tol, kind}.
double PathIncrement(uint64_t seed, uint64_t path_index, double t0, double t1, double tol,
                     brownian::LevyArea kind, double s, double t) {
  brownian::PathSpec spec{seed, path_index, 1, t0, t1, tol, kind};
  auto path = brownian::BrownianPath::Create(spec);
  EXPECT_TRUE(path.ok()) << path.status();
  if (!path.ok()) return NAN;
  brownian::BrownianCursor cursor(*path);
  double w, h, k;
  cursor.Increment(s, t, &w, &h, &k);
  return w;
}

// dy = dW (ou with theta = 0, sigma = 1): y(t) − y0 is W over [t0, t] of
// PathSpec{seed, path_index, dim, t0, t1, tol, levy_area} from the summary.
integrate::SolveOptions UnitBrownianOptions() {
  integrate::SolveOptions o;
  o.y0 = {0.0};
  o.t0 = 0.5;
  o.t1 = 2.5;
  o.step = control::ConstantStep{0.125};
  o.saveat.steps = true;
  o.seed = 42;
  o.first_path = 7;
  o.num_paths = 3;
  return o;
}

// One seed, one path: a solve that names no Lévy kind runs every method on
// the space-time-time path, so every method sees the same W.
TEST(EnsembleTest, EveryMethodSharesTheDefaultPath) {
  auto bm = testing::Builtin("ou", {{"theta", 0.0}, {"sigma", 1.0}}, 1);
  const integrate::SolveOptions o = UnitBrownianOptions();
  int methods = 0;
  for (const solver::Method* m : solver::AllMethods()) {
    if (!solver::CheckCompatibility(*m, *bm).ok()) continue;  // Langevin and CIR methods
    ++methods;
    auto sol = integrate::SolveEnsemble(*bm, *m, o);
    ASSERT_TRUE(sol.ok()) << m->info().name << ": " << sol.status();
    EXPECT_EQ(sol->summary.levy_area, brownian::LevyArea::kSpaceTimeTime) << m->info().name;
    EXPECT_EQ(sol->summary.brownian_tol, 0.0625);
    for (const auto& p : sol->paths) {
      ASSERT_EQ(p.ts.size(), 16u);
      for (size_t i = 0; i < p.ts.size(); ++i) {
        // A sum of 16 increments against one increment: equal to rounding.
        EXPECT_NEAR(p.ys[i],
                    PathIncrement(42, p.path_index, 0.5, 2.5, 0.0625,
                                  brownian::LevyArea::kSpaceTimeTime, 0.5, p.ts[i]),
                    1e-12)
            << m->info().name << " path " << p.path_index << " t " << p.ts[i];
      }
    }
  }
  EXPECT_EQ(methods, 8);  // euler, euler_heun, heun, milstein, sra1, shark, sea, spark
  // The methods this model does not fit use the same default kind.
  auto lm = testing::SmallLangevin();
  integrate::SolveOptions l = o;
  l.y0 = {0.2, -0.1, 0.5, 0.3};
  for (MethodId id : {MethodId::kAlign, MethodId::kShould, MethodId::kQuicsort}) {
    auto sol = integrate::SolveEnsemble(*lm, solver::GetMethod(id), l);
    ASSERT_TRUE(sol.ok()) << sol.status();
    EXPECT_EQ(sol->summary.levy_area, brownian::LevyArea::kSpaceTimeTime);
  }
  auto cir = testing::Builtin("cir", {{"a", 1.0}, {"b", 1.0}, {"sigma", 0.3}}, 1);
  integrate::SolveOptions c = o;
  c.y0 = {1.0};
  for (MethodId id : {MethodId::kCirSplitting, MethodId::kCirImplicitEuler}) {
    auto sol = integrate::SolveEnsemble(*cir, solver::GetMethod(id), c);
    ASSERT_TRUE(sol.ok()) << sol.status();
    EXPECT_EQ(sol->summary.levy_area, brownian::LevyArea::kSpaceTimeTime);
  }
}

// A kind named in the options is the kind used, W only included: the kind is
// part of the path's address, so it is another path.
TEST(EnsembleTest, ANamedLevyKindIsThePathsKind) {
  auto bm = testing::Builtin("ou", {{"theta", 0.0}, {"sigma", 1.0}}, 1);
  for (brownian::LevyArea kind : {brownian::LevyArea::kNone, brownian::LevyArea::kSpaceTime}) {
    integrate::SolveOptions o = UnitBrownianOptions();
    o.brownian.levy_area = kind;
    auto sol = integrate::SolveEnsemble(*bm, solver::GetMethod(MethodId::kEuler), o);
    ASSERT_TRUE(sol.ok()) << sol.status();
    EXPECT_EQ(sol->summary.levy_area, kind);
    for (const auto& p : sol->paths) {
      const double w = PathIncrement(42, p.path_index, 0.5, 2.5, 0.0625, kind, 0.5, 2.5);
      EXPECT_NEAR(p.ys.back(), w, 1e-12);
      const double w_default = PathIncrement(42, p.path_index, 0.5, 2.5, 0.0625,
                                             brownian::LevyArea::kSpaceTimeTime, 0.5, 2.5);
      EXPECT_GT(std::abs(w - w_default), 1e-6) << "another kind, another path";
    }
  }
}

TEST(EnsembleTest, SaveTimesAndSteps) {
  auto ou = testing::Builtin("ou", {}, 1);
  integrate::SolveOptions o;
  o.y0 = {2.0};
  o.step = control::ConstantStep{0.25};
  o.saveat.t0 = true;
  o.saveat.ts = {0.1, 0.5};
  auto sol = integrate::SolveEnsemble(*ou, solver::GetMethod(MethodId::kEuler), o);
  ASSERT_TRUE(sol.ok());
  EXPECT_EQ(sol->paths[0].ts, (std::vector<double>{0.0, 0.1, 0.5}));
  EXPECT_EQ(sol->paths[0].ys[0], 2.0);
  // Save times are stepped to exactly: 0.1 splits the first step of the grid.
  EXPECT_EQ(sol->paths[0].steps_accepted, 5u);
  o.saveat = {};
  o.saveat.steps = true;
  sol = integrate::SolveEnsemble(*ou, solver::GetMethod(MethodId::kEuler), o);
  EXPECT_EQ(sol->paths[0].ts, (std::vector<double>{0.25, 0.5, 0.75, 1.0}));
}

TEST(EnsembleTest, CancellationAndProgress) {
  auto ou = testing::Builtin("ou", {}, 1);
  integrate::SolveOptions o;
  o.y0 = {1.0};
  o.step = control::ConstantStep{0x1p-8};
  o.num_paths = 500;
  o.threads = 2;
  int calls = 0;
  integrate::Progress last;
  o.progress = [&](const integrate::Progress& p) {
    ++calls;
    last = p;
  };
  auto sol = integrate::SolveEnsemble(*ou, solver::GetMethod(MethodId::kEuler), o);
  ASSERT_TRUE(sol.ok());
  EXPECT_GE(calls, 1);
  EXPECT_EQ(last.paths_done, 500u);
  EXPECT_EQ(last.steps_accepted, 500u * 256u);
  std::atomic<bool> cancel{true};
  o.cancel = &cancel;
  EXPECT_EQ(integrate::SolveEnsemble(*ou, solver::GetMethod(MethodId::kEuler), o).status().code(),
            absl::StatusCode::kCancelled);
}

TEST(StatisticsTest, MergeEqualsSequential) {
  integrate::RunningMoments a(1), b(1), all(1);
  for (int i = 0; i < 10; ++i) {
    const double v = std::sin(i) * 3 + i;
    (i < 4 ? a : b).Add(&v);
    all.Add(&v);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), 10u);
  EXPECT_NEAR(a.mean()[0], all.mean()[0], 1e-14);
  EXPECT_NEAR(a.Variance()[0], all.Variance()[0], 1e-12);
  EXPECT_EQ(integrate::SortedQuantile({1.0, 2.0, 4.0}, 0.75), 3.0);
  EXPECT_EQ(integrate::SortedQuantile({1.0, 2.0, 4.0}, 1.0), 4.0);
}

}  // namespace
}  // namespace pathwise
