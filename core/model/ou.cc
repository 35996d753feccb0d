#include "core/model/ou.h"

#include "core/util/status_macros.h"

namespace pathwise::model {

const std::vector<ParamSpec>& OuModel::Specs() {
  static const std::vector<ParamSpec> specs = {
      NonNegativeParam("theta", "mean-reversion rate", 1.0, "1/time"),
      {.name = "mu", .description = "long-run mean", .units = "state"},
      NonNegativeParam("sigma", "volatility", 1.0, "state/sqrt(time)"),
  };
  return specs;
}

OuModel::OuModel(const SdeTraits& traits, double theta, double mu, double sigma)
    : Sde(traits), theta_(theta), mu_(mu), sigma_(sigma) {}

absl::StatusOr<OuModel> OuModel::Create(const ParamMap& params, int state_dim) {
  ASSIGN_OR_RETURN(std::vector<double> v, ResolveParams(Specs(), params));
  return OuModel(ComponentwiseTraits(state_dim, /*additive=*/true, Calculus::kIto), v[0], v[1],
                 v[2]);
}

void OuModel::Drift(double, const double* y, double* f) const {
  for (int i = 0; i < state_dim(); ++i) f[i] = theta_ * (mu_ - y[i]);
}

void OuModel::Diffusion(double, const double*, double* g) const {
  for (int i = 0; i < state_dim(); ++i) g[i] = sigma_;
}

std::unique_ptr<Sde> OuModel::ForLanes(int lanes) const {
  return std::unique_ptr<Sde>(new OuModel(LaneTraits(traits(), lanes), theta_, mu_, sigma_));
}

}  // namespace pathwise::model
