// The PID step-size controller (core/control/pid) driving an adaptive solve:
// accuracy against tolerance, dtmin, step_ts hit exactly.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <variant>
#include <vector>

#include "core/integrate/ensemble.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/adaptive_options.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using solver::MethodId;
using testing::AdaptiveOptions;

double MeanError(const model::Sde& sde, MethodId id, double tol, uint64_t* steps) {
  const solver::Method& m = solver::GetMethod(id);
  integrate::SolveOptions o = AdaptiveOptions({0.5}, tol, 0x1p-14);
  o.num_paths = 64;
  o.brownian.tol = 0x1p-15;
  auto sol = integrate::SolveEnsemble(sde, m, o);
  integrate::SolveOptions r = o;
  r.step = control::ConstantStep{0x1p-14};
  auto ref = integrate::SolveEnsemble(sde, m, r);
  EXPECT_TRUE(sol.ok() && ref.ok());
  double err = 0.0;
  for (size_t p = 0; p < sol->paths.size(); ++p) {
    err += std::abs(sol->paths[p].ys.back() - ref->paths[p].ys.back());
  }
  *steps = sol->summary.steps_accepted;
  return err / sol->paths.size();
}

TEST(PidTest, ErrorDecreasesWithTolerance) {
  auto dw = testing::Builtin("double_well", {{"sigma", 1.0}}, 1);
  for (MethodId id : {MethodId::kShark, MethodId::kEuler}) {
    uint64_t s1, s2, s3;
    const double e1 = MeanError(*dw, id, 1e-2, &s1);
    const double e2 = MeanError(*dw, id, 1e-3, &s2);
    const double e3 = MeanError(*dw, id, 1e-4, &s3);
    EXPECT_GT(e1, e2) << static_cast<int>(id);
    EXPECT_GT(e2, e3) << static_cast<int>(id);
    EXPECT_LT(s1, s2);
    EXPECT_LT(s2, s3);
  }
}

TEST(PidTest, DtminIsAcceptedAndFlagged) {
  auto gbm = testing::Builtin("gbm", {{"sigma", 1.0}}, 1);
  integrate::SolveOptions o = AdaptiveOptions({1.0}, 1e-12, 0x1p-6);
  o.num_paths = 4;
  auto sol = integrate::SolveEnsemble(*gbm, solver::GetMethod(MethodId::kEuler), o);
  ASSERT_TRUE(sol.ok()) << sol.status();
  for (const auto& p : sol->paths) {
    EXPECT_EQ(p.status, integrate::SolveStatus::kDtminReached);
    EXPECT_EQ(p.ts.back(), 1.0);  // the path still reaches t1
    EXPECT_EQ(p.steps_accepted, 64u);
  }
  EXPECT_EQ(sol->summary.status_counts[static_cast<int>(integrate::SolveStatus::kDtminReached)],
            4u);
}

TEST(PidTest, StepTsAreHitExactly) {
  auto ou = testing::Builtin("ou", {}, 1);
  integrate::SolveOptions o = AdaptiveOptions({1.0}, 1e-3, 0x1p-12);
  std::get<control::AdaptiveStep>(o.step).step_ts = {0.1, 1.0 / 3.0, 0.7};
  o.saveat.steps = true;
  auto sol = integrate::SolveEnsemble(*ou, solver::GetMethod(MethodId::kShark), o);
  ASSERT_TRUE(sol.ok()) << sol.status();
  const auto& ts = sol->paths[0].ts;
  for (double t : {0.1, 1.0 / 3.0, 0.7, 1.0}) {
    EXPECT_NE(std::find(ts.begin(), ts.end(), t), ts.end()) << t;
  }
}

}  // namespace
}  // namespace pathwise
