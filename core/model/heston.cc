#include "core/model/heston.h"

#include <algorithm>
#include <cmath>

#include "core/util/status_macros.h"

namespace pathwise::model {

const std::vector<ParamSpec>& HestonModel::Specs() {
  static const std::vector<ParamSpec> specs = {
      {.name = "kappa",
       .description = "variance mean-reversion rate",
       .default_value = 2.0,
       .min = 0.0,
       .min_open = true,
       .units = "1/time"},
      NonNegativeParam("theta", "long-run variance", 0.04, "v"),
      NonNegativeParam("xi", "volatility of variance", 0.3, "sqrt(v/time)"),
      {.name = "rho",
       .description = "correlation of the two noises",
       .default_value = -0.7,
       .min = -1.0,
       .max = 1.0,
       .units = "1"},
      {.name = "r", .description = "risk-free rate", .default_value = 0.02, .units = "1/time"},
  };
  return specs;
}

HestonModel::HestonModel(const SdeTraits& traits, double kappa, double theta, double xi, double rho,
                         double r)
    : Sde(traits),
      kappa_(kappa),
      theta_(theta),
      xi_(xi),
      rho_(rho),
      r_(r),
      rho_bar_(std::sqrt(std::max(1.0 - rho * rho, 0.0))) {}

absl::StatusOr<HestonModel> HestonModel::Create(const ParamMap& params) {
  ASSIGN_OR_RETURN(std::vector<double> v, ResolveParams(Specs(), params));
  const SdeTraits traits{.state_dim = 2,
                         .noise_dim = 2,
                         .shape = NoiseShape::kGeneral,
                         .noise = NoiseClass::kGeneral,
                         .calculus = Calculus::kIto,
                         .diffusion_depends_on_t = false,
                         .has_diffusion_jvp = false};
  return HestonModel(traits, v[0], v[1], v[2], v[3], v[4]);
}

std::unique_ptr<Sde> HestonModel::ForLanes(int lanes) const {
  return std::unique_ptr<Sde>(
      new HestonModel(LaneTraits(traits(), lanes), kappa_, theta_, xi_, rho_, r_));
}

// Lane l's S at y[l] and v at y[L + l]; g_ij at g[(2 i + j) L + l] (one
// state: L = 1).
void HestonModel::Drift(double, const double* y, double* f) const {
  const int lanes = traits().lanes;
  for (int l = 0; l < lanes; ++l) {
    f[l] = r_ * y[l];
    f[lanes + l] = kappa_ * (theta_ - y[lanes + l]);
  }
}

void HestonModel::Diffusion(double, const double* y, double* g) const {
  const int lanes = traits().lanes;
  for (int l = 0; l < lanes; ++l) {
    const double sv = std::sqrt(std::max(y[lanes + l], 0.0));
    g[l] = sv * y[l];
    g[lanes + l] = 0.0;
    g[2 * lanes + l] = xi_ * rho_ * sv;
    g[3 * lanes + l] = xi_ * rho_bar_ * sv;
  }
}

}  // namespace pathwise::model
