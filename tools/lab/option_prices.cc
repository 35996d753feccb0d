#include "tools/lab/option_prices.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <numbers>

namespace pathwise::lab {
namespace {

using Complex = std::complex<double>;

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

// Nodes and weights of the n-point Gauss–Legendre rule on [-1, 1]: the roots
// of P_n by Newton's method from Tricomi's initial guesses, w = 2 / ((1 -
// x^2) P_n'(x)^2).
template <int kN>
struct GaussLegendre {
  std::array<double, kN> x{}, w{};
  GaussLegendre() {
    for (int i = 0; i < kN; ++i) {
      double z = std::cos(std::numbers::pi * (i + 0.75) / (kN + 0.5));
      double derivative = 0.0;
      for (int iteration = 0; iteration < 100; ++iteration) {
        double p0 = 1.0, p1 = z;  // P_0, P_1, then P_{k-1}, P_k by Bonnet's recursion
        for (int k = 2; k <= kN; ++k) {
          const double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        derivative = kN * (z * p1 - p0) / (z * z - 1.0);
        const double step = p1 / derivative;
        z -= step;
        if (std::fabs(step) < 1e-16) break;
      }
      x[i] = z;
      w[i] = 2.0 / ((1.0 - z * z) * derivative * derivative);
    }
  }
};

// E[exp(i u log S_T)] under Heston, u complex, in the "little trap" form
// (Albrecher et al. 2007, eq. (2) with g2 = 1/g): d has Re >= 0 and
// |g2 exp(-d T)| < 1, so the logarithm stays on its principal branch.
Complex HestonCharacteristic(Complex u, double s0, double v0, double t, const HestonParameters& p) {
  const Complex i(0.0, 1.0);
  const double xi2 = p.xi * p.xi;
  const Complex b = p.kappa - p.rho * p.xi * i * u;
  const Complex d = std::sqrt(b * b + xi2 * (i * u + u * u));
  const Complex g = (b - d) / (b + d);
  const Complex e = std::exp(-d * t);
  const Complex c =
      p.kappa * p.theta / xi2 * ((b - d) * t - 2.0 * std::log((1.0 - g * e) / (1.0 - g)));
  const Complex dv = (b - d) / xi2 * (1.0 - e) / (1.0 - g * e);
  return std::exp(i * u * (std::log(s0) + p.r * t) + c + dv * v0);
}

}  // namespace

double BlackScholesCall(double s0, double strike, double r, double sigma, double t) {
  const double d1 =
      (std::log(s0 / strike) + (r + 0.5 * sigma * sigma) * t) / (sigma * std::sqrt(t));
  const double d2 = d1 - sigma * std::sqrt(t);
  return s0 * NormalCdf(d1) - strike * std::exp(-r * t) * NormalCdf(d2);
}

double HestonCall(double s0, double v0, double strike, double t, const HestonParameters& p) {
  // Heston (1993): C = S0 P1 - K e^{-rT} P2 with
  //   P1 = 1/2 + 1/pi int_0^inf Re[e^{-iu log K} phi(u - i) / (iu phi(-i))] du,
  //   P2 = 1/2 + 1/pi int_0^inf Re[e^{-iu log K} phi(u) / (iu)] du,
  // and phi(-i) = S0 e^{rT}; as one integral,
  //   C = (S0 - K e^{-rT}) / 2 + e^{-rT}/pi int_0^inf Im[z(u)] / u du,
  //   z(u) = e^{-iu log K} (phi(u - i) - K phi(u))
  // (Re[z / (iu)] = Im[z] / u exactly, with no cancellation near u = 0).
  static const GaussLegendre<16> rule;
  const double log_k = std::log(strike);
  auto integrand = [&](double u) {
    const Complex z = std::exp(Complex(0.0, -u * log_k)) *
                      (HestonCharacteristic(Complex(u, -1.0), s0, v0, t, p) -
                       strike * HestonCharacteristic(Complex(u, 0.0), s0, v0, t, p));
    return z.imag() / u;
  };
  // Panels of width 1 (the integrand varies on the scale 1 / (sigma sqrt(T))
  // in u and oscillates with frequency |log(S0 / K)|, both slow here), until
  // a whole panel is below 1e-16 of S0 + K; at most 10^5 panels.
  constexpr double kWidth = 1.0;
  const double negligible = 1e-16 * (s0 + strike);
  double integral = 0.0;
  for (int panel = 0; panel < 100000; ++panel) {
    const double mid = (panel + 0.5) * kWidth;
    double sum = 0.0, largest = 0.0;
    for (size_t k = 0; k < rule.x.size(); ++k) {
      const double value = integrand(mid + 0.5 * kWidth * rule.x[k]);
      sum += rule.w[k] * value;
      largest = std::max(largest, std::fabs(value));
    }
    integral += 0.5 * kWidth * sum;
    if (largest * kWidth < negligible) break;
  }
  const double discount = std::exp(-p.r * t);
  return 0.5 * (s0 - strike * discount) + discount / std::numbers::pi * integral;
}

}  // namespace pathwise::lab
