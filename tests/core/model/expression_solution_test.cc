// Each built-in model and potential written as an expression gives the same
// solution as the built-in on the same Brownian paths.
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "core/integrate/ensemble.h"
#include "core/model/catalog.h"
#include "core/model/expression_potential.h"
#include "core/model/expression_sde.h"
#include "core/model/langevin.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/builtin_expressions.h"

namespace pathwise {
namespace {

using solver::MethodId;

// Relative agreement of final states. The expression evaluates the same
// operations as the C++ except where the compiler folds or differentiates
// (e.g. ∇U of ((x − mean)/scale)² is 2·((x − mean)/scale)·(1/scale)·½, not
// (x − mean)/scale²; the Jacobian of sqrt(max(x, 0)) for Milstein): a few ulp
// per evaluation. Measured: OU, GBM, Heston, double well and CIR/Euler agree
// bit for bit; CIR/Milstein and both potentials within 4.4e-16 (2 ulp) after
// 128 steps. 1e-13 leaves a factor 200 for other compilers' libm while any
// modelling error (a wrong sign, coefficient or index) moves the final state
// by more than 1e-3.
constexpr double kTolerance = 1e-13;

integrate::SolveOptions Options(std::vector<double> y0) {
  integrate::SolveOptions o;
  o.y0 = std::move(y0);
  o.step = control::ConstantStep{0x1p-7};
  o.seed = 2024;
  o.num_paths = 32;
  return o;
}

// Solves both models on the same paths and compares every path's final state.
void ExpectSameSolution(const model::Sde& builtin, const model::Sde& expression, MethodId method,
                        const integrate::SolveOptions& o) {
  const solver::Method& m = solver::GetMethod(method);
  auto a = integrate::SolveEnsemble(builtin, m, o);
  auto b = integrate::SolveEnsemble(expression, m, o);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_EQ(a->paths.size(), b->paths.size());
  double worst = 0.0;
  for (size_t p = 0; p < a->paths.size(); ++p) {
    const std::vector<double>& ya = a->paths[p].ys;
    const std::vector<double>& yb = b->paths[p].ys;
    ASSERT_EQ(ya.size(), yb.size());
    for (size_t i = 0; i < ya.size(); ++i) {
      ASSERT_TRUE(std::isfinite(ya[i]));
      worst = std::max(worst, std::abs(ya[i] - yb[i]) / std::max(1.0, std::abs(ya[i])));
    }
  }
  EXPECT_LE(worst, kTolerance) << builtin.name() << " with method " << m.info().name;
}

std::unique_ptr<model::Sde> Builtin(const char* name, int n) {
  auto m = model::MakeBuiltinModel(name, {}, n, model::Calculus::kIto);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? std::move(m).value() : nullptr;
}

std::unique_ptr<model::ExpressionSde> Expression(const model::ExpressionModelSpec& spec) {
  auto m = model::ExpressionSde::Create(spec, nullptr);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? std::move(m).value() : nullptr;
}

TEST(ExpressionSolutionTest, Ou) {
  auto b = Builtin("ou", 2);
  auto e = Expression(testing::OuExpression(2));
  ASSERT_TRUE(b && e);
  ExpectSameSolution(*b, *e, MethodId::kEuler, Options({0.5, -1.0}));
  ExpectSameSolution(*b, *e, MethodId::kShark, Options({0.5, -1.0}));
}

TEST(ExpressionSolutionTest, Gbm) {
  auto b = Builtin("gbm", 1);
  auto e = Expression(testing::GbmExpression(1));
  ASSERT_TRUE(b && e);
  ExpectSameSolution(*b, *e, MethodId::kEuler, Options({1.0}));
  ExpectSameSolution(*b, *e, MethodId::kMilstein, Options({1.0}));  // uses DiffusionJvp
}

TEST(ExpressionSolutionTest, Cir) {
  auto b = Builtin("cir", 2);
  auto e = Expression(testing::CirExpression(2));
  ASSERT_TRUE(b && e);
  ExpectSameSolution(*b, *e, MethodId::kEuler, Options({0.8, 1.3}));
  ExpectSameSolution(*b, *e, MethodId::kMilstein, Options({0.8, 1.3}));
}

TEST(ExpressionSolutionTest, Heston) {
  auto b = Builtin("heston", 2);
  auto e = Expression(testing::HestonExpression());
  ASSERT_TRUE(b && e);
  ExpectSameSolution(*b, *e, MethodId::kEuler, Options({1.0, 0.04}));
}

TEST(ExpressionSolutionTest, DoubleWell) {
  auto b = Builtin("double_well", 2);
  auto e = Expression(testing::DoubleWellExpression(2));
  ASSERT_TRUE(b && e);
  ExpectSameSolution(*b, *e, MethodId::kEuler, Options({-0.9, 1.1}));
  ExpectSameSolution(*b, *e, MethodId::kShark, Options({-0.9, 1.1}));
}

// Drift, Diffusion and DiffusionJvp are shared by the workers (the JVP with a
// per-thread buffer): any thread count gives the same bits.
TEST(ExpressionSolutionTest, IdenticalForAnyThreadCount) {
  auto e = Expression(testing::CirExpression(2));
  ASSERT_TRUE(e);
  integrate::SolveOptions o = Options({0.8, 1.3});
  o.num_paths = 200;  // several blocks of kBlockPaths per worker
  const solver::Method& milstein = solver::GetMethod(MethodId::kMilstein);
  auto one = integrate::SolveEnsemble(*e, milstein, o);
  o.threads = 2;
  auto two = integrate::SolveEnsemble(*e, milstein, o);
  ASSERT_TRUE(one.ok() && two.ok());
  ASSERT_EQ(one->paths.size(), two->paths.size());
  for (size_t p = 0; p < one->paths.size(); ++p) EXPECT_EQ(one->paths[p].ys, two->paths[p].ys);
}

// Both potentials under the same Langevin dynamics, with a Langevin method
// (through AsLangevin) and a generic additive-noise one.
void ExpectSameLangevin(std::shared_ptr<const model::Potential> builtin,
                        std::shared_ptr<const model::Potential> expression) {
  ASSERT_TRUE(builtin && expression);
  auto b = model::LangevinModel::Create(builtin, 1.0, 1.0);
  auto e = model::LangevinModel::Create(expression, 1.0, 1.0);
  ASSERT_TRUE(b.ok() && e.ok());
  const int d = builtin->dim();
  std::vector<double> y0(2 * d);
  for (int i = 0; i < 2 * d; ++i) y0[i] = 0.3 * (i % 3) - 0.2;
  ExpectSameSolution(*b, *e, MethodId::kEuler, Options(y0));
  ExpectSameSolution(*b, *e, MethodId::kShould, Options(y0));
}

std::shared_ptr<const model::Potential> MustPotential(const std::string& text, int dim,
                                                      const model::ParamMap& params) {
  auto p = model::ExpressionPotential::Create(text, dim, params, nullptr);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : nullptr;
}

TEST(ExpressionSolutionTest, GaussianPotential) {
  const model::ParamMap params = {{"mean", 0.25}, {"scale", 1.5}};
  auto builtin = model::MakeBuiltinPotential("gaussian", params, {}, 0, 3);
  ASSERT_TRUE(builtin.ok()) << builtin.status();
  ExpectSameLangevin(*builtin, MustPotential(testing::GaussianPotentialExpression(3), 3, params));
}

TEST(ExpressionSolutionTest, LogisticRegressionPotential) {
  const std::vector<double> data = {
      0.5, 1.0, 1, -0.3, 0.8, 1, 1.2, -0.4, 0, -1.0, -0.6, 0,
      0.1, 0.3, 1, -0.7, 0.2, 0, 0.9, 0.9,  1, 0.4,  -1.1, 0,
  };
  const model::ParamMap params = {{"prior_variance", 2.0}};
  auto builtin = model::MakeBuiltinPotential("logistic_regression", params, data, 3, 0);
  ASSERT_TRUE(builtin.ok()) << builtin.status();
  ExpectSameLangevin(*builtin,
                     MustPotential(testing::LogisticPotentialExpression(data, 3), 2, params));
}

}  // namespace
}  // namespace pathwise
