#include "core/model/double_well.h"

#include "core/util/status_macros.h"

namespace pathwise::model {

const std::vector<ParamSpec>& DoubleWellModel::Specs() {
  static const std::vector<ParamSpec> specs = {
      NonNegativeParam("sigma", "noise amplitude", 1.0, "state/sqrt(time)"),
  };
  return specs;
}

DoubleWellModel::DoubleWellModel(const SdeTraits& traits, double sigma)
    : Sde(traits), sigma_(sigma) {}

absl::StatusOr<DoubleWellModel> DoubleWellModel::Create(const ParamMap& params, int state_dim) {
  ASSIGN_OR_RETURN(std::vector<double> v, ResolveParams(Specs(), params));
  return DoubleWellModel(ComponentwiseTraits(state_dim, /*additive=*/true, Calculus::kIto), v[0]);
}

void DoubleWellModel::Drift(double, const double* y, double* f) const {
  for (int i = 0; i < state_dim(); ++i) f[i] = y[i] - y[i] * y[i] * y[i];
}

void DoubleWellModel::Diffusion(double, const double*, double* g) const {
  for (int i = 0; i < state_dim(); ++i) g[i] = sigma_;
}

std::unique_ptr<Sde> DoubleWellModel::ForLanes(int lanes) const {
  return std::unique_ptr<Sde>(new DoubleWellModel(LaneTraits(traits(), lanes), sigma_));
}

}  // namespace pathwise::model
