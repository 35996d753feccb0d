// The built-in functions of the language: name, arity, and the operation.
#ifndef PATHWISE_CORE_EXPR_FUNCTIONS_H_
#define PATHWISE_CORE_EXPR_FUNCTIONS_H_

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/expr/ops.h"

namespace pathwise::expr {

struct FunctionInfo {
  absl::string_view name;
  int arity;
  Op op;  // kSelect for if(c, a, b)
};

// The function called `name`, if there is one.
std::optional<FunctionInfo> FindFunction(absl::string_view name);

// Every function name, in the order of the user guide (for suggestions).
std::vector<absl::string_view> FunctionNames();

// Names that cannot be used for state variables or parameters: "t", "pi" and
// the function names.
bool IsReservedName(absl::string_view name);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_FUNCTIONS_H_
