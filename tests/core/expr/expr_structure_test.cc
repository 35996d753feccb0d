// Structure detection: dependence on state variables and time, and the
// noise structure (scalar, additive, diagonal, commutative) of a diffusion.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expr_test_util.h"

namespace pathwise::expr {
namespace {

using testing::MustCompile;

TEST(ExprStructure, Dependencies) {
  ProgramSpec spec;
  spec.state_names = {"x", "y", "z"};
  spec.parameters = {{"a", 1.0}};
  spec.expressions = {{"e0", "a*x + sin(t)"},
                      {"e1", "y*0 + 2"},
                      {"e2", "a + 1"},
                      {"e3", "if(t > 1, 2, 3)"},
                      {"e4", "x - x"}};
  const auto p = MustCompile(spec);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->DependsOnState(0, 0));
  EXPECT_FALSE(p->DependsOnState(0, 1));
  EXPECT_TRUE(p->DependsOnTime(0));
  EXPECT_FALSE(p->IsStateIndependent(0));
  // y*0 is not folded to 0 (it is NaN for infinite y), so e1 still depends on y.
  EXPECT_TRUE(p->DependsOnState(1, 1));
  EXPECT_FALSE(p->DependsOnTime(1));
  EXPECT_TRUE(p->IsStateIndependent(2));
  EXPECT_EQ(p->ConstantValue(2), 2.0);
  EXPECT_TRUE(p->IsStateIndependent(3));
  EXPECT_TRUE(p->DependsOnTime(3));
  EXPECT_FALSE(p->ConstantValue(3).has_value());
  EXPECT_TRUE(p->DependsOnState(4, 0));
  EXPECT_FALSE(p->DependsOnState(2, 2));
}

// A model with drift a and diffusion g (row-major d x m).
NoiseStructure Noise(std::vector<std::string> state, std::vector<std::string> diffusion,
                     size_t noise_dim, bool diagonal_only = false) {
  ProgramSpec spec;
  spec.state_names = state;
  spec.parameters = {{"sigma", 0.3}, {"s2", 0.2}};
  for (size_t i = 0; i < state.size(); ++i) spec.expressions.push_back({"drift", "-" + state[i]});
  for (const std::string& g : diffusion) spec.expressions.push_back({"diffusion", g});
  spec.diffusion =
      DiffusionLayout{"diffusion", state.size(), diffusion.size(), noise_dim, diagonal_only};
  const auto p = MustCompile(spec);
  if (p == nullptr || !p->noise_structure()) return {};
  return *p->noise_structure();
}

TEST(ExprStructure, AdditiveNoise) {
  const NoiseStructure ou = Noise({"x"}, {"sigma"}, 1);
  EXPECT_TRUE(ou.scalar && ou.additive && ou.diagonal && ou.commutative);
  const NoiseStructure timed = Noise({"x", "y"}, {"sigma*t", "0", "1", "exp(-t)"}, 2);
  EXPECT_TRUE(timed.additive && timed.commutative);
  EXPECT_FALSE(timed.diagonal);  // an off-diagonal entry is 1
  EXPECT_EQ(DescribeNoise(timed), "additive, commutative");
}

TEST(ExprStructure, ScalarMultiplicativeNoise) {
  const NoiseStructure cir = Noise({"x"}, {"sigma*sqrt(max(x, 0))"}, 1);
  EXPECT_TRUE(cir.scalar && cir.commutative && cir.diagonal);
  EXPECT_FALSE(cir.additive);
  // Two states, one noise: scalar, so commutative, but neither diagonal nor additive.
  const NoiseStructure two = Noise({"x", "y"}, {"sigma*y", "s2*x"}, 1);
  EXPECT_TRUE(two.scalar && two.commutative);
  EXPECT_FALSE(two.additive || two.diagonal);
}

TEST(ExprStructure, DiagonalNoise) {
  const NoiseStructure gbm = Noise({"x", "y"}, {"sigma*x", "0", "0", "s2*y"}, 2);
  EXPECT_TRUE(gbm.diagonal && gbm.commutative);
  EXPECT_FALSE(gbm.additive || gbm.scalar);
  const NoiseStructure given = Noise({"x", "y"}, {"sigma*x", "s2*y*t"}, 2, true);
  EXPECT_TRUE(given.diagonal && given.commutative);
  // Diagonal shape but g[0][0] depends on y: not diagonal noise in the solver's sense.
  const NoiseStructure coupled = Noise({"x", "y"}, {"sigma*y", "0", "0", "s2*x"}, 2);
  EXPECT_FALSE(coupled.diagonal);
}

TEST(ExprStructure, CommutativityProvedSymbolically) {
  // Equal columns: L^1 g[:, 2] and L^2 g[:, 1] are the same expression.
  const NoiseStructure same = Noise({"x", "y"}, {"x*y", "y*x", "sin(y)", "sin(y)"}, 2);
  EXPECT_TRUE(same.commutative);
  EXPECT_FALSE(same.diagonal || same.additive);
}

TEST(ExprStructure, NonCommutativeNoiseIsNotClaimed) {
  // g = [[1, x], [0, 1]]: L^1 g[:, 2] = (1, 0) but L^2 g[:, 1] = 0.
  const NoiseStructure general = Noise({"x", "y"}, {"1", "x", "0", "1"}, 2);
  EXPECT_FALSE(general.commutative);
  EXPECT_EQ(DescribeNoise(general), "general");
}

}  // namespace
}  // namespace pathwise::expr
