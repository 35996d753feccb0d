#include "core/solver/sra1.h"

#include "core/solver/additive_srk.h"

namespace pathwise::solver {
namespace {

AdditiveTableau MakeTableau() {
  AdditiveTableau t;
  t.stages = 2;
  t.a[1][0] = 3.0 / 4.0;
  t.c[1] = 3.0 / 4.0;
  t.b[0] = 1.0 / 3.0;
  t.b[1] = 2.0 / 3.0;
  t.has_error = true;
  t.e[0] = -2.0 / 3.0;
  t.e[1] = 2.0 / 3.0;
  t.aw[1] = 3.0 / 4.0;
  t.ah[1] = 3.0 / 2.0;
  t.bw = 1.0;
  t.bh = 0.0;
  return t;
}

const AdditiveTableau kTableau = MakeTableau();

}  // namespace

Sra1::Sra1() : AdditiveSrkMethod(kTableau) {}

const MethodInfo& Sra1::info() const {
  static const MethodInfo info{
      .id = MethodId::kSra1,
      .name = "sra1",
      .description = "SRA1 (Rößler 2010), additive noise, uses H, embedded error estimate",
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
