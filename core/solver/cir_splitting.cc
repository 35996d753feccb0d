#include "core/solver/cir_splitting.h"

#include <algorithm>
#include <cmath>

#include "core/model/cir.h"
#include "core/solver/langevin_coeffs.h"

namespace pathwise::solver {
namespace {

// Exact flow of dy = σ √y ∘ dc over a W-distance c, stopped at 0.
double NoiseFlow(double y, double sigma, double c) {
  const double z = std::max(std::sqrt(std::max(y, 0.0)) + 0.5 * sigma * c, 0.0);
  return z * z;
}

}  // namespace

const MethodInfo& CirSplitting::info() const {
  static constexpr MethodInfo info{
      .id = MethodId::kCirSplitting,
      .name = "cir_splitting",
      .description =
          "Strang splitting with space-time Lévy area for CIR (Foster, dos Reis & "
          "Strange)",
      .levy_area = brownian::LevyArea::kSpaceTime,
      .form = ModelForm::kCir,
      .max_noise = model::NoiseClass::kDiagonal,
      .order_additive = 1.0,
      .order_commutative = 1.0,
      .order_general = 1.0,
  };
  return info;
}

void CirSplitting::Prepare(const model::Sde&, StepWork& work) const { work.scratch.clear(); }

void CirSplitting::Step(const model::Sde& sde, double, const BrownianIncrement& dw,
                        const double* y0, double* y1, double*, StepWork& work) const {
  const auto& cir = static_cast<const model::CirModel&>(sde);
  const double a = cir.a(), sigma = cir.sigma(), h = dw.dt;
  const double c0 = a * cir.b() - 0.25 * sigma * sigma;  // Stratonovich drift at y = 0
  const double decay = std::exp(-a * h);
  const double gain = c0 * h * ExpRemainder(1, a * h);
  for (int i = 0; i < sde.state_dim(); ++i) {
    double y = NoiseFlow(y0[i], sigma, 0.5 * dw.w[i] + dw.h[i]);
    y = y * decay + gain;
    y1[i] = NoiseFlow(y, sigma, 0.5 * dw.w[i] - dw.h[i]);
  }
  work.counts.drift += 1;
  work.counts.diffusion += 2;
}

}  // namespace pathwise::solver
