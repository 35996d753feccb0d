// ExpressionSde and ExpressionPotential: structure detection feeding the
// solver's method checks, errors naming their wire field, DiffusionJvp and
// ∇U against finite differences, and the program cache.
#include "core/model/expression_sde.h"

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/expr/program_cache.h"
#include "core/model/expression_potential.h"
#include "core/solver/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/builtin_expressions.h"

namespace pathwise {
namespace {

using model::ExpressionModelSpec;
using model::ExpressionSde;
using model::NoiseClass;
using solver::MethodId;
using ::testing::HasSubstr;

std::unique_ptr<ExpressionSde> Make(const ExpressionModelSpec& spec) {
  auto m = ExpressionSde::Create(spec, nullptr);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? std::move(m).value() : nullptr;
}

std::string Error(const ExpressionModelSpec& spec) {
  auto m = ExpressionSde::Create(spec, nullptr);
  if (m.ok()) return "";
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(m.status().message());
}

// ---------------------------------------------------------------- structure

TEST(ExpressionSdeStructureTest, NoiseClassesFromTheCompiler) {
  auto ou = Make(testing::OuExpression(2));
  auto gbm = Make(testing::GbmExpression(1));
  auto cir = Make(testing::CirExpression(3));
  auto heston = Make(testing::HestonExpression());
  ASSERT_TRUE(ou && gbm && cir && heston);
  EXPECT_EQ(ou->traits().noise, NoiseClass::kAdditive);
  EXPECT_EQ(gbm->traits().noise, NoiseClass::kScalar);
  EXPECT_EQ(cir->traits().noise, NoiseClass::kDiagonal);
  EXPECT_EQ(heston->traits().noise, NoiseClass::kGeneral);
  EXPECT_EQ(heston->traits().shape, model::NoiseShape::kGeneral);
  EXPECT_EQ(heston->noise_dim(), 2);
  EXPECT_FALSE(ou->traits().diffusion_depends_on_t);
  EXPECT_TRUE(gbm->traits().has_diffusion_jvp);
}

TEST(ExpressionSdeStructureTest, TimeDependentAdditiveNoise) {
  ExpressionModelSpec spec = testing::Diagonal(1, "-@", "1 + t", {});
  auto m = Make(spec);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->traits().noise, NoiseClass::kAdditive);
  EXPECT_TRUE(m->traits().diffusion_depends_on_t);
}

TEST(ExpressionSdeStructureTest, CrossDependentDiagonalIsNotDiagonalClass) {
  ExpressionModelSpec spec;
  spec.state = {"x", "y"};
  spec.drift = {"0", "0"};
  spec.diffusion = {"y", "x"};  // g_11 depends on y: not the diagonal class
  auto m = Make(spec);
  ASSERT_TRUE(m);
  EXPECT_NE(m->traits().noise, NoiseClass::kDiagonal);
  EXPECT_NE(m->traits().noise, NoiseClass::kAdditive);
}

TEST(ExpressionSdeStructureTest, ShArkAcceptsAdditiveExpressionNoise) {
  auto ou = Make(testing::OuExpression(2));
  ASSERT_TRUE(ou);
  EXPECT_TRUE(solver::CheckCompatibility(solver::GetMethod(MethodId::kShark), *ou).ok());
}

TEST(ExpressionSdeStructureTest, ShArkRejectsMultiplicativeListingFittingMethods) {
  auto gbm = Make(testing::GbmExpression(1));
  ASSERT_TRUE(gbm);
  absl::Status s = solver::CheckCompatibility(solver::GetMethod(MethodId::kShark), *gbm);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("additive"));
  EXPECT_THAT(s.message(), HasSubstr("methods that fit"));
  EXPECT_THAT(s.message(), HasSubstr("euler"));
  EXPECT_THAT(s.message(), HasSubstr("milstein"));
}

// ---------------------------------------------------------------- errors

TEST(ExpressionSdeErrorTest, State) {
  ExpressionModelSpec spec = testing::OuExpression(1);
  spec.state.clear();
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.state:"));
  spec = testing::OuExpression(2);
  spec.state = {"x0", "x0"};
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.state:"));
  spec.state = {"x0", "1x"};
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.state:"));
}

TEST(ExpressionSdeErrorTest, DriftCount) {
  ExpressionModelSpec spec = testing::OuExpression(2);
  spec.drift.pop_back();
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.drift: expected 2 expressions"));
}

TEST(ExpressionSdeErrorTest, DriftExpressionNamesItsIndex) {
  ExpressionModelSpec spec = testing::OuExpression(2);
  spec.drift[1] = "theta*(mu - x1) + kapa";  // unknown name
  const std::string e = Error(spec);
  EXPECT_THAT(e, HasSubstr("model.expression.drift[1]"));
  EXPECT_THAT(e, HasSubstr("kapa"));
}

TEST(ExpressionSdeErrorTest, DiffusionExpressionNamesItsIndex) {
  ExpressionModelSpec spec = testing::HestonExpression();
  spec.diffusion[3] = "xi*(sqrt(v)";  // unbalanced
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.diffusion[3]"));
}

TEST(ExpressionSdeErrorTest, DiffusionCount) {
  ExpressionModelSpec spec = testing::HestonExpression();
  spec.diffusion.pop_back();  // 3 for a 2 x 2 matrix
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.diffusion"));
  spec = testing::OuExpression(2);
  spec.diffusion.push_back("sigma");  // 3 for a diagonal of 2
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.diffusion"));
}

TEST(ExpressionSdeErrorTest, NoiseDim) {
  ExpressionModelSpec spec = testing::HestonExpression();
  spec.noise_dim = 0;
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.noise_dim: must be >= 1"));
  spec = testing::OuExpression(2);
  spec.noise_dim = 3;
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.noise_dim:"));
}

TEST(ExpressionSdeErrorTest, Params) {
  ExpressionModelSpec spec = testing::OuExpression(1);
  spec.params["sigma"] = std::nan("");
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.params:"));
  spec = testing::OuExpression(1);
  spec.params["bad name"] = 1.0;
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.params:"));
  spec = testing::OuExpression(1);
  spec.params["x0"] = 1.0;  // collides with a state name
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.params:"));
}

TEST(ExpressionSdeErrorTest, MissingParameterNamesTheExpression) {
  ExpressionModelSpec spec = testing::OuExpression(1);
  spec.params.erase("theta");
  EXPECT_THAT(Error(spec), HasSubstr("model.expression.drift[0]"));
}

TEST(ExpressionPotentialErrorTest, Fields) {
  auto err = [](const std::string& text, int dim, const model::ParamMap& params) {
    auto p = model::ExpressionPotential::Create(text, dim, params, nullptr);
    return p.ok() ? std::string() : std::string(p.status().message());
  };
  EXPECT_THAT(err("x0^2", 0, {}), HasSubstr("model.langevin.dim:"));
  EXPECT_THAT(err("x0^2", 1, {{"x0", 1.0}}), HasSubstr("model.langevin.params:"));
  EXPECT_THAT(err("x0^2 + y", 1, {}), HasSubstr("model.langevin.expression"));
  EXPECT_EQ(err("x0^2 + x1*c", 2, {{"c", 1.0}}), "");
}

// ---------------------------------------------------------------- derivatives

// Central differences have error O(h²) ≈ 1e-10 (h = 1e-5, third derivatives
// O(1) at the sampled points) plus rounding ε/h ≈ 1e-11: 1e-7 is loose
// enough for both yet catches a wrong index or a missing term (O(1)).
constexpr double kFdTolerance = 1e-7;
constexpr double kFdStep = 1e-5;

TEST(ExpressionSdeDerivativeTest, DiffusionJvpMatchesFiniteDifferences) {
  // A general, non-commutative 2 x 2 diffusion with cross terms.
  ExpressionModelSpec spec;
  spec.state = {"x", "y"};
  spec.drift = {"0", "0"};
  spec.diffusion = {"sin(x)*y", "exp(-y^2)", "x*x*y", "sqrt(1 + x^2)*cos(t*y)"};
  spec.noise = model::NoiseShape::kGeneral;
  spec.noise_dim = 2;
  auto m = Make(spec);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->traits().noise, NoiseClass::kGeneral);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1.5, 1.5);
  for (int trial = 0; trial < 20; ++trial) {
    const double t = 0.5 + 0.1 * trial;
    double y[2] = {u(rng), u(rng)}, v[2] = {u(rng), u(rng)};
    double jvp[4], gp[4], gm[4];
    m->DiffusionJvp(t, y, v, jvp);
    double yp[2] = {y[0] + kFdStep * v[0], y[1] + kFdStep * v[1]};
    double ym[2] = {y[0] - kFdStep * v[0], y[1] - kFdStep * v[1]};
    m->Diffusion(t, yp, gp);
    m->Diffusion(t, ym, gm);
    for (int k = 0; k < 4; ++k) {
      EXPECT_NEAR(jvp[k], (gp[k] - gm[k]) / (2 * kFdStep), kFdTolerance) << trial << " " << k;
    }
  }
}

TEST(ExpressionSdeDerivativeTest, AdditiveJvpIsZero) {
  auto ou = Make(testing::OuExpression(2));
  ASSERT_TRUE(ou);
  double y[2] = {0.3, -0.2}, v[2] = {1.0, 2.0}, out[2] = {5.0, 5.0};
  ou->DiffusionJvp(0.0, y, v, out);
  EXPECT_EQ(out[0], 0.0);
  EXPECT_EQ(out[1], 0.0);
}

TEST(ExpressionPotentialTest, GradientMatchesFiniteDifferencesAndValue) {
  auto p = model::ExpressionPotential::Create("log1p(x0^2) + c*x0*x1 + softplus(x2 - x1)", 3,
                                              {{"c", 0.7}}, nullptr);
  ASSERT_TRUE(p.ok()) << p.status();
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  for (int trial = 0; trial < 20; ++trial) {
    double x[3] = {u(rng), u(rng), u(rng)}, grad[3];
    EXPECT_DOUBLE_EQ((*p)->Value(x), std::log1p(x[0] * x[0]) + 0.7 * x[0] * x[1] +
                                         std::log1p(std::exp(x[2] - x[1])));
    (*p)->Gradient(x, grad);
    for (int i = 0; i < 3; ++i) {
      double xp[3] = {x[0], x[1], x[2]}, xm[3] = {x[0], x[1], x[2]};
      xp[i] += kFdStep;
      xm[i] -= kFdStep;
      const double fd = ((*p)->Value(xp) - (*p)->Value(xm)) / (2 * kFdStep);
      EXPECT_NEAR(grad[i], fd, kFdTolerance) << trial << " " << i;
    }
  }
}

// ---------------------------------------------------------------- cache

TEST(ExpressionSdeCacheTest, IdenticalTextAndParamsHit) {
  expr::ProgramCache cache(16);
  auto a = ExpressionSde::Create(testing::CirExpression(2), &cache);
  ASSERT_TRUE(a.ok()) << a.status();
  const expr::ProgramCacheStats first = cache.stats();
  EXPECT_EQ(first.hits, 0u);
  EXPECT_EQ(first.misses, 3u);  // drift, diffusion, Jacobian
  auto b = ExpressionSde::Create(testing::CirExpression(2), &cache);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(cache.stats().hits, 3u);
  EXPECT_EQ(cache.stats().misses, 3u);
  EXPECT_EQ(&(*a)->drift_program(), &(*b)->drift_program());
  EXPECT_EQ(&(*a)->diffusion_program(), &(*b)->diffusion_program());

  ExpressionModelSpec other = testing::CirExpression(2);
  other.params["sigma"] = 0.6;  // new parameters: new programs
  ASSERT_TRUE(ExpressionSde::Create(other, &cache).ok());
  EXPECT_EQ(cache.stats().hits, 3u);
  EXPECT_EQ(cache.stats().misses, 6u);
}

TEST(ExpressionPotentialCacheTest, IdenticalTextAndParamsHit) {
  expr::ProgramCache cache(16);
  const std::string u = testing::GaussianPotentialExpression(4);
  const model::ParamMap params = {{"mean", 0.0}, {"scale", 2.0}};
  ASSERT_TRUE(model::ExpressionPotential::Create(u, 4, params, &cache).ok());
  ASSERT_TRUE(model::ExpressionPotential::Create(u, 4, params, &cache).ok());
  EXPECT_EQ(cache.stats().misses, 2u);  // gradient and value programs
  EXPECT_EQ(cache.stats().hits, 2u);
}

}  // namespace
}  // namespace pathwise
