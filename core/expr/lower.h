// Parse tree -> graph node: resolves names, applies the language's meaning of
// each construct, and reports semantic errors at their column.
#ifndef PATHWISE_CORE_EXPR_LOWER_H_
#define PATHWISE_CORE_EXPR_LOWER_H_

#include "absl/status/statusor.h"
#include "core/expr/ast.h"
#include "core/expr/diagnostic.h"
#include "core/expr/graph.h"
#include "core/expr/symbols.h"

namespace pathwise::expr {

// The largest integer literal exponent that `x^n` expands into products.
inline constexpr int kMaxExpandedPower = 8;

// The node computing `ast` (parsed from source.text) in `graph`.
//
// Meaning: parameters and `pi` become constants; `a^n` with an integer
// literal n in [2, kMaxExpandedPower] is the left-to-right product a*a*...*a
// (n factors; exact and fast), any other `a^b` and pow(a, b) are std::pow.
// Errors, each a diagnostic with a caret: unknown identifier or function
// (with the closest known name), a function used without '(' or a variable
// called like one, wrong argument count, a parameter without a value,
// division by a constant zero, a non-finite constant subexpression, and the
// node limit.
absl::StatusOr<NodeId> Lower(const Source& source, const Ast& ast, const Symbols& symbols,
                             Graph& graph);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_LOWER_H_
