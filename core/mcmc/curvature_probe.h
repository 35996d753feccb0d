// The largest curvature of a potential near a point, by power iteration on
// the Hessian (Golub & Van Loan, Matrix Computations, 4th ed., Section 8.2.1),
// each Hessian-vector product a forward difference of gradients,
//   H v ~ (grad U(q + eps v) - grad U(q)) / eps,  |v| = 1.
// The sampler sets its constant step from it: a step h is stable and
// accurate for a mode of curvature lambda when h sqrt(u lambda) is small
// (docs/mcmc.md, "Step size").
#ifndef PATHWISE_CORE_MCMC_CURVATURE_PROBE_H_
#define PATHWISE_CORE_MCMC_CURVATURE_PROBE_H_

#include <cstdint>
#include <vector>

#include "core/model/potential.h"

namespace pathwise::mcmc {

// Power iterations per probe: enough for the Rayleigh quotient to settle
// within a few per cent when the top eigenvalues are not clustered (and a
// cluster has about the same curvature anyway).
inline constexpr int kProbeIterations = 16;

struct CurvatureEstimate {
  double curvature = 0.0;  // |Rayleigh quotient| of the last iterate; NaN when not finite
  uint64_t gradient_evaluations = 0;
};

// Starts from `start` (dim values, not all zero; normalised here).
CurvatureEstimate LargestCurvature(const model::Potential& potential, const double* q,
                                   std::vector<double> start);

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_CURVATURE_PROBE_H_
