#include "core/model/cir.h"

#include <algorithm>
#include <cmath>

#include "core/util/status_macros.h"

namespace pathwise::model {

const std::vector<ParamSpec>& CirModel::Specs() {
  static const std::vector<ParamSpec> specs = {
      {.name = "a",
       .description = "mean-reversion rate",
       .default_value = 1.0,
       .min = 0.0,
       .units = "1/time"},
      {.name = "b",
       .description = "long-run mean",
       .default_value = 1.0,
       .min = 0.0,
       .units = "state"},
      {.name = "sigma",
       .description = "volatility",
       .default_value = 0.5,
       .min = 0.0,
       .units = "sqrt(state/time)"},
  };
  return specs;
}

CirModel::CirModel(int n, Calculus calculus, double a, double b, double sigma)
    : Sde(SdeTraits{.state_dim = n,
                    .noise_dim = n,
                    .shape = NoiseShape::kDiagonal,
                    .noise = n == 1 ? NoiseClass::kScalar : NoiseClass::kDiagonal,
                    .calculus = calculus,
                    .diffusion_depends_on_t = false,
                    .has_diffusion_jvp = true}),
      a_(a),
      b_(b),
      sigma_(sigma) {}

absl::StatusOr<CirModel> CirModel::Create(const ParamMap& params, int state_dim,
                                          Calculus calculus) {
  ASSIGN_OR_RETURN(std::vector<double> v, ResolveParams(Specs(), params));
  return CirModel(state_dim, calculus, v[0], v[1], v[2]);
}

void CirModel::Drift(double, const double* y, double* f) const {
  for (int i = 0; i < state_dim(); ++i) f[i] = a_ * (b_ - y[i]);
}

void CirModel::Diffusion(double, const double* y, double* g) const {
  for (int i = 0; i < state_dim(); ++i) g[i] = sigma_ * std::sqrt(std::max(y[i], 0.0));
}

void CirModel::DiffusionJvp(double, const double* y, const double* v, double* out) const {
  for (int i = 0; i < state_dim(); ++i) {
    out[i] = y[i] > 0.0 ? v[i] * sigma_ / (2.0 * std::sqrt(y[i])) : 0.0;
  }
}

}  // namespace pathwise::model
