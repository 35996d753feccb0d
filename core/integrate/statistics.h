// Running ensemble statistics: mean and variance by Welford's update within a
// block of paths, blocks combined by the pairwise formula of Chan, Golub &
// LeVeque (1979); exact sample quantiles.
//
// Determinism: blocks are fixed ranges of path indices (independent of the
// thread count) and are merged in block order, so every bit of the result is
// independent of how many threads ran the ensemble.
#ifndef PATHWISE_CORE_INTEGRATE_STATISTICS_H_
#define PATHWISE_CORE_INTEGRATE_STATISTICS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pathwise::integrate {

class RunningMoments {
 public:
  explicit RunningMoments(size_t size = 0) : mean_(size, 0.0), m2_(size, 0.0) {}

  // Adds one sample: size() values (one per save time and component).
  void Add(const double* values);
  // Combines with the moments of a disjoint set of samples that comes after these.
  void Merge(const RunningMoments& other);

  size_t size() const { return mean_.size(); }
  uint64_t count() const { return count_; }
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& m2() const { return m2_; }  // Σ (x − mean)²
  // Unbiased sample variance (0 when count < 2).
  std::vector<double> Variance() const;

 private:
  uint64_t count_ = 0;
  std::vector<double> mean_;
  std::vector<double> m2_;  // Σ (x − mean)²
};

// The sample quantile of sorted values at `level` in [0, 1]: Hyndman & Fan
// type 7, x[⌊p⌋] + (p − ⌊p⌋)(x[⌊p⌋ + 1] − x[⌊p⌋]) with p = (N − 1) level.
double SortedQuantile(const std::vector<double>& sorted, double level);

}  // namespace pathwise::integrate

#endif  // PATHWISE_CORE_INTEGRATE_STATISTICS_H_
