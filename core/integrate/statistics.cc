#include "core/integrate/statistics.h"

#include <cmath>

namespace pathwise::integrate {

void RunningMoments::Add(const double* values) {
  ++count_;
  const double inv = 1.0 / static_cast<double>(count_);
  for (size_t i = 0; i < mean_.size(); ++i) {
    const double delta = values[i] - mean_[i];
    mean_[i] += delta * inv;
    m2_[i] += delta * (values[i] - mean_[i]);
  }
}

void RunningMoments::Merge(const RunningMoments& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(count_);
  const double nb = static_cast<double>(other.count_);
  const double n = na + nb;
  for (size_t i = 0; i < mean_.size(); ++i) {
    const double delta = other.mean_[i] - mean_[i];
    mean_[i] += delta * (nb / n);
    m2_[i] += other.m2_[i] + delta * delta * (na * nb / n);
  }
  count_ += other.count_;
}

std::vector<double> RunningMoments::Variance() const {
  std::vector<double> var(mean_.size(), 0.0);
  if (count_ < 2) return var;
  for (size_t i = 0; i < var.size(); ++i) var[i] = m2_[i] / static_cast<double>(count_ - 1);
  return var;
}

double SortedQuantile(const std::vector<double>& sorted, double level) {
  if (sorted.empty()) return NAN;
  const double p = (static_cast<double>(sorted.size()) - 1.0) * level;
  const size_t lo = static_cast<size_t>(std::floor(p));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (p - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

}  // namespace pathwise::integrate
