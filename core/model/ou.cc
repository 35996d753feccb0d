#include "core/model/ou.h"

#include "core/util/status_macros.h"

namespace pathwise::model {

const std::vector<ParamSpec>& OuModel::Specs() {
  static const std::vector<ParamSpec> specs = {
      {"theta", "mean-reversion rate", 1.0, 0.0},
      {"mu", "long-run mean"},
      {"sigma", "volatility", 1.0, 0.0},
  };
  return specs;
}

OuModel::OuModel(int n, double theta, double mu, double sigma)
    : Sde(SdeTraits{.state_dim = n,
                    .noise_dim = n,
                    .shape = NoiseShape::kDiagonal,
                    .noise = NoiseClass::kAdditive,
                    .calculus = Calculus::kIto,
                    .diffusion_depends_on_t = false,
                    .has_diffusion_jvp = true}),
      theta_(theta),
      mu_(mu),
      sigma_(sigma) {}

absl::StatusOr<OuModel> OuModel::Create(const ParamMap& params, int state_dim) {
  ASSIGN_OR_RETURN(std::vector<double> v, ResolveParams(Specs(), params));
  return OuModel(state_dim, v[0], v[1], v[2]);
}

void OuModel::Drift(double, const double* y, double* f) const {
  for (int i = 0; i < state_dim(); ++i) f[i] = theta_ * (mu_ - y[i]);
}

void OuModel::Diffusion(double, const double*, double* g) const {
  for (int i = 0; i < state_dim(); ++i) g[i] = sigma_;
}

}  // namespace pathwise::model
