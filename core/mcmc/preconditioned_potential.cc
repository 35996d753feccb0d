#include "core/mcmc/preconditioned_potential.h"

#include <cmath>
#include <cstddef>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace pathwise::mcmc {

absl::StatusOr<std::shared_ptr<const PreconditionedPotential>> PreconditionedPotential::Create(
    std::shared_ptr<const model::Potential> original, std::vector<double> inverse_mass) {
  if (original == nullptr) return absl::InvalidArgumentError("potential: none given");
  if (inverse_mass.size() != static_cast<size_t>(original->dim())) {
    return absl::InvalidArgumentError(absl::StrCat("inverse_mass: has ", inverse_mass.size(),
                                                   " entries, the potential has dimension ",
                                                   original->dim()));
  }
  for (size_t i = 0; i < inverse_mass.size(); ++i) {
    if (!(std::isfinite(inverse_mass[i]) && inverse_mass[i] > 0.0)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "inverse_mass[", i, "]: must be positive and finite, got ", inverse_mass[i]));
    }
  }
  return std::shared_ptr<const PreconditionedPotential>(
      new PreconditionedPotential(std::move(original), std::move(inverse_mass)));
}

PreconditionedPotential::PreconditionedPotential(std::shared_ptr<const model::Potential> original,
                                                 std::vector<double> inverse_mass)
    : model::Potential(original->dim()),
      original_(std::move(original)),
      inverse_mass_(std::move(inverse_mass)) {
  for (double m : inverse_mass_) scale_.push_back(std::sqrt(m));
}

void PreconditionedPotential::ToOriginal(const double* q, double* x) const {
  for (size_t i = 0; i < scale_.size(); ++i) x[i] = scale_[i] * q[i];
}

void PreconditionedPotential::ToPreconditioned(const double* x, double* q) const {
  for (size_t i = 0; i < scale_.size(); ++i) q[i] = x[i] / scale_[i];
}

double PreconditionedPotential::Value(const double* q) const {
  std::vector<double> x(scale_.size());
  ToOriginal(q, x.data());
  return original_->Value(x.data());
}

void PreconditionedPotential::Gradient(const double* q, double* grad) const {
  std::vector<double> x(scale_.size());
  ToOriginal(q, x.data());
  original_->Gradient(x.data(), grad);
  for (size_t i = 0; i < scale_.size(); ++i) grad[i] *= scale_[i];
}

}  // namespace pathwise::mcmc
