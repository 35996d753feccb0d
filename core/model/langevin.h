// Underdamped Langevin dynamics for a potential U on R^d (state y = (x, v), n = 2d, m = d):
//   dx = v dt
//   dv = −γ v dt − u ∇U(x) dt + √(2γu) dW.
// The noise is additive, so every additive-noise method solves it as an Sde; the
// Langevin methods (ALIGN, ShOULD, QUICSORT) use the structure through AsLangevin().
#ifndef PATHWISE_CORE_MODEL_LANGEVIN_H_
#define PATHWISE_CORE_MODEL_LANGEVIN_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model/potential.h"
#include "core/model/sde.h"

namespace pathwise::model {

class LangevinModel final : public Sde {
 public:
  // gamma > 0 (friction), u > 0 (inverse mass), both finite.
  static absl::StatusOr<LangevinModel> Create(std::shared_ptr<const Potential> potential,
                                              double gamma, double u);

  absl::string_view name() const override { return "langevin"; }
  void Drift(double t, const double* y, double* f) const override;
  // General shape 2d × d: zeros above, √(2γu) I below.
  void Diffusion(double t, const double* y, double* g) const override;
  const LangevinModel* AsLangevin() const override { return this; }

  int dim() const { return potential_->dim(); }
  double gamma() const { return gamma_; }
  double u() const { return u_; }
  double rho() const { return rho_; }  // √(2γu)
  const Potential& potential() const { return *potential_; }

 private:
  LangevinModel(std::shared_ptr<const Potential> potential, double gamma, double u);
  std::shared_ptr<const Potential> potential_;
  double gamma_, u_, rho_;
};

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_LANGEVIN_H_
