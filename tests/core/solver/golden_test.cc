// Stability: exact outputs of a few solves, pinned bit for bit. A change here
// means the solver's arithmetic (or the Brownian paths, algorithm
// "vbt-philox-1") changed; update the values only on purpose.
#include <cstdio>
#include <memory>

#include "core/integrate/ensemble.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using solver::MethodId;

struct Golden {
  const char* name;
  double value;  // y(t1), first component, path 3
  uint64_t steps;
};

// Path 3 of seed 20240601 on the default Lévy kind (space-time-time for
// every method) or, when `own_kind`, on the least kind the method needs (the
// default before one seed meant one path for every method).
integrate::PathSolution SolvePath3(const model::Sde& sde, MethodId id, std::vector<double> y0,
                                   control::StepControl step, bool own_kind = false) {
  integrate::SolveOptions o;
  o.y0 = std::move(y0);
  o.step = step;
  o.seed = 20240601;
  o.first_path = 3;
  if (own_kind) o.brownian.levy_area = solver::GetMethod(id).info().levy_area;
  auto sol = integrate::SolveEnsemble(sde, solver::GetMethod(id), o);
  EXPECT_TRUE(sol.ok()) << sol.status();
  return sol.ok() ? sol->paths[0] : integrate::PathSolution{};
}

void ExpectGolden(const Golden& g, const integrate::PathSolution& p) {
  ASSERT_FALSE(p.ys.empty());
  std::printf("[ golden   ] %s: %a (%.17g), %llu steps\n", g.name, p.ys[0], p.ys[0],
              static_cast<unsigned long long>(p.steps_accepted));
  EXPECT_EQ(p.ys[0], g.value) << g.name;
  EXPECT_EQ(p.steps_accepted, g.steps) << g.name;
}

struct Models {
  std::unique_ptr<model::Sde> gbm = testing::Builtin("gbm", {{"mu", 0.5}, {"sigma", 0.8}}, 1);
  std::unique_ptr<model::Sde> gbm_s =
      testing::Builtin("gbm", {{"mu", 0.5}, {"sigma", 0.8}}, 1, model::Calculus::kStratonovich);
  std::unique_ptr<model::Sde> ou = testing::Builtin("ou", {{"theta", 2.0}, {"mu", 0.5}}, 1);
  std::unique_ptr<model::Sde> dw = testing::Builtin("double_well", {}, 1);
  std::unique_ptr<model::LangevinModel> lm = testing::SmallLangevin();
};

// The pinned solves, in this order: euler/gbm, milstein/gbm, spark/gbm-strat,
// shark/ou, quicsort/langevin, shark-pid/double_well.
void ExpectGoldens(const Golden (&g)[6], bool own_kind) {
  const Models m;
  const control::ConstantStep dt{1.0 / 64};
  control::AdaptiveStep pid;
  pid.rtol = pid.atol = 1e-3;
  pid.dtmin = 0x1p-12;
  ExpectGolden(g[0], SolvePath3(*m.gbm, MethodId::kEuler, {1.0}, dt, own_kind));
  ExpectGolden(g[1], SolvePath3(*m.gbm, MethodId::kMilstein, {1.0}, dt, own_kind));
  ExpectGolden(g[2], SolvePath3(*m.gbm_s, MethodId::kSpark, {1.0}, dt, own_kind));
  ExpectGolden(g[3], SolvePath3(*m.ou, MethodId::kShark, {1.0}, dt, own_kind));
  ExpectGolden(g[4], SolvePath3(*m.lm, MethodId::kQuicsort, {0.2, -0.1, 0.5, 0.3}, dt, own_kind));
  ExpectGolden(g[5], SolvePath3(*m.dw, MethodId::kShark, {0.5}, pid, own_kind));
}

// On the default kind. These changed (all but QUICSORT, which needs
// space-time-time anyway) when a solve naming no kind moved from the least
// the method needs to space-time-time; the paths themselves did not change.
TEST(GoldenTest, PinnedFinalStates) {
  const Golden g[6] = {
      {"euler/gbm", 0x1.2423d56e19f3p-1, 64},
      {"milstein/gbm", 0x1.26cdd398e720fp-1, 64},
      {"spark/gbm-strat", 0x1.9415e96e68809p-1, 64},
      {"shark/ou", 0x1.3967026af238ap-2, 64},
      {"quicsort/langevin", -0x1.2f6bdfddc67cap-5, 64},
      {"shark-pid/double_well", -0x1.fd8ba09758556p-2, 38},
  };
  ExpectGoldens(g, false);
}

// Naming the least kind each method needs reproduces the values pinned before
// the default changed, bit for bit.
TEST(GoldenTest, PinnedFinalStatesOnTheMethodsOwnKind) {
  const Golden g[6] = {
      {"euler/gbm", 0x1.4273813dda2adp+0, 64},
      {"milstein/gbm", 0x1.367476f889598p+0, 64},
      {"spark/gbm-strat", 0x1.f3ab8da585557p-1, 64},
      {"shark/ou", 0x1.364eab23a2f32p-4, 64},
      {"quicsort/langevin", -0x1.2f6bdfddc67cap-5, 64},
      {"shark-pid/double_well", 0x1.1fd25f006294fp-4, 37},
  };
  ExpectGoldens(g, true);
}

}  // namespace
}  // namespace pathwise
