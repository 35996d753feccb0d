#include "core/solver/registry.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "core/model/cir.h"
#include "core/solver/align.h"
#include "core/solver/cir_implicit_euler.h"
#include "core/solver/cir_splitting.h"
#include "core/solver/euler.h"
#include "core/solver/euler_heun.h"
#include "core/solver/heun.h"
#include "core/solver/milstein.h"
#include "core/solver/quicsort.h"
#include "core/solver/sea.h"
#include "core/solver/shark.h"
#include "core/solver/should.h"
#include "core/solver/spark.h"
#include "core/solver/sra1.h"

namespace pathwise::solver {
namespace {

// The first requirement of `info` that `sde` fails, or "" when it fits.
std::string Mismatch(const MethodInfo& info, const model::Sde& sde) {
  const model::SdeTraits& tr = sde.traits();
  if (info.form == ModelForm::kLangevin && sde.AsLangevin() == nullptr) {
    return "needs an underdamped Langevin model";
  }
  if (info.form == ModelForm::kCir && dynamic_cast<const model::CirModel*>(&sde) == nullptr) {
    return "needs the built-in cir model";
  }
  if (static_cast<int>(tr.noise) > static_cast<int>(info.max_noise)) {
    return absl::StrCat("needs ", model::NoiseClassName(info.max_noise), " noise",
                        info.max_noise == model::NoiseClass::kAdditive ? "" : " or more special",
                        ", but the model has ", model::NoiseClassName(tr.noise), " noise");
  }
  if (!model::IsAdditive(tr) && info.form == ModelForm::kAny && tr.calculus != info.calculus) {
    return absl::StrCat("solves ", model::CalculusName(info.calculus), " SDEs, but the model is ",
                        model::CalculusName(tr.calculus), " with multiplicative noise");
  }
  if (info.needs_diffusion_jvp && !tr.has_diffusion_jvp && !model::IsAdditive(tr)) {
    return "needs the derivative of the diffusion, which the model does not provide";
  }
  return "";
}

}  // namespace

const std::vector<const Method*>& AllMethods() {
  static const Euler euler;
  static const EulerHeun euler_heun;
  static const Heun heun;
  static const Milstein milstein;
  static const Sra1 sra1;
  static const Shark shark;
  static const Sea sea;
  static const Spark spark;
  static const Align align;
  static const Should should;
  static const Quicsort quicsort;
  static const CirSplitting cir_splitting;
  static const CirImplicitEuler cir_implicit_euler;
  static const std::vector<const Method*> all = {
      &euler,  &euler_heun, &heun,          &milstein,          &sra1, &shark, &sea, &spark, &align,
      &should, &quicsort,   &cir_splitting, &cir_implicit_euler};
  return all;
}

const Method& GetMethod(MethodId id) {
  for (const Method* m : AllMethods()) {
    if (m->info().id == id) return *m;
  }
  return *AllMethods().front();  // unreachable: every id is listed
}

absl::StatusOr<const Method*> FindMethod(absl::string_view name) {
  std::vector<absl::string_view> names;
  for (const Method* m : AllMethods()) {
    if (m->info().name == name) return m;
    names.push_back(m->info().name);
  }
  return absl::InvalidArgumentError(absl::StrCat("method: unknown method '", name,
                                                 "' (known: ", absl::StrJoin(names, ", "), ")"));
}

std::vector<absl::string_view> FittingMethods(const model::Sde& sde) {
  std::vector<absl::string_view> names;
  for (const Method* m : AllMethods()) {
    if (Mismatch(m->info(), sde).empty()) names.push_back(m->info().name);
  }
  return names;
}

absl::Status CheckCompatibility(const Method& method, const model::Sde& sde) {
  const std::string why = Mismatch(method.info(), sde);
  if (why.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("method: ", method.info().name, " ", why, " (model ", model::DescribeSde(sde),
                   "); methods that fit: ", absl::StrJoin(FittingMethods(sde), ", ")));
}

}  // namespace pathwise::solver
