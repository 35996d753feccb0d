// The Gaussian potential U(x) = ½ Σ_i ((x_i − mean) / s_i)², whose Langevin
// dynamics sample N(mean, diag(s²)) when u = 1.
#ifndef PATHWISE_CORE_MODEL_GAUSSIAN_POTENTIAL_H_
#define PATHWISE_CORE_MODEL_GAUSSIAN_POTENTIAL_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "core/model/params.h"
#include "core/model/potential.h"

namespace pathwise::model {

class GaussianPotential final : public Potential {
 public:
  // Params: mean (any, default 0), scale ((0, inf), default 1: isotropic s_i = scale).
  // `data`, when not empty, holds dim per-coordinate scales s_i > 0 (then `scale`
  // must not be given).
  static const std::vector<ParamSpec>& Specs();
  static absl::StatusOr<GaussianPotential> Create(const ParamMap& params,
                                                  absl::Span<const double> data, int dim);

  absl::string_view name() const override { return "gaussian"; }
  double Value(const double* x) const override;
  void Gradient(const double* x, double* grad) const override;

  double mean() const { return mean_; }
  const std::vector<double>& scales() const { return scales_; }

 private:
  GaussianPotential(int dim, double mean, std::vector<double> scales);
  double mean_;
  std::vector<double> scales_;
  std::vector<double> inv_var_;  // 1 / s_i²
};

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_GAUSSIAN_POTENTIAL_H_
