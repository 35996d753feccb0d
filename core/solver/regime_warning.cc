#include "core/solver/regime_warning.h"

#include "absl/strings/str_cat.h"
#include "core/model/cir.h"

namespace pathwise::solver {

std::string RegimeWarning(const Method& method, const model::Sde& sde) {
  if (method.info().form != ModelForm::kCir) return "";
  const auto* cir = dynamic_cast<const model::CirModel*>(&sde);
  if (cir == nullptr) return "";
  const double four_ab = 4 * cir->a() * cir->b(), sigma2 = cir->sigma() * cir->sigma();
  if (four_ab >= sigma2) return "";
  return absl::StrCat(
      method.info().name, " is biased when 4ab < sigma^2 (here 4ab = ", four_ab,
      ", sigma^2 = ", sigma2,
      "): it clips at 0 and its mean converges like dt^0.15 (+0.03 at dt = 2^-7 for a = 0.5, "
      "b = 0.04, sigma = 1; docs/solver.md); use milstein or euler for moments");
}

}  // namespace pathwise::solver
