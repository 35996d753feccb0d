// Weak tests: ensemble means and variances against closed forms. Each check
// allows 5 standard errors (a false-alarm probability of about 6e-7 per check
// for a normal estimator); seeds are fixed, so the tests are deterministic.
// Step sizes are chosen so that the discretisation bias is far below one
// standard error (stated per test).
#include <cmath>

#include "core/integrate/ensemble.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using solver::MethodId;

integrate::EnsembleSolution SolveWeak(const model::Sde& sde, MethodId id, double y0, double dt,
                                      uint32_t paths) {
  integrate::SolveOptions o;
  o.y0 = {y0};
  o.step = control::ConstantStep{dt};
  o.seed = 77;
  o.num_paths = paths;
  o.keep_paths = false;
  o.statistics.enabled = true;
  o.threads = 2;
  auto sol = integrate::SolveEnsemble(sde, solver::GetMethod(id), o);
  EXPECT_TRUE(sol.ok()) << sol.status();
  return sol.ok() ? std::move(sol).value() : integrate::EnsembleSolution{};
}

TEST(WeakTest, OuMeanAndVariance) {
  const double theta = 1.0, mu = 0.5, sigma = 0.8, y0 = 1.5, T = 1.0;
  auto ou = testing::Builtin("ou", {{"theta", theta}, {"mu", mu}, {"sigma", sigma}}, 1);
  // ShARK at dt = 2^-6: bias O(dt^2) ~ 1e-4, against a standard error ~ 4e-3.
  const uint32_t n = 20000;
  auto sol = SolveWeak(*ou, MethodId::kShark, y0, 0x1p-6, n);
  ASSERT_TRUE(sol.has_statistics);
  const auto& st = sol.statistics;
  ASSERT_EQ(st.count, n);
  const double mean = mu + (y0 - mu) * std::exp(-theta * T);
  const double var = sigma * sigma / (2 * theta) * (1 - std::exp(-2 * theta * T));
  EXPECT_NEAR(st.mean[0], mean, 5 * st.std_error[0]);
  // The sample variance of n normals has standard error var·sqrt(2/(n − 1)).
  EXPECT_NEAR(st.variance[0], var, 5 * var * std::sqrt(2.0 / (n - 1)));
}

TEST(WeakTest, GbmMean) {
  const double mu = 0.5, sigma = 0.4, y0 = 1.0;
  auto gbm = testing::Builtin("gbm", {{"mu", mu}, {"sigma", sigma}}, 1);
  // Euler at dt = 2^-8: the mean is y0 (1 + mu dt)^256, bias ~ 8e-4 vs a standard error ~ 5e-3.
  auto sol = SolveWeak(*gbm, MethodId::kEuler, y0, 0x1p-8, 20000);
  ASSERT_TRUE(sol.has_statistics);
  EXPECT_NEAR(sol.statistics.mean[0], y0 * std::exp(mu), 5 * sol.statistics.std_error[0]);
}

TEST(WeakTest, CirMean) {
  const double a = 1.0, b = 1.0, sigma = 0.5, y0 = 0.5;
  auto cir = testing::Builtin("cir", {{"a", a}, {"b", b}, {"sigma", sigma}}, 1);
  // Euler (full truncation) at dt = 2^-8: bias ~ 4e-4 vs a standard error ~ 3e-3.
  auto sol = SolveWeak(*cir, MethodId::kEuler, y0, 0x1p-8, 20000);
  ASSERT_TRUE(sol.has_statistics);
  EXPECT_NEAR(sol.statistics.mean[0], b + (y0 - b) * std::exp(-a), 5 * sol.statistics.std_error[0]);
}

TEST(WeakTest, LangevinSamplesGaussianTarget) {
  // Langevin dynamics of U(x) = x²/(2 s²) with u = 1 leave N(0, s²) invariant;
  // started there, x(T) ~ N(0, s²) (up to the O(dt^3) bias of QUICSORT).
  auto pot = model::MakeBuiltinPotential("gaussian", {{"scale", 0.7}}, {}, 0, 1);
  ASSERT_TRUE(pot.ok());
  auto lm = model::LangevinModel::Create(*pot, 1.0, 1.0);
  ASSERT_TRUE(lm.ok());
  integrate::SolveOptions o;
  o.y0 = {0.0, 0.0};
  o.t1 = 8.0;  // long enough to forget the start: correlation e^{-γT/2}-ish decays below 1e-2
  o.step = control::ConstantStep{0.25};
  o.seed = 5;
  o.num_paths = 20000;
  o.keep_paths = false;
  o.statistics.enabled = true;
  o.threads = 2;
  auto sol = integrate::SolveEnsemble(*lm, solver::GetMethod(MethodId::kQuicsort), o);
  ASSERT_TRUE(sol.ok()) << sol.status();
  const auto& st = sol->statistics;
  const double var = 0.49;
  // x: mean 0, variance s²; v: variance u = 1 (within 5 standard errors).
  EXPECT_NEAR(st.mean[0], 0.0, 5 * st.std_error[0]);
  EXPECT_NEAR(st.variance[0], var, 5 * var * std::sqrt(2.0 / (o.num_paths - 1)));
  EXPECT_NEAR(st.variance[1], 1.0, 5 * std::sqrt(2.0 / (o.num_paths - 1)));
}

}  // namespace
}  // namespace pathwise
