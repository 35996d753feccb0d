#include "server/langevin_potential.h"

#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "core/model/catalog.h"
#include "core/model/expression_potential.h"
#include "core/model/params.h"
#include "server/bad_request.h"

namespace pathwise::server {
namespace {

// The core names an expression potential's fields as Solve's request does.
constexpr absl::string_view kCoreField = "model.langevin.";

// A core error naming model.langevin.* as one naming `field`.* instead.
absl::Status Renamed(const absl::Status& status, absl::string_view field) {
  absl::string_view message = status.message();
  if (!absl::ConsumePrefix(&message, kCoreField)) return FromCoreStatus(status, "");
  return FromCoreStatus(absl::Status(status.code(), message), absl::StrCat(field, "."));
}

}  // namespace

absl::StatusOr<std::shared_ptr<const model::Potential>> PotentialFromWire(
    const v1::LangevinModel& m, absl::string_view field, expr::ProgramCache* cache) {
  switch (m.potential_case()) {
    case v1::LangevinModel::kExpression: {
      auto p = model::ExpressionPotential::Create(
          m.expression(), static_cast<int>(m.dim()),
          model::ParamMap(m.params().begin(), m.params().end()), cache);
      if (!p.ok()) return Renamed(p.status(), field);
      return std::shared_ptr<const model::Potential>(std::move(*p));
    }
    case v1::LangevinModel::kBuiltin: {
      if (!m.params().empty()) {
        return InvalidArgumentWithViolations(
            {{absl::StrCat(field, ".params"),
              absl::StrCat("only for an expression potential; a builtin potential takes ", field,
                           ".builtin.params")}});
      }
      const v1::BuiltinPotential& b = m.builtin();
      auto p = model::MakeBuiltinPotential(
          b.name(), model::ParamMap(b.params().begin(), b.params().end()), b.data(),
          static_cast<int>(b.data_cols()), static_cast<int>(m.dim()));
      if (!p.ok()) {
        // "dim: ..." is the Langevin dimension; everything else is the potential's.
        const bool dim = absl::StartsWith(p.status().message(), "dim:");
        return FromCoreStatus(p.status(), absl::StrCat(field, dim ? "." : ".builtin."));
      }
      return std::move(*p);
    }
    default:
      return InvalidArgumentWithViolations(
          {{absl::StrCat(field, ".potential"),
            absl::StrCat("required: set ", field, ".expression or ", field, ".builtin")}});
  }
}

}  // namespace pathwise::server
