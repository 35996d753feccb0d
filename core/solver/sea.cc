#include "core/solver/sea.h"

#include "core/solver/additive_srk.h"

namespace pathwise::solver {
namespace {

// Foster, dos Reis & Strange, arXiv 2210.17543, eq. (5.8): the drift is
// evaluated at y0 + g(½ W + H).
constexpr AdditiveTableau kTableau{
    .stages = 1,
    .b = {1.0},
    .aw = {0.5},
    .ah = {1.0},
};

}  // namespace

Sea::Sea() : AdditiveSrkMethod(kTableau) {}

const MethodInfo& Sea::info() const {
  static constexpr MethodInfo info = AdditiveSrkInfo(
      MethodId::kSea, "sea",
      "SEA, shifted Euler (Foster, dos Reis & Strange), additive noise, uses H", kTableau, 1.0);
  return info;
}

}  // namespace pathwise::solver
