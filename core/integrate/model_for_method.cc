#include "core/integrate/model_for_method.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/model/langevin.h"
#include "core/model/stratonovich_form.h"
#include "core/util/status_macros.h"

namespace pathwise::integrate {
namespace {

// A Stratonovich method on a built-in (Itô) model with multiplicative noise
// solves its Stratonovich form: the same process, drift corrected. Additive
// noise reads the same in both calculi and is left alone.
std::shared_ptr<const model::Sde> ForCalculus(std::shared_ptr<const model::Sde> sde,
                                              bool ito_as_written, const solver::Method& method) {
  if (ito_as_written && method.info().calculus == model::Calculus::kStratonovich &&
      !model::IsAdditive(sde->traits()) && model::HasStratonovichForm(*sde)) {
    absl::StatusOr<std::shared_ptr<const model::Sde>> form = model::StratonovichForm(sde);
    if (form.ok()) return *std::move(form);  // cannot fail: HasStratonovichForm holds
  }
  return sde;
}

// y0 of a Langevin model of dimension `dim`: y0, or x0 then v0 (zeros when empty).
absl::StatusOr<std::vector<double>> LangevinInitialState(UserModel& user, int dim) {
  if (!user.y0.empty()) {
    if (!user.x0.empty() || !user.v0.empty()) {
      return absl::InvalidArgumentError("y0: give either y0 or model.langevin.x0 / v0, not both");
    }
    return std::move(user.y0);
  }
  if (static_cast<int>(user.x0.size()) != dim) {
    return absl::InvalidArgumentError(absl::StrCat("model.langevin.x0: expected ", dim,
                                                   " values (dim), got ", user.x0.size(),
                                                   " (or give y0 with ", 2 * dim, " values)"));
  }
  if (!user.v0.empty() && static_cast<int>(user.v0.size()) != dim) {
    return absl::InvalidArgumentError(absl::StrCat("model.langevin.v0: expected ", dim,
                                                   " values (dim) or none, got ", user.v0.size()));
  }
  std::vector<double> y0 = std::move(user.x0);
  if (user.v0.empty()) {
    y0.resize(2 * static_cast<size_t>(dim), 0.0);
  } else {
    y0.insert(y0.end(), user.v0.begin(), user.v0.end());
  }
  return y0;
}

}  // namespace

absl::StatusOr<PreparedModel> ModelForMethod(UserModel user, const solver::Method& method) {
  PreparedModel out;
  if (const model::LangevinModel* langevin = user.sde->AsLangevin(); langevin != nullptr) {
    ASSIGN_OR_RETURN(out.y0, LangevinInitialState(user, langevin->dim()));
  } else if (!user.x0.empty() || !user.v0.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(user.x0.empty() ? "model.langevin.v0" : "model.langevin.x0",
                     ": only for a Langevin model, not ", user.sde->name()));
  } else {
    out.y0 = std::move(user.y0);
  }
  const int n = user.sde->state_dim();
  if (static_cast<int>(out.y0.size()) != n) {
    return absl::InvalidArgumentError(absl::StrCat("y0: expected ", n, " values for ",
                                                   user.sde->name(), ", got ", out.y0.size()));
  }
  out.sde = ForCalculus(std::move(user.sde), user.ito_as_written, method);
  return out;
}

}  // namespace pathwise::integrate
