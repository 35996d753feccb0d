#include "core/model/gbm.h"

#include "core/util/status_macros.h"

namespace pathwise::model {

const std::vector<ParamSpec>& GbmModel::Specs() {
  static const std::vector<ParamSpec> specs = {
      {.name = "mu", .description = "drift rate", .default_value = 0.05, .units = "1/time"},
      NonNegativeParam("sigma", "volatility", 0.2, "1/sqrt(time)"),
  };
  return specs;
}

GbmModel::GbmModel(const SdeTraits& traits, double mu, double sigma)
    : Sde(traits), mu_(mu), sigma_(sigma) {}

absl::StatusOr<GbmModel> GbmModel::Create(const ParamMap& params, int state_dim,
                                          Calculus calculus) {
  ASSIGN_OR_RETURN(std::vector<double> v, ResolveParams(Specs(), params));
  return GbmModel(ComponentwiseTraits(state_dim, /*additive=*/false, calculus), v[0], v[1]);
}

void GbmModel::Drift(double, const double* y, double* f) const {
  for (int i = 0; i < state_dim(); ++i) f[i] = mu_ * y[i];
}

void GbmModel::Diffusion(double, const double* y, double* g) const {
  for (int i = 0; i < state_dim(); ++i) g[i] = sigma_ * y[i];
}

void GbmModel::DiffusionJvp(double, const double*, const double* v, double* out) const {
  for (int i = 0; i < state_dim(); ++i) out[i] = sigma_ * v[i];
}

std::unique_ptr<Sde> GbmModel::ForLanes(int lanes) const {
  return std::unique_ptr<Sde>(new GbmModel(LaneTraits(traits(), lanes), mu_, sigma_));
}

}  // namespace pathwise::model
