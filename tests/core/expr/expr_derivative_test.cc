// Symbolic derivatives: exact forms for simple cases, agreement with central
// finite differences at random points, second derivatives, and a Langevin
// gradient.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "expr_test_util.h"

namespace pathwise::expr {
namespace {

using testing::Bits;
using testing::EvalAll;
using testing::MustCompile;

// Central difference (f(z + h) - f(z - h)) / 2h with h = eps^(1/3) * max(1, |z|):
// truncation error h^2 |f'''| / 6 plus rounding error eps |f| / h, both about
// eps^(2/3) ~ 4e-11 relative to the scale of f and its derivatives. The
// formulas below have |f|, |f'''| <= ~1e3 on the sampled box, so 1e-6 * (1 +
// |f'|) leaves a margin of more than 10 over the worst case while still
// catching any wrong rule (which is off by O(1)).
constexpr double kFdTolerance = 1e-6;

struct FdCase {
  std::string text;
  double kink;  // points within 1e-3 of this x are skipped (abs, min, max, if); NaN: none
};

std::vector<FdCase> FdCases() {
  const double none = std::nan("");
  return {
      {"kappa*(theta - x)", none},
      {"sigma*sqrt(x)*y", none},
      {"exp(-x*y/2)*sin(t*x) + cos(y)", none},
      {"log(x) + log1p(x*y) - expm1(-y)", none},
      {"tan(x/3) + tanh(y) * sinh(x/2) - cosh(y/2)", none},
      {"atan(x*y) + erf(x - y)", none},
      {"sigmoid(3*x - y) + softplus(y - 2*x)", none},
      {"x^3*y^2 - x^-1.5 + pow(y, x) + 2^x", none},
      {"(x + t)/(y + 2) - x/y^2", none},
      {"abs(x - 1)*y", 1.0},
      {"min(x, 1)*max(x, 1)*y", 1.0},
      {"if(x < 1, x^2*y, 2 - y/x) + (x > 1)", 1.0},
      {"x*x*x*x - 4*x*y + sqrt(x*x + y*y)", none},
  };
}

ProgramSpec DerivativeSpec() {
  ProgramSpec spec;
  spec.state_names = {"x", "y"};
  spec.parameters = {{"kappa", 1.3}, {"theta", 0.4}, {"sigma", 0.25}};
  const auto cases = FdCases();
  for (const FdCase& c : cases) spec.expressions.push_back({c.text, c.text});
  for (size_t k = 0; k < cases.size(); ++k) {
    spec.derivatives.push_back({k, DerivativeRequest::kTime});
    spec.derivatives.push_back({k, 0});
    spec.derivatives.push_back({k, 1});
  }
  return spec;
}

TEST(ExprDerivative, MatchesCentralDifferences) {
  const auto program = MustCompile(DerivativeSpec());
  ASSERT_NE(program, nullptr);
  const auto cases = FdCases();
  const size_t n = cases.size();
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.3, 2.0);
  for (int trial = 0; trial < 200; ++trial) {
    const std::vector<double> z = {u(rng), u(rng), u(rng)};  // t, x, y
    const std::vector<double> exact = EvalAll(*program, z);
    for (int wrt = 0; wrt < 3; ++wrt) {
      const double h = std::cbrt(2.2e-16) * std::max(1.0, std::fabs(z[wrt]));
      std::vector<double> plus = z, minus = z;
      plus[wrt] += h;
      minus[wrt] -= h;
      const std::vector<double> fp = EvalAll(*program, plus);
      const std::vector<double> fm = EvalAll(*program, minus);
      for (size_t k = 0; k < n; ++k) {
        if (!std::isnan(cases[k].kink) && std::fabs(z[1] - cases[k].kink) < 1e-3) continue;
        const double fd = (fp[k] - fm[k]) / (plus[wrt] - minus[wrt]);
        const double d = exact[n + 3 * k + static_cast<size_t>(wrt)];
        ASSERT_NEAR(d, fd, kFdTolerance * (1 + std::fabs(d)))
            << "d(" << cases[k].text << ")/d("
            << "txy"[wrt] << ") at t=" << z[0] << " x=" << z[1] << " y=" << z[2];
      }
    }
  }
}

TEST(ExprDerivative, ExactFormsAreFoldedConstants) {
  ProgramSpec spec;
  spec.state_names = {"x", "v"};
  spec.parameters = {{"kappa", 2.0}, {"theta", 0.5}, {"sigma", 0.3}};
  spec.expressions = {
      {"drift", "kappa*(theta - x)"}, {"diffusion", "sigma"}, {"quadratic", "3*x^2 + v"}};
  spec.derivatives = {{0, 0}, {1, 0}, {0, 1}, {2, 0}, {6, 0}, {2, DerivativeRequest::kTime}};
  const auto program = MustCompile(spec);
  ASSERT_NE(program, nullptr);
  EXPECT_EQ(program->ConstantValue(3), -2.0);           // d drift/dx = kappa * -1
  EXPECT_EQ(program->ConstantValue(4), 0.0);            // additive noise
  EXPECT_EQ(program->ConstantValue(5), 0.0);            // drift does not involve v
  EXPECT_FALSE(program->ConstantValue(6).has_value());  // 6x
  EXPECT_EQ(program->ConstantValue(7), 6.0);            // second derivative of 3x^2
  EXPECT_EQ(program->ConstantValue(8), 0.0);            // no t
  EXPECT_EQ(program->DerivativeOutput(6, 0), 7u);
  EXPECT_EQ(program->DerivativeOutput(1, 0), 4u);
  EXPECT_FALSE(program->DerivativeOutput(1, 1).has_value());
  EXPECT_EQ(program->output_label(7), "d(d(quadratic)/d(x))/d(x)");
  const std::vector<double> out = EvalAll(*program, {0.0, 1.5, 0.0});
  EXPECT_EQ(out[6], 9.0);
}

TEST(ExprDerivative, SecondDerivativesMatchDifferencesOfFirst) {
  ProgramSpec spec;
  spec.state_names = {"x", "y"};
  spec.expressions = {{"f", "exp(x*y)*sin(x) + x^4/y"}};
  spec.derivatives = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}};  // fx, fy, fxx, fxy, fyx
  const auto program = MustCompile(spec);
  ASSERT_NE(program, nullptr);
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.5, 1.5);
  for (int trial = 0; trial < 100; ++trial) {
    const std::vector<double> z = {0.0, u(rng), u(rng)};
    const std::vector<double> out = EvalAll(*program, z);
    const double h = 1e-5;  // tolerance reasoning as in kFdTolerance, scale ~ 1e2 here
    std::vector<double> px = z, mx = z;
    px[1] += h;
    mx[1] -= h;
    const double fxx = (EvalAll(*program, px)[1] - EvalAll(*program, mx)[1]) / (2 * h);
    const double fyx = (EvalAll(*program, px)[2] - EvalAll(*program, mx)[2]) / (2 * h);
    EXPECT_NEAR(out[3], fxx, 1e-5 * (1 + std::fabs(fxx)));
    EXPECT_NEAR(out[5], fyx, 1e-5 * (1 + std::fabs(fyx)));
    EXPECT_NEAR(out[4], out[5], 1e-12 * (1 + std::fabs(out[5])));  // symmetry of mixed partials
  }
}

// A small Langevin potential: logistic regression with a Gaussian prior,
// U(w) = sum_i softplus(-y_i * (a_i . w)) + |w|^2 / 2, and its gradient.
TEST(ExprDerivative, LangevinGradientMatchesDifferences) {
  constexpr int kDim = 4;
  constexpr int kData = 6;
  std::mt19937_64 rng(9);
  std::normal_distribution<double> normal;
  ProgramSpec spec;
  std::string u = "(";
  for (int j = 0; j < kDim; ++j) {
    spec.state_names.push_back(absl::StrCat("w", j));
    absl::StrAppend(&u, j ? " + " : "", spec.state_names.back(), "^2");
  }
  absl::StrAppend(&u, ")/2");
  for (int i = 0; i < kData; ++i) {
    std::string dot;
    for (int j = 0; j < kDim; ++j) absl::StrAppend(&dot, j ? " + " : "", normal(rng), "*w", j);
    absl::StrAppend(&u, " + softplus(", i % 2 ? "" : "-", "(", dot, "))");
  }
  spec.expressions = {{"model.potential", u}};
  spec.derivatives = JacobianRequests(0, 1, kDim);
  const auto program = MustCompile(spec);
  ASSERT_NE(program, nullptr);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<double> z = {0.0};
    for (int j = 0; j < kDim; ++j) z.push_back(normal(rng));
    const std::vector<double> out = EvalAll(*program, z);
    for (int j = 0; j < kDim; ++j) {
      const double h = 1e-5;
      std::vector<double> p = z, m = z;
      p[1 + j] += h;
      m[1 + j] -= h;
      const double fd = (EvalAll(*program, p)[0] - EvalAll(*program, m)[0]) / (2 * h);
      EXPECT_NEAR(out[1 + j], fd, 1e-6 * (1 + std::fabs(fd)));
    }
  }
}

TEST(ExprDerivative, DerivativesReuseSubexpressions) {
  // d exp(u)/dx = u' * exp(u): the exp is shared with the expression itself.
  ProgramSpec spec;
  spec.state_names = {"x"};
  spec.expressions = {{"f", "exp(sin(x))"}};
  spec.derivatives = {{0, 0}};
  const auto program = MustCompile(spec);
  ASSERT_NE(program, nullptr);
  size_t exps = 0;
  for (const Instruction& i : program->bytecode().code) exps += i.op == Op::kExp ? 1 : 0;
  EXPECT_EQ(exps, 1u);
  const std::vector<double> out = EvalAll(*program, {0.0, 0.3});
  EXPECT_EQ(Bits(out[1]), Bits(std::cos(0.3) * std::exp(std::sin(0.3))));
}

}  // namespace
}  // namespace pathwise::expr
