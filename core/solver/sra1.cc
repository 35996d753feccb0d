#include "core/solver/sra1.h"

#include "core/solver/additive_srk.h"

namespace pathwise::solver {
namespace {

// Rößler 2010, SIAM J. Numer. Anal. 48(3), SRA1, as Diffrax tabulates it.
constexpr AdditiveTableau kTableau{
    .stages = 2,
    .a = {{}, {3.0 / 4.0}},
    .c = {0.0, 3.0 / 4.0},
    .b = {1.0 / 3.0, 2.0 / 3.0},
    .has_error = true,
    .e = {-2.0 / 3.0, 2.0 / 3.0},
    .aw = {0.0, 3.0 / 4.0},
    .ah = {0.0, 3.0 / 2.0},
};

}  // namespace

Sra1::Sra1() : AdditiveSrkMethod(kTableau) {}

const MethodInfo& Sra1::info() const {
  static constexpr MethodInfo info = AdditiveSrkInfo(
      MethodId::kSra1, "sra1",
      "SRA1 (Rößler 2010), additive noise, uses H, embedded error estimate", kTableau, 1.5);
  return info;
}

}  // namespace pathwise::solver
