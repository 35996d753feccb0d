#include "core/model/logistic_regression.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/util/status_macros.h"

namespace pathwise::model {
namespace {

// log(1 + exp(z)) without overflow.
double Softplus(double z) {
  return z > 0.0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

double Sigmoid(double z) {
  if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

}  // namespace

const std::vector<ParamSpec>& LogisticRegressionPotential::Specs() {
  static const std::vector<ParamSpec> specs = {
      {.name = "prior_variance",
       .description = "variance of the Gaussian prior on the weights",
       .default_value = 1.0,
       .min = 0.0,
       .min_open = true,
       .units = "x^2"},
  };
  return specs;
}

LogisticRegressionPotential::LogisticRegressionPotential(int dim, int rows,
                                                         std::vector<double> features,
                                                         std::vector<double> labels,
                                                         double prior_variance)
    : Potential(dim),
      rows_(rows),
      features_(std::move(features)),
      labels_(std::move(labels)),
      inv_prior_variance_(1.0 / prior_variance) {}

absl::StatusOr<LogisticRegressionPotential> LogisticRegressionPotential::Create(
    const ParamMap& params, absl::Span<const double> data, int data_cols) {
  ASSIGN_OR_RETURN(std::vector<double> v, ResolveParams(Specs(), params));
  if (data_cols < 2) return absl::InvalidArgumentError("data_cols: must be >= 2");
  if (data.empty() || data.size() % data_cols != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("data: length must be a positive multiple of data_cols = ", data_cols));
  }
  const int dim = data_cols - 1;
  const int rows = static_cast<int>(data.size() / data_cols);
  std::vector<double> features, labels;
  features.reserve(rows * dim);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < dim; ++c) {
      const double a = data[r * data_cols + c];
      if (!std::isfinite(a)) {
        return absl::InvalidArgumentError(
            absl::StrCat("data[", r * data_cols + c, "]: must be finite"));
      }
      features.push_back(a);
    }
    const double y = data[r * data_cols + dim];
    if (y != 0.0 && y != 1.0) {
      return absl::InvalidArgumentError(
          absl::StrCat("data[", r * data_cols + dim, "]: label must be 0 or 1"));
    }
    labels.push_back(y);
  }
  return LogisticRegressionPotential(dim, rows, std::move(features), std::move(labels), v[0]);
}

double LogisticRegressionPotential::Value(const double* x) const {
  double acc = 0.0;
  for (int r = 0; r < rows_; ++r) {
    const double* a = &features_[r * dim()];
    double z = 0.0;
    for (int c = 0; c < dim(); ++c) z += a[c] * x[c];
    acc += Softplus(z) - labels_[r] * z;
  }
  for (int c = 0; c < dim(); ++c) acc += 0.5 * x[c] * x[c] * inv_prior_variance_;
  return acc;
}

void LogisticRegressionPotential::Gradient(const double* x, double* grad) const {
  for (int c = 0; c < dim(); ++c) grad[c] = x[c] * inv_prior_variance_;
  for (int r = 0; r < rows_; ++r) {
    const double* a = &features_[r * dim()];
    double z = 0.0;
    for (int c = 0; c < dim(); ++c) z += a[c] * x[c];
    const double s = Sigmoid(z) - labels_[r];
    for (int c = 0; c < dim(); ++c) grad[c] += s * a[c];
  }
}

}  // namespace pathwise::model
