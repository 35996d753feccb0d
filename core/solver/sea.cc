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

Sea::Sea() : AdditiveSrkMethod(kTableau) {}

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

}  // namespace pathwise::solver
