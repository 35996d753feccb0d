// Geometric Brownian motion: dy_i = μ y_i dt + σ y_i dW_i, n-dimensional, diagonal noise.
#ifndef PATHWISE_CORE_MODEL_GBM_H_
#define PATHWISE_CORE_MODEL_GBM_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model/params.h"
#include "core/model/sde.h"

namespace pathwise::model {

class GbmModel final : public Sde {
 public:
  // mu any (default 0.05), sigma in [0, inf) (default 0.2).
  static const std::vector<ParamSpec>& Specs();
  static absl::StatusOr<GbmModel> Create(const ParamMap& params, int state_dim,
                                         Calculus calculus = Calculus::kIto);

  absl::string_view name() const override { return "gbm"; }
  void Drift(double t, const double* y, double* f) const override;
  void Diffusion(double t, const double* y, double* g) const override;
  void DiffusionJvp(double t, const double* y, const double* v, double* out) const override;
  std::unique_ptr<Sde> ForLanes(int lanes) const override;

  double mu() const { return mu_; }
  double sigma() const { return sigma_; }

 private:
  GbmModel(const SdeTraits& traits, double mu, double sigma);
  double mu_, sigma_;
};

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_GBM_H_
