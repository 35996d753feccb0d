#include "core/solver/sea.h"

#include "core/solver/additive_srk.h"

namespace pathwise::solver {
namespace {

AdditiveTableau MakeTableau() {
  AdditiveTableau t;
  t.stages = 1;
  t.b[0] = 1.0;
  t.aw[0] = 0.5;
  t.ah[0] = 1.0;
  t.bw = 1.0;
  t.bh = 0.0;
  return t;
}

const AdditiveTableau kTableau = MakeTableau();

}  // namespace

const MethodInfo& Sea::info() const {
  static const MethodInfo info{
      .id = MethodId::kSea,
      .name = "sea",
      .description = "SEA, shifted Euler (Foster, dos Reis & Strange), additive noise, uses H",
      .levy_area = brownian::LevyArea::kSpaceTime,
      .form = ModelForm::kAny,
      .max_noise = model::NoiseClass::kAdditive,
      .calculus = model::Calculus::kIto,
      .order_additive = 1.0,
      .order_commutative = 1.0,
      .order_general = 1.0,
      .embedded_error = false,
  };
  return info;
}

void Sea::Prepare(const model::Sde& sde, StepWork& work) const { AdditiveSrkPrepare(sde, work); }

void Sea::Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
               double* y1, double* err, StepWork& work) const {
  AdditiveSrkStep(kTableau, sde, t, dw, y0, y1, err, work);
}

}  // namespace pathwise::solver
