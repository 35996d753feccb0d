// Small statistics helpers for the tests: KS against the standard normal,
// sample covariance matrices and their standard errors.
#ifndef PATHWISE_TESTS_UTIL_STATISTICS_H_
#define PATHWISE_TESTS_UTIL_STATISTICS_H_

#include <algorithm>
#include <cmath>
#include <vector>

namespace pathwise::testing {

// Kolmogorov-Smirnov: sqrt(n) D_n of a sample against N(0, 1). Under the null
// it exceeds 1.95 with probability 0.001 (asymptotic Kolmogorov law).
inline double KsStatisticStandardNormal(std::vector<double> sample) {
  std::sort(sample.begin(), sample.end());
  const double n = static_cast<double>(sample.size());
  double d = 0.0;
  for (size_t i = 0; i < sample.size(); ++i) {
    const double f = 0.5 * std::erfc(-sample[i] / std::sqrt(2.0));
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return std::sqrt(n) * d;
}
inline constexpr double kKsCritical001 = 1.95;

// Sample covariance (divisor n; the means are known to be 0 and are not
// estimated) of rows x[i][0..k), as a k*k row-major matrix.
inline std::vector<double> ZeroMeanCovariance(const std::vector<std::vector<double>>& rows) {
  const size_t k = rows.empty() ? 0 : rows[0].size();
  std::vector<double> cov(k * k, 0.0);
  for (const auto& row : rows) {
    for (size_t a = 0; a < k; ++a) {
      for (size_t b = 0; b < k; ++b) cov[a * k + b] += row[a] * row[b];
    }
  }
  for (double& c : cov) c /= static_cast<double>(rows.size());
  return cov;
}

// Standard error of the zero-mean sample covariance of two jointly Gaussian
// variables with variances va, vb and covariance c: sqrt((va vb + c^2) / n).
inline double CovarianceStandardError(double va, double vb, double c, size_t n) {
  return std::sqrt((va * vb + c * c) / static_cast<double>(n));
}

}  // namespace pathwise::testing

#endif  // PATHWISE_TESTS_UTIL_STATISTICS_H_
