// Heston stochastic volatility, state (S, v), two correlated noises (Itô):
//   dS = r S dt + √v⁺ S dW_1
//   dv = κ(θ − v) dt + ξ √v⁺ (ρ dW_1 + √(1 − ρ²) dW_2),   v⁺ = max(v, 0).
// General (non-commutative) noise: g = [[√v⁺ S, 0], [ξρ√v⁺, ξ√(1−ρ²)√v⁺]].
#ifndef PATHWISE_CORE_MODEL_HESTON_H_
#define PATHWISE_CORE_MODEL_HESTON_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model/params.h"
#include "core/model/sde.h"

namespace pathwise::model {

class HestonModel final : public Sde {
 public:
  // kappa (0, inf) default 2, theta [0, inf) default 0.04, xi [0, inf) default 0.3,
  // rho [-1, 1] default -0.7, r any default 0.02.
  static const std::vector<ParamSpec>& Specs();
  static absl::StatusOr<HestonModel> Create(const ParamMap& params);

  absl::string_view name() const override { return "heston"; }
  void Drift(double t, const double* y, double* f) const override;
  void Diffusion(double t, const double* y, double* g) const override;
  // Lanes side by side in the layout of SdeTraits::lanes, each with one
  // state's arithmetic.
  std::unique_ptr<Sde> ForLanes(int lanes) const override;

 private:
  HestonModel(const SdeTraits& traits, double kappa, double theta, double xi, double rho, double r);
  double kappa_, theta_, xi_, rho_, r_, rho_bar_;
};

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_HESTON_H_
