#include "core/model/gaussian_potential.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/util/status_macros.h"

namespace pathwise::model {

const std::vector<ParamSpec>& GaussianPotential::Specs() {
  static const std::vector<ParamSpec> specs = {
      {.name = "mean", .description = "mean of every coordinate", .units = "x"},
      {.name = "scale",
       .description = "standard deviation of every coordinate",
       .default_value = 1.0,
       .min = 0.0,
       .min_open = true,
       .units = "x"},
  };
  return specs;
}

GaussianPotential::GaussianPotential(int dim, double mean, std::vector<double> scales)
    : Potential(dim), mean_(mean), scales_(std::move(scales)) {
  for (double s : scales_) inv_var_.push_back(1.0 / (s * s));
}

absl::StatusOr<GaussianPotential> GaussianPotential::Create(const ParamMap& params,
                                                            absl::Span<const double> data,
                                                            int dim) {
  if (dim < 1) return absl::InvalidArgumentError("dim: must be >= 1");
  ASSIGN_OR_RETURN(std::vector<double> v, ResolveParams(Specs(), params));
  std::vector<double> scales(dim, v[1]);
  if (!data.empty()) {
    if (params.count("scale") != 0) {
      return absl::InvalidArgumentError(
          "data: per-coordinate scales and params.scale are exclusive");
    }
    if (static_cast<int>(data.size()) != dim) {
      return absl::InvalidArgumentError(
          absl::StrCat("data: must hold dim = ", dim, " scales, got ", data.size()));
    }
    for (int i = 0; i < dim; ++i) {
      if (!(data[i] > 0.0) || !std::isfinite(data[i])) {
        return absl::InvalidArgumentError(absl::StrCat("data[", i, "]: scale must be > 0"));
      }
      scales[i] = data[i];
    }
  }
  return GaussianPotential(dim, v[0], std::move(scales));
}

double GaussianPotential::Value(const double* x) const {
  double acc = 0.0;
  for (int i = 0; i < dim(); ++i) {
    const double d = x[i] - mean_;
    acc += d * d * inv_var_[i];
  }
  return 0.5 * acc;
}

void GaussianPotential::Gradient(const double* x, double* grad) const {
  for (int i = 0; i < dim(); ++i) grad[i] = (x[i] - mean_) * inv_var_[i];
}

}  // namespace pathwise::model
