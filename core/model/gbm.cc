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

GbmModel::GbmModel(int n, Calculus calculus, double mu, double sigma)
    : Sde(ComponentwiseTraits(n, /*additive=*/false, calculus)), mu_(mu), sigma_(sigma) {}

absl::StatusOr<GbmModel> GbmModel::Create(const ParamMap& params, int state_dim,
                                          Calculus calculus) {
  ASSIGN_OR_RETURN(std::vector<double> v, ResolveParams(Specs(), params));
  return GbmModel(state_dim, calculus, v[0], v[1]);
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

std::unique_ptr<Sde> GbmModel::WithStateDim(int state_dim) const {
  return std::unique_ptr<Sde>(new GbmModel(state_dim, traits().calculus, mu_, sigma_));
}

}  // namespace pathwise::model
