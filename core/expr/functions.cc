#include "core/expr/functions.h"

#include <array>

namespace pathwise::expr {
namespace {

constexpr std::array<FunctionInfo, 20> kFunctions = {{
    {"exp", 1, Op::kExp},           {"log", 1, Op::kLog},   {"log1p", 1, Op::kLog1p},
    {"expm1", 1, Op::kExpm1},       {"sqrt", 1, Op::kSqrt}, {"abs", 1, Op::kAbs},
    {"sin", 1, Op::kSin},           {"cos", 1, Op::kCos},   {"tan", 1, Op::kTan},
    {"tanh", 1, Op::kTanh},         {"sinh", 1, Op::kSinh}, {"cosh", 1, Op::kCosh},
    {"atan", 1, Op::kAtan},         {"erf", 1, Op::kErf},   {"sigmoid", 1, Op::kSigmoid},
    {"softplus", 1, Op::kSoftplus}, {"min", 2, Op::kMin},   {"max", 2, Op::kMax},
    {"pow", 2, Op::kPow},           {"if", 3, Op::kSelect},
}};

}  // namespace

std::optional<FunctionInfo> FindFunction(absl::string_view name) {
  for (const FunctionInfo& f : kFunctions) {
    if (f.name == name) return f;
  }
  return std::nullopt;
}

std::vector<absl::string_view> FunctionNames() {
  std::vector<absl::string_view> names;
  for (const FunctionInfo& f : kFunctions) {
    names.push_back(f.name);
  }
  return names;
}

bool IsReservedName(absl::string_view name) {
  return name == "t" || name == "pi" || FindFunction(name).has_value();
}

}  // namespace pathwise::expr
