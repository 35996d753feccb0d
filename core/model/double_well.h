// Double well: dy_i = (y_i − y_i³) dt + σ dW_i, n-dimensional, additive diagonal noise.
#ifndef PATHWISE_CORE_MODEL_DOUBLE_WELL_H_
#define PATHWISE_CORE_MODEL_DOUBLE_WELL_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model/params.h"
#include "core/model/sde.h"

namespace pathwise::model {

class DoubleWellModel final : public Sde {
 public:
  // sigma in [0, inf) (default 1).
  static const std::vector<ParamSpec>& Specs();
  static absl::StatusOr<DoubleWellModel> Create(const ParamMap& params, int state_dim);

  absl::string_view name() const override { return "double_well"; }
  void Drift(double t, const double* y, double* f) const override;
  void Diffusion(double t, const double* y, double* g) const override;
  std::unique_ptr<Sde> ForLanes(int lanes) const override;

  double sigma() const { return sigma_; }

 private:
  DoubleWellModel(const SdeTraits& traits, double sigma);
  double sigma_;
};

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_DOUBLE_WELL_H_
