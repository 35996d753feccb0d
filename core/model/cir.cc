#include "core/model/cir.h"

#include <algorithm>
#include <cmath>

#include "core/util/status_macros.h"

namespace pathwise::model {

const std::vector<ParamSpec>& CirModel::Specs() {
  static const std::vector<ParamSpec> specs = {
      NonNegativeParam("a", "mean-reversion rate", 1.0, "1/time"),
      NonNegativeParam("b", "long-run mean", 1.0, "state"),
      NonNegativeParam("sigma", "volatility", 0.5, "sqrt(state/time)"),
  };
  return specs;
}

CirModel::CirModel(const SdeTraits& traits, double a, double b, double sigma)
    : Sde(traits), a_(a), b_(b), sigma_(sigma) {}

absl::StatusOr<CirModel> CirModel::Create(const ParamMap& params, int state_dim,
                                          Calculus calculus) {
  ASSIGN_OR_RETURN(std::vector<double> v, ResolveParams(Specs(), params));
  return CirModel(ComponentwiseTraits(state_dim, /*additive=*/false, calculus), v[0], v[1], v[2]);
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

std::unique_ptr<Sde> CirModel::ForLanes(int lanes) const {
  return std::unique_ptr<Sde>(new CirModel(LaneTraits(traits(), lanes), a_, b_, sigma_));
}

}  // namespace pathwise::model
