#include "core/mcmc/curvature_probe.h"

#include <cmath>
#include <limits>

namespace pathwise::mcmc {
namespace {

double Norm(const std::vector<double>& v) {
  double sum = 0.0;
  for (double x : v) sum += x * x;
  return std::sqrt(sum);
}

}  // namespace

CurvatureEstimate LargestCurvature(const model::Potential& potential, const double* q,
                                   std::vector<double> start) {
  const int dim = potential.dim();
  CurvatureEstimate out;
  std::vector<double> v = std::move(start), grad0(dim), grad1(dim), shifted(dim), hv(dim);
  double q_norm = 0.0;
  for (int i = 0; i < dim; ++i) q_norm += q[i] * q[i];
  // A forward difference balances truncation (~ eps |U'''|) against rounding
  // (~ 2^-52 |grad| / eps): eps ~ sqrt(2^-52) relative to the point's size.
  const double eps = 1.5e-8 * (1.0 + std::sqrt(q_norm / dim));
  potential.Gradient(q, grad0.data());
  ++out.gradient_evaluations;
  double rayleigh = std::numeric_limits<double>::quiet_NaN();
  for (int iteration = 0; iteration < kProbeIterations; ++iteration) {
    const double norm = Norm(v);
    if (!(norm > 0.0) || !std::isfinite(norm)) break;
    for (int i = 0; i < dim; ++i) {
      v[i] /= norm;
      shifted[i] = q[i] + eps * v[i];
    }
    potential.Gradient(shifted.data(), grad1.data());
    ++out.gradient_evaluations;
    rayleigh = 0.0;
    for (int i = 0; i < dim; ++i) {
      hv[i] = (grad1[i] - grad0[i]) / eps;
      rayleigh += v[i] * hv[i];
    }
    v.swap(hv);
  }
  out.curvature = std::isfinite(rayleigh) ? std::abs(rayleigh) : rayleigh;
  return out;
}

}  // namespace pathwise::mcmc
