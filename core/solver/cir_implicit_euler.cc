#include "core/solver/cir_implicit_euler.h"

#include <algorithm>
#include <cmath>

#include "core/solver/cir_method.h"

namespace pathwise::solver {

const MethodInfo& CirImplicitEuler::info() const {
  static constexpr MethodInfo info =
      CirInfo(MethodId::kCirImplicitEuler, "cir_implicit_euler",
              "drift-implicit square-root Euler for CIR (Alfonsi 2005); needs 4ab >= sigma^2: "
              "below it the mean is biased high (+0.02 at dt = 2^-7 for a = 0.5, b = 0.04, "
              "sigma = 1), use milstein there",
              brownian::LevyArea::kNone);
  return info;
}

void CirImplicitEuler::Prepare(const model::Sde&, StepWork& work) const { work.scratch.clear(); }

void CirImplicitEuler::Step(const model::Sde& sde, double, const BrownianIncrement& dw,
                            const double* y0, double* y1, double*, StepWork& work) const {
  const model::CirModel& cir = AsCir(sde);
  const double a = cir.a(), sigma = cir.sigma(), h = dw.dt;
  const double c = (2.0 + a * h) * (4.0 * a * cir.b() - sigma * sigma) * h / 4.0;
  for (int i = 0; i < sde.state_dim(); ++i) {
    const double q = std::sqrt(std::max(y0[i], 0.0)) + 0.5 * sigma * dw.w[i];
    const double z = std::max((q + std::sqrt(std::max(q * q + c, 0.0))) / (2.0 + a * h), 0.0);
    y1[i] = z * z;
  }
  work.counts.drift += 1;
  work.counts.diffusion += 1;
}

}  // namespace pathwise::solver
