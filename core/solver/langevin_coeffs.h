// Exponential-integrator coefficients of the Langevin methods (ALIGN, ShOULD, QUICSORT).
//
// All of them are built from E_p(α) = Σ_{k≥0} (−α)^k / (k + p)!, which equals
// (e^{−α} − Σ_{k<p} (−α)^k / k!) / (−α)^p; e.g. (1 − e^{−α})/α = E_1(α) and
// (e^{−α} + α − 1)/α² = E_2(α). Summing the series for small α avoids the
// cancellation of the closed forms, which Diffrax handles with a Taylor branch.
#ifndef PATHWISE_CORE_SOLVER_LANGEVIN_COEFFS_H_
#define PATHWISE_CORE_SOLVER_LANGEVIN_COEFFS_H_

namespace pathwise::solver {

// E_p(α) for p in 0..8 and α >= 0, to about machine precision.
double ExpRemainder(int p, double alpha);

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_LANGEVIN_COEFFS_H_
