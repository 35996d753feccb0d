#include "core/solver/shark.h"

#include "core/solver/additive_srk.h"

namespace pathwise::solver {
namespace {

// Foster, dos Reis & Strange, arXiv 2210.17543, eq. (6.1).
constexpr AdditiveTableau kTableau{
    .stages = 2,
    .a = {{}, {5.0 / 6.0}},
    .c = {0.0, 5.0 / 6.0},
    .b = {0.4, 0.6},
    .has_error = true,
    .e = {-0.6, 0.6},
    .aw = {0.0, 5.0 / 6.0},
    .ah = {1.0, 1.0},
};

}  // namespace

Shark::Shark() : AdditiveSrkMethod(kTableau) {}

const MethodInfo& Shark::info() const {
  static constexpr MethodInfo info = AdditiveSrkInfo(
      MethodId::kShark, "shark",
      "ShARK (Foster, dos Reis & Strange), additive noise, uses H, embedded error", kTableau, 1.5);
  return info;
}

}  // namespace pathwise::solver
