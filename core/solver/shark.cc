#include "core/solver/shark.h"

#include "core/solver/additive_srk.h"

namespace pathwise::solver {
namespace {

AdditiveTableau MakeTableau() {
  AdditiveTableau t;
  t.stages = 2;
  t.a[1][0] = 5.0 / 6.0;
  t.c[1] = 5.0 / 6.0;
  t.b[0] = 0.4;
  t.b[1] = 0.6;
  t.has_error = true;
  t.e[0] = -0.6;
  t.e[1] = 0.6;
  t.aw[0] = 0.0;
  t.aw[1] = 5.0 / 6.0;
  t.ah[0] = 1.0;
  t.ah[1] = 1.0;
  t.bw = 1.0;
  t.bh = 0.0;
  return t;
}

const AdditiveTableau kTableau = MakeTableau();

}  // namespace

Shark::Shark() : AdditiveSrkMethod(kTableau) {}

const MethodInfo& Shark::info() const {
  static const MethodInfo info{
      .id = MethodId::kShark,
      .name = "shark",
      .description = "ShARK (Foster, dos Reis & Strange), additive noise, uses H, embedded error",
      .levy_area = brownian::LevyArea::kSpaceTime,
      .form = ModelForm::kAny,
      .max_noise = model::NoiseClass::kAdditive,
      .calculus = model::Calculus::kIto,
      .order_additive = 1.5,
      .order_commutative = 1.5,
      .order_general = 1.5,
      .embedded_error = true,
  };
  return info;
}

}  // namespace pathwise::solver
