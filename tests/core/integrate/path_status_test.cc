// Per-path statuses of the path solver (core/integrate/path_solver): max
// steps reached, non-finite states stop the path.
#include "core/integrate/ensemble.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/adaptive_options.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using solver::MethodId;
using testing::AdaptiveOptions;

TEST(StatusTest, MaxStepsReached) {
  auto ou = testing::Builtin("ou", {}, 1);
  integrate::SolveOptions o;
  o.y0 = {1.0};
  o.step = control::ConstantStep{0x1p-10};
  o.max_steps = 100;
  auto sol = integrate::SolveEnsemble(*ou, solver::GetMethod(MethodId::kEuler), o);
  ASSERT_TRUE(sol.ok());
  EXPECT_EQ(sol->paths[0].status, integrate::SolveStatus::kMaxStepsReached);
  EXPECT_EQ(sol->paths[0].steps_accepted, 100u);
  EXPECT_TRUE(sol->paths[0].ts.empty());  // t1 was never reached
}

TEST(StatusTest, NonfiniteStopsThePath) {
  auto dw = testing::Builtin("double_well", {}, 1);
  integrate::SolveOptions o;
  o.y0 = {1e120};  // y³ overflows
  o.step = control::ConstantStep{0.1};
  auto sol = integrate::SolveEnsemble(*dw, solver::GetMethod(MethodId::kEuler), o);
  ASSERT_TRUE(sol.ok());
  EXPECT_EQ(sol->paths[0].status, integrate::SolveStatus::kNonfinite);
  // Adaptive: rejected down to dtmin, then given up.
  integrate::SolveOptions a = AdaptiveOptions({1e120}, 1e-3, 0x1p-10);
  auto asol = integrate::SolveEnsemble(*dw, solver::GetMethod(MethodId::kShark), a);
  ASSERT_TRUE(asol.ok());
  EXPECT_EQ(asol->paths[0].status, integrate::SolveStatus::kNonfinite);
  EXPECT_GT(asol->paths[0].steps_rejected, 0u);
}

}  // namespace
}  // namespace pathwise
