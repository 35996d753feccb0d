// Cox–Ingersoll–Ross: dy_i = a(b − y_i) dt + σ √max(y_i, 0) dW_i, n-dimensional, diagonal noise.
//
// The max(·, 0) makes the coefficients defined for the negative values that
// generic methods (e.g. Euler) can produce ("full truncation").
#ifndef PATHWISE_CORE_MODEL_CIR_H_
#define PATHWISE_CORE_MODEL_CIR_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model/params.h"
#include "core/model/sde.h"

namespace pathwise::model {

class CirModel final : public Sde {
 public:
  // a in [0, inf) (default 1), b in [0, inf) (default 1), sigma in [0, inf) (default 0.5).
  static const std::vector<ParamSpec>& Specs();
  static absl::StatusOr<CirModel> Create(const ParamMap& params, int state_dim,
                                         Calculus calculus = Calculus::kIto);

  absl::string_view name() const override { return "cir"; }
  void Drift(double t, const double* y, double* f) const override;
  void Diffusion(double t, const double* y, double* g) const override;
  // ∂g/∂y = σ / (2 √y) for y > 0; 0 for y <= 0.
  void DiffusionJvp(double t, const double* y, const double* v, double* out) const override;
  std::unique_ptr<Sde> ForLanes(int lanes) const override;

  double a() const { return a_; }
  double b() const { return b_; }
  double sigma() const { return sigma_; }

 private:
  CirModel(const SdeTraits& traits, double a, double b, double sigma);
  double a_, b_, sigma_;
};

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_CIR_H_
