// Models, scopes and closed forms shared by the estimator's tests.
#ifndef PATHWISE_TESTS_ESTIMATE_ESTIMATE_TEST_UTIL_H_
#define PATHWISE_TESTS_ESTIMATE_ESTIMATE_TEST_UTIL_H_

#include <cmath>
#include <memory>

#include "core/estimate/functional.h"
#include "core/estimate/options.h"
#include "core/model/catalog.h"
#include "core/model/sde.h"
#include "core/solver/registry.h"

namespace pathwise::testing {

inline std::unique_ptr<model::Sde> Model(const char* name, const model::ParamMap& params) {
  auto m = model::MakeBuiltinModel(name, params, 1);
  return m.ok() ? std::move(m).value() : nullptr;
}

inline const solver::Method& MethodNamed(const char* name) { return **solver::FindMethod(name); }

// A one-component built-in model's names: its state is "y".
inline estimate::FunctionalScope ScalarScope() { return {{"y"}, {}}; }

// Black-Scholes price of a European call (S0, strike, rate, volatility, maturity).
inline double BlackScholesCall(double s0, double strike, double r, double sigma, double t) {
  const double d1 =
      (std::log(s0 / strike) + (r + 0.5 * sigma * sigma) * t) / (sigma * std::sqrt(t));
  const double d2 = d1 - sigma * std::sqrt(t);
  auto normal_cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
  return s0 * normal_cdf(d1) - strike * std::exp(-r * t) * normal_cdf(d2);
}

}  // namespace pathwise::testing

#endif  // PATHWISE_TESTS_ESTIMATE_ESTIMATE_TEST_UTIL_H_
