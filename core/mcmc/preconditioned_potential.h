// Diagonal preconditioning as the change of variables it is.
//
// Underdamped Langevin dynamics with a mass matrix M,
//   dx = M^{-1} p dt,  dp = -gamma p dt - grad U(x) dt + sqrt(2 gamma) M^{1/2} dW,
// is, in the variables q = M^{1/2} x and v = M^{-1/2} p, the unit-mass dynamics
//   dq = v dt,  dv = -gamma v dt - grad U'(q) dt + sqrt(2 gamma) dW
// for the potential U'(q) = U(M^{-1/2} q), whose gradient is
//   grad U'(q) = M^{-1/2} grad U(M^{-1/2} q)
// (Neal, "MCMC using Hamiltonian dynamics", Handbook of MCMC 2011, Section 4.1).
// So a method needs no notion of mass: it integrates the Langevin model of
// this wrapped potential, and draws are mapped back by x = M^{-1/2} q. With
// M^{-1} the target's variances, U' has unit scales in every coordinate.
#ifndef PATHWISE_CORE_MCMC_PRECONDITIONED_POTENTIAL_H_
#define PATHWISE_CORE_MCMC_PRECONDITIONED_POTENTIAL_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model/potential.h"

namespace pathwise::mcmc {

class PreconditionedPotential final : public model::Potential {
 public:
  // inverse_mass: the diagonal of M^{-1}, one positive finite entry per
  // coordinate of the potential (InvalidArgument naming the entry otherwise).
  static absl::StatusOr<std::shared_ptr<const PreconditionedPotential>> Create(
      std::shared_ptr<const model::Potential> original, std::vector<double> inverse_mass);

  absl::string_view name() const override { return original_->name(); }
  // U'(q) = U(M^{-1/2} q).
  double Value(const double* q) const override;
  // grad U'(q) = M^{-1/2} grad U(M^{-1/2} q).
  void Gradient(const double* q, double* grad) const override;

  // x = M^{-1/2} q and back, dim() values each.
  void ToOriginal(const double* q, double* x) const;
  void ToPreconditioned(const double* x, double* q) const;

  const std::vector<double>& inverse_mass() const { return inverse_mass_; }

 private:
  PreconditionedPotential(std::shared_ptr<const model::Potential> original,
                          std::vector<double> inverse_mass);

  std::shared_ptr<const model::Potential> original_;
  std::vector<double> inverse_mass_;
  std::vector<double> scale_;  // M^{-1/2}: the square roots of inverse_mass_
};

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_PRECONDITIONED_POTENTIAL_H_
