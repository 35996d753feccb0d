// Estimate requests shared by the server's estimate tests (and the fuzzer's
// seeds are made from the same requests by fuzz/make-seeds).
#ifndef PATHWISE_TESTS_SERVER_ESTIMATE_CALLS_H_
#define PATHWISE_TESTS_SERVER_ESTIMATE_CALLS_H_

#include <cmath>

#include "pathwise/v1/solver.pb.h"

namespace pathwise::server {

// The call of the estimator's tests: risk-neutral GBM, S0 = K = 1, r = 0.05,
// sigma = 0.2, T = 1, discounted payoff max(S_T - K, 0).
inline constexpr double kCallRate = 0.05, kCallVol = 0.2;

inline v1::EstimateRequest GbmCallRequest(double target_rmse, v1::Method method = v1::MILSTEIN) {
  v1::EstimateRequest request;
  v1::BuiltinModel* model = request.mutable_model()->mutable_builtin();
  model->set_name("gbm");
  (*model->mutable_params())["mu"] = kCallRate;
  (*model->mutable_params())["sigma"] = kCallVol;
  request.set_method(method);
  request.set_t1(1.0);
  request.add_y0(1.0);
  request.set_seed(7);
  request.set_functional("exp(-0.05) * max(y - 1, 0)");
  request.set_target_rmse(target_rmse);
  return request;
}

// Black-Scholes price of that call.
inline double BlackScholesCall() {
  const double s0 = 1.0, strike = 1.0, t = 1.0;
  const double d1 = (std::log(s0 / strike) + (kCallRate + 0.5 * kCallVol * kCallVol) * t) /
                    (kCallVol * std::sqrt(t));
  const double d2 = d1 - kCallVol * std::sqrt(t);
  auto normal_cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
  return s0 * normal_cdf(d1) - strike * std::exp(-kCallRate * t) * normal_cdf(d2);
}

}  // namespace pathwise::server

#endif  // PATHWISE_TESTS_SERVER_ESTIMATE_CALLS_H_
