// McmcRequests shared by the McmcService tests (and, through
// fuzz/make-seeds, the seeds of fuzz/mcmc_request_fuzzer).
#ifndef PATHWISE_TESTS_SERVER_MCMC_REQUESTS_H_
#define PATHWISE_TESTS_SERVER_MCMC_REQUESTS_H_

#include <cstdint>

#include "core/random/normal.h"
#include "pathwise/v1/mcmc.pb.h"

namespace pathwise::server {

// The Gaussian N((1, -2), diag(0.5², 2²)) as an expression potential:
// U = (x0 - 1)² / (2 · 0.25) + (x1 + 2)² / (2 · 4).
inline constexpr double kGaussianMean[] = {1.0, -2.0};
inline constexpr double kGaussianSd[] = {0.5, 2.0};

inline v1::McmcRequest GaussianMcmcRequest() {
  v1::McmcRequest request;
  v1::LangevinModel* target = request.mutable_target();
  target->set_expression("(x0 - m0)^2 / (2 * s0^2) + (x1 - m1)^2 / (2 * s1^2)");
  target->set_dim(2);
  (*target->mutable_params())["m0"] = kGaussianMean[0];
  (*target->mutable_params())["m1"] = kGaussianMean[1];
  (*target->mutable_params())["s0"] = kGaussianSd[0];
  (*target->mutable_params())["s1"] = kGaussianSd[1];
  request.set_seed(2024);
  request.set_num_chains(4);
  request.set_warmup_time(50.0);
  request.set_num_draws(200);
  request.set_thin_time(1.0);
  return request;
}

// A logistic regression the size of the breast-cancer table (569 rows of 31
// features and a 0/1 label: 18208 doubles, 146 kB), synthetic: standard
// normal features from Philox (counter (row, j), key 7), labels 1 where the
// linear predictor with coefficients 0.5 / (1 + j) plus a Philox normal is > 0.
inline v1::McmcRequest LargeDataMcmcRequest() {
  constexpr int kRows = 569, kFeatures = 31, kCols = kFeatures + 1;
  v1::McmcRequest request;
  v1::BuiltinPotential* b = request.mutable_target()->mutable_builtin();
  b->set_name("logistic_regression");
  b->set_data_cols(kCols);
  for (int r = 0; r < kRows; ++r) {
    double eta = 0.0;
    for (int j = 0; j <= kFeatures; ++j) {
      const random::PhiloxCounter counter = {static_cast<uint32_t>(r), static_cast<uint32_t>(j), 0,
                                             0};
      const double a = random::NormalPairAt(counter, {7, 0}).first;
      if (j == kFeatures) {
        b->add_data(eta + a > 0.0 ? 1.0 : 0.0);
      } else {
        eta += 0.5 / (1 + j) * a;
        b->add_data(a);
      }
    }
  }
  request.set_seed(5);
  request.set_num_chains(2);
  request.set_warmup_time(2.0);
  request.set_num_draws(8);
  request.set_thin_time(0.25);
  return request;
}

}  // namespace pathwise::server

#endif  // PATHWISE_TESTS_SERVER_MCMC_REQUESTS_H_
