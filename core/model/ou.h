// Ornstein–Uhlenbeck: dy_i = θ(μ − y_i) dt + σ dW_i, n-dimensional, additive diagonal noise.
#ifndef PATHWISE_CORE_MODEL_OU_H_
#define PATHWISE_CORE_MODEL_OU_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model/params.h"
#include "core/model/sde.h"

namespace pathwise::model {

class OuModel final : public Sde {
 public:
  // theta in [0, inf) (default 1), mu any (default 0), sigma in [0, inf) (default 1).
  static const std::vector<ParamSpec>& Specs();
  static absl::StatusOr<OuModel> Create(const ParamMap& params, int state_dim);

  absl::string_view name() const override { return "ou"; }
  void Drift(double t, const double* y, double* f) const override;
  void Diffusion(double t, const double* y, double* g) const override;
  std::unique_ptr<Sde> ForLanes(int lanes) const override;

  double theta() const { return theta_; }
  double mu() const { return mu_; }
  double sigma() const { return sigma_; }

 private:
  OuModel(const SdeTraits& traits, double theta, double mu, double sigma);
  double theta_, mu_, sigma_;
};

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_OU_H_
