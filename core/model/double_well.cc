#include "core/model/double_well.h"

#include "core/util/status_macros.h"

namespace pathwise::model {

const std::vector<ParamSpec>& DoubleWellModel::Specs() {
  static const std::vector<ParamSpec> specs = {
      {.name = "sigma",
       .description = "noise amplitude",
       .default_value = 1.0,
       .min = 0.0,
       .units = "state/sqrt(time)"},
  };
  return specs;
}

DoubleWellModel::DoubleWellModel(int n, double sigma)
    : Sde(SdeTraits{.state_dim = n,
                    .noise_dim = n,
                    .shape = NoiseShape::kDiagonal,
                    .noise = NoiseClass::kAdditive,
                    .calculus = Calculus::kIto,
                    .diffusion_depends_on_t = false,
                    .has_diffusion_jvp = true}),
      sigma_(sigma) {}

absl::StatusOr<DoubleWellModel> DoubleWellModel::Create(const ParamMap& params, int state_dim) {
  ASSIGN_OR_RETURN(std::vector<double> v, ResolveParams(Specs(), params));
  return DoubleWellModel(state_dim, v[0]);
}

void DoubleWellModel::Drift(double, const double* y, double* f) const {
  for (int i = 0; i < state_dim(); ++i) f[i] = y[i] - y[i] * y[i] * y[i];
}

void DoubleWellModel::Diffusion(double, const double*, double* g) const {
  for (int i = 0; i < state_dim(); ++i) g[i] = sigma_;
}

}  // namespace pathwise::model
