// The built-in models and potentials written as expressions, in the same
// operations and order as their C++ (core/model/*.cc), so that the compiled
// and hand-written forms agree to rounding.
#ifndef PATHWISE_TESTS_UTIL_BUILTIN_EXPRESSIONS_H_
#define PATHWISE_TESTS_UTIL_BUILTIN_EXPRESSIONS_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/types/span.h"
#include "core/model/expression_sde.h"

namespace pathwise::testing {

// n independent copies of a one-dimensional diagonal model: state x0 .. x{n-1};
// "@" in the templates stands for the coordinate.
inline model::ExpressionModelSpec Diagonal(int n, const std::string& drift,
                                           const std::string& diffusion, model::ParamMap params,
                                           model::Calculus calculus = model::Calculus::kIto) {
  model::ExpressionModelSpec spec;
  for (int i = 0; i < n; ++i) {
    const std::string x = absl::StrCat("x", i);
    spec.state.push_back(x);
    spec.drift.push_back(absl::StrReplaceAll(drift, {{"@", x}}));
    spec.diffusion.push_back(absl::StrReplaceAll(diffusion, {{"@", x}}));
  }
  spec.params = std::move(params);
  spec.calculus = calculus;
  return spec;
}

inline model::ExpressionModelSpec OuExpression(int n) {
  return Diagonal(n, "theta*(mu - @)", "sigma", {{"theta", 1.0}, {"mu", 0.0}, {"sigma", 1.0}});
}

inline model::ExpressionModelSpec GbmExpression(int n) {
  return Diagonal(n, "mu*@", "sigma*@", {{"mu", 0.05}, {"sigma", 0.2}});
}

inline model::ExpressionModelSpec CirExpression(int n) {
  return Diagonal(n, "a*(b - @)", "sigma*sqrt(max(@, 0))",
                  {{"a", 1.0}, {"b", 1.0}, {"sigma", 0.5}});
}

inline model::ExpressionModelSpec DoubleWellExpression(int n) {
  return Diagonal(n, "@ - @*@*@", "sigma", {{"sigma", 1.0}});
}

// Heston with the built-in defaults; state (S, v), correlated noise.
inline model::ExpressionModelSpec HestonExpression() {
  model::ExpressionModelSpec spec;
  spec.state = {"S", "v"};
  spec.drift = {"r*S", "kappa*(theta - v)"};
  spec.diffusion = {"sqrt(max(v, 0))*S", "0", "xi*rho*sqrt(max(v, 0))",
                    "xi*sqrt(max(1 - rho*rho, 0))*sqrt(max(v, 0))"};
  spec.noise = model::NoiseShape::kGeneral;
  spec.noise_dim = 2;
  spec.params = {{"kappa", 2.0}, {"theta", 0.04}, {"xi", 0.3}, {"rho", -0.7}, {"r", 0.02}};
  return spec;
}

// U(x) = ½ Σ ((x_i − mean)/scale)², the built-in gaussian potential.
inline std::string GaussianPotentialExpression(int dim) {
  std::string u = "0.5*(";
  for (int i = 0; i < dim; ++i) absl::StrAppend(&u, i ? " + " : "", "((x", i, " - mean)/scale)^2");
  return absl::StrCat(u, ")");
}

// The built-in logistic_regression potential for row-major `data` with
// `cols` columns (features, then a 0/1 label); parameter prior_variance.
// Numbers print with 17 significant digits, so they parse to the same doubles.
inline std::string LogisticPotentialExpression(absl::Span<const double> data, int cols) {
  const int dim = cols - 1;
  const size_t rows = data.size() / cols;
  std::string u;
  for (size_t r = 0; r < rows; ++r) {
    std::string z = "(";
    for (int c = 0; c < dim; ++c) {
      absl::StrAppend(&z, c ? " + " : "", absl::StrFormat("%.17g", data[r * cols + c]), "*x", c);
    }
    absl::StrAppend(&z, ")");
    absl::StrAppend(&u, r ? " + " : "", "softplus", z);
    if (data[r * cols + dim] != 0.0) absl::StrAppend(&u, " - ", z);
  }
  absl::StrAppend(&u, " + (");
  for (int c = 0; c < dim; ++c) absl::StrAppend(&u, c ? " + " : "", "x", c, "*x", c);
  return absl::StrCat(u, ")/(2*prior_variance)");
}

}  // namespace pathwise::testing

#endif  // PATHWISE_TESTS_UTIL_BUILTIN_EXPRESSIONS_H_
