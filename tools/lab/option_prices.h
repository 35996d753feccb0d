// Closed-form European call prices the lab checks its estimates against:
// Black–Scholes, and Heston's semi-closed form (one numerical integral).
#ifndef PATHWISE_TOOLS_LAB_OPTION_PRICES_H_
#define PATHWISE_TOOLS_LAB_OPTION_PRICES_H_

namespace pathwise::lab {

// E[e^{-rT} max(S_T - K, 0)] for dS = r S dt + sigma S dW, S_0 = s0.
double BlackScholesCall(double s0, double strike, double r, double sigma, double t);

// Heston's parameters, named as the built-in model names them (dS = r S dt +
// sqrt(v) S dW1, dv = kappa (theta - v) dt + xi sqrt(v) dW2, d<W1, W2> = rho dt).
struct HestonParameters {
  double kappa = 2.0, theta = 0.04, xi = 0.3, rho = -0.7, r = 0.02;
};

// E[e^{-rT} max(S_T - K, 0)] under Heston with S_0 = s0, v_0 = v0 (xi > 0,
// |rho| < 1): Heston (1993) with the characteristic function in the form of
// Albrecher, Mayer, Schoutens & Tistaert ("The little Heston trap", 2007),
// which is continuous in u, integrated by composite Gauss–Legendre until
// the integrand is below 1e-16 of the price. Accurate to about 1e-10
// (checked against Fang & Oosterlee's COS reference values).
double HestonCall(double s0, double v0, double strike, double t, const HestonParameters& p);

}  // namespace pathwise::lab

#endif  // PATHWISE_TOOLS_LAB_OPTION_PRICES_H_
