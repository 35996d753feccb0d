// The standard normal quantile function Phi^{-1}(p), needed to rank-normalise
// draws (Vehtari et al. 2021, Section 4).
//
// Algorithm AS 241 (PPND16) of M. J. Wichura, "The percentage points of the
// normal distribution", Applied Statistics 37 (1988) 477-484: a rational
// minimax approximation in three regions (|p - 1/2| <= 0.425, then in
// r = sqrt(-log min(p, 1 - p)) for r <= 5 and r > 5), with a relative error
// of about 1e-16 over (0, 1). The logarithm is core/random's deterministic one,
// so the result is the same on every C library.
#ifndef PATHWISE_CORE_MCMC_INVERSE_NORMAL_CDF_H_
#define PATHWISE_CORE_MCMC_INVERSE_NORMAL_CDF_H_

namespace pathwise::mcmc {

// Phi^{-1}(p) for p in (0, 1); -inf at 0, +inf at 1, NaN outside [0, 1].
double InverseNormalCdf(double p);

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_INVERSE_NORMAL_CDF_H_
