#include "core/model/langevin.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"

namespace pathwise::model {

LangevinModel::LangevinModel(std::shared_ptr<const Potential> potential, double gamma, double u)
    : Sde(SdeTraits{.state_dim = 2 * potential->dim(),
                    .noise_dim = potential->dim(),
                    .shape = NoiseShape::kGeneral,
                    .noise = NoiseClass::kAdditive,
                    .calculus = Calculus::kIto,
                    .diffusion_depends_on_t = false,
                    .has_diffusion_jvp = true}),
      potential_(std::move(potential)),
      gamma_(gamma),
      u_(u),
      rho_(std::sqrt(2.0 * gamma * u)) {}

absl::StatusOr<LangevinModel> LangevinModel::Create(std::shared_ptr<const Potential> potential,
                                                    double gamma, double u) {
  if (potential == nullptr) return absl::InvalidArgumentError("potential: must be set");
  if (!(gamma > 0.0) || !std::isfinite(gamma)) {
    return absl::InvalidArgumentError("gamma: must be > 0 and finite");
  }
  if (!(u > 0.0) || !std::isfinite(u))
    return absl::InvalidArgumentError("u: must be > 0 and finite");
  return LangevinModel(std::move(potential), gamma, u);
}

void LangevinModel::Drift(double, const double* y, double* f) const {
  const int d = dim();
  const double* x = y;
  const double* v = y + d;
  potential_->Gradient(x, f + d);
  for (int i = 0; i < d; ++i) {
    f[i] = v[i];
    f[d + i] = -gamma_ * v[i] - u_ * f[d + i];
  }
}

void LangevinModel::Diffusion(double, const double*, double* g) const {
  const int d = dim();
  std::fill(g, g + 2 * d * d, 0.0);
  for (int i = 0; i < d; ++i) g[(d + i) * d + i] = rho_;
}

}  // namespace pathwise::model
