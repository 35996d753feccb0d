#include "core/solver/method.h"

namespace pathwise::solver {

double StrongOrder(const MethodInfo& info, const model::SdeTraits& traits) {
  if (model::IsAdditive(traits)) return info.order_additive;
  if (model::IsCommutative(traits)) return info.order_commutative;
  return info.order_general;
}

}  // namespace pathwise::solver
