// Stability: exact outputs of a few solves, pinned bit for bit. A change here
// means the solver's arithmetic (or the Brownian paths, algorithm
// "vbt-philox-1") changed; update the values only on purpose.
#include <cstdio>

#include "core/integrate/ensemble.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/solver/test_models.h"

namespace pathwise {
namespace {

using solver::MethodId;

struct Golden {
  const char* name;
  double value;  // y(t1), first component, path 3
  uint64_t steps;
};

integrate::PathSolution SolvePath3(const model::Sde& sde, MethodId id, std::vector<double> y0,
                                   control::StepControl step) {
  integrate::SolveOptions o;
  o.y0 = std::move(y0);
  o.step = step;
  o.seed = 20240601;
  o.first_path = 3;
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

TEST(GoldenTest, PinnedFinalStates) {
  auto gbm = testing::Builtin("gbm", {{"mu", 0.5}, {"sigma", 0.8}}, 1);
  auto gbm_s =
      testing::Builtin("gbm", {{"mu", 0.5}, {"sigma", 0.8}}, 1, model::Calculus::kStratonovich);
  auto ou = testing::Builtin("ou", {{"theta", 2.0}, {"mu", 0.5}}, 1);
  auto dw = testing::Builtin("double_well", {}, 1);
  auto lm = testing::SmallLangevin();
  const control::ConstantStep dt{1.0 / 64};
  control::AdaptiveStep pid;
  pid.rtol = pid.atol = 1e-3;
  pid.dtmin = 0x1p-12;
  ExpectGolden({"euler/gbm", 0x1.4273813dda2adp+0, 64},
               SolvePath3(*gbm, MethodId::kEuler, {1.0}, dt));
  ExpectGolden({"milstein/gbm", 0x1.367476f889598p+0, 64},
               SolvePath3(*gbm, MethodId::kMilstein, {1.0}, dt));
  ExpectGolden({"spark/gbm-strat", 0x1.f3ab8da585557p-1, 64},
               SolvePath3(*gbm_s, MethodId::kSpark, {1.0}, dt));
  ExpectGolden({"shark/ou", 0x1.364eab23a2f32p-4, 64},
               SolvePath3(*ou, MethodId::kShark, {1.0}, dt));
  ExpectGolden({"quicsort/langevin", -0x1.2f6bdfddc67cap-5, 64},
               SolvePath3(*lm, MethodId::kQuicsort, {0.2, -0.1, 0.5, 0.3}, dt));
  ExpectGolden({"shark-pid/double_well", 0x1.1fd25f006294fp-4, 37},
               SolvePath3(*dw, MethodId::kShark, {0.5}, pid));
}

}  // namespace
}  // namespace pathwise
