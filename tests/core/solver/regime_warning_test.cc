#include "core/solver/regime_warning.h"

#include "core/solver/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using solver::GetMethod;
using solver::MethodId;
using solver::RegimeWarning;
using ::testing::HasSubstr;

TEST(RegimeWarningTest, CirMethodsBelowFourAbEqualsSigmaSquared) {
  // The README's regime: 4ab = 0.08 < σ² = 1.
  auto cir = testing::Builtin("cir", {{"a", 0.5}, {"b", 0.04}, {"sigma", 1.0}}, 1);
  ASSERT_NE(cir, nullptr);
  EXPECT_THAT(RegimeWarning(GetMethod(MethodId::kCirSplitting), *cir),
              HasSubstr("cir_splitting is biased when 4ab < sigma^2 (here 4ab = 0.08"));
  EXPECT_THAT(RegimeWarning(GetMethod(MethodId::kCirImplicitEuler), *cir),
              HasSubstr("cir_implicit_euler is biased"));
  // Generic methods are unbiased there (weak_moment_test.cc).
  EXPECT_EQ(RegimeWarning(GetMethod(MethodId::kMilstein), *cir), "");
  EXPECT_EQ(RegimeWarning(GetMethod(MethodId::kEuler), *cir), "");
}

TEST(RegimeWarningTest, NoneInsideTheSchemesDomain) {
  // 4ab = σ² exactly: the splitting is exact in law up to O(dt²) there.
  auto edge = testing::Builtin("cir", {{"a", 1.0}, {"b", 0.25}, {"sigma", 1.0}}, 1);
  auto feller = testing::Builtin("cir", {{"a", 1.0}, {"b", 1.0}, {"sigma", 0.5}}, 1);
  auto ou = testing::Builtin("ou", {}, 1);
  ASSERT_NE(edge, nullptr);
  ASSERT_NE(feller, nullptr);
  ASSERT_NE(ou, nullptr);
  for (MethodId id : {MethodId::kCirSplitting, MethodId::kCirImplicitEuler}) {
    EXPECT_EQ(RegimeWarning(GetMethod(id), *edge), "");
    EXPECT_EQ(RegimeWarning(GetMethod(id), *feller), "");
  }
  EXPECT_EQ(RegimeWarning(GetMethod(MethodId::kShark), *ou), "");
}

}  // namespace
}  // namespace pathwise
