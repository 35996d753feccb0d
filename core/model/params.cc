#include "core/model/params.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/expr/lexer.h"  // Abbreviate: echoed names stay short

namespace pathwise::model {
namespace {

std::string Bound(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return absl::StrCat(v);
}

bool InRange(const ParamSpec& spec, double v) {
  if (!std::isfinite(v)) return false;
  const bool lo = spec.min_open ? v > spec.min : v >= spec.min;
  const bool hi = spec.max_open ? v < spec.max : v <= spec.max;
  return lo && hi;
}

}  // namespace

std::string RangeString(const ParamSpec& spec) {
  return absl::StrCat(spec.min_open || std::isinf(spec.min) ? "(" : "[", Bound(spec.min), ", ",
                      Bound(spec.max), spec.max_open || std::isinf(spec.max) ? ")" : "]");
}

absl::StatusOr<std::vector<double>> ResolveParams(absl::Span<const ParamSpec> specs,
                                                  const ParamMap& given) {
  for (const auto& [name, value] : given) {
    bool known = false;
    for (const ParamSpec& spec : specs) known = known || spec.name == name;
    if (!known) {
      std::vector<std::string> names;
      for (const ParamSpec& spec : specs) names.push_back(spec.name);
      return absl::InvalidArgumentError(
          absl::StrCat("params.", expr::Abbreviate(name),
                       ": unknown parameter (known: ", absl::StrJoin(names, ", "), ")"));
    }
  }
  std::vector<double> values;
  values.reserve(specs.size());
  for (const ParamSpec& spec : specs) {
    auto it = given.find(spec.name);
    const double v = it == given.end() ? spec.default_value : it->second;
    if (!InRange(spec, v)) {
      return absl::InvalidArgumentError(
          absl::StrCat("params.", spec.name, ": must be in ", RangeString(spec), ", got ", v));
    }
    values.push_back(v);
  }
  return values;
}

}  // namespace pathwise::model
