#include "core/model/sde.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace pathwise::model {

absl::string_view NoiseClassName(NoiseClass noise) {
  switch (noise) {
    case NoiseClass::kAdditive:
      return "additive";
    case NoiseClass::kScalar:
      return "scalar";
    case NoiseClass::kDiagonal:
      return "diagonal";
    case NoiseClass::kCommutative:
      return "commutative";
    case NoiseClass::kGeneral:
      return "general";
  }
  return "unknown";
}

absl::string_view CalculusName(Calculus calculus) {
  return calculus == Calculus::kIto ? "ito" : "stratonovich";
}

absl::string_view NoiseShapeName(NoiseShape shape) {
  return shape == NoiseShape::kDiagonal ? "diagonal" : "general";
}

void Sde::DiffusionJvp(double, const double*, const double*, double* out) const {
  std::fill(out, out + DiffusionSize(traits_), 0.0);
}

std::string DescribeSde(const Sde& sde) {
  const SdeTraits& t = sde.traits();
  return absl::StrCat(sde.name(), " (n=", t.state_dim, ", m=", t.noise_dim, ", ",
                      NoiseClassName(t.noise), " noise, ", CalculusName(t.calculus), ")");
}

}  // namespace pathwise::model
